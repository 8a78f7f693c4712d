package kaito

import (
	"bytes"
	"time"
)

// TypedEvent is one server-sent event of an EventStream, whose Data is
// sent as JSON. Empty ID and Event are left out, as is a zero Retry.
type TypedEvent[T any] struct {
	ID    string
	Event string
	Data  T
	Retry time.Duration
}

// EventStream is a handler result that sends server-sent events whose data
// is the JSON of T, as SSE sends text: Source calls send for each event,
// which is written and flushed at once, and the stream ends when Source
// returns or the client goes away (send then returns an error). A value
// that cannot be encoded makes send return the error, and nothing of that
// event is sent. The status is the route's success status, as for SSE.
// client.Events reads such a stream with typed data.
type EventStream[T any] struct {
	Source func(send func(TypedEvent[T]) error) error
}

// Respond streams the events.
func (s EventStream[T]) Respond(w ResponseWriter) error {
	codec := Codec(GoJSON)
	if rw, ok := w.(*responseWriter); ok && rw.core.codec != nil {
		codec = rw.core.codec
	}
	return SSE{Source: func(send func(Event) error) error {
		var buf bytes.Buffer
		return s.Source(func(e TypedEvent[T]) error {
			buf.Reset()
			if err := codec.Encode(&buf, e.Data); err != nil {
				return err
			}
			return send(Event{ID: e.ID, Event: e.Event, Data: string(bytes.TrimRight(buf.Bytes(), "\n")), Retry: e.Retry})
		})
	}}.Respond(w)
}
