package kaito_test

import (
	"io"
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/kaito-go/kaito"
)

// writeOnly is a Responder of its own that writes its body without calling
// WriteHeader: it gets the route's success status.
type writeOnly struct{}

func (writeOnly) Respond(w kaito.ResponseWriter) error {
	_, err := w.Write([]byte("written"))
	return err
}

// TestResultStatus: the status of a result that writes itself, under a
// route with kaito.Status(202) and under one without. A result's own
// non-zero Status wins; else the route's; else the result's default.
// NoContent, Redirect and File keep theirs. Package openapi documents the
// same (openapi's TestSuccessStatus).
func TestResultStatus(t *testing.T) {
	r := newApp()
	files := fstest.MapFS{"a.txt": {Data: []byte("file")}}
	stream := func(status int) kaito.Stream {
		return kaito.Stream{Status: status, ContentType: "text/plain", Body: func(w io.Writer, _ func() error) error {
			_, err := io.WriteString(w, "streamed")
			return err
		}}
	}
	sse := kaito.SSE{Source: func(send func(kaito.Event) error) error { return send(kaito.Event{Data: "x"}) }}
	events := kaito.EventStream[int]{Source: func(send func(kaito.TypedEvent[int]) error) error {
		return send(kaito.TypedEvent[int]{Data: 1})
	}}
	for _, prefix := range []string{"/accepted", "/plain"} {
		var opts []kaito.RouteOption
		if prefix == "/accepted" {
			opts = []kaito.RouteOption{kaito.Status(http.StatusAccepted)}
		}
		g := r.Group(prefix, opts...)
		kaito.Post(g, "/json", func(appCtx, struct{}) (string, error) { return "ok", nil })
		kaito.Post(g, "/text", func(appCtx, struct{}) (kaito.Text, error) { return "ok", nil })
		kaito.Post(g, "/blob", func(appCtx, struct{}) (kaito.Blob, error) {
			return kaito.Blob{ContentType: "image/png", Data: []byte("png")}, nil
		})
		kaito.Post(g, "/blob-own", func(appCtx, struct{}) (kaito.Blob, error) {
			return kaito.Blob{Status: http.StatusCreated, Data: []byte("png")}, nil
		})
		kaito.Post(g, "/stream", func(appCtx, struct{}) (kaito.Stream, error) { return stream(0), nil })
		kaito.Post(g, "/stream-own", func(appCtx, struct{}) (kaito.Stream, error) { return stream(http.StatusCreated), nil })
		kaito.Post(g, "/sse", func(appCtx, struct{}) (kaito.SSE, error) { return sse, nil })
		kaito.Post(g, "/events", func(appCtx, struct{}) (kaito.EventStream[int], error) { return events, nil })
		kaito.Post(g, "/custom", func(appCtx, struct{}) (writeOnly, error) { return writeOnly{}, nil })
		kaito.Post(g, "/any", func(appCtx, struct{}) (kaito.Responder, error) { return kaito.Text("any"), nil })
		kaito.Post(g, "/nocontent", func(appCtx, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
		kaito.Post(g, "/redirect", func(appCtx, struct{}) (kaito.Redirect, error) { return kaito.Redirect{URL: "/there"}, nil })
		kaito.Post(g, "/file", func(appCtx, struct{}) (kaito.File, error) { return kaito.File{FS: files, Name: "a.txt"}, nil })
	}
	post := func(target string) call { return call{method: http.MethodPost, target: target} }
	text := map[string]string{"Content-Type": "text/plain; charset=utf-8"}
	table{
		{"JSON, route status", post("/accepted/json"), expect{202, nil, `"ok"`}},
		{"Text, route status", post("/accepted/text"), expect{202, text, "ok"}},
		{"Text, no route status", post("/plain/text"), expect{200, text, "ok"}},
		{"Blob, route status", post("/accepted/blob"), expect{202, map[string]string{"Content-Type": "image/png"}, "png"}},
		{"Blob, its own status wins", post("/accepted/blob-own"), expect{201, nil, "png"}},
		{"Blob, no route status", post("/plain/blob"), expect{200, nil, "png"}},
		{"Stream, route status", post("/accepted/stream"), expect{202, nil, "streamed"}},
		{"Stream, its own status wins", post("/accepted/stream-own"), expect{201, nil, "streamed"}},
		{"Stream, no route status", post("/plain/stream"), expect{200, nil, "streamed"}},
		{"SSE, route status", post("/accepted/sse"), expect{202, nil, "data: x\n\n"}},
		{"SSE, no route status", post("/plain/sse"), expect{200, nil, "data: x\n\n"}},
		{"EventStream, route status", post("/accepted/events"), expect{202, nil, "data: 1\n\n"}},
		{"Responder writing without WriteHeader, route status", post("/accepted/custom"), expect{202, nil, "written"}},
		{"Responder writing without WriteHeader, no route status", post("/plain/custom"), expect{200, nil, "written"}},
		{"Responder in an interface Out, route status", post("/accepted/any"), expect{202, text, "any"}},
		{"NoContent keeps 204", post("/accepted/nocontent"), expect{204, nil, ""}},
		{"Redirect keeps 302", post("/accepted/redirect"), expect{302, map[string]string{"Location": "/there"}, ""}},
		{"File keeps 200", post("/accepted/file"), expect{200, nil, "file"}},
	}.run(t, serve(r))
}

// notModified is a Responder of its own that answers 304 with a body,
// which HTTP does not allow.
type notModified struct{}

func (notModified) Respond(w kaito.ResponseWriter) error {
	w.WriteHeader(http.StatusNotModified)
	_, err := w.Write([]byte("stale"))
	return err
}

// TestNoBodyStatus: a result that writes a body under a status that has
// none (Status(204) or Status(205) on a route returning Text, or a
// Responder's own 304)
// answers that status with no body, as JSON does, on both adapters. It
// does not fail the write: net/http refuses the body (ErrBodyNotAllowed),
// which used to make the responder fail and the connection drop with no
// answer at all.
func TestNoBodyStatus(t *testing.T) {
	r := newApp(kaito.WithLogger(quiet))
	g := r.Group("/nc", kaito.Status(http.StatusNoContent))
	stream := kaito.Stream{ContentType: "text/plain", Body: func(w io.Writer, _ func() error) error {
		_, err := io.WriteString(w, "streamed")
		return err
	}}
	kaito.Post(g, "/json", func(appCtx, struct{}) (string, error) { return "ok", nil })
	kaito.Post(g, "/text", func(appCtx, struct{}) (kaito.Text, error) { return "ok", nil })
	kaito.Post(g, "/blob", func(appCtx, struct{}) (kaito.Blob, error) {
		return kaito.Blob{ContentType: "image/png", Data: []byte("png")}, nil
	})
	kaito.Post(g, "/stream", func(appCtx, struct{}) (kaito.Stream, error) { return stream, nil })
	kaito.Post(g, "/sse", func(appCtx, struct{}) (kaito.SSE, error) {
		return kaito.SSE{Source: func(send func(kaito.Event) error) error { return send(kaito.Event{Data: "x"}) }}, nil
	})
	kaito.Post(g, "/events", func(appCtx, struct{}) (kaito.EventStream[int], error) {
		return kaito.EventStream[int]{Source: func(send func(kaito.TypedEvent[int]) error) error {
			return send(kaito.TypedEvent[int]{Data: 1})
		}}, nil
	})
	kaito.Post(g, "/custom", func(appCtx, struct{}) (writeOnly, error) { return writeOnly{}, nil })
	kaito.Post(r, "/not-modified", func(appCtx, struct{}) (notModified, error) { return notModified{}, nil })
	// RFC 9110 forbids content in a 205 Reset Content too.
	reset := r.Group("/reset", kaito.Status(http.StatusResetContent))
	kaito.Post(reset, "/json", func(appCtx, struct{}) (string, error) { return "ok", nil })
	kaito.Post(reset, "/text", func(appCtx, struct{}) (kaito.Text, error) { return "ok", nil })
	post := func(target string) call { return call{method: http.MethodPost, target: target} }
	table{
		{"JSON", post("/nc/json"), expect{204, nil, ""}},
		{"Text", post("/nc/text"), expect{204, map[string]string{"Content-Length": ""}, ""}},
		{"Blob", post("/nc/blob"), expect{204, map[string]string{"Content-Length": ""}, ""}},
		{"Stream", post("/nc/stream"), expect{204, nil, ""}},
		{"SSE", post("/nc/sse"), expect{204, nil, ""}},
		{"EventStream", post("/nc/events"), expect{204, nil, ""}},
		{"Responder writing without WriteHeader", post("/nc/custom"), expect{204, nil, ""}},
		{"Responder's own 304", post("/not-modified"), expect{304, nil, ""}},
		{"JSON, 205", post("/reset/json"), expect{205, nil, ""}},
		{"Text, 205", post("/reset/text"), expect{205, nil, ""}},
	}.run(t, serve(r))
}
