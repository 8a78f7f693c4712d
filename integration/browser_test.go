package integration

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kaito-go/kaito"
)

// The browser tests: a page served from one loopback origin calls a kaito
// API on another (same host, other port: cross-origin, same-site, so that
// cookies need no Secure flag), in headless Chromium.

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium with a fresh profile; it is stopped
// when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := need(t, chromiumPath, "chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// Start the browser now, so that a failure to start is reported as such.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	t.Logf("%s", versionLine(path, "Chromium", "--version"))
	return bctx
}

// inTab opens url in a new tab and evaluates the script there, awaiting
// the promise it returns, within 20 s.
func inTab[T any](t *testing.T, browser context.Context, url, script string) (T, error) {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	tab, cancelTimeout := context.WithTimeout(tab, 20*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		var zero T
		return zero, fmt.Errorf("navigate %s: %w", url, err)
	}
	return chromedp.Run(tab, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
}

// servePage serves a blank HTML page from a loopback origin.
func servePage(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>kaito</title><p>kaito browser test</p>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Greeting is the typed answer of POST /greet.
type Greeting struct {
	Message string `json:"message"`
	Letters int    `json:"letters"`
	Origin  string `json:"origin"`
	Adapter string `json:"adapter"`
}

type greetIn struct {
	Name string `json:"name"`
}

func (in *greetIn) Validate() error {
	if in.Name == "" {
		return errors.New("name is required")
	}
	return nil
}

type meIn struct {
	SID string `cookie:"sid"`
}

// apiState records what the API servers saw.
type apiState struct {
	greets    atomic.Int32 // POST /greet calls that reached the handler
	noCredSID atomic.Value // the last sid cookie the no-credentials API received
}

// apis builds the two APIs: one that allows credentials, one that does not.
// Both allow only the origin allowed.
func apis(adapter, allowed string, st *apiState) (cred, noCred *kaito.Router[*kaito.Request]) {
	factory := func(req *kaito.Request) (*kaito.Request, error) { return req, nil }
	quiet := kaito.WithLogger(slog.New(slog.DiscardHandler))
	cred = kaito.New(factory, quiet, kaito.WithRequestID(), kaito.WithCORS(kaito.CORS{
		Origins: []string{allowed}, Credentials: true, ExposeHeaders: []string{"X-Request-Id"}, MaxAge: time.Minute,
	}))
	kaito.Post(cred, "/greet", func(req *kaito.Request, in greetIn) (Greeting, error) {
		st.greets.Add(1)
		return Greeting{Message: "hello, " + in.Name, Letters: len(in.Name), Origin: req.Header("Origin"), Adapter: adapter}, nil
	})
	kaito.Get(cred, "/login", func(req *kaito.Request, _ struct{}) (map[string]bool, error) {
		req.SetCookie(&http.Cookie{Name: "sid", Value: "s3cret-" + adapter, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return map[string]bool{"ok": true}, nil
	})
	me := func(req *kaito.Request, in meIn) (map[string]string, error) {
		if in.SID == "" {
			return nil, kaito.NewError(http.StatusUnauthorized, "no session")
		}
		return map[string]string{"sid": in.SID}, nil
	}
	kaito.Get(cred, "/me", me)
	kaito.Get(cred, "/events", func(req *kaito.Request, _ struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error {
			for i := 1; i <= 3; i++ {
				if i > 1 {
					time.Sleep(300 * time.Millisecond)
				}
				if err := send(kaito.Event{ID: fmt.Sprint(i), Event: "tick", Data: fmt.Sprintf(`{"n":%d,"adapter":%q}`, i, adapter)}); err != nil {
					return err
				}
			}
			return nil
		}}, nil
	})

	noCred = kaito.New(factory, quiet, kaito.WithCORS(kaito.CORS{Origins: []string{allowed}}))
	kaito.Get(noCred, "/me", func(req *kaito.Request, in meIn) (map[string]string, error) {
		if in.SID != "" {
			st.noCredSID.Store(in.SID)
		}
		return me(req, in)
	})
	return cred, noCred
}

func TestBrowser(t *testing.T) {
	browser := newBrowser(t)
	for _, adapter := range adapterNames {
		t.Run(adapter, func(t *testing.T) {
			pageA, pageB := servePage(t), servePage(t) // A is allowed, B is not
			st := &apiState{}
			credR, noCredR := apis(adapter, pageA, st)
			cred, noCred := serveRouter(t, adapter, credR), serveRouter(t, adapter, noCredR)

			t.Run("allowed origin reads a typed answer", func(t *testing.T) {
				type answer struct {
					Status    int      `json:"status"`
					Body      Greeting `json:"body"`
					RequestID string   `json:"requestId"`
				}
				got, err := inTab[answer](t, browser, pageA, `(async () => {
					const r = await fetch(`+jsString(cred+"/greet")+`, {method: "POST",
						headers: {"Content-Type": "application/json", "X-Client": "kaito-test"},
						body: JSON.stringify({name: "Ada"})});
					return {status: r.status, body: await r.json(), requestId: r.headers.get("X-Request-Id") || ""};
				})()`)
				if err != nil {
					t.Fatal(err)
				}
				want := Greeting{Message: "hello, Ada", Letters: 3, Origin: pageA, Adapter: adapter}
				if got.Status != 200 || got.Body != want || got.RequestID == "" {
					t.Errorf("got %+v, want 200 %+v and an exposed X-Request-Id", got, want)
				}
			})

			t.Run("disallowed origin is refused", func(t *testing.T) {
				before := st.greets.Load()
				type refusal struct {
					Preflighted string `json:"preflighted"` // "" when fetch resolved
					Simple      string `json:"simple"`
				}
				got, err := inTab[refusal](t, browser, pageB, `(async () => {
					const out = {preflighted: "", simple: ""};
					try {
						await fetch(`+jsString(cred+"/greet")+`, {method: "POST",
							headers: {"Content-Type": "application/json"}, body: JSON.stringify({name: "Eve"})});
					} catch (e) { out.preflighted = String(e); }
					try { await fetch(`+jsString(cred+"/me")+`); } catch (e) { out.simple = String(e); }
					return out;
				})()`)
				if err != nil {
					t.Fatal(err)
				}
				if got.Preflighted == "" || got.Simple == "" {
					t.Errorf("a fetch from %s resolved: %+v; the browser must refuse it", pageB, got)
				}
				if n := st.greets.Load() - before; n != 0 {
					t.Errorf("the refused preflight still let %d POST through to the handler", n)
				}
			})

			t.Run("credentials", func(t *testing.T) {
				type creds struct {
					Login    int               `json:"login"`
					Status   int               `json:"status"`
					Body     map[string]string `json:"body"`
					NoCred   string            `json:"noCred"`   // the rejection of a credentialed call to the API without credentials
					Omitted  int               `json:"omitted"`  // the status of a call without credentials to it
					Omitted2 string            `json:"omitted2"` // its message
				}
				got, err := inTab[creds](t, browser, pageA, `(async () => {
					const out = {};
					out.login = (await fetch(`+jsString(cred+"/login")+`, {credentials: "include"})).status;
					const me = await fetch(`+jsString(cred+"/me")+`, {credentials: "include"});
					out.status = me.status;
					out.body = await me.json();
					try {
						await fetch(`+jsString(noCred+"/me")+`, {credentials: "include"});
						out.noCred = "";
					} catch (e) { out.noCred = String(e); }
					const plain = await fetch(`+jsString(noCred+"/me")+`, {credentials: "omit"});
					out.omitted = plain.status;
					out.omitted2 = (await plain.json()).message;
					return out;
				})()`)
				if err != nil {
					t.Fatal(err)
				}
				sid := "s3cret-" + adapter
				if got.Login != 200 || got.Status != 200 || got.Body["sid"] != sid {
					t.Errorf("Credentials: true: %+v, want the cookie %q sent and the answer readable", got, sid)
				}
				if got.NoCred == "" {
					t.Errorf("Credentials: false: a credentialed fetch resolved; the browser must refuse it")
				}
				// The browser sent the request, cookie and all, and refused the answer.
				if seen, _ := st.noCredSID.Load().(string); seen != sid {
					t.Errorf("Credentials: false: the API received sid %q, want %q", seen, sid)
				}
				if got.Omitted != 401 || got.Omitted2 != "no session" {
					t.Errorf("Credentials: false, fetch without credentials: %d %q, want a readable 401 no session", got.Omitted, got.Omitted2)
				}
			})

			t.Run("server-sent events arrive one by one", func(t *testing.T) {
				type event struct {
					ID   string  `json:"id"`
					Data string  `json:"data"`
					At   float64 `json:"at"` // ms since the EventSource was made
				}
				script := `new Promise((resolve, reject) => {
					const es = new EventSource(` + jsString(cred+"/events") + `);
					const got = [], t0 = performance.now();
					const timer = setTimeout(() => { es.close(); reject(new Error("timeout after " + got.length + " events")); }, 10000);
					es.addEventListener("tick", e => {
						got.push({id: e.lastEventId, data: e.data, at: performance.now() - t0});
						if (got.length === 3) { es.close(); clearTimeout(timer); resolve(got); }
					});
					es.onerror = () => {
						if (got.length < 3) { es.close(); clearTimeout(timer); reject(new Error("EventSource error after " + got.length + " events")); }
					};
				})`
				got, err := inTab[[]event](t, browser, pageA, script)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 3 {
					t.Fatalf("got %d events: %+v", len(got), got)
				}
				for i, e := range got {
					want := fmt.Sprintf(`{"n":%d,"adapter":%q}`, i+1, adapter)
					if e.ID != fmt.Sprint(i+1) || e.Data != want {
						t.Errorf("event %d: %+v, want id %d data %s", i, e, i+1, want)
					}
					// The server waits 300 ms between events: a stream buffered
					// to its end would deliver them together.
					if i > 0 && e.At-got[i-1].At < 150 {
						t.Errorf("event %d came %.0f ms after the one before: not sent one by one (%+v)", i, e.At-got[i-1].At, got)
					}
				}
				t.Logf("events at %.0f, %.0f, %.0f ms", got[0].At, got[1].At, got[2].At)

				// From the disallowed origin, the stream is refused.
				_, err = inTab[[]event](t, browser, pageB, strings.Replace(script, "10000", "5000", 1))
				if err == nil || !strings.Contains(err.Error(), "EventSource error after 0 events") {
					t.Errorf("EventSource from %s: %v, want it refused before any event", pageB, err)
				}
			})
		})
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
