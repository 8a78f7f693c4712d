package bench

import (
	_ "embed"
	"strings"
)

// Route is one method and pattern, in httprouter's syntax (/users/:user).
type Route struct {
	Method, Pattern string
}

// Braces returns the pattern in the {name} syntax of chi, ServeMux, huma and
// fasthttp/router.
func (r Route) Braces() string {
	segs := strings.Split(r.Pattern, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

// Path returns a request path that matches only this pattern: each
// parameter is replaced by its name (/users/:user becomes /users/user).
func (r Route) Path() string { return strings.ReplaceAll(r.Pattern, ":", "") }

// GitHubRoutes returns the GitHub API v3 route set that routing benchmarks
// have used since go-http-routing-benchmark: 203 routes. Like that set it
// leaves out PATCH routes and catch-alls (not every router has them).
func GitHubRoutes() []Route {
	var routes []Route
	for _, line := range strings.Split(githubAPI, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		method, pattern, _ := strings.Cut(line, " ")
		routes = append(routes, Route{Method: method, Pattern: pattern})
	}
	return routes
}

// githubAPI is the route list, one "METHOD /pattern" per line. It is a file
// of its own so that the library's allocation tests read the same routes.
//
//go:embed github_routes.txt
var githubAPI string
