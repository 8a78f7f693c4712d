package openapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/internal/typemodel"
)

// Config describes the API as a whole, and where Mount serves the document
// and the docs page.
type Config struct {
	// Title and Version are the document's info; they default to "API" and "0.0.0".
	Title, Version string
	// Description describes the API, in CommonMark.
	Description string
	// Servers are the base URLs of the API, e.g. "https://api.example.com".
	Servers []string
	// SecuritySchemes are the schemes routes name with kaito.Security, by name.
	SecuritySchemes map[string]SecurityScheme
	// JSONPath is where Mount serves the document: "/openapi.json" when empty.
	JSONPath string
	// DocsPath is where Mount serves the docs page: "/docs" when empty.
	DocsPath string
	// JSONTypes are the media types of JSON request bodies, as the router's
	// kaito.WithJSONTypes sets them; application/json when empty. Mount sets
	// them from the router.
	JSONTypes []string
	// ProblemDetails documents error answers as RFC 9457 problems
	// (application/problem+json), as a router made with
	// kaito.WithProblemDetails sends them, in place of {"message", "errors"}.
	// Mount sets it when the router has that option.
	ProblemDetails bool
	// DocsAssets, when set, holds Swagger UI's swagger-ui-bundle.js and
	// swagger-ui.css (the files of the npm package swagger-ui-dist), which
	// Mount then serves under DocsPath + "/assets/" for the page to load
	// instead of the pinned CDN copy: for machines with no internet, e.g.
	// os.DirFS("node_modules/swagger-ui-dist").
	DocsAssets fs.FS
}

// SecurityScheme is an OpenAPI security scheme.
type SecurityScheme struct {
	// Type is "http", "apiKey" or "mutualTLS".
	Type string
	// Scheme is the HTTP authentication scheme of an "http" scheme, e.g. "bearer" or "basic".
	Scheme string
	// BearerFormat hints at the format of a bearer token, e.g. "JWT".
	BearerFormat string
	// In is where an "apiKey" is sent: "header", "query" or "cookie"; Name is its name there.
	In, Name string
	// Description describes the scheme.
	Description string
}

// The document's objects, in the order OpenAPI 3.1.0 lists their fields.

type document struct {
	OpenAPI    string               `json:"openapi"`
	Info       info                 `json:"info"`
	Servers    []server             `json:"servers,omitempty"`
	Paths      map[string]*pathItem `json:"paths"`
	Components components           `json:"components"`
	Tags       []tag                `json:"tags,omitempty"`
}

type info struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Version     string `json:"version"`
}

type server struct {
	URL string `json:"url"`
}

type tag struct {
	Name string `json:"name"`
}

type pathItem map[string]*operation // by lower-case method

type operation struct {
	Tags        []string              `json:"tags,omitempty"`
	Summary     string                `json:"summary,omitempty"`
	Description string                `json:"description,omitempty"`
	OperationID string                `json:"operationId"`
	Parameters  []*parameter          `json:"parameters,omitempty"`
	RequestBody *requestBody          `json:"requestBody,omitempty"`
	Responses   map[string]*response  `json:"responses"`
	Deprecated  bool                  `json:"deprecated,omitempty"`
	Security    []map[string][]string `json:"security,omitempty"`
}

type parameter struct {
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Deprecated  bool    `json:"deprecated,omitempty"`
	Schema      *schema `json:"schema"`
}

type requestBody struct {
	Required bool                  `json:"required,omitempty"`
	Content  map[string]*mediaType `json:"content"`
}

type mediaType struct {
	Schema *schema `json:"schema,omitempty"`
	// EventData is the schema of each event's data in a text/event-stream
	// of JSON events, which OpenAPI 3.1 has no field for.
	EventData *schema `json:"x-event-data,omitempty"`
}

type response struct {
	Description string                `json:"description"`
	Headers     map[string]*header    `json:"headers,omitempty"`
	Content     map[string]*mediaType `json:"content,omitempty"`
}

type header struct {
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Schema      *schema `json:"schema"`
}

