package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/kaito-go/kaito"
)

// Client sends the requests of Do and Events to one server. It is safe for
// concurrent use.
type Client struct {
	base   *url.URL
	hc     *http.Client
	header http.Header
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends the requests with hc instead of http.DefaultClient:
// for timeouts, a transport, TLS settings or redirects.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithHeader adds a header line to every request, e.g. an Authorization
// header. A header field of an endpoint's input with the same name is sent
// besides it.
func WithHeader(name, value string) Option {
	return func(c *Client) { c.header.Add(name, value) }
}

// New returns a client of the server at baseURL, an absolute http or https
// URL that includes any prefix the endpoints are implemented under
// ("https://api.example.com/v1" for a router mounted at /v1). It fails when
// baseURL is not such a URL, or carries a query or a fragment.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("client: base URL %q: %w", baseURL, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("client: base URL %q: the scheme must be http or https", baseURL)
	case u.Host == "":
		return nil, fmt.Errorf("client: base URL %q has no host", baseURL)
	case u.User != nil:
		return nil, fmt.Errorf("client: base URL %q: credentials belong in a header (WithHeader), not in the URL", baseURL)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("client: base URL %q: a base URL has no query or fragment", baseURL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	c := &Client{base: u, hc: http.DefaultClient, header: http.Header{}}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Error is a non-2xx answer. It has no StatusCode method on purpose: a
// kaito handler that returns it unwrapped answers 500, rather than passing
// on an upstream server's status to its own client by accident.
type Error struct {
	// Status is the answer's HTTP status code.
	Status int
	// Message is the error body's "message" (or a problem's "detail", else
	// its "title"), else the status text.
	Message string
	// Errors are the fields at fault, from the body's "errors", when the
	// answer is about the input.
	Errors []kaito.FieldError
}

// Error returns the status, the message and the field errors, e.g.
// "client: 422 validation failed (body.email: must be an address)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("client: ")
	b.WriteString(strconv.Itoa(e.Status))
	b.WriteByte(' ')
	b.WriteString(e.Message)
	for i, f := range e.Errors {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Location)
		b.WriteString(": ")
		b.WriteString(f.Message)
	}
	if len(e.Errors) > 0 {
		b.WriteByte(')')
	}
	return b.String()
}

// maxErrorBody bounds what is read of an error answer's body.
const maxErrorBody = 1 << 20

// errorOf reads a non-2xx answer into an *Error.
func errorOf(res *http.Response) *Error {
	e := &Error{Status: res.StatusCode}
	data, _ := io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
	var body struct {
		Message string             `json:"message"`
		Detail  string             `json:"detail"`
		Title   string             `json:"title"`
		Errors  []kaito.FieldError `json:"errors"`
	}
	if json.Unmarshal(data, &body) == nil {
		e.Message = body.Message
		if e.Message == "" {
			e.Message = body.Detail
		}
		if e.Message == "" {
			e.Message = body.Title
		}
		e.Errors = body.Errors
	}
	if e.Message == "" {
		e.Message = http.StatusText(res.StatusCode)
	}
	return e
}

// Do calls the endpoint e with in and returns its answer decoded into Out.
// A non-2xx answer is an *Error; a request that cannot be built or sent,
// or an answer that does not decode, is another error. An Out that writes
// its own answer (kaito.Responder) other than kaito.NoContent, kaito.Text
// and kaito.Blob cannot be decoded and fails before anything is sent; an
// EventStream endpoint is called with Events.
func Do[In, Out any](ctx context.Context, c *Client, e kaito.Endpoint[In, Out], in In) (Out, error) {
	var out Out
	kind, err := outKindOf(reflect.TypeFor[Out]())
	if err != nil {
		return out, fmt.Errorf("client: %s %s: %w", e.Method(), e.Pattern(), err)
	}
	res, err := c.send(ctx, e.Method(), e.Pattern(), reflect.TypeFor[In](), &in, "")
	if err != nil {
		return out, err
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return out, errorOf(res)
	}
	switch kind {
	case outNoContent:
		return out, nil
	case outText, outBlob:
		data, err := io.ReadAll(res.Body)
		if err != nil {
			return out, fmt.Errorf("client: %s %s: reading the answer: %w", e.Method(), e.Pattern(), err)
		}
		switch p := any(&out).(type) {
		case *kaito.Text:
			*p = kaito.Text(data)
		case *kaito.Blob:
			*p = kaito.Blob{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), Data: data}
		}
		return out, nil
	}
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return out, fmt.Errorf("client: %s %s: reading the answer: %w", e.Method(), e.Pattern(), err)
	}
	if len(bytes.TrimSpace(data)) == 0 && (res.StatusCode == http.StatusNoContent || res.ContentLength == 0) {
		return out, nil
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return out, fmt.Errorf("client: %s %s: decoding the answer into %s: %w", e.Method(), e.Pattern(), reflect.TypeFor[Out](), err)
	}
	return out, nil
}

type outKind uint8

const (
	outJSON outKind = iota
	outNoContent
	outText
	outBlob
)

var (
	noContentType = reflect.TypeFor[kaito.NoContent]()
	textType      = reflect.TypeFor[kaito.Text]()
	blobType      = reflect.TypeFor[kaito.Blob]()
	responderType = reflect.TypeFor[kaito.Responder]()
)

// outKindOf says how an answer is decoded into t.
func outKindOf(t reflect.Type) (outKind, error) {
	switch t {
	case noContentType:
		return outNoContent, nil
	case textType:
		return outText, nil
	case blobType:
		return outBlob, nil
	}
	if t.Implements(responderType) || reflect.PointerTo(t).Implements(responderType) {
		if strings.HasPrefix(t.Name(), "EventStream[") && t.PkgPath() == noContentType.PkgPath() {
			return 0, errors.New("an EventStream is read with client.Events, not Do")
		}
		return 0, fmt.Errorf("cannot decode an answer into %s, which writes its own answer", t)
	}
	return outJSON, nil
}

// send builds the request of method and pattern from in (a *In of type t)
// and sends it.
func (c *Client) send(ctx context.Context, method, pattern string, t reflect.Type, in any, accept string) (*http.Response, error) {
	p := planOf(t)
	if p.err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, pattern, p.err)
	}
	req, err := p.request(ctx, c, method, pattern, reflect.ValueOf(in).Elem())
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, pattern, err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, pattern, err)
	}
	return res, nil
}
