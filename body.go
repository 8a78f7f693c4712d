package kaito

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/kaito-go/kaito/negotiate"
	"github.com/kaito-go/kaito/values"
)

// Bodies are read only when a route binds body fields or a body method
// (Body, All, Input, Only, Except, Raw, File, Files) is called, and then
// once. The kind of body follows the Content-Type:
//
//   - JSON: application/json, application/json-patch+json,
//     application/vnd.api+json, application/csp-report and any +json type
//     (WithJSONTypes sets the list);
//   - application/x-www-form-urlencoded, parsed with values.ParseForm;
//   - multipart/form-data, with files (limits in MultipartLimits);
//   - text/*, kept as raw bytes.
//
// Content-Encoding gzip and deflate are decoded, and the limit counts the
// decoded bytes, so a small compressed bomb is refused like a large body.
// Malformed bodies are answered 400, bodies over the limit 413, other
// content types and encodings 415.

type bodyKind int

const (
	bodyNone bodyKind = iota
	bodyJSON
	bodyForm
	bodyMultipart
	bodyText
	bodyOther
)

var defaultJSONTypes = []string{"application/json", "application/json-patch+json", "application/vnd.api+json", "application/csp-report"}

// WithJSONTypes sets the media types whose bodies are parsed as JSON, in
// place of the default list. Types ending in +json are always JSON.
func WithJSONTypes(types ...string) Option {
	return func(c *config) error {
		for _, t := range types {
			if mt, _, err := mime.ParseMediaType(t); err != nil || mt != strings.ToLower(t) || !strings.Contains(t, "/") {
				return fmt.Errorf("WithJSONTypes: %q is not a media type", t)
			}
		}
		c.jsonTypes = types
		return nil
	}
}

// WithConvertEmptyStringsToNull makes empty urlencoded and multipart
// field values nil in Body, as AdonisJS's convertEmptyStringsToNull does.
func WithConvertEmptyStringsToNull() Option {
	return func(c *config) error { c.emptyAsNil = true; return nil }
}

// MultipartLimits bounds multipart/form-data bodies. A body that breaks one
// is answered 413 (too large, too many parts). Every part counts toward
// MaxFiles or MaxFields, one without a name too.
type MultipartLimits struct {
	MaxBytes    int64 // the whole body; default 20 MiB
	MaxFileSize int64 // one file; default MaxBytes
	MaxFiles    int   // file parts; default 20
	MaxFields   int   // the other parts; default and maximum 1000
	// MaxMemory is how much of a file is held in memory before it spills
	// to a temporary file; default 1 MiB. Temporary files are removed when
	// the response is sent.
	MaxMemory int64
}

var defaultMultipartLimits = MultipartLimits{MaxBytes: 20 << 20, MaxFiles: 20, MaxFields: 1000, MaxMemory: 1 << 20}

// WithMultipartLimits sets the limits of multipart bodies. Zero fields keep
// their defaults; negative ones fail New.
func WithMultipartLimits(l MultipartLimits) Option {
	return func(c *config) error {
		if l.MaxBytes < 0 || l.MaxFileSize < 0 || l.MaxFiles < 0 || l.MaxFields < 0 || l.MaxMemory < 0 {
			return fmt.Errorf("WithMultipartLimits: limits cannot be negative: %+v", l)
		}
		if l.MaxFields > values.ParameterLimit {
			return fmt.Errorf("WithMultipartLimits: MaxFields %d is over %d, the limit of form parsing", l.MaxFields, values.ParameterLimit)
		}
		d := defaultMultipartLimits
		d.MaxBytes = cmp.Or(l.MaxBytes, d.MaxBytes)
		d.MaxFileSize = cmp.Or(l.MaxFileSize, d.MaxFileSize)
		d.MaxFiles = cmp.Or(l.MaxFiles, d.MaxFiles)
		d.MaxFields = cmp.Or(l.MaxFields, d.MaxFields)
		d.MaxMemory = cmp.Or(l.MaxMemory, d.MaxMemory)
		c.multipart = d
		return nil
	}
}

// MultipartFile is a file uploaded in a multipart/form-data body.
type MultipartFile struct {
	FieldName   string // the form field
	FileName    string // the client's name for the file, without directories
	ContentType string // as the client declared it
	Size        int64

	data []byte
	path string // a temporary file when the content did not fit in memory
}