type components struct {
	Schemas         map[string]*schema         `json:"schemas,omitempty"`
	SecuritySchemes map[string]*securityScheme `json:"securitySchemes,omitempty"`
}

type securityScheme struct {
	Type         string `json:"type"`
	Description  string `json:"description,omitempty"`
	Name         string `json:"name,omitempty"`
	In           string `json:"in,omitempty"`
	Scheme       string `json:"scheme,omitempty"`
	BearerFormat string `json:"bearerFormat,omitempty"`
}

// Build returns the OpenAPI 3.1.0 document of routes as indented JSON.
// The same routes and configuration always give the same bytes, whatever
// their order. Hidden routes are left out.
//
// Build fails, naming the route, when a route's In or Out cannot be
// described (a malformed tag, a type encoding/json cannot write), when two
// routes have one operationId, when two routes have paths that differ only
// in their parameters' names (GET /a/:x and DELETE /a/:y: OpenAPI 3.1 holds
// /a/{x} and /a/{y} identical), when two routes have one method and path,
// when a route names a security scheme that cfg does not define, or when a
// security scheme is incomplete.
func Build(routes []*kaito.Route, cfg Config) ([]byte, error) {
	doc := &document{
		OpenAPI: "3.1.0",
		Info:    info{Title: cmp.Or(cfg.Title, "API"), Description: cfg.Description, Version: cmp.Or(cfg.Version, "0.0.0")},
		Paths:   map[string]*pathItem{},
	}
	for _, s := range cfg.Servers {
		doc.Servers = append(doc.Servers, server{URL: s})
	}
	schemes, err := securitySchemes(cfg.SecuritySchemes)
	if err != nil {
		return nil, err
	}
	doc.Components.SecuritySchemes = schemes

	g := newGenerator()
	g.jsonTypes = cfg.JSONTypes
	if len(g.jsonTypes) == 0 {
		g.jsonTypes = []string{"application/json"}
	}
	errContent := g.errorSchemas(cfg.ProblemDetails)
	ids := map[string]*kaito.Route{}
	paths := pathKeys{}
	tags := map[string]bool{}
	for _, rt := range routes {
		d := rt.Doc()
		if d.Hidden {
			continue
		}
		op, err := g.operation(rt, d, errContent)
		if err != nil {
			return nil, fmt.Errorf("openapi: route %s %s: %w", rt.Method(), rt.Pattern(), err)
		}
		if other, dup := ids[op.OperationID]; dup {
			a, b := other.Method()+" "+other.Pattern(), rt.Method()+" "+rt.Pattern()
			if a > b {
				a, b = b, a
			}
			return nil, fmt.Errorf("openapi: routes %s and %s have the same operationId %q", a, b, op.OperationID)
		}
		ids[op.OperationID] = rt
		for _, s := range d.Security {
			if _, ok := schemes[s]; !ok {
				return nil, fmt.Errorf("openapi: route %s %s: security scheme %q is not in Config.SecuritySchemes", rt.Method(), rt.Pattern(), s)
			}
		}
		for _, t := range op.Tags {
			tags[t] = true
		}
		path := templatePath(rt.Pattern())
		if err := paths.add(rt, path); err != nil {
			return nil, err
		}
		item := doc.Paths[path]
		if item == nil {
			item = &pathItem{}
			doc.Paths[path] = item
		}
		(*item)[strings.ToLower(rt.Method())] = op
	}
	for _, t := range slices.Sorted(func(yield func(string) bool) {
		for t := range tags {
			if !yield(t) {
				return
			}
		}
	}) {
		doc.Tags = append(doc.Tags, tag{Name: t})
	}
	g.name()
	doc.Components.Schemas = g.schemas()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return buf.Bytes(), nil
}

