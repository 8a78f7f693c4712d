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
	irFile := flag.String("instructions", "", "instructions.sh output, to check the targets in instructions too")
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
	var ir instructions
	if *irFile != "" {
		if ir, err = readInstructions(*irFile); err != nil {
			log.Fatal(err)
		}
	}
	if *only != "tables" {
		targets(w, set, ir)
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

// targets prints DESIGN.md's performance targets, each checked in both
// measures: the medians of set (ns/op, allocs/op) and, when ir is not nil,
// the instruction counts of instructions.sh. A target holds when both
// agree; "≈" marks a comparison between peers that the ns/op runs cannot
// tell apart (Mann-Whitney U, p ≥ 0.05) while the counts decide it.
func targets(w io.Writer, set *results.Set, ir instructions) {
	fmt.Fprintln(w, "### DESIGN.md targets")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | ns/op (medians) | instructions/op | verdict |")
	fmt.Fprintln(w, "|---|---|---|---|")
	// limit: the ratio kaito/other must not exceed it (1 for "at or below").
	ratio := func(scenario, kaito, other string, limit float64, what string) {
		k, ok1 := set.Stat(scenario, kaito, results.NsPerOp)
		o, ok2 := set.Stat(scenario, other, results.NsPerOp)
		if !ok1 || !ok2 {
			fmt.Fprintf(w, "| %s | not measured | | — |\n", what)
			return
		}
		r := k.Median / o.Median
		nsOK := r <= limit
		nsText := fmt.Sprintf("%s vs %s = **%.2f×**", Time(k.Median), Time(o.Median), r)
		if limit == 1 {
			// "at or below": a difference the runs cannot tell apart is a tie.
			if p, sig := results.Compare(k, o); !sig {
				nsOK = true
				nsText += fmt.Sprintf(" (≈, p=%.2f)", p)
			}
		}
		irText, irOK := "not counted", true
		if ki, oi := ir[scenario][kaito], ir[scenario][other]; ki > 0 && oi > 0 {
			q := float64(ki) / float64(oi)
			irText = fmt.Sprintf("%d vs %d = **%.2f×**", ki, oi, q)
			irOK = q <= limit
		}
		v := holds
		switch {
		case !nsOK && !irOK:
			v = misses
		case !nsOK:
			v = misses + " (ns/op)"
		case !irOK:
			v = misses + " (instructions)"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", what, nsText, irText, v)
	}
	allocs := func(scenario, kaito, base, what string) {
		k, ok1 := set.Stat(scenario, kaito, results.AllocsPerOp)
		b, ok2 := set.Stat(scenario, base, results.AllocsPerOp)
		if !ok1 || !ok2 {
			fmt.Fprintf(w, "| %s | not measured | | — |\n", what)
			return
		}
		v := holds
		if k.Median > b.Median {
			v = misses
		}
		fmt.Fprintf(w, "| %s | %.0f vs %.0f allocs/op | | %s |\n", what, k.Median, b.Median, v)
	}
	const kn, kf = "kaito-nethttp", "kaito-fasthttp"
	ratio("User", kn, "httprouter", 1.05, "1. GET /users/:id, net/http ≤ 1.05× httprouter")
	allocs("User", kn, "httprouter", "1. GET /users/:id, net/http: no more allocations than httprouter")
	ratio("User", kf, "fiber-v2", 1, "1. GET /users/:id, fasthttp at or below Fiber v2")
	// Scenario 2's struct carries constraint tags (for huma) besides
	// Validate, so kaito checks both: the 1.25× of "with tags" applies.
	// CreateTagged has tags alone, CreatePlain Validate alone (1.15×).
	ratio("Create", kn, "httprouter", 1.25, "2. typed POST, Validate and constraint tags, net/http ≤ 1.25× hand-written")
	ratio("Create", kf, "fasthttp", 1.25, "2. typed POST, Validate and constraint tags, fasthttp ≤ 1.25× hand-written")
	ratio("CreatePlain", kn, "httprouter", 1.15, "7. typed POST, Validate and no constraint tags, net/http ≤ 1.15× hand-written")
	ratio("CreatePlain", kf, "fasthttp", 1.15, "7. typed POST, Validate and no constraint tags, fasthttp ≤ 1.15× hand-written")
	ratio("CreateTagged", kn, "httprouter", 1.25, "6. typed POST, constraint tags only, net/http ≤ 1.25× hand-written")
	ratio("CreateTagged", kf, "fasthttp", 1.25, "6. typed POST, constraint tags only, fasthttp ≤ 1.25× hand-written")
	ratio("GitHub", kn, "httprouter", 1.15, "3. GitHub routes, net/http ≤ 1.15× httprouter")
	ratio("GitHub", kn, "gin", 1, "3. GitHub routes, net/http at or below gin")
	ratio("GitHub", kf, "fasthttp-router", 1, "3. GitHub routes, fasthttp at or below fasthttp/router")
	ratio("GitHub", kf, "fiber-v2", 1, "3. GitHub routes, fasthttp at or below Fiber v2")
	for _, sc := range []string{"ClientIP", "Accepts"} {
		n := map[string]string{"ClientIP": "4. client IP", "Accepts": "5. Accepts"}[sc]
		ratio(sc, kn, "httprouter", 1.15, n+", net/http ≤ 1.15× hand-written")
		allocs(sc, kn, "httprouter", n+", net/http: no more allocations than hand-written")
		ratio(sc, kn, "gin", 1, n+", net/http at or below gin")
		ratio(sc, kf, "fasthttp", 1.15, n+", fasthttp ≤ 1.15× hand-written")
		allocs(sc, kf, "fasthttp", n+", fasthttp: no more allocations than hand-written")
		ratio(sc, kf, "fiber-v2", 1, n+", fasthttp at or below Fiber v2")
	}
	for _, sc := range []string{"User", "Create", "GitHub", "ClientIP", "Accepts"} {
		for _, peer := range []string{"gin", "echo", "chi", "huma"} {
			if _, ok := set.Stat(sc, peer, results.NsPerOp); ok {
				ratio(sc, kn, peer, 1, fmt.Sprintf("faster than %s, %s", peer, sc))
			}
		}
	}
	fmt.Fprintln(w)
}

// instructions are instructions.sh's counts: scenario, then peer.
type instructions map[string]map[string]int

// readInstructions reads instructions.sh's output: a line with a scenario
// name, a header line, then one line per peer with its count.
func readInstructions(path string) (instructions, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ir := instructions{}
	scenario := ""
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 1:
			scenario = f[0]
			ir[scenario] = map[string]int{}
		case len(f) >= 2 && scenario != "" && f[0] != "peer":
			var n int
			if _, err := fmt.Sscan(f[1], &n); err == nil {
				ir[scenario][f[0]] = n
			}
		}
	}
	return ir, nil
}
