// Package results reads `go test -bench` output of the bench module and
// summarises it as benchstat does: the median of each benchmark's runs with
// a 95% confidence interval, and Mann-Whitney U tests between peers.
package results

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// Units read from the results.
const (
	NsPerOp     = "sec/op" // benchfmt normalises ns/op to sec/op
	BytesPerOp  = "B/op"
	AllocsPerOp = "allocs/op"
)

// Set holds every run, by scenario (BenchmarkUser's "User") and peer.
type Set struct {
	Config  map[string]string // goos, goarch, cpu, pkg
	samples map[key]map[string][]float64
	order   map[string][]string // peers by scenario, in the order first seen
}

type key struct{ scenario, peer string }

// Stat is a summary of one unit of one benchmark.
type Stat struct {
	Median, Lo, Hi float64
	N              int
	sample         *benchmath.Sample
}

// PctRange is the confidence interval as benchstat prints it: "± 2%".
func (s Stat) PctRange() string {
	if s.sample == nil {
		return ""
	}
	return benchmath.Summary{Center: s.Median, Lo: s.Lo, Hi: s.Hi}.PctRangeString()
}

// ReadFile parses a results file.
func ReadFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses `go test -bench` output.
func Read(r io.Reader, name string) (*Set, error) {
	set := &Set{Config: map[string]string{}, samples: map[key]map[string][]float64{}, order: map[string][]string{}}
	br := benchfmt.NewReader(r, name)
	for br.Scan() {
		res, ok := br.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		for _, c := range res.Config {
			if c.File {
				set.Config[c.Key] = string(c.Value)
			}
		}
		base, parts := res.Name.Parts()
		peer := ""
		for _, p := range parts {
			if s := strings.TrimPrefix(string(p), "/peer="); s != string(p) {
				peer = s
			}
		}
		if peer == "" {
			continue
		}
		k := key{string(base), peer}
		if set.samples[k] == nil {
			set.samples[k] = map[string][]float64{}
			set.order[k.scenario] = append(set.order[k.scenario], peer)
		}
		for _, v := range res.Values {
			set.samples[k][v.Unit] = append(set.samples[k][v.Unit], v.Value)
		}
	}
	if err := br.Err(); err != nil {
		return nil, err
	}
	if len(set.samples) == 0 {
		return nil, fmt.Errorf("%s: no peer=NAME benchmark results", name)
	}
	return set, nil
}

// Peers lists the peers measured in scenario, in the order first seen.
func (s *Set) Peers(scenario string) []string { return s.order[scenario] }

// Stat summarises unit for peer in scenario; ok is false when there is no such result.
func (s *Set) Stat(scenario, peer, unit string) (Stat, bool) {
	vals := s.samples[key{scenario, peer}][unit]
	if len(vals) == 0 {
		return Stat{}, false
	}
	sample := benchmath.NewSample(vals, &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(sample, 0.95)
	return Stat{Median: sum.Center, Lo: sum.Lo, Hi: sum.Hi, N: len(vals), sample: sample}, true
}

// Compare tests whether a and b differ, as benchstat does: the p-value of
// a Mann-Whitney U test, and whether it is below alpha (0.05).
func Compare(a, b Stat) (p float64, significant bool) {
	if a.sample == nil || b.sample == nil {
		return 1, false
	}
	c := benchmath.AssumeNothing.Compare(a.sample, b.sample)
	return c.P, c.P < c.Alpha
}