func securitySchemes(in map[string]SecurityScheme) (map[string]*securityScheme, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := map[string]*securityScheme{}
	for name, s := range in {
		bad := func(why string) error { return fmt.Errorf("openapi: security scheme %q: %s", name, why) }
		ss := &securityScheme{Type: s.Type, Description: s.Description}
		switch s.Type {
		case "http":
			if s.Scheme == "" {
				return nil, bad(`an "http" scheme needs Scheme, e.g. "bearer"`)
			}
			ss.Scheme, ss.BearerFormat = s.Scheme, s.BearerFormat
		case "apiKey":
			if s.Name == "" || (s.In != "header" && s.In != "query" && s.In != "cookie") {
				return nil, bad(`an "apiKey" scheme needs a Name and In "header", "query" or "cookie"`)
			}
			ss.Name, ss.In = s.Name, s.In
		case "mutualTLS":
		default:
			return nil, bad(fmt.Sprintf(`type %q is not "http", "apiKey" or "mutualTLS"`, s.Type))
		}
		out[name] = ss
	}
	return out, nil
}

// templatePath turns an httprouter pattern into an OpenAPI path template:
// /users/:id is /users/{id}, /files/*path is /files/{path}.
func templatePath(pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != ':' && c != '*' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(pattern) && pattern[j] != '/' {
			j++
		}
		b.WriteString("{" + pattern[i+1:j] + "}")
		i = j - 1
	}
	return b.String()
}

// pathKeys are the documented paths by their shape (the template with its
// parameters' names left out) and the routes of each operation: OpenAPI
// 3.1 holds two templates of one shape identical ("Templated paths with
// the same hierarchy but different templated names MUST NOT exist"), and a
// path item has one operation per method.
type pathKeys map[string]map[string]*kaito.Route // shape -> method -> route

// add records rt, documented under path. It fails, naming both routes,
// when another route has a path of the same shape whose parameters are
// named otherwise (GET /a/:x and DELETE /a/:y, which the router serves
// side by side), or the same path and method.
func (k pathKeys) add(rt *kaito.Route, path string) error {
	shape := pathShape(path)
	ops := k[shape]
	if ops == nil {
		ops = map[string]*kaito.Route{}
		k[shape] = ops
	}
	for _, other := range ops {
		if otherPath := templatePath(other.Pattern()); otherPath != path {
			a, b := routeName(other), routeName(rt)
			pa, pb := otherPath, path
			if a > b {
				a, b, pa, pb = b, a, pb, pa
			}
			return fmt.Errorf("openapi: routes %s and %s have paths that differ only in their parameters' names (%s and %s), "+
				"which OpenAPI 3.1 holds identical: name the parameters alike", a, b, pa, pb)
		}
		break // all of ops have one path
	}
	if other, dup := ops[rt.Method()]; dup {
		a, b := routeName(other), routeName(rt)
		if a > b {
			a, b = b, a
		}
		return fmt.Errorf("openapi: routes %s and %s are one operation, %s %s", a, b, rt.Method(), path)
	}
	ops[rt.Method()] = rt
	return nil
}

func routeName(rt *kaito.Route) string { return rt.Method() + " " + rt.Pattern() }

// pathShape is an OpenAPI path template with its parameters' names left
// out: /a/{x}/b and /a/{y}/b are both /a/{}/b.
func pathShape(path string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			b.WriteString(path)
			return b.String()
		}
		j := strings.IndexByte(path[i:], '}')
		b.WriteString(path[:i+1])
		b.WriteByte('}')
		path = path[i+j+1:]
	}
}

// patternParams lists the parameters of an httprouter pattern, and which
// of them is a catch-all.
func patternParams(pattern string) (names []string, catchAll string) {
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != ':' && c != '*' {
			continue
		}
		j := i + 1
		for j < len(pattern) && pattern[j] != '/' {
			j++
		}
		names = append(names, pattern[i+1:j])
		if c == '*' {
			catchAll = pattern[i+1 : j]
		}
		i = j - 1
	}
	return names, catchAll
}

