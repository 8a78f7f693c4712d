package tsclient_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/tsclient"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Base is embedded: its fields are the outer struct's, as encoding/json
// flattens them.
type Base struct {
	Created time.Time `json:"created"`
	Version uint      `json:"version,omitempty"`
}

// Tree refers to itself.
type Tree struct {
	Name     string `json:"name"`
	Children []Tree `json:"children"`
}

// Page is a generic page of T.
type Page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// Item uses every rule of the type model.
type Item struct {
	Base
	ID       int                `json:"id" doc:"The item's id."`
	Name     string             `json:"name"`
	Price    float64            `json:"price"`
	Stock    uint16             `json:"stock"`
	Active   bool               `json:"active"`
	Note     *string            `json:"note"`
	Nick     string             `json:"nick,omitempty"`
	Since    time.Time          `json:"since,omitzero"`
	Loose    string             `json:"loose" required:"false"`
	Data     []byte             `json:"data"`
	Counts   map[string]int     `json:"counts"`
	ByID     map[int]string     `json:"byId"`
	Status   string             `json:"status" enum:"draft,live,gone"`
	Labels   []string           `json:"labels" enum:"red,green"`
	Level    *int               `json:"level" enum:"1,2,3"`
	Big      int64              `json:"big,string"`
	Maybe    string             `json:"maybe" nullable:"true"`
	Secret   string             `json:"secret" hidden:"true"`
	Skipped  string             `json:"-"`
	Addr     netip.Addr         `json:"addr"`
	Raw      json.RawMessage    `json:"raw"`
	Any      any                `json:"any"`
	Dims     struct{ W, H int } `json:"dims"`
	Tree     *Tree              `json:"tree"`
	Dashed   string             `json:"x-dashed"`
	Old      string             `json:"old" deprecated:"true"`
	internal string             //lint:ignore U1000 an unexported field is not in the client
}

// GetItem reads every parameter source.
type GetItem struct {
	ID      int      `path:"id"`
	Fields  []string `query:"field"`
	Mode    string   `query:"mode" required:"true" enum:"full,short"`
	Limit   *int     `query:"limit"`
	Token   string   `header:"X-Token" required:"true"`
	Trace   []string `header:"X-Trace"`
	Session string   `cookie:"sid"`
}

// NewItem is a body with required fields.
type NewItem struct {
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags,omitempty"`
}

// PatchItem has a path parameter and an optional body.
type PatchItem struct {
	ID    int     `path:"id"`
	Name  *string `json:"name"`
	Price float64 `json:"price,omitempty"`
}

// Router uses every type rule and every result kind.
func Router() *kaito.Router[struct{}] {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(r, "/health", func(struct{}, struct{}) (map[string]string, error) { return nil, nil }, kaito.Summary("Reports that the server is up."))
	kaito.Get(r, "/items/:id", func(struct{}, GetItem) (Item, error) { return Item{}, nil },
		kaito.Summary("Reads an item."), kaito.Description("Every parameter source.\nTwo lines."))
	kaito.Get(r, "/items", func(struct{}, struct{}) (Page[Item], error) { return Page[Item]{}, nil })
	kaito.Post(r, "/items", func(struct{}, NewItem) (Item, error) { return Item{}, nil }, kaito.Status(http.StatusCreated))
	kaito.Patch(r, "/items/:id", func(struct{}, PatchItem) (Item, error) { return Item{}, nil }, kaito.Deprecated())
	kaito.Delete(r, "/items/:id", func(struct{}, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
	kaito.Put(r, "/files/*path", func(struct{}, struct {
		Path string `path:"path"`
	}) (kaito.Blob, error) {
		return kaito.Blob{}, nil
	})
	kaito.Get(r, "/text", func(struct{}, struct{}) (kaito.Text, error) { return "", nil })
	kaito.Get(r, "/events", func(struct{}, struct{}) (kaito.EventStream[Item], error) { return kaito.EventStream[Item]{}, nil })
	kaito.Get(r, "/raw", func(struct{}, struct{}) (kaito.SSE, error) { return kaito.SSE{}, nil })
	kaito.Get(r, "/go", func(struct{}, struct{}) (kaito.Redirect, error) { return kaito.Redirect{}, nil })
	kaito.Post(r, "/sum", func(struct{}, []int) (int, error) { return 0, nil })
	kaito.Get(r, "/hidden", func(struct{}, struct{}) (string, error) { return "", nil }, kaito.Hidden())
	kaito.Handle(r, "OPTIONS", "/items", func(struct{}, struct{}) (kaito.NoContent, error) { return kaito.NoContent{}, nil })
	return r
}

func generate(t *testing.T, routes []*kaito.Route) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tsclient.Generate(&b, routes, tsclient.Comment("go test ./tsclient -update")); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The generated client of a router that uses every rule, as reviewed in
// testdata/every.ts (integration/ compiles it with TypeScript).
func TestGenerateGolden(t *testing.T) {
	got := generate(t, Router().Routes())
	const golden = "testdata/every.ts"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the generated client differs from %s (go test ./tsclient -update rewrites it):\n%s", golden, got)
	}
}

// The same routes give the same bytes, whatever their order.
func TestGenerateDeterministic(t *testing.T) {
	routes := Router().Routes()
	first := generate(t, routes)
	for range 5 {
		reversed := make([]*kaito.Route, len(routes))
		for i, rt := range routes {
			reversed[len(routes)-1-i] = rt
		}
		routes = reversed
		if got := generate(t, routes); !bytes.Equal(got, first) {
			t.Fatal("the output changed with the order of the routes")
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(r, "/ch", func(struct{}, struct{}) (struct {
		C chan int `json:"c"`
	}, error) {
		return struct {
			C chan int `json:"c"`
		}{}, nil
	})
	err := tsclient.Generate(&bytes.Buffer{}, r.Routes())
	if err == nil || !strings.Contains(err.Error(), "GET /ch") || !strings.Contains(err.Error(), "field") {
		t.Errorf("error %v, want one naming the route and the field", err)
	}
}

// Headers is named like a global type the client's code uses.
type Headers struct {
	A string `json:"a"`
}

// A Go type named like one of the module's own names or a global type it
// uses is numbered, so that the runtime keeps its meaning.
func TestGenerateReservedNames(t *testing.T) {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	kaito.Get(r, "/h", func(struct{}, struct{}) (Headers, error) { return Headers{}, nil })
	out := string(generate(t, r.Routes()))
	if !strings.Contains(out, "export interface Headers2 {") || !strings.Contains(out, `"/h": { args: Record<string, never>; result: Headers2 };`) {
		t.Errorf("Headers is not renamed Headers2:\n%s", out)
	}
}
