package openapi

import (
	"reflect"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
)

// EventStream and TypedEvent have the shape DESIGN gives kaito's: package
// openapi recognises an event stream by it.
type EventStream[T any] struct {
	Source func(send func(TypedEvent[T]) error) error
}

type TypedEvent[T any] struct {
	ID, Event string
	Data      T
	Retry     time.Duration
}

type tick struct {
	N int `json:"n"`
}

type notAStream[T any] struct{ Source func() error }

func TestEventStream(t *testing.T) {
	pkg := reflect.TypeFor[tick]().PkgPath()
	if !isEventStream(reflect.TypeFor[EventStream[tick]](), pkg) {
		t.Fatal("EventStream[tick] is not recognised")
	}
	if got := eventData(reflect.TypeFor[EventStream[[]tick]]()); got != reflect.TypeFor[[]tick]() {
		t.Errorf("eventData = %v", got)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[EventStream[tick]]()} {
		if isEventStream(typ, kaitoPkg) {
			t.Errorf("%v is an event stream of package kaito", typ)
		}
	}
	if isEventStream(reflect.TypeFor[notAStream[tick]](), pkg) {
		t.Error("a struct of another name and shape is an event stream")
	}

	if !isEventStream(reflect.TypeFor[kaito.EventStream[tick]](), kaitoPkg) {
		t.Error("kaito.EventStream[tick] is not recognised")
	}
}
