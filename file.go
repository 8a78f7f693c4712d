package kaito

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
)

// File is a handler result that sends a file from a file system, streamed
// rather than read into memory, with what clients and caches expect of a
// file server:
//
//   - Range requests: one range is answered 206 with Content-Range, several
//     as multipart/byteranges, an unsatisfiable one 416 with Content-Range
//     "bytes */size"; If-Range is honoured.
//   - Validators: Last-Modified from the file's modification time, and an
//     ETag made of the modification time and the size (both left out when
//     the file system reports no modification time, as embed.FS does), so
//     that If-None-Match and If-Modified-Since answer 304, and If-Match and
//     If-Unmodified-Since answer 412.
//   - HEAD: the same status and headers, Content-Length included, no body.
//   - Content-Type from ContentType, else from the name's extension (a fixed
//     table, so that the answer does not depend on the machine), else sniffed
//     from the first 512 bytes.
//
// Name is a slash-separated path in FS, as fs.FS wants; ".." is refused by
// the file system. A missing file or a directory is answered 404. The file is
// streamed when it can seek (os.DirFS, embed.FS and fstest.MapFS files can);
// one that cannot is read into memory. Range and conditional requests are
// evaluated by net/http's ServeContent, on both adapters.
type File struct {
	FS          fs.FS
	Name        string
	ContentType string
	// Download, when set, sends Content-Disposition: attachment with this file name.
	Download string
}

// BodyStreamer is implemented by an Exchange whose runtime can send a
// response body from a reader after the handler returns, without holding it
// in memory (fasthttp's SetBodyStream). StreamBody takes ownership of r: the
// runtime reads size bytes from it and then closes it. File uses it when the
// Exchange has it; otherwise the body is copied through Write.
type BodyStreamer interface {
	StreamBody(r io.ReadCloser, size int64)
}

// Respond sends the file, or the part of it the request asks for.
func (f File) Respond(w ResponseWriter) error {
	file, err := f.FS.Open(f.Name)
	if err != nil {
		return fileError(err)
	}
	st, err := file.Stat()
	if err != nil || st.IsDir() {
		file.Close()
		if err != nil {
			return fileError(err)
		}
		return NewError(http.StatusNotFound, "file not found")
	}
	content, seekable := file.(io.ReadSeeker)
	if !seekable {
		data, err := io.ReadAll(file)
		file.Close()
		if err != nil {
			return fmt.Errorf("kaito: reading %s: %w", f.Name, err)
		}
		content, file = bytes.NewReader(data), nil
	}
	h := w.Header()
	ct := f.ContentType
	if ct == "" {
		ct = typeByExtension(f.Name)
	}
	if ct == "" {
		var head [512]byte
		n, _ := io.ReadFull(content, head[:])
		if _, err := content.Seek(0, io.SeekStart); err != nil {
			closeFile(file)
			return fmt.Errorf("kaito: reading %s: %w", f.Name, err)
		}
		ct = http.DetectContentType(head[:n])
	}
	h.Set("Content-Type", ct)
	mod := st.ModTime()
	if !mod.IsZero() {
		h.Set("ETag", fmt.Sprintf(`"%x-%x"`, mod.UnixNano(), st.Size()))
	}
	if f.Download != "" {
		h.Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`"`, "", "\\", "", "\r", "", "\n", "").Replace(f.Download)+`"`)
	}

	sw := &serveWriter{w: w, content: content, file: file}
	if rw, ok := w.(*responseWriter); ok {
		sw.req = (*Request)(rw)
	}
	http.ServeContent(sw, sw.request(), "", mod, content)
	if !sw.handedOff {
		closeFile(file)
	}
	if sw.failed != 0 {
		// ServeContent answered with a plain-text error (416, 412): answer
		// with the router's own body instead, keeping Content-Range.
		h.Del("X-Content-Type-Options")
		h.Del("Content-Length")
		sw.req.writeMessage(sw.failed, http.StatusText(sw.failed))
	}
	return nil
}

func fileError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrInvalid):
		return NewError(http.StatusNotFound, "file not found")
	case errors.Is(err, fs.ErrPermission):
		return NewError(http.StatusForbidden, "Forbidden")
	}
	return err // a server error: logged, and answered 500 without its text
}

func closeFile(f fs.File) {
	if f != nil {
		f.Close()
	}
}

// typeByExtension gives the content type of a file name's extension from a
// fixed table, or "".
func typeByExtension(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return typesByExt[strings.ToLower(name[i+1:])]
	}
	return ""
}

// serveWriter is the http.ResponseWriter that http.ServeContent writes to:
// it passes the answer on to the router's ResponseWriter, holds back the
// plain-text body of an error answer, and hands the file itself to a runtime
// that streams bodies (BodyStreamer).
type serveWriter struct {
	w         ResponseWriter
	req       *Request // nil for a ResponseWriter of someone else's
	content   io.ReadSeeker
	file      fs.File // closed once sent; nil when content is in memory
	header    http.Header
	failed    int // the error status ServeContent answered, or 0
	handedOff bool
}

// request returns what ServeContent reads of the request: the method and
// the conditional and Range headers.
func (s *serveWriter) request() *http.Request {
	r := &http.Request{Method: http.MethodGet, Header: http.Header{}}
	if s.req == nil {
		return r
	}
	r.Method = s.req.Method()
	for _, name := range []string{"Range", "If-Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"} {
		for _, v := range s.req.x.RequestHeaderValues(name) {
			r.Header.Add(name, v)
		}
	}
	return r
}

// seeded are the response headers ServeContent reads before it answers.
var seeded = []string{"Content-Type", "Etag", "Content-Encoding", "Last-Modified"}

// Header is a copy of the response header that WriteHeader moves to the
// real one, deletions included: ServeContent reads Content-Type and ETag
// from it, and drops some of them for a 304.
func (s *serveWriter) Header() http.Header {
	if s.header == nil {
		s.header = http.Header{}
		for _, name := range seeded {
			if vs := s.w.Header().Values(name); len(vs) > 0 {
				s.header[name] = append([]string(nil), vs...)
			}
		}
	}
	return s.header
}

func (s *serveWriter) WriteHeader(status int) {
	s.Header()
	h := s.w.Header()
	if status >= 400 && s.req != nil {
		// An error answer of ServeContent (416, 412): the router writes
		// its own body, and keeps only the Content-Range of a 416.
		s.failed = status
		if cr := s.header.Get("Content-Range"); cr != "" {
			h.Set("Content-Range", cr)
		}
		return
	}
	for _, name := range seeded {
		if _, ok := s.header[name]; !ok {
			h.Del(name)
		}
	}
	for name, vs := range s.header {
		h.Del(name)
		for _, v := range vs {
			h.Add(name, v)
		}
	}
	s.w.WriteHeader(status)
}

func (s *serveWriter) Write(p []byte) (int, error) {
	if s.failed != 0 {
		return len(p), nil
	}
	return s.w.Write(p)
}

// ReadFrom is how ServeContent copies the body. When it copies the file
// itself (the whole file or one range) and the runtime streams bodies, the
// file is handed over and read after the handler returns.
func (s *serveWriter) ReadFrom(r io.Reader) (int64, error) {
	if lr, ok := r.(*io.LimitedReader); ok && lr.R == s.content && s.file != nil && s.req != nil && !s.req.headOnly && s.failed == 0 {
		if bs, ok := s.req.x.(BodyStreamer); ok {
			s.handedOff = true
			bs.StreamBody(struct {
				io.Reader
				io.Closer
			}{lr, s.file}, lr.N)
			return lr.N, nil
		}
	}
	return io.Copy(struct{ io.Writer }{s}, r)
}
