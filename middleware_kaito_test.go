package kaito_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
	"github.com/kaito-go/kaito/kaitotest"
)

// trace records what middleware saw, in order, safely across the stream
// goroutine.
type trace struct {
	mu    sync.Mutex
	lines []string
	outs  []kaito.Outcome
	done  chan struct{}
}

func (tr *trace) add(s string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.lines = append(tr.lines, s)
}

func (tr *trace) take() ([]string, []kaito.Outcome) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	l, o := tr.lines, tr.outs
	tr.lines, tr.outs = nil, nil
	return l, o
}

func (tr *trace) mw(name string) kaito.Middleware {
	return func(req *kaito.Request, next func() error) error {
		route := ""
		if req.Route() != nil {
			route = req.Route().Pattern()
		}
		tr.add(name + " before " + route)
		req.AfterResponse(func(o kaito.Outcome) {
			tr.mu.Lock()
			tr.outs = append(tr.outs, o)
			tr.mu.Unlock()
			if tr.done != nil {
				tr.done <- struct{}{}
			}
		})
		err := next()
		tr.add(name + " after " + errText(err))
		return err
	}
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func TestMiddlewareOrderAndOutcome(t *testing.T) {
	for _, a := range kaitotest.Adapters {
		t.Run(a.String(), func(t *testing.T) {
			tr := &trace{done: make(chan struct{}, 16)}
			r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) {
				tr.add("factory")
				return req, nil
			}, kaito.WithMiddleware(tr.mw("router")), kaito.WithLogger(quiet))
			kaito.Get(r, "/ok/:id", func(_ *kaito.Request, in struct {
				ID int `path:"id"`
			}) (map[string]int, error) {
				tr.add("handler")
				return map[string]int{"id": in.ID}, nil
			}, kaito.Use(tr.mw("route1"), tr.mw("route2")))
			kaito.Get(r, "/fails", func(*kaito.Request, struct{}) (int, error) {
				tr.add("handler")
				return 0, kaito.NewError(http.StatusConflict, "taken")
			})
			kaito.Get(r, "/stopped", func(*kaito.Request, struct{}) (int, error) {
				tr.add("handler")
				return 1, nil
			}, kaito.Use(func(req *kaito.Request, next func() error) error {
				return kaito.NewError(http.StatusTeapot, "stopped by middleware")
			}))
			kaito.Get(r, "/rewritten", func(*kaito.Request, struct{}) (int, error) {
				return 1, nil
			}, kaito.Use(func(req *kaito.Request, next func() error) error {
				if err := next(); err != nil {
					return err
				}
				return errors.New("commit failed") // after the handler, before the answer
			}))
			kaito.Get(r, "/stream", func(*kaito.Request, struct{}) (kaito.SSE, error) {
				return kaito.SSE{Source: func(send func(kaito.Event) error) error {
					send(kaito.Event{Data: "one"})
					return send(kaito.Event{Data: "two"})
				}}, nil
			})
			kaito.Get(r, "/bad/:n", func(*kaito.Request, struct {
				N int `path:"n"`
			}) (int, error) {
				tr.add("handler")
				return 1, nil
			})
			c := kaitotest.New(t, r, a)

			check := func(target string, status int, body string, lines []string, o kaito.Outcome) {
				t.Helper()
				res := c.Get(target)
				got := kaitotest.Body(t, res)
				if res.StatusCode != status || (body != "" && got != body) {
					t.Errorf("%s: %d %q, want %d %q", target, res.StatusCode, got, status, body)
				}
				select {
				case <-tr.done:
				case <-time.After(10 * time.Second):
					t.Fatalf("%s: AfterResponse never ran", target)
				}
				gotLines, outs := tr.take()
				if strings.Join(gotLines, "\n") != strings.Join(lines, "\n") {
					t.Errorf("%s: ran\n%s\nwant\n%s", target, strings.Join(gotLines, "\n"), strings.Join(lines, "\n"))
				}
				if len(outs) == 0 {
					t.Fatalf("%s: no outcome", target)
				}
				out := outs[0]
				bytesOK := o.Bytes < 0 || out.Bytes == o.Bytes // < 0: any length
				if out.Status != o.Status || !bytesOK || out.Streamed != o.Streamed || !strings.HasPrefix(errText(out.Err), errText(o.Err)) ||
					out.Path != o.Path || out.Method != http.MethodGet || out.Route == nil || out.Duration <= 0 {
					t.Errorf("%s: outcome %+v, want %+v", target, out, o)
				}
			}
			check("/ok/7", 200, `{"id":7}`, []string{
				"router before /ok/:id", "route1 before /ok/:id", "route2 before /ok/:id", "factory", "handler",
				"route2 after ok", "route1 after ok", "router after ok",
			}, kaito.Outcome{Path: "/ok/7", Status: 200, Bytes: 8})
			check("/fails", 409, `{"message":"taken"}`, []string{
				"router before /fails", "factory", "handler", "router after 409 taken",
			}, kaito.Outcome{Path: "/fails", Status: 409, Bytes: 19, Err: errors.New("409 taken")})
			check("/stopped", 418, `{"message":"stopped by middleware"}`, []string{
				"router before /stopped", "router after 418 stopped by middleware",
			}, kaito.Outcome{Path: "/stopped", Status: 418, Bytes: 35, Err: errors.New("418 stopped by middleware")})
			check("/rewritten", 500, `{"message":"Internal Server Error"}`, []string{
				"router before /rewritten", "factory", "router after commit failed",
			}, kaito.Outcome{Path: "/rewritten", Status: 500, Bytes: 35, Err: errors.New("commit failed")})
			check("/stream", 200, "data: one\n\ndata: two\n\n", []string{
				"router before /stream", "factory", "router after ok",
			}, kaito.Outcome{Path: "/stream", Status: 200, Bytes: 22, Streamed: true})
			// A binding failure reaches the middleware as an error (its
			// text is the binder's business: only its status is checked).
			res := c.Get("/bad/x")
			<-tr.done
			lines, outs := tr.take()
			if res.StatusCode != 400 || len(lines) != 3 || lines[1] != "factory" || !strings.HasPrefix(lines[2], "router after 400 ") ||
				len(outs) != 1 || outs[0].Status != 400 || outs[0].Err == nil {
				t.Errorf("/bad/x: %d, ran %q, outcomes %+v", res.StatusCode, lines, outs)
			}
		})
	}
}

