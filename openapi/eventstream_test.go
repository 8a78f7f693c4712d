package openapi

import (
	"encoding/json"
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

	defer func(p string) { eventStreamPkg = p }(eventStreamPkg)
	eventStreamPkg = pkg
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(r, "/ticks", func(struct{}, struct{}) (EventStream[tick], error) { return EventStream[tick]{}, nil })
	b, err := Build(r.Routes(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	got := string(doc.Paths["/ticks"]["get"].Responses["200"].Content["text/event-stream"])
	want := `{"schema":{"description":"Each event's data is JSON of the schema x-event-data.","type":"string"},"x-event-data":{"$ref":"#/components/schemas/Tick"}}`
	if compact(got) != want {
		t.Errorf("text/event-stream = %s, want %s", compact(got), want)
	}
}

func compact(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
