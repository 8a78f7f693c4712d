package integration

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kaito-go/kaito/examples/hello/api"
	"github.com/kaito-go/kaito/openapi"
)

// validateDocument loads an OpenAPI document with kin-openapi and fails the
// test on any error Validate finds.
func validateDocument(t *testing.T, name string, data []byte) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("%s: kin-openapi cannot load the document: %v", name, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s: kin-openapi finds the document invalid: %v", name, err)
	}
	return doc
}

// The document of examples/hello is a valid OpenAPI 3.1 document and
// describes its operations.
func TestOpenAPIHelloDocumentIsValid(t *testing.T) {
	r := api.Routes(api.NewStore(), slog.New(slog.DiscardHandler))
	data, err := openapi.Build(r.Routes(), api.Docs)
	if err != nil {
		t.Fatal(err)
	}
	doc := validateDocument(t, "examples/hello", data)
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	for _, op := range []struct{ method, path string }{
		{"GET", "/health"}, {"GET", "/v1/users"}, {"GET", "/v1/users/{id}"}, {"POST", "/v1/users"},
		{"GET", "/v1/me"}, {"DELETE", "/v1/users/{id}"},
	} {
		item := doc.Paths.Find(op.path)
		if item == nil || item.GetOperation(op.method) == nil {
			t.Errorf("the document has no %s %s", op.method, op.path)
		}
	}
	if n := doc.Paths.Len(); n != 4 {
		t.Errorf("the document has %d paths, want 4 (the docs routes are hidden)", n)
	}
}

// Every golden document of package openapi (a router that uses every
// mapping rule) is valid too.
func TestOpenAPIGoldenDocumentsAreValid(t *testing.T) {
	files, err := filepath.Glob("../openapi/testdata/*.golden.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden documents: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		validateDocument(t, f, data)
	}
}
