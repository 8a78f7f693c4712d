package bench

import (
	"strconv"

	"github.com/go-playground/validator/v10"
	gojson "github.com/goccy/go-json"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Fiber v2, as its docs show: c.BodyParser and go-playground/validator (the
// validation guide), c.JSON, c.IP() with EnableTrustedProxyCheck and
// ProxyHeader, c.Accepts. JSON goes through go-json, which Fiber's docs
// recommend over its encoding/json default for speed.

func fiber2App() *fiber.App {
	app := fiber.New(fiber.Config{
		JSONEncoder:             gojson.Marshal,
		JSONDecoder:             gojson.Unmarshal,
		DisableStartupMessage:   true,
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          TrustedProxies,
		EnableIPValidation:      true,
	})
	validate := validator.New()
	app.Get("/users/:id", func(c *fiber.Ctx) error {
		id, err := strconv.Atoi(c.Params("id"))
		if err != nil {
			return fiber.NewError(fiber.StatusBadRequest, "bad id")
		}
		return c.JSON(UserOut{ID: id, Name: "gopher"})
	})
	app.Post("/users", func(c *fiber.Ctx) error {
		var u NewUser
		if err := c.BodyParser(&u); err != nil {
			return fiber.NewError(fiber.StatusBadRequest, err.Error())
		}
		if err := validate.Struct(&u); err != nil {
			return fiber.NewError(fiber.StatusUnprocessableEntity, err.Error())
		}
		return c.Status(fiber.StatusCreated).JSON(u)
	})
	app.Get("/ip", func(c *fiber.Ctx) error {
		return c.JSON(IPOut{IP: c.IP()})
	})
	app.Get("/accepts", func(c *fiber.Ctx) error {
		return c.JSON(AcceptsOut{Type: c.Accepts("json", "html")})
	})
	return app
}

func fiber2Handler() fasthttp.RequestHandler { return fiber2App().Handler() }

func fiber2Listen(addr string) error { return fiber2App().Listen(addr) }

func fiber2GitHub(routes []Route) fasthttp.RequestHandler {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	h := func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }
	for _, rt := range routes {
		app.Add(rt.Method, rt.Pattern, h)
	}
	return app.Handler()
}