// operationID derives an operationId from a method and a pattern: GET
// /v1/users/:id is getV1UsersById.
func operationID(method, pattern string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	upper := true
	n := b.Len()
	for i := 0; i < len(pattern); i++ {
		c := rune(pattern[i])
		switch {
		case c == ':' || c == '*':
			b.WriteString("By")
			upper = true
		case c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			if upper {
				c = unicode.ToUpper(c)
			}
			b.WriteRune(c)
			upper = false
		default:
			upper = true
		}
	}
	if b.Len() == n {
		b.WriteString("Root")
	}
	return b.String()
}

var (
	noContentType = reflect.TypeFor[kaito.NoContent]()
	textType      = reflect.TypeFor[kaito.Text]()
	blobType      = reflect.TypeFor[kaito.Blob]()
	fileType      = reflect.TypeFor[kaito.File]()
	streamType    = reflect.TypeFor[kaito.Stream]()
	redirectType  = reflect.TypeFor[kaito.Redirect]()
	sseType       = reflect.TypeFor[kaito.SSE]()
	responderType = reflect.TypeFor[kaito.Responder]()
	validatorType = reflect.TypeFor[interface{ Validate() error }]()
	multipartType = reflect.TypeFor[*kaito.MultipartFile]()
	kaitoPkg      = noContentType.PkgPath()
)

// isFile reports whether a body field receives uploaded files.
func isFile(t reflect.Type) bool {
	return t == multipartType || (t.Kind() == reflect.Slice && t.Elem() == multipartType)
}

// operation describes one route.
func (g *generator) operation(rt *kaito.Route, d kaito.RouteDoc, errContent map[string]*mediaType) (*operation, error) {
	op := &operation{
		Tags: d.Tags, Summary: d.Summary, Description: d.Description, Deprecated: d.Deprecated,
		OperationID: cmp.Or(d.OperationID, rt.Name(), operationID(rt.Method(), rt.Pattern())),
		Responses:   map[string]*response{},
	}
	for _, s := range d.Security {
		op.Security = append(op.Security, map[string][]string{s: {}})
	}
	in := rt.Input()
	bound, hasBody, validates, err := g.input(op, rt, in)
	if err != nil {
		return nil, err
	}
	if err := g.success(op, rt); err != nil {
		return nil, err
	}
	errorResponse := func(status int) {
		op.Responses[strconv.Itoa(status)] = &response{Description: http.StatusText(status), Content: errContent}
	}
	if bound {
		errorResponse(http.StatusBadRequest)
	}
	if hasBody {
		errorResponse(http.StatusRequestEntityTooLarge)
		errorResponse(http.StatusUnsupportedMediaType)
	}
	if validates {
		errorResponse(http.StatusUnprocessableEntity)
	}
	if rt.Output() == fileType {
		errorResponse(http.StatusNotFound)
		errorResponse(http.StatusPreconditionFailed)
		errorResponse(http.StatusRequestedRangeNotSatisfiable)
	}
	for _, s := range d.Errors {
		errorResponse(s)
	}
	op.Responses["default"] = &response{Description: "Error", Content: errContent}
	return op, nil
}

