package kaito_test

import (
	"fmt"
	"testing"

	"github.com/kaito-go/kaito"
)

type notFoundErr struct{}

func (notFoundErr) Error() string   { return "not found" }
func (notFoundErr) StatusCode() int { return 404 }

func TestWrappedStatusCodeShowsOnlyItsOwnText(t *testing.T) {
	r, _ := reqApp(t)
	kaito.Get(r, "/wrapped", func(*kaito.Request, struct{}) (int, error) {
		return 0, fmt.Errorf("SELECT secret FROM t: %w", notFoundErr{})
	})
	onEvery(t, serve(r), call{target: "/wrapped"}, expect{404, nil, `{"message":"not found"}`}.check)
}
