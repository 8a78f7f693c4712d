// Command websocket serves a websocket from a kaito route on net/http: the
// route reaches net/http's writer and request with nethttp.Raw, hands them
// to github.com/coder/websocket, and returns kaito.Handled so that the router
// writes nothing of its own. It lives in a module of its own, so that kaito's
// go.mod keeps its three dependencies.
//
//	cd examples/websocket && go run .
//	open http://127.0.0.1:8090/ and type a line: the server echoes it in capitals
//
// On fasthttp there is no net/http writer: fasthttp.RequestCtx gives a route
// the *fasthttp.RequestCtx instead, for a fasthttp websocket library.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/coder/websocket"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

//go:embed index.html
var page string

// Routes returns the page and the websocket endpoint, which echoes every
// text message in capitals.
func Routes(logger *slog.Logger) *kaito.Router[*kaito.Request] {
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil }, kaito.WithLogger(logger))
	kaito.Get(r, "/", func(_ *kaito.Request, _ struct{}) (kaito.Blob, error) {
		return kaito.Blob{ContentType: "text/html; charset=utf-8", Data: []byte(page)}, nil
	})
	kaito.Get(r, "/ws", func(req *kaito.Request, _ struct{}) (kaito.Responder, error) {
		w, hr, ok := nethttp.Raw(req)
		if !ok {
			return nil, kaito.NewError(http.StatusNotImplemented, "websockets are served on net/http")
		}
		// The server's read and write timeouts are deadlines on the
		// connection, which outlive the handshake: a websocket lives
		// longer than a request, so clear them first.
		rc := http.NewResponseController(w)
		if err := errors.Join(rc.SetReadDeadline(time.Time{}), rc.SetWriteDeadline(time.Time{})); err != nil {
			return nil, err
		}
		// Accept checks the Origin against the Host (same-origin only,
		// unless OriginPatterns says otherwise) and answers the handshake.
		conn, err := websocket.Accept(w, hr, nil)
		if err != nil {
			return kaito.Handled{}, nil // Accept has answered the client
		}
		defer conn.CloseNow()
		if err := echo(req.Context(), conn); err != nil && websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			req.Logger().Info("websocket closed", "error", err)
		}
		return kaito.Handled{}, nil
	})
	return r
}

// echo answers every text message with the same text in capitals until the
// client closes the connection.
func echo(ctx context.Context, conn *websocket.Conn) error {
	for {
		typ, msg, err := conn.Read(ctx)
		if err != nil {
			return err
		}
		if typ != websocket.MessageText {
			return conn.Close(websocket.StatusUnsupportedData, "text only")
		}
		if err := conn.Write(ctx, websocket.MessageText, []byte(strings.ToUpper(string(msg)))); err != nil {
			return err
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger.Info("listening", "addr", "http://"+*addr)
	err := nethttp.ListenAndServe(ctx, *addr, nethttp.Handler(Routes(logger)), nethttp.Config{})
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("server stopped", "error", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}