// input adds the parameters and the request body of In to op, and reports
// whether anything is bound (a 400 is possible), whether a body is read
// (413 and 415) and whether anything is validated (422).
func (g *generator) input(op *operation, rt *kaito.Route, in reflect.Type) (bound, hasBody, validates bool, err error) {
	names, catchAll := patternParams(rt.Pattern())
	declared := map[string]bool{}
	validates = reflect.PointerTo(in).Implements(validatorType)
	if in.Kind() != reflect.Struct {
		s, err := g.schemaOf(in)
		if err != nil {
			return false, false, false, fmt.Errorf("input %s: %w", in, err)
		}
		op.RequestBody = &requestBody{Content: map[string]*mediaType{}}
		for _, jt := range g.jsonTypes {
			op.RequestBody.Content[jt] = &mediaType{Schema: s}
		}
		bound, hasBody = true, true
		// The structs it holds are checked as a body field's.
		validates = validates || nestedChecks(in, map[reflect.Type]bool{})
	} else {
		m, err := typemodel.Input(in)
		if err != nil {
			return false, false, false, err
		}
		for _, f := range m.Tagged() {
			bound = true
			validates = validates || f.Required && f.Source != typemodel.Path || hasConstraint(f.StructField)
			if f.Source == typemodel.Path {
				if !slices.Contains(names, f.SourceName) {
					return false, false, false, fmt.Errorf("field %s.%s: the pattern has no parameter %q", in, f.Name, f.SourceName)
				}
				declared[f.SourceName] = true
			}
			if f.Hidden {
				continue
			}
			ps, err := g.paramSchema(f.Type)
			if err != nil {
				return false, false, false, fmt.Errorf("field %s.%s: %w", in, f.Name, err)
			}
			if ps, err = g.annotate(in, f, ps); err != nil {
				return false, false, false, err
			}
			p := &parameter{Name: f.SourceName, In: f.Source.String(), Required: f.Required, Schema: ps,
				Description: f.Doc, Deprecated: f.Deprecated}
			ps.Description, ps.Deprecated = "", false
			if f.SourceName == catchAll && f.Source == typemodel.Path {
				p.Description = cmp.Or(p.Description, catchAllDoc)
			}
			op.Parameters = append(op.Parameters, p)
		}
		body := m.BodyFields()
		for _, f := range body {
			validates = validates || f.Required || hasConstraint(f.StructField) || nestedChecks(f.Type, map[reflect.Type]bool{})
		}
		if len(body) > 0 {
			bound, hasBody = true, true
			op.RequestBody, err = g.body(in, m)
			if err != nil {
				return false, false, false, err
			}
		}
	}
	// Every parameter of the pattern is documented, bound or not.
	var extra []*parameter
	for _, n := range names {
		if declared[n] {
			continue
		}
		p := &parameter{Name: n, In: "path", Required: true, Schema: &schema{Type: "string"}}
		if n == catchAll {
			p.Description = catchAllDoc
		}
		extra = append(extra, p)
	}
	op.Parameters = append(extra, op.Parameters...)
	return bound, hasBody, validates, nil
}

const catchAllDoc = "The rest of the path, from its '/' on."

// hasConstraint reports whether a field has a constraint tag, which the
// router checks (422).
func hasConstraint(f reflect.StructField) bool {
	c, err := typemodel.ParseConstraints(f)
	return err == nil && !c.IsZero()
}

// nestedChecks reports whether a body value of type t holds a struct with
// a constraint or a required field, which the router checks too (422).
func nestedChecks(t reflect.Type, seen map[reflect.Type]bool) bool {
	t = typemodel.Innermost(t)
	if t.Kind() != reflect.Struct || typemodel.KindOf(t) != typemodel.Struct || seen[t] {
		return false
	}
	seen[t] = true
	m, err := typemodel.Of(t)
	if err != nil {
		return false
	}
	for _, f := range m.JSONFields() {
		if f.Required || hasConstraint(f.StructField) || nestedChecks(f.Type, seen) {
			return true
		}
	}
	return false
}

