package integration

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaito-go/kaito/examples/hello/api"
)

// The TypeScript client that package tsclient generates compiles under the
// strictest flags (strict, exactOptionalPropertyTypes,
// noUncheckedIndexedAccess: tsclient/tsconfig.json) with TypeScript 5.9 and
// 7.0, installed from tsclient/package-lock.json by npm ci: the client of
// examples/hello (examples/hello/client.ts), and that of a router using
// every type rule (tsclient/testdata/every.ts, package tsclient's golden
// file). The usage files beside them call every route, and their
// @ts-expect-error lines prove that wrong paths, missing required
// parameters, wrong bodies and misuse of results are refused: an expected
// error that does not happen fails the compilation. Then node runs the
// compiled hello_run.ts against examples/hello on both adapters.
func TestTSClient(t *testing.T) {
	node := need(t, "node")
	modules, err := filepath.Abs("tsclient/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	compilers := []struct{ name, tsc, version string }{
		{"typescript 5.9", filepath.Join(modules, "typescript/bin/tsc"), "Version 5.9."},
		{"typescript 7.0", filepath.Join(modules, "typescript7/bin/tsc"), "Version 7.0."},
	}
	for _, c := range compilers {
		if _, err := os.Stat(c.tsc); err != nil {
			msg := c.name + " is not installed: run npm ci in integration/tsclient (.ci/integration does)"
			if os.Getenv("KAITO_REQUIRE_TOOLS") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}

	work := t.TempDir()
	for src, dst := range map[string]string{
		"../examples/hello/client.ts":   "client.ts",
		"../tsclient/testdata/every.ts": "every.ts",
		"tsclient/hello_run.ts":         "hello_run.ts",
		"tsclient/every_usage.ts":       "every_usage.ts",
		"tsclient/tsconfig.json":        "tsconfig.json",
	} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(t *testing.T, env []string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	for _, c := range compilers {
		t.Run(c.name, func(t *testing.T) {
			if v := run(t, nil, c.tsc, "--version"); !strings.Contains(v, c.version) {
				t.Fatalf("%s --version = %q, want %s", c.tsc, v, c.version)
			}
			run(t, nil, c.tsc, "-p", "tsconfig.json", "--noEmit")
		})
	}
	if t.Failed() {
		return
	}

	// The JavaScript of TypeScript 5.9, run by node against the example.
	run(t, nil, compilers[0].tsc, "-p", "tsconfig.json")
	if err := os.WriteFile(filepath.Join(work, "out", "package.json"), []byte(`{"type": "module"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, adapter := range adapterNames {
		t.Run("node/"+adapter, func(t *testing.T) {
			origin := serveRouter(t, adapter, api.Routes(api.NewStore(), slog.New(slog.DiscardHandler)))
			out := run(t, []string{"KAITO_BASE=" + origin}, "out/hello_run.js")
			if !strings.HasPrefix(out, "ok ") {
				t.Errorf("hello_run.js: %s", out)
			}
			t.Log(strings.TrimSpace(out))
		})
	}
}
