package bench

import (
	"net"
	"net/http"
	"strconv"

	"github.com/go-playground/validator/v10"
	gojson "github.com/goccy/go-json"
	"github.com/labstack/echo/v4"
)

// echo v4, as its guide shows: c.Bind, a go-playground validator set as
// e.Validator and called with c.Validate, c.JSON; the client IP from
// ExtractIPFromXFFHeader with the trusted ranges. Its JSON goes through
// go-json by the guide's custom JSONSerializer.

type echoValidator struct{ v *validator.Validate }

func (ev echoValidator) Validate(i any) error { return ev.v.Struct(i) }

// echoGoJSON is echo's documented JSONSerializer hook, with go-json.
type echoGoJSON struct{}

func (echoGoJSON) Serialize(c echo.Context, i any, indent string) error {
	enc := gojson.NewEncoder(c.Response())
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(i)
}

func (echoGoJSON) Deserialize(c echo.Context, i any) error {
	err := gojson.NewDecoder(c.Request().Body).Decode(i)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error()).SetInternal(err)
	}
	return nil
}

func echoAPI() http.Handler {
	e := echo.New()
	e.Validator = echoValidator{validator.New()}
	e.JSONSerializer = echoGoJSON{}
	var trust []echo.TrustOption
	trust = append(trust, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
	for _, cidr := range TrustedProxies {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			panic(err)
		}
		trust = append(trust, echo.TrustIPRange(n))
	}
	e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)

	e.GET("/users/:id", func(c echo.Context) error {
		id, err := strconv.Atoi(c.Param("id"))
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "bad id")
		}
		return c.JSON(http.StatusOK, UserOut{ID: id, Name: "gopher"})
	})
	e.POST("/users", func(c echo.Context) error {
		var u NewUser
		if err := c.Bind(&u); err != nil {
			return err
		}
		if err := c.Validate(&u); err != nil {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, err.Error())
		}
		return c.JSON(http.StatusCreated, u)
	})
	e.GET("/ip", func(c echo.Context) error {
		return c.JSON(http.StatusOK, IPOut{IP: c.RealIP()})
	})
	return e
}

func echoGitHub(routes []Route) http.Handler {
	e := echo.New()
	h := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
	for _, rt := range routes {
		e.Add(rt.Method, rt.Pattern, h)
	}
	return e
}