// UnmarshalJSON refuses any JSON value but null: a file is received only
// as a part of a multipart/form-data body, never described in JSON, so that
// a client cannot make up a file's name, size or content.
func (f *MultipartFile) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	return errFileInJSON
}

var errFileInJSON = &Error{Status: http.StatusBadRequest, Message: "invalid JSON body: a file is uploaded as a multipart/form-data part, not sent in JSON"}

// Open returns the file's content. Close it when done.
func (f *MultipartFile) Open() (io.ReadCloser, error) {
	if f.path != "" {
		return os.Open(f.path)
	}
	return io.NopCloser(bytes.NewReader(f.data)), nil
}

// lazyState is what a request computes only when asked, at most once.
type lazyState struct {
	used     bool // something below was computed
	qs       map[string]any
	qsErr    error
	qsDone   bool
	origQs   map[string]any
	kind     bodyKind // bodyKind's answer, once kindDone
	kindErr  error
	kindDone bool
	enc      string // the Content-Encoding, once encDone; a view (bodyHeaderViewer)
	encDone  bool
	// limited limits the body as it is read from the runtime (bodyReader),
	// kept here so that it costs no allocation: the body is read once, by
	// readBody or parseMultipart, each done with it when it returns.
	limited  limitedReader
	raw      []byte
	rawAlias bool // raw is the runtime's buffer
	rawDone  bool
	rawErr   error
	body     map[string]any
	bodyErr  error
	bodyDone bool
	origBody map[string]any
	files    map[string][]*MultipartFile
	temp     []string
	ip       ipState
}

func (l *lazyState) clear() {
	if !l.used {
		return
	}
	for _, p := range l.temp {
		os.Remove(p)
	}
	*l = lazyState{temp: l.temp[:0]}
}

// abort stops the handler and answers err, which carries its status. The
// body accessors, which have no error result, use it: a malformed body is
// the client's error and the request cannot go on.
type abort struct{ err *Error }

func (req *Request) abortOn(err error) {
	if err == nil {
		return
	}
	var ke *Error
	if !errors.As(err, &ke) {
		ke = &Error{Status: http.StatusBadRequest, Message: err.Error()}
	}
	panic(abort{ke})
}

// query parses the query string once.
func (req *Request) query() (map[string]any, error) {
	l := &req.lazy
	if !l.qsDone {
		l.used = true
		l.qsDone = true
		l.qs, l.qsErr = values.ParseQuery(req.x.RawQuery())
		if l.qsErr != nil {
			l.qsErr = &Error{Status: http.StatusBadRequest, Message: "invalid query string: " + l.qsErr.Error()}
			l.qs = map[string]any{}
		}
		l.origQs = l.qs
	}
	return l.qs, l.qsErr
}

// bodyKind classifies the body by its Content-Type, once; bodyNone when
// the request has no body.
func (req *Request) bodyKind() (bodyKind, error) {
	l := &req.lazy
	if !l.kindDone {
		l.used = true
		l.kindDone = true
		l.kind, l.kindErr = req.classifyBody()
	}
	return l.kind, l.kindErr
}

// bodyHeaderViewer is implemented by exchanges that can read a request's
// Content-Type and Content-Encoding in place (the fasthttp adapter's,
// which has them at hand): the strings alias the runtime's buffers and are
// valid only while the request is served. The core reads them through it
// only to classify and decode the body, keeps them no longer than the
// request's lazy state, and nothing of them after (an error that quotes
// one quotes a copy).
type bodyHeaderViewer interface {
	BodyHeaderViews() (contentType, contentEncoding string)
}

// contentEncodingView is the request's Content-Encoding, to read in
// place, looked up once.
func (req *Request) contentEncodingView() string {
	l := &req.lazy
	if !l.encDone {
		l.used = true
		l.encDone = true
		l.enc = req.x.RequestHeader("Content-Encoding")
	}
	return l.enc
}

func (req *Request) classifyBody() (bodyKind, error) {
	if !req.HasBody() {
		return bodyNone, nil
	}
	var ct string
	if v, ok := req.x.(bodyHeaderViewer); ok {
		// Both at once: a body that is read needs its encoding too.
		ct, req.lazy.enc = v.BodyHeaderViews()
		req.lazy.encDone = true
	} else {
		ct = req.x.RequestHeader("Content-Type")
	}
	if ct == "application/json" && req.core.plainJSON {
		return bodyJSON, nil // the common case, without parsing
	}
	mt := negotiate.MediaType(ct)
	switch {
	case mt == "":
		if ct != "" {
			return bodyOther, &Error{Status: http.StatusBadRequest, Message: "malformed Content-Type " + quoteInput(ct)}
		}
		return bodyOther, nil
	case mt == "application/x-www-form-urlencoded":
		return bodyForm, nil
	case mt == "multipart/form-data":
		return bodyMultipart, nil
	case strings.HasSuffix(mt, "+json"):
		return bodyJSON, nil
	case strings.HasPrefix(mt, "text/"):
		return bodyText, nil
	}
	for _, t := range req.core.jsonTypes {
		if mt == t {
			return bodyJSON, nil
		}
	}
	return bodyOther, nil
}

