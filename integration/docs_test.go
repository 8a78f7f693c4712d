package integration

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/kaito-go/kaito/examples/hello/api"
	"github.com/kaito-go/kaito/openapi"
)

// installSwaggerUI installs the pinned swagger-ui-dist from the npm
// registry into a temporary directory and returns the package's directory.
func installSwaggerUI(t *testing.T) string {
	t.Helper()
	npm := need(t, "npm")
	dir := t.TempDir()
	cmd := exec.Command(npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", dir,
		"swagger-ui-dist@"+openapi.SwaggerUIVersion)
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install swagger-ui-dist@%s: %v\n%s", openapi.SwaggerUIVersion, err, out)
	}
	return filepath.Join(dir, "node_modules", "swagger-ui-dist")
}

func sri(b []byte) string {
	s := sha512.Sum384(b)
	return "sha384-" + base64.StdEncoding.EncodeToString(s[:])
}

// The docs page of examples/hello, self-hosted, renders in headless
// Chromium under its Content-Security-Policy: it lists the example's
// operations, loads nothing from another origin, and breaks no rule of the
// policy. The hashes the page pins for the CDN copy are those of the
// package npm installs.
func TestOpenAPIDocsPageInChromium(t *testing.T) {
	pkg := installSwaggerUI(t)
	browser := newBrowser(t)

	r := api.Routes(api.NewStore(), slog.New(slog.DiscardHandler))
	cfg := api.Docs
	cfg.JSONPath, cfg.DocsPath, cfg.DocsAssets = "/local/openapi.json", "/local/docs", os.DirFS(pkg)
	if err := openapi.Mount(r, cfg); err != nil {
		t.Fatal(err)
	}
	for _, adapter := range adapterNames {
		t.Run(adapter, func(t *testing.T) {
			origin := serveRouter(t, adapter, r)

			// The CDN page pins the files npm installs.
			res, err := http.Get(origin + "/docs")
			if err != nil {
				t.Fatal(err)
			}
			cdnPage, _ := io.ReadAll(res.Body)
			res.Body.Close()
			for _, name := range []string{"swagger-ui-bundle.js", "swagger-ui.css"} {
				b, err := os.ReadFile(filepath.Join(pkg, name))
				if err != nil {
					t.Fatal(err)
				}
				re := regexp.MustCompile(`"https://cdn\.jsdelivr\.net/npm/swagger-ui-dist@` + regexp.QuoteMeta(openapi.SwaggerUIVersion) + `/` + regexp.QuoteMeta(name) + `" integrity="([^"]+)"`)
				m := re.FindSubmatch(cdnPage)
				if m == nil || string(m[1]) != sri(b) {
					t.Errorf("the page's integrity for %s is %q, the file npm installs has %s", name, m, sri(b))
				}
			}

			tab, cancel := chromedp.NewContext(browser)
			defer cancel()
			tab, cancelTimeout := context.WithTimeout(tab, 30*time.Second)
			defer cancelTimeout()
			var (
				mu       sync.Mutex
				requests []string
				problems []string
			)
			if err := chromedp.Listen(tab, func(ev any) {
				mu.Lock()
				defer mu.Unlock()
				switch ev := ev.(type) {
				case *network.EventRequestWillBeSent:
					requests = append(requests, ev.Request.URL)
				case *log.EventEntryAdded:
					if ev.Entry.Level == log.EntryLevelError || ev.Entry.Source == log.EntrySourceSecurity {
						problems = append(problems, string(ev.Entry.Source)+": "+ev.Entry.Text)
					}
				case *runtime.EventExceptionThrown:
					problems = append(problems, "exception: "+ev.ExceptionDetails.Text+" "+exceptionText(ev.ExceptionDetails))
				case *runtime.EventConsoleAPICalled:
					if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
						var parts []string
						for _, a := range ev.Args {
							parts = append(parts, string(a.Value)+a.Description)
						}
						problems = append(problems, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
					}
				}
			}); err != nil {
				t.Fatal(err)
			}
			// Record every violation of the page's policy, from before its
			// first script runs.
			if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
				Source: `window.__violations = [];
					document.addEventListener("securitypolicyviolation", e =>
						window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sample));`,
			}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tab, chromedp.Navigate(origin+"/local/docs")); err != nil {
				t.Fatal(err)
			}
			ops, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`new Promise((resolve, reject) => {
					const deadline = Date.now() + 20000;
					const poll = () => {
						const blocks = [...document.querySelectorAll(".opblock")];
						if (blocks.length >= 6) {
							// Open every operation, so that its parameters,
							// schemas and examples render too.
							blocks.forEach(b => b.querySelector("button.opblock-summary-control").click());
							const opened = () => {
								if (document.querySelectorAll(".opblock-body .responses-table").length >= 6) {
									resolve(blocks.map(b => b.querySelector(".opblock-summary-method").textContent + " " +
										b.querySelector(".opblock-summary-path").getAttribute("data-path")));
								} else if (Date.now() > deadline) {
									reject(new Error("operations did not open: " + document.body.innerText.slice(0, 500)));
								} else {
									setTimeout(opened, 100);
								}
							};
							opened();
						} else if (Date.now() > deadline) {
							reject(new Error("no operations rendered: " + document.body.innerText.slice(0, 500)));
						} else {
							setTimeout(poll, 100);
						}
					};
					poll();
				})`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("rendering the docs page: %v", err)
			}
			violations, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`window.__violations`))
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range violations {
				t.Errorf("the page broke its Content-Security-Policy: %s", v)
			}
			slices.Sort(ops)
			want := []string{"DELETE /v1/users/{id}", "GET /health", "GET /v1/feed", "GET /v1/me", "GET /v1/users", "GET /v1/users/{id}",
				"GET /v1/users/{id}/greeting", "PATCH /v1/users/{id}", "POST /v1/users"}
			if !slices.Equal(ops, want) {
				t.Errorf("the page lists %q, want %q", ops, want)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, u := range requests {
				if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, "data:") {
					t.Errorf("the page loaded %s, not from its own origin", u)
				}
			}
			if !slices.Contains(requests, origin+"/local/openapi.json") {
				t.Errorf("the page did not load its document; it loaded %q", requests)
			}
			for _, p := range problems {
				t.Errorf("the page reported %s", p)
			}
		})
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}
