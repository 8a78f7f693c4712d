package kaito_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/adapters/nethttp"
)

// FuzzMultipart sends arbitrary multipart bodies: the router must answer
// every one with 200 (parsed within the limits) or a 4xx that says why,
// never a 500 or a panic, and never hand over more than the limits allow.
func FuzzMultipart(f *testing.F) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.SetBoundary("BOUNDARY")
	w.WriteField("a[b]", "1")
	fw, _ := w.CreateFormFile("f", "x.txt")
	fw.Write([]byte("hello"))
	w.Close()
	f.Add(b.Bytes())
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--BOUNDARY--\r\n"))
	f.Add([]byte("--BOUNDARY\r\n\r\n--BOUNDARY--"))
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../etc/passwd\"\r\n\r\nroot\r\n--BOUNDARY--\r\n"))
	// Nameless parts, which count toward the limits like the others.
	f.Add([]byte(strings.Repeat("--BOUNDARY\r\n\r\n\r\n", 10) + "--BOUNDARY--\r\n"))
	f.Add([]byte(strings.Repeat("--BOUNDARY\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n", 4) + "--BOUNDARY--\r\n"))
	// Values that look like the form parser's own syntax.
	f.Add([]byte("--BOUNDARY\r\nContent-Disposition: form-data; name=\"a[b]\"\r\n\r\n0\r\n--BOUNDARY\r\nContent-Disposition: form-data; name=\"a.c\"\r\n\r\n&x=1%00\r\n--BOUNDARY--\r\n"))

	limits := kaito.MultipartLimits{MaxBytes: 4096, MaxFileSize: 64, MaxFiles: 3, MaxFields: 5, MaxMemory: 16}
	r := kaito.New(func(req *kaito.Request) (*kaito.Request, error) { return req, nil },
		kaito.WithLogger(quiet), kaito.WithMultipartLimits(limits))
	kaito.Post(r, "/", func(req *kaito.Request, _ struct{}) (int, error) {
		body := req.Body()
		files := 0
		for _, name := range []string{"f", "g", "x"} {
			for _, file := range req.Files(name) {
				files++
				if file.Size > limits.MaxFileSize {
					t := file.FileName
					return 0, kaito.NewError(599, "file over the limit: "+t)
				}
			}
		}
		if len(body) > limits.MaxFields || files > limits.MaxFiles {
			return 0, kaito.NewError(599, "over the limits")
		}
		return len(body), nil
	})
	h := nethttp.Handler(r)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=BOUNDARY")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	})
}
