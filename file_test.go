package kaito_test

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kaito-go/kaito"
)

// File on both adapters: ranges, validators, HEAD, content types, errors.
func TestFile(t *testing.T) {
	mod := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	const text = "hello, file world" // 17 bytes
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 24)
	fsys := fstest.MapFS{
		"docs/hello.txt": {Data: []byte(text), ModTime: mod},
		"blob.unknown":   {Data: []byte(png), ModTime: mod},
		"embedded.txt":   {Data: []byte(text)}, // no modification time, as embed.FS
		"dir/inner.txt":  {Data: []byte("x"), ModTime: mod},
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	kaito.Get(r, "/files/*name", func(req *kaito.Request, in struct {
		Name string `path:"name"`
	}) (kaito.File, error) {
		return kaito.File{FS: fsys, Name: strings.TrimPrefix(in.Name, "/")}, nil
	})
	kaito.Get(r, "/open", func(req *kaito.Request, in struct {
		Name string `query:"name"`
	}) (kaito.File, error) {
		return kaito.File{FS: os.DirFS("."), Name: in.Name}, nil
	})
	kaito.Get(r, "/download", func(*kaito.Request, struct{}) (kaito.File, error) {
		return kaito.File{FS: fsys, Name: "docs/hello.txt", ContentType: "text/x-greeting", Download: "hi\".txt"}, nil
	})
	s := serve(r)

	f, _ := fsys.Stat("docs/hello.txt")
	etag := `"` + strconv.FormatInt(f.ModTime().UnixNano(), 16) + "-11" + `"`
	lastMod := mod.Format(http.TimeFormat)
	h := func(kv ...string) [][2]string {
		var out [][2]string
		for i := 0; i < len(kv); i += 2 {
			out = append(out, [2]string{kv[i], kv[i+1]})
		}
		return out
	}
	const path = "/files/docs/hello.txt"
	table{
		{"whole file", call{target: path}, expect{200, map[string]string{
			"Content-Type": "text/plain; charset=utf-8", "Content-Length": "17", "ETag": etag,
			"Last-Modified": lastMod, "Accept-Ranges": "bytes"}, text}},
		{"one range", call{target: path, headers: h("Range", "bytes=0-4")}, expect{206, map[string]string{
			"Content-Range": "bytes 0-4/17", "Content-Length": "5"}, "hello"}},
		{"suffix range", call{target: path, headers: h("Range", "bytes=-5")}, expect{206, map[string]string{
			"Content-Range": "bytes 12-16/17"}, "world"}},
		{"open range", call{target: path, headers: h("Range", "bytes=7-")}, expect{206, map[string]string{
			"Content-Range": "bytes 7-16/17"}, "file world"}},
		{"unsatisfiable range", call{target: path, headers: h("Range", "bytes=100-200")}, expect{416, map[string]string{
			"Content-Range": "bytes */17", "Content-Type": "application/json; charset=utf-8"},
			`{"message":"Requested Range Not Satisfiable"}`}},
		{"if-none-match", call{target: path, headers: h("If-None-Match", etag)}, expect{304, map[string]string{"ETag": etag}, ""}},
		{"if-none-match other", call{target: path, headers: h("If-None-Match", `"other"`)}, expect{200, nil, text}},
		{"if-modified-since same", call{target: path, headers: h("If-Modified-Since", lastMod)}, expect{304, nil, ""}},
		{"if-modified-since earlier", call{target: path, headers: h("If-Modified-Since", mod.Add(-time.Hour).Format(http.TimeFormat))}, expect{200, nil, text}},
		{"if-range stale", call{target: path, headers: h("Range", "bytes=0-4", "If-Range", `"stale"`)}, expect{200, map[string]string{"Content-Range": ""}, text}},
		{"if-range current", call{target: path, headers: h("Range", "bytes=0-4", "If-Range", etag)}, expect{206, nil, "hello"}},
		{"if-match fails", call{target: path, headers: h("If-Match", `"other"`)}, expect{412, map[string]string{
			"Content-Type": "application/json; charset=utf-8"}, `{"message":"Precondition Failed"}`}},
		{"head", call{method: "HEAD", target: path}, expect{200, map[string]string{"Content-Length": "17", "ETag": etag}, ""}},
		{"head range", call{method: "HEAD", target: path, headers: h("Range", "bytes=0-4")}, expect{206, map[string]string{"Content-Range": "bytes 0-4/17"}, ""}},
		{"sniffed type", call{target: "/files/blob.unknown"}, expect{200, map[string]string{"Content-Type": "image/png"}, png}},
		{"no modification time", call{target: "/files/embedded.txt"}, expect{200, map[string]string{"ETag": "", "Last-Modified": ""}, text}},
		{"directory", call{target: "/files/dir"}, expect{404, nil, `{"message":"file not found"}`}},
		{"missing", call{target: "/files/nope.txt"}, expect{404, nil, `{"message":"file not found"}`}},
		{"escape refused", call{target: "/open?name=../go.mod"}, expect{404, nil, `{"message":"file not found"}`}},
		{"download", call{target: "/download"}, expect{200, map[string]string{
			"Content-Type": "text/x-greeting", "Content-Disposition": `attachment; filename="hi.txt"`}, text}},
	}.run(t, s)

	t.Run("several ranges", func(t *testing.T) {
		onEvery(t, s, call{target: path, headers: h("Range", "bytes=0-4,12-16")}, func(t *testing.T, res result) {
			mt, params, err := mime.ParseMediaType(res.header.Get("Content-Type"))
			if res.status != 206 || err != nil || mt != "multipart/byteranges" {
				t.Fatalf("status %d, Content-Type %q (%v)", res.status, res.header.Get("Content-Type"), err)
			}
			mr := multipart.NewReader(strings.NewReader(res.body), params["boundary"])
			var parts []string
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(p)
				parts = append(parts, p.Header.Get("Content-Range")+"="+string(b))
			}
			if got := strings.Join(parts, "|"); got != "bytes 0-4/17=hello|bytes 12-16/17=world" {
				t.Errorf("parts %q", got)
			}
		})
	})
}

// A large file on disk is streamed, whole and by range, on both adapters.
func TestFileLargeFromDisk(t *testing.T) {
	dir := t.TempDir()
	data := make([]byte, 3<<20+17)
	for i := range data {
		data[i] = byte(i*7 + i>>13)
	}
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil })
	kaito.Get(r, "/big", func(*kaito.Request, struct{}) (kaito.File, error) {
		return kaito.File{FS: os.DirFS(dir), Name: "big.bin", ContentType: "application/octet-stream"}, nil
	})
	s := serve(r)
	onEvery(t, s, call{target: "/big"}, func(t *testing.T, res result) {
		if res.status != 200 || res.body != string(data) || res.header.Get("Content-Length") != strconv.Itoa(len(data)) {
			t.Errorf("status %d, %d bytes (Content-Length %s), want 200 and %d identical bytes",
				res.status, len(res.body), res.header.Get("Content-Length"), len(data))
		}
	})
	onEvery(t, s, call{target: "/big", headers: [][2]string{{"Range", "bytes=1048576-1048675"}}}, func(t *testing.T, res result) {
		if res.status != 206 || res.body != string(data[1<<20:1<<20+100]) {
			t.Errorf("status %d, %d bytes, want 206 and the 100 bytes at 1 MiB", res.status, len(res.body))
		}
	})
}