// HasBody reports whether the request has a body: a Content-Length above
// zero, or a body of unknown length (chunked).
func (req *Request) HasBody() bool { return req.x.ContentLength() != 0 }

// limit is the body limit of the matched route.
func (req *Request) limit(multipart bool) int64 {
	if req.route != nil && req.route.bodyLimit > 0 {
		return req.route.bodyLimit
	}
	if multipart {
		return req.core.multipart.MaxBytes
	}
	return req.core.bodyLimit
}

// bodyReader returns the body, decoded per Content-Encoding, limited to n
// decoded bytes (reading past n gives errBodyTooLarge).
func (req *Request) bodyReader(n int64, enc string) (io.Reader, error) {
	cl := req.x.ContentLength()
	enc = strings.ToLower(strings.TrimSpace(enc))
	if cl > n && (enc == "" || enc == "identity") {
		return nil, errBodyTooLarge
	}
	req.lazy.used = true
	req.lazy.limited = limitedReader{r: req.x.Body(), n: n}
	var r io.Reader = &req.lazy.limited
	switch enc {
	case "", "identity":
		return r, nil
	case "gzip", "x-gzip":
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, readError(err, "gzip")
		}
		return &limitedReader{r: gz, n: n}, nil
	case "deflate":
		// HTTP's deflate is zlib-wrapped, but some clients send raw DEFLATE:
		// a zlib header is a deflate method nibble and a multiple of 31.
		br := bufio.NewReader(r)
		if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, readError(err, "deflate")
			}
			return &limitedReader{r: zr, n: n}, nil
		}
		return &limitedReader{r: flate.NewReader(br), n: n}, nil
	}
	return nil, &Error{Status: http.StatusUnsupportedMediaType, Message: "unsupported Content-Encoding " + quoteInput(enc) + ": gzip and deflate are accepted"}
}

// readBody reads the whole body once, within n bytes.
func (req *Request) readBody(n int64) ([]byte, error) {
	l := &req.lazy
	if l.rawDone {
		return l.raw, l.rawErr
	}
	l.used = true
	l.rawDone = true
	if kind, _ := req.bodyKind(); kind == bodyNone {
		return nil, nil // no body: HasBody, as bodyKind has told it
	}
	enc := req.contentEncodingView()
	if enc == "" || strings.EqualFold(enc, "identity") {
		if b, ok := req.x.BodyBytes(); ok {
			// Already in memory (fasthttp): no copy. Raw copies it before
			// handing it out; decoders copy what they keep.
			if int64(len(b)) > n {
				l.rawErr = errBodyTooLarge
				return nil, l.rawErr
			}
			l.raw, l.rawAlias = b, true
			return b, nil
		}
	}
	r, err := req.bodyReader(n, enc)
	if err != nil {
		l.rawErr = err
		return nil, err
	}
	data, err := readAll(r, req.x.ContentLength(), n)
	if err != nil {
		l.rawErr = readError(err, "")
		return nil, l.rawErr
	}
	l.raw = data
	return data, nil
}

// readAll reads r to the end into one buffer of the declared length when
// it is known (and within the limit), growing it only if the body is longer.
func readAll(r io.Reader, declared, limit int64) ([]byte, error) {
	size := int64(512)
	if declared > 0 && declared <= limit {
		// +1: the read that sees EOF needs room. Capped, so that a client
		// cannot make the server allocate a large declared body up front.
		size = min(declared+1, 64<<10)
	}
	buf := make([]byte, 0, size)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

func readError(err error, enc string) error {
	var ke *Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ke):
		return ke
	case errors.As(err, &mbe):
		return errBodyTooLarge
	case enc != "" || errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, zlib.ErrHeader) || errors.Is(err, zlib.ErrChecksum):
		return &Error{Status: http.StatusBadRequest, Message: "malformed compressed body"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Status: http.StatusBadRequest, Message: "incomplete request body"}
	}
	var fe flate.CorruptInputError
	if errors.As(err, &fe) {
		return &Error{Status: http.StatusBadRequest, Message: "malformed compressed body"}
	}
	return &Error{Status: http.StatusBadRequest, Message: "cannot read the request body"}
}

