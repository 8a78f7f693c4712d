package bench

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	gojson "github.com/goccy/go-json"
)

// chi v5, as its README shows: chi.NewRouter, chi.URLParam. chi leaves
// bodies and JSON to the handler, which uses go-json like the hand-written
// baseline (so the comparison is chi's routing and context) and the same
// Validate method.

func chiAPI() http.Handler {
	r := chi.NewRouter()
	r.Get("/users/{id}", func(w http.ResponseWriter, req *http.Request) {
		id, err := strconv.Atoi(chi.URLParam(req, "id"))
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusOK, UserOut{ID: id, Name: "gopher"})
	})
	r.Post("/users", func(w http.ResponseWriter, req *http.Request) {
		var u NewUser
		if err := gojson.NewDecoder(http.MaxBytesReader(w, req.Body, 1<<20)).Decode(&u); err != nil {
			http.Error(w, "malformed JSON", http.StatusBadRequest)
			return
		}
		if err := u.Validate(); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusCreated, u)
	})
	return r
}

func chiGitHub(routes []Route) http.Handler {
	r := chi.NewRouter()
	h := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
	for _, rt := range routes {
		r.MethodFunc(rt.Method, rt.Braces(), h)
	}
	return r
}
