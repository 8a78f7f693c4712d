package bench

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// The standard library alone: http.ServeMux with Go 1.22 patterns and
// encoding/json.

func servemuxAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		stdJSON(w, http.StatusOK, UserOut{ID: id, Name: "gopher"})
	})
	mux.HandleFunc("POST /users", func(w http.ResponseWriter, r *http.Request) {
		var u NewUser
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&u); err != nil {
			http.Error(w, "malformed JSON", http.StatusBadRequest)
			return
		}
		if err := u.Validate(); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		stdJSON(w, http.StatusCreated, u)
	})
	return mux
}

func stdJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func servemuxGitHub(routes []Route) http.Handler {
	mux := http.NewServeMux()
	h := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
	for _, rt := range routes {
		mux.HandleFunc(rt.Method+" "+rt.Braces(), h)
	}
	return mux
}
