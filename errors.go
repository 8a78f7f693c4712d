package kaito

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Error is an error that carries the HTTP status it is answered with, the
// KaitoError of the original framework. Its Message is sent to the client as
// {"message": "..."}, and its Errors, when there are any, as
// {"message": "...", "errors": [{"location": "...", "message": "..."}]}; a
// handler, a context factory, a refinement or a Validate method can return
// one to choose the response. Under WithProblemDetails the same error is
// sent as an RFC 9457 problem.
//
// An *Error found anywhere in an error's chain (errors.As, so also when
// wrapped with %w) is answered as it is and never reaches OnError.
type Error struct {
	// Status is the HTTP status code, 400 to 599. Anything else is sent as 500.
	Status int
	// Message is the text sent to the client. When empty, the status text is sent.
	Message string
	// Errors lists what is wrong with each field of the input, for a
	// client to show beside the field. It is sent as "errors" when not
	// empty. The router's own 400 (a value that does not convert) and 422
	// (a failed validation tag) fill it; a Validate method may too.
	Errors []FieldError
}

// FieldError is what is wrong with one field of the input. Location names
// the field by its source and its name there: path.id, query.page,
// header.X-Token, cookie.sid, or body.a.b[0] (JSON names, with indexes of
// slices in brackets). Its JSON form is {"location": "...", "message": "..."}.
type FieldError struct {
	Location string `json:"location"`
	Message  string `json:"message"`
}

// NewError returns an *Error with the given status and message.
func NewError(status int, message string) *Error {
	return &Error{Status: status, Message: message}
}

// Error returns the message, prefixed with the status code.
func (e *Error) Error() string {
	return strconv.Itoa(e.Status) + " " + e.message()
}

// StatusCode returns e.Status.
func (e *Error) StatusCode() int { return e.Status }

func (e *Error) message() string {
	if e.Message == "" {
		return http.StatusText(e.Status)
	}
	return e.Message
}

// statusCoder is the interface of errors that choose their own status.
type statusCoder interface {
	StatusCode() int
}

// resolveError works out the status, the client-visible message and the
// field errors for err, following the rules in the package documentation.
// The text of an error that nothing maps is never returned: it may hold
// anything from SQL to file paths.
func (c *core) resolveError(err error, req *Request) (status int, message string, fields []FieldError, mapped bool) {
	var ke *Error
	if errors.As(err, &ke) {
		if !validErrorStatus(ke.Status) {
			return http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError), nil, true
		}
		return ke.Status, ke.message(), ke.Errors, true
	}
	status, message, mapped = c.resolveOther(err, req)
	return status, message, nil, mapped
}

// resolveOther maps an error that is not an *Error.
func (c *core) resolveOther(err error, req *Request) (status int, message string, mapped bool) {
	var sc statusCoder
	if errors.As(err, &sc) {
		s := sc.StatusCode()
		switch {
		case s >= 400 && s < 500:
			// The text of the error that carries the status, not of what
			// wraps it: a wrapper may add internals ("SELECT ...: %w").
			if e, ok := sc.(error); ok {
				return s, e.Error(), true
			}
			return s, http.StatusText(s), true
		case s >= 500 && s < 600:
			return s, http.StatusText(s), true
		}
	}
	if c.onError != nil {
		s, msg := c.onError(err, req)
		if validErrorStatus(s) {
			if msg == "" {
				msg = http.StatusText(s)
			}
			return s, msg, true
		}
	}
	return http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError), false
}

func validErrorStatus(s int) bool { return s >= 400 && s <= 599 }

// Errors the core answers with. They are *Error values so that OnError never
// sees them and their text, written for clients, is sent as it is.
var (
	errBodyTooLarge = &Error{Status: http.StatusRequestEntityTooLarge, Message: "request body too large"}
)

// ConflictError is the panic value of a route registration that would make
// two routes match exactly the same requests.
type ConflictError struct {
	Method   string // the method of both routes
	Pattern  string // the route being registered
	Existing string // the route already registered
	Example  string // a path both match
}

// Error names both routes and a path they both match.
func (e *ConflictError) Error() string {
	return "kaito: route " + e.Method + " " + e.Pattern + " conflicts with " + e.Method + " " + e.Existing +
		": both match " + e.Example + " and neither is more specific"
}

// PatternError is the panic value of a route registration with a malformed pattern.
type PatternError struct {
	Pattern string // the pattern as given
	Reason  string // what is wrong with it
}

// Error quotes the pattern and says what is wrong with it.
func (e *PatternError) Error() string {
	return "kaito: invalid route pattern " + strconv.Quote(e.Pattern) + ": " + e.Reason
}

// maxQuoted is the most bytes of client input an error message quotes.
const maxQuoted = 256

// quoteInput quotes client input for an error message, as strconv.Quote
// does, keeping at most maxQuoted bytes of quoted text: a longer value is
// cut at a character and marked with an ellipsis after the closing quote,
// so that an answer never grows with what the client sent.
func quoteInput(s string) string {
	if len(s) <= maxQuoted/4 {
		// Every byte quotes to at most four bytes ("\x00"): it fits.
		return strconv.Quote(s)
	}
	b := make([]byte, 0, maxQuoted+8)
	b = append(b, '"')
	for i := 0; i < len(s); {
		_, n := utf8.DecodeRuneInString(s[i:])
		q := strconv.Quote(s[i : i+n])
		q = q[1 : len(q)-1]
		if len(b)-1+len(q) > maxQuoted {
			return string(append(b, "\"…"...))
		}
		b = append(b, q...)
		i += n
	}
	return string(append(b, '"'))
}

// cutInput cuts text that may hold client input (the message of a
// decoder or of a TextUnmarshaler, which may quote what it could not
// parse) to maxQuoted bytes, at a character, marked with an ellipsis.
func cutInput(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// WithProblemDetails answers every error as an RFC 9457 problem, with
// Content-Type application/problem+json, in place of {"message": "..."}:
// the router's own answers (404, 405, 413, 415, the 400 of input that does
// not convert, the 422 of validation, the 500 of a panic) and the errors of
// handlers, context factories and Validate methods alike. The problem is
//
//	{"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
//	 "detail": "validation failed", "errors": [{"location": "body.email", "message": "..."}]}
//
// with title the status text, detail the error's message, and errors, an
// extension member, present when the error has field errors.
//
// The serve helper of adapters/fasthttp answers what fasthttp refuses before
// any handler runs (400, 408, 413, 431) the same way when its Config says
// ProblemDetails; net/http writes its own plain-text answers for those.
func WithProblemDetails() Option {
	return func(c *config) error { c.problem = true; return nil }
}

// ProblemDetails reports whether the router answers errors as RFC 9457
// problems (WithProblemDetails), so that a document of its API, such as
// package openapi's, can describe the error body it really sends.
func (r *Router[C]) ProblemDetails() bool { return r.core.problem }

// errorBody is the JSON of an error answer.
type errorBody struct {
	Message string       `json:"message"`
	Errors  []FieldError `json:"errors,omitempty"`
}

// problemBody is the JSON of an error answer under WithProblemDetails.
type problemBody struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors,omitempty"`
}

var problemContentType = []string{"application/problem+json"}

// writeError sends an error answer: {"message", "errors"}, or a problem.
func (req *Request) writeError(status int, msg string, fields []FieldError) {
	if req.core.problem {
		req.writeJSONAs(status, problemBody{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: msg, Errors: fields}, problemContentType, false)
		return
	}
	req.writeJSON(status, errorBody{Message: msg, Errors: fields}, false)
}