// body describes the request body of a struct In: its body fields as JSON,
// urlencoded and multipart.
func (g *generator) body(in reflect.Type, m *typemodel.Model) (*requestBody, error) {
	rb := &requestBody{Content: map[string]*mediaType{}}
	var js *schema
	var err error
	if len(m.Tagged()) == 0 && in.Name() != "" && !hasFiles(m) {
		js, err = g.schemaOf(in)
	} else {
		js, err = g.object(in, true)
	}
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", in, err)
	}
	for _, jt := range g.jsonTypes {
		rb.Content[jt] = &mediaType{Schema: js}
	}

	urlencoded := &schema{Type: "object", Properties: map[string]*schema{}}
	multipart := &schema{Type: "object", Properties: map[string]*schema{}}
	for _, f := range m.BodyFields() {
		if f.Required {
			rb.Required = true
		}
		if f.FormName == "" || f.Hidden {
			continue
		}
		var ps *schema
		switch {
		case f.Type == multipartType:
			ps = &schema{Type: "string", Format: "binary"}
		case isFile(f.Type):
			ps = &schema{Type: "array", Items: &schema{Type: "string", Format: "binary"}}
		case formable(f.Type):
			if ps, err = g.paramSchema(f.Type); err != nil {
				return nil, err
			}
			if ps, err = g.annotate(in, f, ps); err != nil {
				return nil, err
			}
		default:
			continue // not read from forms
		}
		multipart.Properties[f.FormName] = ps
		if f.Required {
			multipart.Required = append(multipart.Required, f.FormName)
		}
		if !isFile(f.Type) {
			urlencoded.Properties[f.FormName] = ps
			if f.Required {
				urlencoded.Required = append(urlencoded.Required, f.FormName)
			}
		}
	}
	if len(urlencoded.Properties) > 0 {
		rb.Content["application/x-www-form-urlencoded"] = &mediaType{Schema: urlencoded}
	}
	if len(multipart.Properties) > 0 {
		rb.Content["multipart/form-data"] = &mediaType{Schema: multipart}
	}
	return rb, nil
}

func hasFiles(m *typemodel.Model) bool {
	for _, f := range m.BodyFields() {
		if isFile(f.Type) {
			return true
		}
	}
	return false
}

// formable reports whether the binder sets a field of type t from form
// values: strings, bools, numbers, TextUnmarshalers, pointers to those and
// slices of them.
func formable(t reflect.Type) bool {
	scalar := func(t reflect.Type) bool {
		t, _ = typemodel.Deref(t)
		if reflect.PointerTo(t).Implements(textUnmarshalerType) {
			return true
		}
		switch t.Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
			return true
		case reflect.Slice:
			return t.Elem().Kind() == reflect.Uint8
		}
		return false
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 {
		return scalar(t.Elem())
	}
	return scalar(t)
}

var binary = &mediaType{Schema: &schema{Type: "string", Format: "binary"}}

// success adds the route's successful response to op, under the status
// the router sends (see kaito.Responder): the route's success status for
// Out's JSON and for the results that write themselves without a status of
// their own; 204 for NoContent, 3XX for Redirect, 200, 206 and 304 for
// File. A Blob or a Stream may still set another status of its own, which
// no type says. Under a route status of 204 or 205 no body is sent, so
// none is documented.
func (g *generator) success(op *operation, rt *kaito.Route) error {
	out := rt.Output()
	code := rt.SuccessStatus()
	status, text := strconv.Itoa(code), http.StatusText(code)
	switch {
	case out == noContentType:
		op.Responses["204"] = &response{Description: "No Content"}
	case out == textType:
		op.Responses[status] = &response{Description: text, Content: map[string]*mediaType{"text/plain": {Schema: &schema{Type: "string"}}}}
	case out == fileType:
		op.Responses["200"] = &response{Description: "OK", Content: map[string]*mediaType{"*/*": binary}}
		op.Responses["206"] = &response{Description: "Partial Content: the ranges the request asked for",
			Headers: map[string]*header{"Content-Range": {Description: "The range sent, when one range was asked for.", Schema: &schema{Type: "string"}}},
			Content: map[string]*mediaType{"*/*": binary, "multipart/byteranges": binary}}
		op.Responses["304"] = &response{Description: "Not Modified"}
	case out == blobType || out == streamType:
		op.Responses[status] = &response{Description: text, Content: map[string]*mediaType{"*/*": binary}}
	case out == redirectType:
		op.Responses["3XX"] = &response{Description: "Redirect", Headers: map[string]*header{
			"Location": {Description: "Where to go.", Required: true, Schema: &schema{Type: "string"}}}}
	case out == sseType:
		op.Responses[status] = &response{Description: "Server-sent events", Content: map[string]*mediaType{
			"text/event-stream": {Schema: &schema{Type: "string"}}}}
	case isEventStream(out, kaitoPkg):
		s, err := g.schemaOf(eventData(out))
		if err != nil {
			return fmt.Errorf("output %s: %w", out, err)
		}
		op.Responses[status] = &response{Description: "Server-sent events", Content: map[string]*mediaType{
			"text/event-stream": {Schema: &schema{Type: "string", Description: "Each event's data is JSON of the schema x-event-data."}, EventData: s}}}
	case out.Implements(responderType) || reflect.PointerTo(out).Implements(responderType):
		op.Responses[status] = &response{Description: "Written by " + out.String() + "'s Respond method"}
	case rt.Method() == http.MethodHead:
		op.Responses[status] = &response{Description: text}
	default:
		s, err := g.schemaOf(out)
		if err != nil {
			return fmt.Errorf("output %s: %w", out, err)
		}
		op.Responses[status] = &response{Description: text,
			Content: map[string]*mediaType{"application/json": {Schema: s}}}
	}
	if res := op.Responses[status]; res != nil && (code == http.StatusNoContent || code == http.StatusResetContent) {
		res.Content = nil // the router sends no body with a 204 or a 205
	}
	return nil
}

