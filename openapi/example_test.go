package openapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/openapi"
)

type Pet struct {
	ID   int64   `json:"id" readOnly:"true"`
	Name string  `json:"name" doc:"What the pet answers to." example:"Rex"`
	Tag  *string `json:"tag,omitempty"`
}

type PetID struct {
	ID int64 `path:"id"`
}

// Build needs no server: a test or a go generate step can write the
// document to a file.
func ExampleBuild() {
	r := kaito.New(func(*kaito.Request) (struct{}, error) { return struct{}{}, nil })
	pets := r.Group("/pets", kaito.Tags("pets"))
	kaito.Get(pets, "/:id", func(_ struct{}, in PetID) (Pet, error) {
		return Pet{ID: in.ID}, nil
	}, kaito.Summary("Find a pet"), kaito.Errors(http.StatusNotFound))
	kaito.Post(pets, "", func(_ struct{}, in Pet) (Pet, error) { return in, nil }, kaito.Status(http.StatusCreated))

	doc, err := openapi.Build(r.Routes(), openapi.Config{Title: "Pets", Version: "1.0.0"})
	if err != nil {
		panic(err)
	}
	var d struct {
		Paths map[string]map[string]struct {
			OperationID string                     `json:"operationId"`
			Responses   map[string]json.RawMessage `json:"responses"`
		}
		Components struct {
			Schemas map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		panic(err)
	}
	for _, path := range []string{"/pets", "/pets/{id}"} {
		for method, op := range d.Paths[path] {
			var statuses []string
			for s := range op.Responses {
				statuses = append(statuses, s)
			}
			fmt.Println(method, path, op.OperationID, sorted(statuses))
		}
	}
	fmt.Println(string(compactJSON(d.Components.Schemas["Pet"])))
	// Output:
	// post /pets postPets [201 400 413 415 422 default]
	// get /pets/{id} getPetsById [200 400 404 default]
	// {"type":"object","properties":{"id":{"type":"integer","format":"int64","readOnly":true},"name":{"type":"string","description":"What the pet answers to.","examples":["Rex"]},"tag":{"type":["string","null"]}},"required":["id","name"]}
}