// The built-in access log: one line per request, streams when they end,
// unmatched requests too, with the fields an operator greps for.
func TestAccessLog(t *testing.T) {
	for _, a := range kaitotest.Adapters {
		t.Run(a.String(), func(t *testing.T) {
			var mu sync.Mutex
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, nil))
			r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil },
				kaito.WithAccessLog(logger), kaito.WithRequestID(), kaito.WithLogger(quiet))
			kaito.Get(r, "/users/:id", func(*kaito.Request, struct{}) (string, error) { return "ada", nil })
			kaito.Get(r, "/boom", func(*kaito.Request, struct{}) (string, error) { return "", errors.New("db down") })
			kaito.Get(r, "/events", func(*kaito.Request, struct{}) (kaito.SSE, error) {
				return kaito.SSE{Source: func(send func(kaito.Event) error) error { return send(kaito.Event{Data: "x"}) }}, nil
			})
			c := kaitotest.New(t, r, a)
			for _, target := range []string{"/users/42", "/boom", "/events", "/missing"} {
				req, _ := http.NewRequest(http.MethodGet, target, nil)
				req.Header.Set("X-Request-Id", "id-"+strings.Trim(target, "/"))
				req.RemoteAddr = "203.0.113.5:999"
				io.Copy(io.Discard, c.Do(req).Body)
			}
			want := []map[string]any{
				{"method": "GET", "route": "/users/:id", "path": "/users/42", "status": 200.0, "bytes": 5.0, "ip": "203.0.113.5", "request_id": "id-users/42"},
				{"method": "GET", "route": "/boom", "path": "/boom", "status": 500.0, "error": "db down", "request_id": "id-boom"},
				{"method": "GET", "route": "/events", "path": "/events", "status": 200.0, "bytes": 9.0, "stream": true},
				{"method": "GET", "route": "", "path": "/missing", "status": 404.0, "request_id": "id-missing"},
			}
			deadline := time.Now().Add(10 * time.Second)
			var lines []string
			for time.Now().Before(deadline) {
				mu.Lock()
				lines = strings.Split(strings.TrimSpace(buf.String()), "\n")
				mu.Unlock()
				if len(lines) >= len(want) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if len(lines) != len(want) {
				t.Fatalf("%d access log lines, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
			}
			for _, line := range lines {
				var got map[string]any
				if err := json.Unmarshal([]byte(line), &got); err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				var w map[string]any
				for _, cand := range want {
					if cand["path"] == got["path"] {
						w = cand
					}
				}
				if w == nil || got["msg"] != "request" || got["level"] != "INFO" {
					t.Errorf("unexpected line %s", line)
					continue
				}
				for k, v := range w {
					if got[k] != v {
						t.Errorf("%s: %s = %v, want %v", w["path"], k, got[k], v)
					}
				}
				if _, ok := got["duration"]; !ok {
					t.Errorf("%s: no duration", w["path"])
				}
			}
		})
	}
}

