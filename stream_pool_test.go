package kaito_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/kaito-go/kaito"
)

// A streamed response must not leave its request's data for the next
// request that reuses the pooled state, and uploads are removed after it.
func TestStreamLeavesNothingBehind(t *testing.T) {
	r, on := reqApp(t, kaito.WithMultipartLimits(kaito.MultipartLimits{MaxMemory: 1}))
	kaito.Post(r, "/stream", func(req *kaito.Request, _ struct{}) (kaito.Stream, error) {
		req.Qs()
		if f := req.File("f"); f != nil {
			rc, _ := f.Open()
			rc.Close()
		}
		return kaito.Stream{Body: func(w io.Writer, flush func() error) error {
			_, err := io.WriteString(w, "streamed")
			return err
		}}, nil
	})
	on("/q", func(req *kaito.Request) any { return req.Qs() })
	s := serve(r)
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "kaito-upload-*"))
	body, ct := multipartBody(t, nil, [][3]string{{"f", "a.bin", "more than one byte"}})
	for range 5 {
		onEvery(t, s, call{method: "POST", target: "/stream?secret=alice", headers: [][2]string{{"Content-Type", ct}}, body: body}, expect{200, nil, "streamed"}.check)
		onEvery(t, s, call{target: "/q?mine=1"}, expect{200, nil, `{"mine":"1"}`}.check)
	}
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "kaito-upload-*"))
	if len(after) > len(before) {
		t.Errorf("upload temp files left behind: %d before, %d after", len(before), len(after))
	}
}

func TestAbortHandlerKeepsServing(t *testing.T) {
	r, on := reqApp(t)
	on("/abort", func(*kaito.Request) any { panic(http.ErrAbortHandler) })
	on("/ok", func(*kaito.Request) any { return "ok" })
	s := serve(r)
	// net/http re-panics ErrAbortHandler for its server to drop the
	// connection; through the recorder that panic reaches the test.
	func() {
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("nethttp: panic %v, want http.ErrAbortHandler", p)
			}
		}()
		doNetHTTP(t, s, call{target: "/abort"})
	}()
	if res := doFastHTTP(t, s, call{target: "/abort"}); res.status != 500 {
		t.Errorf("fasthttp abort: %d %v", res.status, res.header)
	}
	onEvery(t, s, call{target: "/ok"}, expect{200, nil, `"ok"`}.check)
}
