package bench

import (
	"strconv"

	"github.com/go-playground/validator/v10"
	gojson "github.com/goccy/go-json"
	"github.com/gofiber/fiber/v3"
	"github.com/valyala/fasthttp"
)

// Fiber v3, as its docs show: c.Bind().Body with a StructValidator
// (go-playground/validator) in the config, c.JSON, c.IP() with TrustProxy
// and ProxyHeader, c.Accepts. JSON goes through go-json, which Fiber's docs
// recommend over its encoding/json default for speed.

type fiber3Validator struct{ v *validator.Validate }

func (fv fiber3Validator) Validate(out any) error { return fv.v.Struct(out) }

func fiber3App() *fiber.App {
	app := fiber.New(fiber.Config{
		JSONEncoder:        gojson.Marshal,
		JSONDecoder:        gojson.Unmarshal,
		StructValidator:    fiber3Validator{validator.New()},
		ProxyHeader:        fiber.HeaderXForwardedFor,
		TrustProxy:         true,
		TrustProxyConfig:   fiber.TrustProxyConfig{Proxies: TrustedProxies},
		EnableIPValidation: true,
	})
	app.Get("/users/:id", func(c fiber.Ctx) error {
		id, err := strconv.Atoi(c.Params("id"))
		if err != nil {
			return fiber.NewError(fiber.StatusBadRequest, "bad id")
		}
		return c.JSON(UserOut{ID: id, Name: "gopher"})
	})
	app.Post("/users", func(c fiber.Ctx) error {
		var u NewUser
		if err := c.Bind().Body(&u); err != nil {
			return fiber.NewError(fiber.StatusUnprocessableEntity, err.Error())
		}
		return c.Status(fiber.StatusCreated).JSON(u)
	})
	app.Get("/ip", func(c fiber.Ctx) error {
		return c.JSON(IPOut{IP: c.IP()})
	})
	app.Get("/accepts", func(c fiber.Ctx) error {
		return c.JSON(AcceptsOut{Type: c.Accepts("json", "html")})
	})
	return app
}

func fiber3Handler() fasthttp.RequestHandler { return fiber3App().Handler() }

func fiber3Listen(addr string) error {
	return fiber3App().Listen(addr, fiber.ListenConfig{DisableStartupMessage: true})
}

func fiber3GitHub(routes []Route) fasthttp.RequestHandler {
	app := fiber.New()
	h := func(c fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }
	for _, rt := range routes {
		app.Add([]string{rt.Method}, rt.Pattern, h)
	}
	return app.Handler()
}