// limitedReader reads at most n bytes and fails with errBodyTooLarge if
// there is more.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	if l.n < 0 {
		return k, errBodyTooLarge
	}
	return k, err
}

// parsedBody parses the body once, by its kind. JSON bodies that are not
// objects are kept under no key: Body is then empty and Raw has them.
func (req *Request) parsedBody() (map[string]any, error) {
	l := &req.lazy
	if l.bodyDone {
		return l.body, l.bodyErr
	}
	l.bodyDone = true
	l.used = true
	l.body = map[string]any{}
	kind, err := req.bodyKind()
	if err == nil {
		switch kind {
		case bodyJSON:
			var data []byte
			if data, err = req.readBody(req.limit(false)); err == nil && len(bytes.TrimSpace(data)) > 0 {
				var v any
				if err = req.core.decodeJSON(data, &v); err != nil {
					err = jsonError(err)
				} else if m, ok := v.(map[string]any); ok {
					l.body = m
				}
			}
		case bodyForm:
			var data []byte
			if data, err = req.readBody(req.limit(false)); err == nil {
				var m map[string]any
				if m, err = values.ParseForm(string(data), req.core.emptyAsNil); err == nil {
					l.body = m
				} else if errors.Is(err, values.ErrTooManyParameters) {
					err = &Error{Status: http.StatusRequestEntityTooLarge, Message: "too many form fields"}
				} else {
					err = &Error{Status: http.StatusBadRequest, Message: "malformed form body: " + err.Error()}
				}
			}
		case bodyMultipart:
			err = req.parseMultipart()
		case bodyText:
			_, err = req.readBody(req.limit(false))
		}
	}
	l.bodyErr = err
	l.origBody = l.body
	return l.body, err
}

func (req *Request) parseMultipart() error {
	lim := req.core.multipart
	total := req.limit(true)
	if req.route != nil && req.route.bodyLimit > 0 {
		lim.MaxBytes = req.route.bodyLimit
	}
	maxFile := lim.MaxFileSize
	if maxFile == 0 || maxFile > total {
		maxFile = total
	}
	_, params, err := mime.ParseMediaType(req.x.RequestHeader("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return &Error{Status: http.StatusBadRequest, Message: "malformed multipart body: no boundary"}
	}
	body, err := req.bodyReader(total, req.contentEncodingView())
	if err != nil {
		return err
	}
	mr := multipart.NewReader(body, params["boundary"])
	// The fields are parsed as a urlencoded form would be (nested keys,
	// repeated keys), but only their names go through the form: each value
	// stands in it as a token, its index in vals, and is put back into the
	// parsed result. Escaping the values themselves would cost up to three
	// times their size, and a copy more for every step.
	var (
		form strings.Builder
		vals []string
		buf  bytes.Buffer // one field's value or file's head, reused
	)
	fields, nfiles, headers := 0, 0, 0
	fieldLimit := req.limit(false)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return multipartError(err)
		}
		// Every part counts toward a limit, nameless ones too: parsing a
		// part costs the same whether its value is kept or not. So do its
		// header lines, each of which costs some allocations: the reader
		// takes up to maxPartHeaders in one part, the whole body no more.
		for _, v := range part.Header {
			headers += len(v)
		}
		if headers > maxPartHeaders {
			return &Error{Status: http.StatusRequestEntityTooLarge, Message: "too many multipart headers"}
		}
		name := part.FormName()
		if part.FileName() == "" {
			fields++
			if fields > lim.MaxFields {
				return &Error{Status: http.StatusRequestEntityTooLarge, Message: "too many multipart fields"}
			}
			if name == "" {
				part.Close()
				continue
			}
			buf.Reset()
			if _, err := buf.ReadFrom(io.LimitReader(part, fieldLimit+1)); err != nil {
				return multipartError(err)
			}
			if int64(buf.Len()) > fieldLimit {
				return errBodyTooLarge
			}
			if form.Len() > 0 {
				form.WriteByte('&')
			}
			form.WriteString(url.QueryEscape(name))
			form.WriteByte('=')
			if buf.Len() > 0 {
				// An empty value stays empty: the form parser makes it
				// "" or, with WithConvertEmptyStringsToNull, nil.
				form.WriteString(strconv.Itoa(len(vals)))
				vals = append(vals, buf.String())
			}
			continue
		}
		nfiles++
		if nfiles > lim.MaxFiles {
			return &Error{Status: http.StatusRequestEntityTooLarge, Message: "too many files"}
		}
		if name == "" {
			part.Close()
			continue
		}
		f, err := req.saveFile(part, name, maxFile, lim.MaxMemory, &buf)
		if err != nil {
			return err
		}
		if req.lazy.files == nil {
			req.lazy.files = make(map[string][]*MultipartFile)
		}
		req.lazy.files[name] = append(req.lazy.files[name], f)
	}
	m, err := values.ParseForm(form.String(), req.core.emptyAsNil)
	if err != nil {
		return &Error{Status: http.StatusRequestEntityTooLarge, Message: "too many multipart fields"}
	}
	for k, v := range m {
		m[k] = untoken(v, vals)
	}
	req.lazy.body = m
	return nil
}

