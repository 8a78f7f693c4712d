package kaito

import (
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Error is an error that carries the HTTP status it is answered with, the
// KaitoError of the original framework. Its Message is sent to the client as
// {"message": "..."}; a handler, a context factory, a refinement or a
// Validate method can return one to choose the response.
//
// An *Error found anywhere in an error's chain (errors.As, so also when
// wrapped with %w) is answered as it is and never reaches OnError.
type Error struct {
	// Status is the HTTP status code, 400 to 599. Anything else is sent as 500.
	Status int
	// Message is the text sent to the client. When empty, the status text is sent.
	Message string
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

// resolveError works out the status and the client-visible message for err,
// following the rules in the package documentation. The text of an error
// that nothing maps is never returned: it may hold anything from SQL to file
// paths.
func (c *core) resolveError(err error, req *Request) (status int, message string, mapped bool) {
	var ke *Error
	if errors.As(err, &ke) {
		if !validErrorStatus(ke.Status) {
			return http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError), true
		}
		return ke.Status, ke.message(), true
	}
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
