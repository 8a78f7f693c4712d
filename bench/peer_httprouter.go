package bench

import (
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"
	"github.com/julienschmidt/httprouter"
)

// The hand-written baseline: httprouter v1.3.0 and go-json, nothing else.
// It is what a careful programmer writes without a framework, and the
// limit the frameworks are measured against.

func httprouterAPI() http.Handler {
	r := httprouter.New()
	r.GET("/users/:id", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		id, err := strconv.Atoi(ps.ByName("id"))
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusOK, UserOut{ID: id, Name: "gopher"})
	})
	r.POST("/users", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		data, err := io.ReadAll(http.MaxBytesReader(w, req.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		var u NewUser
		if err := gojson.Unmarshal(data, &u); err != nil {
			http.Error(w, "malformed JSON", http.StatusBadRequest)
			return
		}
		if err := u.Validate(); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusCreated, u)
	})
	r.POST("/users/plain", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		var u NewUserPlain
		data, err := io.ReadAll(http.MaxBytesReader(w, req.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		if err := gojson.Unmarshal(data, &u); err != nil {
			http.Error(w, "malformed JSON", http.StatusBadRequest)
			return
		}
		if err := u.Validate(); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusCreated, u)
	})
	r.POST("/users/tagged", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		data, err := io.ReadAll(http.MaxBytesReader(w, req.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		var u NewUserTagged
		if err := gojson.Unmarshal(data, &u); err != nil {
			http.Error(w, "malformed JSON", http.StatusBadRequest)
			return
		}
		if err := u.ValidateTagged(data); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusCreated, u)
	})
	r.GET("/ip", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		peer, err := netip.ParseAddrPort(req.RemoteAddr)
		if err != nil {
			http.Error(w, "bad peer", http.StatusInternalServerError)
			return
		}
		writeJSON(w, http.StatusOK, IPOut{IP: handClientIP(peer.Addr(), req.Header["X-Forwarded-For"]).String()})
	})
	r.GET("/accepts", func(w http.ResponseWriter, req *http.Request, _ httprouter.Params) {
		writeJSON(w, http.StatusOK, AcceptsOut{Type: handAccepts(req.Header.Get("Accept"))})
	})
	return r
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := gojson.Marshal(v)
	if err != nil {
		http.Error(w, "encoding", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func httprouterGitHub(routes []Route) http.Handler {
	r := httprouter.New()
	h := func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) { w.WriteHeader(http.StatusNoContent) }
	for _, rt := range routes {
		r.Handle(rt.Method, rt.Pattern, h)
	}
	return r
}

var handTrusted = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.0.0/16")}

func handIsTrusted(a netip.Addr) bool {
	for _, p := range handTrusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// handClientIP walks X-Forwarded-For right to left from a trusted peer and
// returns the first untrusted hop (the furthest one when all are trusted).
func handClientIP(peer netip.Addr, lines []string) netip.Addr {
	client := peer.Unmap()
	if !handIsTrusted(client) {
		return client
	}
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for line != "" {
			tok := line
			if j := strings.LastIndexByte(line, ','); j >= 0 {
				tok, line = line[j+1:], line[:j]
			} else {
				line = ""
			}
			a, err := netip.ParseAddr(strings.TrimSpace(tok))
			if err != nil {
				return client
			}
			client = a.Unmap()
			if !handIsTrusted(client) {
				return client
			}
		}
	}
	return client
}

// handAccepts picks "json" or "html" for an Accept header: each offer takes
// the q of the most specific range that matches it, the higher q wins, and
// the first offer wins a tie. An absent header accepts anything.
func handAccepts(accept string) string {
	offers := [2]string{"application/json", "text/html"}
	names := [2]string{"json", "html"}
	if accept == "" {
		return names[0]
	}
	var q [2]float64
	spec := [2]int{-1, -1}
	for accept != "" {
		var item string
		item, accept, _ = strings.Cut(accept, ",")
		mt, params, _ := strings.Cut(item, ";")
		mt = strings.TrimSpace(mt)
		qv := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == "q" {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					qv = f
				}
			}
		}
		typ, sub, _ := strings.Cut(mt, "/")
		for i, o := range offers {
			ot, os, _ := strings.Cut(o, "/")
			s := -1
			switch {
			case typ == ot && sub == os:
				s = 2
			case typ == ot && sub == "*":
				s = 1
			case typ == "*" && sub == "*":
				s = 0
			}
			if s > spec[i] {
				spec[i], q[i] = s, qv
			}
		}
	}
	best := -1
	for i := range offers {
		if spec[i] >= 0 && q[i] > 0 && (best < 0 || q[i] > q[best]) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return names[best]
}
