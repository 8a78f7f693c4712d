package openapi

import (
	"cmp"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kaito-go/kaito"
)

// The docs page is Swagger UI, from the npm package swagger-ui-dist: two
// static files (a script and a style sheet) that need no build step, no
// eval and no inline script of their own, so that the page runs under a
// strict Content-Security-Policy, and a self-hosted copy is the package's
// directory as npm installs it. Its version is pinned, and the browser
// checks the files it loads from the CDN against these hashes (Subresource
// Integrity).
const (
	// SwaggerUIVersion is the version of swagger-ui-dist the page loads.
	SwaggerUIVersion = "5.36.0"
	swaggerUICDN     = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@" + SwaggerUIVersion + "/"
	swaggerUIScript  = "swagger-ui-bundle.js"
	swaggerUIStyle   = "swagger-ui.css"
	swaggerUIJSHash  = "sha384-fUpRgC19yPykTqzdrUbdAg8NTiu16NEKf9U12J+IJWCg8/1mEI8f2+PEIz60Wyd+"
	swaggerUICSSHash = "sha384-z/AtSaOHGn5MJ5auAHXUypohywlIWLBZo1jeGmhdpVIbCnFhxAH92cwdV41oyINc"
)

// Mount builds the document of r's routes and serves it, and a docs page:
//
//   - GET cfg.JSONPath (default /openapi.json) answers the document as
//     application/json, built once, with an ETag; a request whose
//     If-None-Match holds it is answered 304 Not Modified.
//   - GET cfg.DocsPath (default /docs) answers a Swagger UI page for the
//     document, under a Content-Security-Policy that lets it load only its
//     script and style sheet (pinned, with Subresource Integrity), its one
//     inline script (by hash), the document, and the API's servers. The
//     files come from the jsDelivr CDN unless cfg.DocsAssets holds them;
//     then they are served from there, under DocsPath + "/assets/".
//
// JSON request bodies are documented under the router's JSON types
// (kaito.WithJSONTypes), and error answers as RFC 9457 problems when the
// router sends them (kaito.WithProblemDetails). The paths are under r's
// prefix. The document describes the routes
// registered on r's router (all of them, not only r's group) when Mount is
// called: call it after registering them. Mount's own routes are Hidden.
// Mount fails if Build does, if a path does not begin with '/', if
// DocsAssets lacks a file, or if a path is taken by a route.
func Mount[C any](r *kaito.Router[C], cfg Config) (err error) {
	jsonPath, docsPath := cmp.Or(cfg.JSONPath, "/openapi.json"), cmp.Or(cfg.DocsPath, "/docs")
	for _, p := range []string{jsonPath, docsPath} {
		if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, ":*") {
			return fmt.Errorf("openapi: Mount: path %q must begin with '/' and hold no parameter", p)
		}
	}
	if len(cfg.JSONTypes) == 0 {
		cfg.JSONTypes = r.JSONTypes()
	}
	cfg.ProblemDetails = cfg.ProblemDetails || r.ProblemDetails()
	data, err := Build(r.Routes(), cfg)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`

	var assets map[string]asset
	if cfg.DocsAssets != nil {
		assets = map[string]asset{}
		for _, name := range []string{swaggerUIScript, swaggerUIStyle} {
			b, err := fs.ReadFile(cfg.DocsAssets, name)
			if err != nil {
				return fmt.Errorf("openapi: Mount: DocsAssets: %w", err)
			}
			sum := sha512.Sum384(b)
			assets[name] = asset{data: b, integrity: "sha384-" + base64.StdEncoding.EncodeToString(sum[:])}
		}
	}

	defer func() {
		// A route that takes one of the paths panics in kaito.Get.
		if p := recover(); p != nil {
			err = fmt.Errorf("openapi: Mount: %v", p)
		}
	}()
	type conditional struct {
		IfNoneMatch []string `header:"If-None-Match"`
	}
	jsonRoute := kaito.Get(r, jsonPath, func(_ C, in conditional) (raw, error) {
		h := map[string]string{"ETag": etag, "Cache-Control": "no-cache"}
		if matchesETag(in.IfNoneMatch, etag) {
			return raw{status: http.StatusNotModified, header: h}, nil
		}
		h["Content-Type"] = "application/json"
		return raw{status: http.StatusOK, header: h, body: data}, nil
	}, kaito.Hidden())

	prefix, _ := strings.CutSuffix(jsonRoute.Pattern(), jsonPath) // the pattern of "/" under /api is /api
	docsPattern := prefix + docsPath
	page, csp := docsPage(cfg, jsonRoute.Pattern(), docsPattern, assets)
	pageHeader := map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Content-Security-Policy": csp,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-cache",
	}
	kaito.Get(r, docsPath, func(C, struct{}) (raw, error) {
		return raw{status: http.StatusOK, header: pageHeader, body: page}, nil
	}, kaito.Hidden())
	if assets != nil {
		kaito.Get(r, docsPath+"/assets/:file", func(_ C, in struct {
			File string `path:"file"`
		}) (raw, error) {
			a, ok := assets[in.File]
			if !ok {
				return raw{}, kaito.NewError(http.StatusNotFound, "no such asset")
			}
			ct := "text/javascript; charset=utf-8"
			if strings.HasSuffix(in.File, ".css") {
				ct = "text/css; charset=utf-8"
			}
			return raw{status: http.StatusOK, body: a.data, header: map[string]string{
				"Content-Type": ct, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}}, nil
		}, kaito.Hidden())
	}
	return nil
}

type asset struct {
	data      []byte
	integrity string
}

// raw is a response of fixed bytes.
type raw struct {
	status int
	header map[string]string
	body   []byte
}

// Respond writes the response.
func (r raw) Respond(w kaito.ResponseWriter) error {
	for k, v := range r.header {
		w.Header().Set(k, v)
	}
	if r.status != http.StatusNotModified {
		w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	}
	w.WriteHeader(r.status)
	if len(r.body) > 0 && r.status != http.StatusNotModified {
		_, err := w.Write(r.body)
		return err
	}
	return nil
}

// matchesETag reports whether If-None-Match field lines name etag, by the
// weak comparison RFC 9110 asks for, or are "*".
func matchesETag(lines []string, etag string) bool {
	for _, line := range lines {
		for t := range strings.SplitSeq(line, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == etag {
				return true
			}
		}
	}
	return false
}

// docsPage returns the docs page and its Content-Security-Policy.
func docsPage(cfg Config, jsonURL, docsURL string, assets map[string]asset) (page []byte, csp string) {
	script, style := swaggerUICDN+swaggerUIScript, swaggerUICDN+swaggerUIStyle
	scriptHash, styleHash := swaggerUIJSHash, swaggerUICSSHash
	scriptSrc, styleSrc := script, style
	if assets != nil {
		script, style = docsURL+"/assets/"+swaggerUIScript, docsURL+"/assets/"+swaggerUIStyle
		scriptHash, styleHash = assets[swaggerUIScript].integrity, assets[swaggerUIStyle].integrity
		scriptSrc, styleSrc = "'self'", "'self'"
	}
	u, _ := json.Marshal(jsonURL) // json.Marshal escapes <, > and &: safe in a script element
	init := `window.ui = SwaggerUIBundle({url: ` + string(u) + `, dom_id: "#swagger-ui", deepLinking: true});`
	initSum := sha256.Sum256([]byte(init))
	initHash := "'sha256-" + base64.StdEncoding.EncodeToString(initSum[:]) + "'"

	// The page may call the API from "Try it out": its own origin, and the
	// origins of the document's servers.
	connect := []string{"'self'"}
	for _, s := range cfg.Servers {
		if u, err := url.Parse(s); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
			!strings.ContainsAny(u.Host, "; ,'\"") {
			connect = append(connect, u.Scheme+"://"+u.Host)
		}
	}
	csp = strings.Join([]string{
		"default-src 'none'",
		"script-src " + scriptSrc + " " + initHash,
		// No 'unsafe-inline': Swagger UI sets styles through the DOM,
		// which the policy allows.
		"style-src " + styleSrc,
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + strings.Join(connect, " "),
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
	title := html.EscapeString(cmp.Or(cfg.Title, "API"))
	page = []byte(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + `</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="` + html.EscapeString(style) + `" integrity="` + styleHash + `" crossorigin="anonymous">
</head>
<body>
<div id="swagger-ui"></div>
<script src="` + html.EscapeString(script) + `" integrity="` + scriptHash + `" crossorigin="anonymous"></script>
<script>` + init + `</script>
</body>
</html>
`)
	return page, csp
}
