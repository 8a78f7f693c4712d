package kaito_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestReadmeProgramBuilds keeps the README's complete program true: it is
// cut out of README.md and built against this module.
func TestReadmeProgramBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "```go\npackage main\n")
	if start < 0 {
		t.Fatal("README.md has no complete program (a ```go block starting with package main)")
	}
	program := string(readme[start+len("```go\n"):])
	program = program[:strings.Index(program, "```")]
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "readme"), src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's program does not build: %v\n%s", err, out)
	}
}

// readmePreamble declares what the README's snippets take for granted: the
// application's context type, a router, a context factory, and the like.
// A snippet that declares one of these names itself replaces it.
var readmePreamble = map[string]string{
	"App":          "type App struct {\n\tReq *kaito.Request\n\tTx  *sql.Tx\n}",
	"r":            "var r *kaito.Router[App]",
	"c":            "var c App",
	"factory":      "var factory kaito.ContextFactory[App]",
	"requestIDKey": "type requestIDKey struct{}",
	"ctx":          "var ctx context.Context",
}

// readmeImports are the packages the snippets may use, by the name they use.
var readmeImports = map[string]string{
	"kaito": "github.com/kaito-go/kaito", "ip": "github.com/kaito-go/kaito/ip",
	"cloudflare": "github.com/kaito-go/kaito/ip/cloudflare", "nethttp": "github.com/kaito-go/kaito/adapters/nethttp",
	"fasthttp": "github.com/kaito-go/kaito/adapters/fasthttp", "kaitotest": "github.com/kaito-go/kaito/kaitotest",
	"api": "github.com/kaito-go/kaito/examples/hello/api", "openapi": "github.com/kaito-go/kaito/openapi",
	"client": "github.com/kaito-go/kaito/client", "tsclient": "github.com/kaito-go/kaito/tsclient",
	"context": "context", "errors": "errors", "fmt": "fmt", "http": "net/http", "httptest": "net/http/httptest",
	"os": "os", "signal": "os/signal", "syscall": "syscall", "slog": "log/slog", "sql": "database/sql",
	"strings": "strings", "testing": "testing", "time": "time", "tls": "crypto/tls", "net": "net",
}

// TestReadmeSnippetsCompile type-checks every Go snippet of the README, so
// that the API they show cannot drift from the code. A snippet is a list of
// statements, of declarations, or of both; each becomes a package of its own
// with the preamble it needs, and go vet checks them all at once. A snippet
// that is a single expression (a signature shown for reading) is only parsed.
func TestReadmeSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the snippets")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module readmecheck\n\ngo 1.25.0\n\nrequire github.com/kaito-go/kaito v0.0.0\n\nreplace github.com/kaito-go/kaito => " + root + "\n"
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	snippets := readmeSnippets(string(readme))
	n := 0
	for i, sn := range snippets {
		if strings.HasPrefix(sn.code, "package main\n") {
			continue // the complete program: TestReadmeProgramBuilds
		}
		if _, err := parser.ParseExpr(sn.code); err == nil {
			continue
		}
		src, err := snippetFile(sn.code)
		if err != nil {
			t.Errorf("README.md line %d: %v\n%s", sn.line, err, sn.code)
			continue
		}
		pkg := filepath.Join(dir, fmt.Sprintf("s%02d", i))
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, "snippet.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no snippets found in README.md")
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README snippets do not compile: %v\n%s\n(the snippets are in %s; a snippet's package s<N> is the README's N-th go block)", err, out, dir)
	}
}

type snippet struct {
	code string
	line int
}

func readmeSnippets(readme string) []snippet {
	var out []snippet
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```go" {
			continue
		}
		start := i + 1
		for i++; i < len(lines) && lines[i] != "```"; i++ {
		}
		out = append(out, snippet{code: strings.Join(lines[start:i], "\n") + "\n", line: start + 1})
	}
	return out
}

// snippetFile turns a snippet into a Go file: its declarations at the top
// level, its statements in a function (with every variable they declare
// marked used), the preamble entries it does not declare itself, and the
// imports it refers to.
func snippetFile(code string) (string, error) {
	var decls, stmts []string
	lines := strings.Split(code, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "func ") || strings.HasPrefix(l, "type ") || strings.HasPrefix(l, "var ") && !strings.Contains(l, "=") {
			j := i
			if strings.HasSuffix(l, "{") {
				for j < len(lines) && lines[j] != "}" {
					j++
				}
			}
			decls = append(decls, strings.Join(lines[i:min(j+1, len(lines))], "\n"))
			i = j
			continue
		}
		stmts = append(stmts, l)
	}
	body := strings.Join(stmts, "\n")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "snippet.go", "package p\n"+strings.Join(decls, "\n")+"\nfunc _() {\n"+body+"\n}\n", parser.ParseComments)
	if err != nil {
		return "", err
	}
	declared := map[string]bool{}
	used := map[string]bool{}
	var marks []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					declared[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						declared[n.Name] = true
					}
				}
			}
		case *ast.FuncDecl:
			if d.Name.Name == "_" {
				for _, st := range d.Body.List {
					if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
						for _, e := range as.Lhs {
							if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
								marks = append(marks, "\t_ = "+id.Name)
							}
						}
					}
				}
			} else if d.Recv == nil {
				declared[d.Name.Name] = true
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	var b strings.Builder
	b.WriteString("package snippet\n\nimport (\n")
	var names []string
	for name := range readmeImports {
		names = append(names, name)
	}
	sort.Strings(names)
	var preamble []string
	for _, name := range []string{"r", "c", "factory", "requestIDKey", "ctx"} {
		if used[name] && !declared[name] {
			preamble = append(preamble, readmePreamble[name])
		}
	}
	if (used["App"] || strings.Contains(strings.Join(preamble, "\n"), "App")) && !declared["App"] {
		preamble = append([]string{readmePreamble["App"]}, preamble...)
	}
	pre := strings.Join(preamble, "\n")
	for _, name := range names {
		if used[name] || strings.Contains(pre, name+".") {
			fmt.Fprintf(&b, "\t%s %q\n", name, readmeImports[name])
		}
	}
	b.WriteString(")\n\n")
	b.WriteString(pre + "\n\n")
	b.WriteString(strings.Join(decls, "\n\n") + "\n\n")
	if strings.TrimSpace(body) != "" {
		b.WriteString("func _() {\n" + body + "\n" + strings.Join(dedupe(marks), "\n") + "\n}\n")
	}
	return b.String(), nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
