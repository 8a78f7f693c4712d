package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/kaito-go/kaito"
)

// maxEventLine bounds one line of an event stream.
const maxEventLine = 1 << 20

// Events calls the EventStream endpoint e with in and iterates over its
// events, each one's data decoded from JSON into T. The sequence ends
// when the server ends the stream, when the loop stops, or when ctx is
// done, without an error in each case. It yields one error, and ends, when
// the request fails, the answer is not 2xx (an *Error) or not an event
// stream, the connection is cut in the middle of an event, or an event's
// data is not JSON of T. The sequence sends its request each time it is
// iterated.
func Events[In, T any](ctx context.Context, c *Client, e kaito.Endpoint[In, kaito.EventStream[T]], in In) iter.Seq2[kaito.TypedEvent[T], error] {
	return func(yield func(kaito.TypedEvent[T], error) bool) {
		var zero kaito.TypedEvent[T]
		where := e.Method() + " " + e.Pattern()
		res, err := c.send(ctx, e.Method(), e.Pattern(), reflect.TypeFor[In](), &in, "text/event-stream")
		if err != nil {
			if ctx.Err() == nil {
				yield(zero, err)
			}
			return
		}
		defer res.Body.Close()
		if res.StatusCode < 200 || res.StatusCode > 299 {
			yield(zero, errorOf(res))
			return
		}
		if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "text/event-stream" {
			yield(zero, fmt.Errorf("client: %s: the answer is %q, not an event stream", where, res.Header.Get("Content-Type")))
			return
		}
		r := bufio.NewReaderSize(res.Body, 4096)
		var (
			ev      kaito.TypedEvent[T]
			data    strings.Builder
			hasData bool
			pending bool // a field of an event not dispatched yet
		)
		for {
			line, err := readLine(r)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				if errors.Is(err, io.EOF) && !pending && line == "" {
					return
				}
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				yield(zero, fmt.Errorf("client: %s: the event stream broke: %w", where, err))
				return
			}
			if line == "" {
				// A blank line dispatches the event, if it has data.
				if hasData {
					if err := json.Unmarshal([]byte(data.String()), &ev.Data); err != nil {
						yield(zero, fmt.Errorf("client: %s: event data is not JSON of %s: %w", where, reflect.TypeFor[T](), err))
						return
					}
					if !yield(ev, nil) {
						return
					}
				}
				ev, hasData, pending = kaito.TypedEvent[T]{}, false, false
				data.Reset()
				continue
			}
			if line[0] == ':' {
				continue // a comment
			}
			pending = true
			name, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch name {
			case "data":
				if hasData {
					data.WriteByte('\n')
				}
				data.WriteString(value)
				hasData = true
			case "event":
				ev.Event = value
			case "id":
				if !strings.ContainsRune(value, 0) {
					ev.ID = value
				}
			case "retry":
				if ms, err := strconv.ParseInt(value, 10, 64); err == nil && ms >= 0 {
					ev.Retry = time.Duration(ms) * time.Millisecond
				}
			}
		}
	}
}

// readLine reads one line of an event stream without its end (LF or
// CRLF). At the end of the stream it returns the unterminated rest with
// io.EOF.
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		b = append(b, chunk...)
		if len(b) > maxEventLine {
			return "", fmt.Errorf("a line of more than %d bytes", maxEventLine)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			return string(b), err
		}
		b = b[:len(b)-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
		return string(b), nil
	}
}