// errorSchemas adds the error body's schemas and returns the content of
// an error response: {"message", "errors"} as application/json, or under
// problem details an RFC 9457 problem as application/problem+json.
func (g *generator) errorSchemas(problem bool) map[string]*mediaType {
	field := &component{name: "FieldError", schema: &schema{Type: "object", Required: []string{"location", "message"},
		Properties: map[string]*schema{
			"location": {Type: "string", Description: `Where the value was: "path.id", "query.page", "header.X-Token", "cookie.sid", "body.a.b[0]".`},
			"message":  {Type: "string", Description: "What is wrong with it."},
		}}}
	errors := &schema{Type: "array", Items: &schema{ref: field}, Description: "The fields at fault, when the error is about the input."}
	if problem {
		p := &component{name: "Problem", schema: &schema{Type: "object", Required: []string{"type", "title", "status"},
			Description: "An RFC 9457 problem.",
			Properties: map[string]*schema{
				"type":   {Type: "string", Format: "uri-reference", Description: `Always "about:blank": the status says what happened.`},
				"title":  {Type: "string", Description: "The status text."},
				"status": {Type: "integer", Format: "int32", Description: "The status code."},
				"detail": {Type: "string", Description: "What went wrong."},
				"errors": errors,
			}}}
		g.fixed = append(g.fixed, p, field)
		return map[string]*mediaType{"application/problem+json": {Schema: &schema{ref: p}}}
	}
	e := &component{name: "Error", schema: &schema{Type: "object", Required: []string{"message"},
		Properties: map[string]*schema{
			"message": {Type: "string", Description: "What went wrong."},
			"errors":  errors,
		}}}
	g.fixed = append(g.fixed, e, field)
	return map[string]*mediaType{"application/json": {Schema: &schema{ref: e}}}
}

// isEventStream reports whether t is pkg's EventStream[T]: a struct
// type of that name whose field Source is a func(send func(TypedEvent[T])
// error) error, TypedEvent[T] having a field Data of type T. reflect
// cannot name a generic type without its type argument, so the type is
// recognised by its name and shape.
func isEventStream(t reflect.Type, pkg string) bool {
	if t.Kind() != reflect.Struct || t.PkgPath() != pkg || !strings.HasPrefix(t.Name(), "EventStream[") {
		return false
	}
	src, ok := t.FieldByName("Source")
	if !ok || src.Type.Kind() != reflect.Func || src.Type.NumIn() != 1 || src.Type.In(0).Kind() != reflect.Func || src.Type.In(0).NumIn() != 1 {
		return false
	}
	ev := src.Type.In(0).In(0)
	if ev.Kind() != reflect.Struct {
		return false
	}
	_, ok = ev.FieldByName("Data")
	return ok
}

// eventData returns the type T of an EventStream[T].
func eventData(t reflect.Type) reflect.Type {
	src, _ := t.FieldByName("Source")
	data, _ := src.Type.In(0).In(0).FieldByName("Data")
	return data.Type
}