// untoken replaces the value tokens in a parsed multipart form by the
// values they stand for. Every string in it is a token.
func untoken(v any, vals []string) any {
	switch v := v.(type) {
	case string:
		if i, err := strconv.Atoi(v); err == nil && i >= 0 && i < len(vals) {
			return vals[i]
		}
	case map[string]any:
		for k, e := range v {
			v[k] = untoken(e, vals)
		}
	case []any:
		for i, e := range v {
			v[i] = untoken(e, vals)
		}
	}
	return v
}

// maxPartHeaders is the most header lines a multipart body may hold in
// all its parts together: mime/multipart's limit for one part.
const maxPartHeaders = 10000

func multipartError(err error) error {
	var ke *Error
	if errors.As(err, &ke) {
		return ke
	}
	return &Error{Status: http.StatusBadRequest, Message: "malformed multipart body"}
}

// saveFile keeps an uploaded file in memory, or in a temporary file past
// inMemory bytes. buf is a buffer to read into, reused from file to file.
func (req *Request) saveFile(part *multipart.Part, field string, max, inMemory int64, buf *bytes.Buffer) (*MultipartFile, error) {
	f := &MultipartFile{FieldName: field, FileName: baseName(part.FileName()), ContentType: part.Header.Get("Content-Type")}
	buf.Reset()
	if _, err := buf.ReadFrom(io.LimitReader(part, inMemory+1)); err != nil {
		return nil, multipartError(err)
	}
	head := buf.Bytes()
	if int64(len(head)) > max {
		return nil, &Error{Status: http.StatusRequestEntityTooLarge, Message: "file " + quoteInput(f.FileName) + " is too large"}
	}
	if int64(len(head)) <= inMemory {
		f.data, f.Size = bytes.Clone(head), int64(len(head))
		return f, nil
	}
	tmp, err := os.CreateTemp("", "kaito-upload-*")
	if err != nil {
		return nil, req.serverError("kaito: cannot store an upload", err)
	}
	req.lazy.temp = append(req.lazy.temp, tmp.Name())
	w := &fileWriter{f: tmp}
	var n int64
	if _, err = w.Write(head); err == nil {
		n, err = io.Copy(w, io.LimitReader(part, max-int64(len(head))+1))
	}
	f.Size = int64(len(head)) + n
	if cerr := tmp.Close(); w.err == nil {
		w.err = cerr
	}
	if w.err != nil {
		return nil, req.serverError("kaito: cannot store an upload", w.err)
	}
	if err != nil {
		return nil, multipartError(err) // the client's body
	}
	if f.Size > max {
		return nil, &Error{Status: http.StatusRequestEntityTooLarge, Message: "file " + quoteInput(f.FileName) + " is too large"}
	}
	f.path = tmp.Name()
	return f, nil
}

// fileWriter writes to a temporary file and keeps its error, so that a
// failing disk is told from a failing client.
type fileWriter struct {
	f   *os.File
	err error
}

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}

// serverError logs err, an error of the server's own (a disk, the
// operating system), with the request's id, and returns the 500 the client
// is answered with: its text may name files and never reaches the client.
func (req *Request) serverError(msg string, err error) *Error {
	req.Logger().Error(msg, "method", req.method, "path", strings.Clone(req.x.Path()), "error", err.Error())
	return &Error{Status: http.StatusInternalServerError}
}

func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}
