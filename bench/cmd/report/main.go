// Command report turns the bench module's `go test -bench` output into the
// Markdown tables of BENCHMARKS.md: per scenario, each peer's median ns/op
// (with benchstat's 95% confidence interval), B/op and allocs/op, with
// ratios to the hand-written baselines; then the DESIGN.md targets, each
// marked as holding or missing.
//
//	go run ./cmd/report -in results.txt > tables.md
//	go run ./cmd/report -in results-targets.txt -only targets
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/kaito-go/kaito/bench"
	"github.com/kaito-go/kaito/bench/internal/results"
)

func main() {
	in := flag.String("in", "results.txt", "go test -bench output")
	only := flag.String("only", "", `print only "tables" or only "targets"`)
	flag.Parse()
	log.SetFlags(0)
	set, err := results.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	w := os.Stdout
	if *only != "targets" {
		tables(w, set)
	}
	if *only != "tables" {
		targets(w, set)
	}
}

func runtimeOf(peer string) bench.Runtime {
	p, _ := bench.PeerByName(peer)
	return p.Runtime
}

// baselineFor is the peer that rows of runtime rt are compared with in a
// scenario: the runtime's hand-written handler, or fasthttp/router where
// the hand-written fasthttp handler does not take part (the GitHub routes).
func baselineFor(set *results.Set, scenario string, rt bench.Runtime) string {
	peers := set.Peers(scenario)
	for _, p := range bench.Peers {
		if p.Runtime == rt && p.Baseline && slices.Contains(peers, p.Name) {
			return p.Name
		}
	}
	if rt == bench.FastHTTP && slices.Contains(peers, "fasthttp-router") {
		return "fasthttp-router"
	}
	return ""
}

// Time formats seconds as ns below 10 µs and µs above.
func Time(sec float64) string {
	ns := sec * 1e9
	if ns < 10000 {
		return fmt.Sprintf("%.0f ns", ns)
	}
	return fmt.Sprintf("%.1f µs", ns/1000)
}

func tables(w io.Writer, set *results.Set) {
	for _, s := range bench.Scenarios {
		name := s.Name()
		peers := set.Peers(name)
		if len(peers) == 0 {
			continue
		}
		fmt.Fprintf(w, "### %s\n\n", s.Title())
		fmt.Fprintln(w, "| peer | runtime | time/op | ± | × own baseline | × httprouter | B/op | allocs/op | allocs vs own baseline |")
		fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|")
		// net/http first, then fasthttp; fastest first within each.
		sorted := slices.Clone(peers)
		slices.SortStableFunc(sorted, func(a, b string) int {
			ra, rb := runtimeOf(a), runtimeOf(b)
			if ra != rb {
				if ra == bench.NetHTTP {
					return -1
				}
				return 1
			}
			ta, _ := set.Stat(name, a, results.NsPerOp)
			tb, _ := set.Stat(name, b, results.NsPerOp)
			switch {
			case ta.Median < tb.Median:
				return -1
			case ta.Median > tb.Median:
				return 1
			}
			return 0
		})
		hr, _ := set.Stat(name, "httprouter", results.NsPerOp)
		for _, peer := range sorted {
			rt := runtimeOf(peer)
			base := baselineFor(set, name, rt)
			t, _ := set.Stat(name, peer, results.NsPerOp)
			b, _ := set.Stat(name, peer, results.BytesPerOp)
			a, _ := set.Stat(name, peer, results.AllocsPerOp)
			bt, _ := set.Stat(name, base, results.NsPerOp)
			ba, _ := set.Stat(name, base, results.AllocsPerOp)
			label := peer
			if peer == base {
				label += " (baseline)"
			}
			if strings.HasPrefix(peer, "kaito") {
				label = "**" + label + "**"
			}
			ratio, vsHR, dAllocs := "—", "—", "—"
			if bt.Median > 0 && peer != base {
				ratio = fmt.Sprintf("%.2f×", t.Median/bt.Median)
				dAllocs = fmt.Sprintf("%+.0f", a.Median-ba.Median)
			}
			if hr.Median > 0 && peer != "httprouter" {
				vsHR = fmt.Sprintf("%.2f×", t.Median/hr.Median)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %.0f | %.0f | %s |\n",
				label, rt, Time(t.Median), t.PctRange(), ratio, vsHR, b.Median, a.Median, dAllocs)
		}
		fmt.Fprintln(w)
	}
}

