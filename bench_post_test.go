package kaito_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/julienschmidt/httprouter"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// newUser is the ~200-byte body of the POST scenario.
type newUser struct {
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Age     int      `json:"age"`
	Country string   `json:"country"`
	Tags    []string `json:"tags"`
	Bio     string   `json:"bio"`
}

func (u *newUser) Validate() error {
	switch {
	case u.Name == "":
		return errors.New("name is required")
	case !strings.Contains(u.Email, "@"):
		return errors.New("email must be an address")
	case u.Age < 0 || u.Age > 150:
		return errors.New("age must be 0 to 150")
	}
	return nil
}

const newUserBody = `{"name":"Ada Lovelace","email":"ada@example.com","age":36,"country":"United Kingdom",` +
	`"tags":["math","engines","poetry"],"bio":"Wrote the first program for the Analytical Engine, in 1843, with notes longer than the paper."}`

func handWrittenPost() http.Handler {
	r := httprouter.New()
	r.POST("/users", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		var u newUser
		if err := gojson.Unmarshal(body, &u); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		if err := u.Validate(); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		b, err := gojson.Marshal(u)
		if err != nil {
			http.Error(w, "encoding", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(b)
	})
	return r
}

func kaitoPost() http.Handler {
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	kaito.Post(r, "/users", func(_ benchCtx, in newUser) (newUser, error) { return in, nil }, kaito.Status(http.StatusCreated))
	return nethttp.Handler(r)
}

// newUserTagged is newUser with constraint tags in place of its Validate
// method: the checks newUser.Validate makes, and a few more; every field
// is required (present in the body), as DESIGN's rule makes it.
type newUserTagged struct {
	Name    string   `json:"name" minLength:"1" maxLength:"100"`
	Email   string   `json:"email" pattern:"@"`
	Age     int      `json:"age" minimum:"0" maximum:"150"`
	Country string   `json:"country" minLength:"2"`
	Tags    []string `json:"tags" maxItems:"10" uniqueItems:"true"`
	Bio     string   `json:"bio" maxLength:"500"`
}

func kaitoPostTagged() http.Handler {
	r := kaito.New(func(*kaito.Request) (benchCtx, error) { return benchCtx{}, nil })
	kaito.Post(r, "/users", func(_ benchCtx, in newUserTagged) (newUserTagged, error) { return in, nil }, kaito.Status(http.StatusCreated))
	return nethttp.Handler(r)
}

func newPost(body io.Reader) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/users", body)
	req.Header.Set("Content-Type", "application/json")
	return req
}

type readCloser struct{ io.Reader }

func (readCloser) Close() error { return nil }

// BenchmarkPostUser binds and validates a JSON body, beside hand-written
// decoding with go-json; kaito-tags validates it with constraint tags
// (and the presence of its required fields) instead of a Validate method.
func BenchmarkPostUser(b *testing.B) {
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"handwritten", handWrittenPost()}, {"kaito", kaitoPost()}, {"kaito-tags", kaitoPostTagged()}} {
		b.Run(c.name, func(b *testing.B) {
			body := strings.NewReader(newUserBody)
			req := newPost(body)
			w := newSink()
			b.ReportAllocs()
			for b.Loop() {
				body.Reset(newUserBody)
				req.Body = io.NopCloser(body)
				w.reset()
				c.h.ServeHTTP(w, req)
			}
			if w.status != http.StatusCreated || w.n < 150 {
				b.Fatalf("status %d, %d bytes", w.status, w.n)
			}
		})
	}
}
