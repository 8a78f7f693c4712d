package bench

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// gin, as its README shows: gin.New() without the logger, ShouldBindJSON
// with binding tags (go-playground/validator), c.JSON. Built with
// -tags go_json, as the benchmark commands do, gin encodes and decodes with
// go-json (its documented "json replacement"); without the tag it uses
// encoding/json.

func init() { gin.SetMode(gin.ReleaseMode) }

func ginAPI() http.Handler {
	r := gin.New()
	if err := r.SetTrustedProxies(TrustedProxies); err != nil {
		panic(err)
	}
	r.GET("/users/:id", func(c *gin.Context) {
		id, err := strconv.Atoi(c.Param("id"))
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"message": "bad id"})
			return
		}
		c.JSON(http.StatusOK, UserOut{ID: id, Name: "gopher"})
	})
	r.POST("/users", func(c *gin.Context) {
		var u NewUser
		if err := c.ShouldBindJSON(&u); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"message": err.Error()})
			return
		}
		c.JSON(http.StatusCreated, u)
	})
	r.GET("/ip", func(c *gin.Context) {
		c.JSON(http.StatusOK, IPOut{IP: c.ClientIP()})
	})
	r.GET("/accepts", func(c *gin.Context) {
		t := ""
		switch c.NegotiateFormat(gin.MIMEJSON, gin.MIMEHTML) {
		case gin.MIMEJSON:
			t = "json"
		case gin.MIMEHTML:
			t = "html"
		}
		c.JSON(http.StatusOK, AcceptsOut{Type: t})
	})
	return r
}

func ginGitHub(routes []Route) http.Handler {
	r := gin.New()
	h := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	for _, rt := range routes {
		r.Handle(rt.Method, rt.Pattern, h)
	}
	return r
}