// The request id comes from an upstream middleware when WithRequestIDFunc
// finds one, else from X-Request-Id, else it is generated; it is echoed and
// attached to the log lines kaito writes about the request.
func TestRequestIDFunc(t *testing.T) {
	type key struct{}
	var mu sync.Mutex
	var logs bytes.Buffer
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil },
		kaito.WithRequestIDFunc(func(req *kaito.Request) string {
			id, _ := req.Context().Value(key{}).(string)
			return id
		}),
		kaito.WithLogger(slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))))
	kaito.Get(r, "/id", func(req *kaito.Request, _ struct{}) (string, error) { return req.ID(), nil })
	kaito.Get(r, "/fail", func(req *kaito.Request, _ struct{}) (string, error) { return "", errors.New("unmapped") })
	upstream := func(next http.Handler) http.Handler { // as a tracing middleware would
		return http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
			if v := hr.Header.Get("Traceparent"); v != "" {
				hr = hr.WithContext(context.WithValue(hr.Context(), key{}, "trace-"+v))
			}
			next.ServeHTTP(w, hr)
		})
	}
	h := upstream(nethttp.Handler(r))
	do := func(target string, headers ...string) (*httptest.ResponseRecorder, string) {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for i := 0; i < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec, rec.Header().Get("X-Request-Id")
	}
	if rec, id := do("/id", "Traceparent", "abc", "X-Request-Id", "client"); id != "trace-abc" || rec.Body.String() != `"trace-abc"` {
		t.Errorf("from upstream: echoed %q, ID() %s", id, rec.Body)
	}
	if _, id := do("/id", "X-Request-Id", "client-1"); id != "client-1" {
		t.Errorf("from the header: %q", id)
	}
	if _, id := do("/id"); len(id) < 16 {
		t.Errorf("generated: %q", id)
	}
	do("/fail", "Traceparent", "xyz")
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), `"request_id":"trace-xyz"`) {
		t.Errorf("the unmapped-error log line has no request_id:\n%s", logs.String())
	}
}

// fakeTx stands for a database transaction.
type fakeTx struct {
	mu                sync.Mutex
	committed, rolled int
	failCommit        bool
}

func (tx *fakeTx) commit() error {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.failCommit {
		return errors.New("commit failed")
	}
	tx.committed++
	return nil
}

// The README's transaction pattern: the middleware puts the transaction in
// the request's context for the factory, commits before the answer is
// written, and a failed commit is answered as an error, never a success.
func TestTransactionMiddleware(t *testing.T) {
	type txKey struct{}
	type app struct{ tx *fakeTx }
	for _, a := range kaitotest.Adapters {
		t.Run(a.String(), func(t *testing.T) {
			tx := &fakeTx{}
			transaction := func(req *kaito.Request, next func() error) error {
				req.SetContext(context.WithValue(req.Context(), txKey{}, tx))
				if err := next(); err != nil {
					tx.mu.Lock()
					tx.rolled++
					tx.mu.Unlock()
					return err
				}
				return tx.commit()
			}
			r := kaito.New(func(req *kaito.Request) (app, error) {
				t, ok := req.Context().Value(txKey{}).(*fakeTx)
				if !ok {
					return app{}, errors.New("no transaction in the context")
				}
				return app{tx: t}, nil
			}, kaito.WithMiddleware(transaction), kaito.WithLogger(quiet))
			kaito.Post(r, "/ok", func(c app, _ struct{}) (string, error) { return "saved", nil })
			kaito.Post(r, "/fail", func(c app, _ struct{}) (string, error) {
				return "", kaito.NewError(http.StatusConflict, "duplicate")
			})
			c := kaitotest.New(t, r, a)
			if res := c.Post("/ok", "application/json", "{}"); res.StatusCode != 200 || tx.committed != 1 {
				t.Errorf("ok: %d, %d commits", res.StatusCode, tx.committed)
			}
			if res := c.Post("/fail", "application/json", "{}"); res.StatusCode != 409 || tx.rolled != 1 {
				t.Errorf("fail: %d, %d rollbacks", res.StatusCode, tx.rolled)
			}
			tx.failCommit = true
			res := c.Post("/ok", "application/json", "{}")
			if body := kaitotest.Body(t, res); res.StatusCode != 500 || strings.Contains(body, "saved") {
				t.Errorf("failed commit answered %d %q, want 500 without the success", res.StatusCode, body)
			}
		})
	}
}
