package fasthttp_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	fasthttpadapter "github.com/kaito-go/kaito/adapters/fasthttp"
)

// logLines is a slog.Handler that keeps each record as one line of text,
// its attributes included.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (h *logLines) Enabled(context.Context, slog.Level) bool { return true }
func (h *logLines) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, b.String())
	return nil
}
func (h *logLines) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logLines) WithGroup(string) slog.Handler      { return h }

func (h *logLines) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.lines...)
}

// TestServeLogsNoCredentials: a request fasthttp cannot parse is logged
// through Config.Logger, never with what the client sent in it: fasthttp's
// default logger would print it to stderr, Authorization and Cookie
// included.
func TestServeLogsNoCredentials(t *testing.T) {
	logs := &logLines{}
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil }, quiet)
	kaito.Get(r, "/", func(struct{}, struct{}) (string, error) { return "ok", nil })
	s := serve(t, fasthttpadapter.Handler(r), fasthttpadapter.Config{Logger: slog.New(logs), MaxHeaderBytes: 4096})
	const creds = "Authorization: Bearer SECRET-token\r\nCookie: sid=SECRET-sid\r\n"
	attacks := []string{
		"GET / HTTP/1.1\r\nHost: x\r\n" + creds + "Bad Name\x01: v\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\n" + creds + "X-Token: SECRET-value\x00\r\n\r\n",
		"GET /?token=SECRET-query HTTP/9.9\r\nHost: x\r\n" + creds + "\r\n",
		"SECRET-method\x7f / HTTP/1.1\r\nHost: x\r\n" + creds + "\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\n" + creds + "Transfer-Encoding: SECRET-te\r\n\r\n",
		"GET / HTTP/1.1\r\n" + creds + "X-Big: " + strings.Repeat("SECRET-big ", 600) + "\r\n\r\n",
	}
	for _, a := range attacks {
		c := dial(t, s.addr)
		io.WriteString(c, a)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		io.Copy(io.Discard, c) // the server answers and closes
		c.Close()
	}
	// fasthttp logs after it closed the connection.
	deadline := time.Now().Add(5 * time.Second)
	for len(logs.all()) < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	lines := logs.all()
	if len(lines) == 0 {
		t.Fatal("fasthttp logged nothing through Config.Logger")
	}
	for _, l := range lines {
		if strings.Contains(l, "SECRET") {
			t.Errorf("the log shows what the client sent: %q", l)
		}
	}
	t.Logf("%d lines, e.g. %q", len(lines), lines[0])
}
