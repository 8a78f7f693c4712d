package kaito

import (
	"bytes"
	"maps"
	"strconv"

	"github.com/kaito-go/kaito/values"
)

// Qs returns the parsed query string (see values.ParseQuery): nested keys
// become maps and arrays, repeated keys arrays. A query string with more
// than 1000 parameters stops the request with 400.
func (req *Request) Qs() map[string]any {
	qs, err := req.query()
	req.abortOn(err)
	return qs
}

// Body returns the parsed body: a JSON object, or urlencoded or multipart
// fields. Other bodies give an empty map. A malformed body stops the
// request with 400, one over the limit with 413, an unsupported
// Content-Encoding with 415; ParseBody reports those instead.
func (req *Request) Body() map[string]any {
	b, err := req.parsedBody()
	req.abortOn(err)
	return b
}

// ParseBody parses the body if it was not yet, and returns the error that
// Body would stop the request with: an *Error with status 400, 413 or 415.
func (req *Request) ParseBody() error {
	_, err := req.parsedBody()
	return err
}

// Raw returns the body as received (decompressed), for any content type
// but multipart. It stops the request like Body on a body it cannot read.
func (req *Request) Raw() []byte {
	if kind, _ := req.bodyKind(); kind == bodyMultipart {
		return nil
	}
	b, err := req.readBody(req.limit(false))
	req.abortOn(err)
	if req.lazy.rawAlias {
		b = bytes.Clone(b)
		req.lazy.raw, req.lazy.rawAlias = b, false
	}
	return b
}

// All returns the body merged with the query string, the query winning
// key by key (a shallow merge).
func (req *Request) All() map[string]any {
	body, qs := req.Body(), req.Qs()
	all := make(map[string]any, len(body)+len(qs))
	maps.Copy(all, body)
	maps.Copy(all, qs)
	return all
}

// Input returns the value at path in All ("user.name", "tags.0",
// "a[0].b"), or def when the path is missing. A value that is present but
// null or empty is returned as it is.
func (req *Request) Input(path string, def ...any) any {
	if v, ok := values.Get(req.All(), path); ok {
		return v
	}
	if len(def) > 0 {
		return def[0]
	}
	return nil
}

// Only returns the values of All at the given paths, nested as they were.
func (req *Request) Only(paths ...string) map[string]any { return values.Pick(req.All(), paths...) }

// Except returns All without the values at the given paths.
func (req *Request) Except(paths ...string) map[string]any { return values.Omit(req.All(), paths...) }

// UpdateBody replaces the parsed body that Body, All and Input see.
func (req *Request) UpdateBody(body map[string]any) {
	req.parsedBody()
	req.lazy.body = body
}

// UpdateRawBody replaces the raw body that Raw returns.
func (req *Request) UpdateRawBody(raw []byte) {
	req.lazy.used, req.lazy.rawDone, req.lazy.rawErr, req.lazy.raw, req.lazy.rawAlias = true, true, nil, raw, false
}

// UpdateQs replaces the parsed query string that Qs, All and Input see.
func (req *Request) UpdateQs(qs map[string]any) {
	req.query()
	req.lazy.qs, req.lazy.qsErr = qs, nil
}

// Original returns the body and query string merged as they were first
// parsed, unaffected by UpdateBody and UpdateQs.
func (req *Request) Original() map[string]any {
	req.Body()
	req.Qs()
	all := make(map[string]any, len(req.lazy.origBody)+len(req.lazy.origQs))
	maps.Copy(all, req.lazy.origBody)
	maps.Copy(all, req.lazy.origQs)
	return all
}

// File returns the first file uploaded in the named multipart field, or nil.
func (req *Request) File(name string) *MultipartFile {
	if files := req.Files(name); len(files) > 0 {
		return files[0]
	}
	return nil
}

// Files returns the files uploaded in the named multipart field.
func (req *Request) Files(name string) []*MultipartFile {
	req.Body()
	return req.lazy.files[name]
}

// URL returns the request path as received (not percent-decoded), with "?"
// and the query string when withQuery is true and the query is not empty:
// the URL of "/?" is "/" either way.
func (req *Request) URL(withQuery bool) string {
	uri := req.x.URI()
	for i := 0; i < len(uri); i++ {
		if uri[i] == '?' {
			if withQuery && i+1 < len(uri) {
				return uri
			}
			return uri[:i]
		}
	}
	return uri
}

// CompleteURL returns the origin's scheme, "://", host and port (left out
// when it is the scheme's default), then URL(withQuery).
func (req *Request) CompleteURL(withQuery bool) string {
	o := req.Origin()
	s := o.Scheme + "://" + o.Host
	if o.Port != 0 && !(o.Scheme == "http" && o.Port == 80) && !(o.Scheme == "https" && o.Port == 443) {
		s += ":" + strconv.Itoa(o.Port)
	}
	return s + req.URL(withQuery)
}
