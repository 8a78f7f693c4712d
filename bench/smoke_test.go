package bench

import (
	"net/http"
	"testing"
)

// TestPeers checks that every peer answers every scenario it takes part in
// correctly: status, JSON content type and body, a refused invalid body in
// scenario 2, and 204 for each of the GitHub routes. The benchmarks run the
// same checks before they measure.
func TestPeers(t *testing.T) {
	for _, p := range Peers {
		t.Run(p.Name, func(t *testing.T) {
			for _, s := range Scenarios {
				if !p.Has(s) {
					continue
				}
				if err := Verify(p, s); err != nil {
					t.Errorf("%s: %v", s.Name(), err)
				}
			}
		})
	}
}

// TestEveryScenarioHasPeers guards the tables: each scenario has kaito on
// both adapters and a baseline of each runtime, or fasthttp/router where
// the hand-written fasthttp handler has no router.
func TestEveryScenarioHasPeers(t *testing.T) {
	for _, s := range Scenarios {
		for _, name := range []string{"kaito-nethttp", "kaito-fasthttp", "httprouter"} {
			if p, _ := PeerByName(name); !p.Has(s) {
				t.Errorf("%s does not take part in %s", name, s.Name())
			}
		}
	}
	if n := len(GitHubRoutes()); n != 203 {
		t.Errorf("GitHub route set has %d routes, want 203", n)
	}
}

func TestSink(t *testing.T) {
	w := NewSink()
	w.Keep = true
	w.Header().Set("A", "b")
	w.WriteHeader(http.StatusTeapot)
	w.Write([]byte("x"))
	if w.Status != http.StatusTeapot || string(w.Body) != "x" {
		t.Fatalf("sink: %+v", w)
	}
	w.Reset()
	if len(w.H) != 0 || w.Status != 0 || w.N != 0 || len(w.Body) != 0 {
		t.Fatalf("reset sink: %+v", w)
	}
}
