// Package bench holds kaito's side-by-side benchmarks against other Go
// routers and frameworks. It is a module of its own, so that the peers never
// enter the library's go.mod.
//
// Every peer serves the same API, written as its documentation shows:
//
//	GET  /users/:id   {"id":42,"name":"gopher"}                 scenario 1
//	POST /users       a ~200-byte JSON body, bound, validated,  scenario 2
//	                  echoed back with 201
//	(203 routes)      the GitHub API route set, 204 each        scenario 3
//	GET  /ip          {"ip":"<client>"} behind trusted proxies  scenario 4
//	GET  /accepts     {"type":"html"} for Chrome's Accept       scenario 5
//	POST /users/tagged  scenario 2's body, validated by          scenario 6
//	                  constraint tags (kaito and the hand-written
//	                  baselines only)
//	POST /users/plain   scenario 2's body, validated by Validate   scenario 7
//	                  alone, no constraint tags (kaito and the
//	                  hand-written baselines only)
//
// Peers registers them; bench_test.go measures them in-process, smoke_test.go
// checks every answer, cmd/server serves them for load.sh, and cmd/report and
// cmd/chart turn `go test -bench` output into BENCHMARKS.md's tables and chart.
package bench
