// Command gen writes the TypeScript client of the example API (package
// api) to the file named by its argument, or to standard output:
//
//	go generate ./examples/hello   # runs: go run ./gen client.ts
package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/kaito-go/kaito/examples/hello/api"
	"github.com/kaito-go/kaito/tsclient"
)

func main() {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	var err error
	switch len(os.Args) {
	case 1:
		_, err = os.Stdout.Write(b.Bytes())
	case 2:
		err = os.WriteFile(os.Args[1], b.Bytes(), 0o644)
	default:
		err = fmt.Errorf("usage: gen [file.ts]")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// write writes the client of every route the example serves.
func write(w io.Writer) error {
	routes := api.Routes(api.NewStore(), slog.New(slog.DiscardHandler)).Routes()
	return tsclient.Generate(w, routes, tsclient.Comment("go generate ./examples/hello (examples/hello/gen)"))
}
