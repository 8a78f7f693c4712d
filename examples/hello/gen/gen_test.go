package main

import (
	"bytes"
	"os"
	"testing"
)

// The committed client.ts is the client of the API as it is: a route
// changed without go generate fails here.
func TestClientIsUpToDate(t *testing.T) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../client.ts")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, b.Bytes()) {
		t.Error("examples/hello/client.ts is stale: run go generate ./examples/hello")
	}
}