type verdict string

const (
	holds  verdict = "✅ holds"
	misses verdict = "❌ misses"
	tie    verdict = "≈ no significant difference"
)

func targets(w io.Writer, set *results.Set) {
	fmt.Fprintln(w, "### DESIGN.md targets")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | measured (medians) | verdict |")
	fmt.Fprintln(w, "|---|---|---|")
	ratio := func(scenario, kaito, base string, limit float64, what string) {
		k, ok1 := set.Stat(scenario, kaito, results.NsPerOp)
		b, ok2 := set.Stat(scenario, base, results.NsPerOp)
		if !ok1 || !ok2 {
			fmt.Fprintf(w, "| %s | not measured | — |\n", what)
			return
		}
		r := k.Median / b.Median
		v := holds
		if r > limit {
			v = misses + verdict(fmt.Sprintf(" by %.0f%%", (r/limit-1)*100))
		}
		fmt.Fprintf(w, "| %s | %s vs %s = **%.2f×** | %s |\n", what, Time(k.Median), Time(b.Median), r, v)
	}
	allocs := func(scenario, kaito, base string, extra float64, what string) {
		k, ok1 := set.Stat(scenario, kaito, results.AllocsPerOp)
		b, ok2 := set.Stat(scenario, base, results.AllocsPerOp)
		if !ok1 || !ok2 {
			fmt.Fprintf(w, "| %s | not measured | — |\n", what)
			return
		}
		v := holds
		if k.Median > b.Median+extra {
			v = misses
		}
		fmt.Fprintf(w, "| %s | %.0f vs %.0f allocs/op | %s |\n", what, k.Median, b.Median, v)
	}
	faster := func(scenario, kaito, peer string) {
		what := fmt.Sprintf("%s faster than %s, scenario %s", kaito, peer, scenario)
		k, ok1 := set.Stat(scenario, kaito, results.NsPerOp)
		o, ok2 := set.Stat(scenario, peer, results.NsPerOp)
		if !ok1 || !ok2 {
			fmt.Fprintf(w, "| %s | not measured | — |\n", what)
			return
		}
		p, sig := results.Compare(k, o)
		v := holds
		switch {
		case !sig:
			v = tie
		case k.Median > o.Median:
			v = misses + verdict(fmt.Sprintf(" by %.0f%%", (k.Median/o.Median-1)*100))
		}
		fmt.Fprintf(w, "| %s | %s vs %s (%.2f×, p=%.3f) | %s |\n", what, Time(k.Median), Time(o.Median), k.Median/o.Median, p, v)
	}
	ratio("User", "kaito-nethttp", "httprouter", 1.10, "net/http adapter ≤ 1.10× hand-written httprouter, scenario 1")
	allocs("User", "kaito-nethttp", "httprouter", 1, "net/http adapter at most one allocation more, scenario 1")
	ratio("User", "kaito-fasthttp", "fasthttp", 1.10, "fasthttp adapter ≤ 1.10× hand-written fasthttp, scenario 1")
	ratio("Create", "kaito-nethttp", "httprouter", 1.25, "typed POST binding ≤ 1.25× hand-written go-json decoding (net/http), scenario 2")
	ratio("Create", "kaito-fasthttp", "fasthttp", 1.25, "typed POST binding ≤ 1.25× hand-written go-json decoding (fasthttp), scenario 2")
	for _, sc := range []string{"User", "Create"} {
		for _, peer := range []string{"gin", "echo", "chi", "huma"} {
			faster(sc, "kaito-nethttp", peer)
		}
		for _, peer := range []string{"fiber-v2", "fiber-v3"} {
			faster(sc, "kaito-fasthttp", peer)
		}
	}
	fmt.Fprintln(w)
}
