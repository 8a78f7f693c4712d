package fasthttp

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
)

// serverLogger is fasthttp.Logger over a slog.Logger. fasthttp's own
// messages quote what a client sent (a request line, a header value, the
// start of a request it could not parse, Authorization and Cookie
// included): errors are cut before their first quoted value, so that
// nothing a client sent reaches the log through them.
type serverLogger struct{ l *slog.Logger }

// Printf logs one of fasthttp's messages: errors serving a connection (a
// malformed request, a connection cut) at Debug, as net/http does not log
// them at all; refused connections at Warn; failures to accept at Error.
func (s serverLogger) Printf(format string, args ...any) {
	for i, a := range args {
		switch a := a.(type) {
		case error:
			args[i] = clientFree(a.Error())
		case net.Addr:
			args[i] = a.String()
		case string:
			args[i] = clientFree(a)
		case []byte:
			args[i] = clientFree(string(a))
		}
	}
	if strings.HasPrefix(format, "error when serving connection") && len(args) == 3 {
		s.l.Debug("fasthttp: error serving a connection", "local", args[0], "remote", args[1], "error", args[2])
		return
	}
	level := slog.LevelWarn
	if strings.Contains(format, "accepting") {
		level = slog.LevelError
	}
	s.l.Log(context.Background(), level, "fasthttp: "+clientFree(fmt.Sprintf(format, args...)))
}

// clientFree cuts s before its first quoted value, where fasthttp puts
// what a client sent, and to at most 200 bytes.
func clientFree(s string) string {
	if i := strings.IndexAny(s, "\"`'"); i >= 0 {
		s = strings.TrimRight(s[:i], " :,") + " (client data withheld)"
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
