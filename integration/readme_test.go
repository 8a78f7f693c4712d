package integration

import (
	"os"
	"strings"
	"sync"
	"testing"
)

// readmeUpstream is the address the README's nginx recipes proxy to; the
// tests put the app's address in its place and change nothing else.
const readmeUpstream = "http://127.0.0.1:8080"

// nginxRecipe is one of the README's nginx configurations.
type nginxRecipe struct {
	text     string // the block as the README shows it
	http     string // what goes in http { }: everything before the location
	location string // the location block, to the end of the README block
}

var (
	readmeOnce      sync.Once
	readmeRecipes   map[string]nginxRecipe
	readmeCaddyfile string
	readmeErr       string
)

// readmeNginx returns the README's nginx recipes by the header they write:
// "xff" for X-Forwarded-For, "forwarded" for Forwarded. Every ```nginx block
// of the README must be one of them, and a block shown twice must be shown
// the same both times, so that what the tests run is what the README says.
func readmeNginx(t *testing.T) map[string]nginxRecipe {
	t.Helper()
	readReadme(t)
	return readmeRecipes
}

// readmeCaddy returns the README's Caddyfile: the one ```caddyfile block,
// a site that proxies to readmeUpstream's address.
func readmeCaddy(t *testing.T) string {
	t.Helper()
	readReadme(t)
	return readmeCaddyfile
}

func readReadme(t *testing.T) {
	t.Helper()
	readmeOnce.Do(func() {
		b, err := os.ReadFile("../README.md")
		if err != nil {
			readmeErr = err.Error()
			return
		}
		if readmeRecipes, readmeErr = parseReadmeNginx(string(b)); readmeErr != "" {
			return
		}
		readmeCaddyfile, readmeErr = parseReadmeCaddy(string(b))
	})
	if readmeErr != "" {
		t.Fatal(readmeErr)
	}
}

// fenced returns the blocks of the markdown text fenced as ```lang, or an
// error message.
func fenced(text, lang string) ([]string, string) {
	var out []string
	for {
		_, after, ok := strings.Cut(text, "\n```"+lang+"\n")
		if !ok {
			return out, ""
		}
		block, rest, ok := strings.Cut(after, "\n```\n")
		if !ok {
			return nil, "README.md: a ```" + lang + " block is not closed"
		}
		out = append(out, block)
		text = rest
	}
}

func parseReadmeCaddy(text string) (string, string) {
	blocks, msg := fenced(text, "caddyfile")
	switch {
	case msg != "":
		return "", msg
	case len(blocks) != 1:
		return "", "README.md: the tests expect one ```caddyfile block"
	}
	b := blocks[0]
	first, _, _ := strings.Cut(b, "\n")
	if !strings.HasSuffix(first, " {") || strings.Count(b, "reverse_proxy "+strings.TrimPrefix(readmeUpstream, "http://")+" {") != 1 {
		return "", "README.md: the tests expect the ```caddyfile block to be one site that proxies to " + readmeUpstream + ":\n" + b
	}
	return b, ""
}

func parseReadmeNginx(text string) (map[string]nginxRecipe, string) {
	blocks, msg := fenced(text, "nginx")
	if msg != "" {
		return nil, msg
	}
	out := map[string]nginxRecipe{}
	for _, block := range blocks {
		var source string
		switch {
		case strings.Contains(block, "proxy_set_header Forwarded "):
			source = "forwarded"
		case strings.Contains(block, "proxy_set_header X-Forwarded-For "):
			source = "xff"
		default:
			return nil, "README.md: an nginx block sets neither Forwarded nor X-Forwarded-For, so no test runs it:\n" + block
		}
		i := strings.Index(block, "location / {")
		if i < 0 || strings.Count(block, readmeUpstream) != 1 {
			return nil, "README.md: the tests expect an nginx block to end in a `location / {` that proxies to " +
				readmeUpstream + ":\n" + block
		}
		r := nginxRecipe{text: block, http: block[:i], location: block[i:]}
		if prev, ok := out[source]; ok && prev.text != block {
			return nil, "README.md shows two different nginx recipes for " + source + "; show one:\n" + prev.text + "\n\n" + block
		}
		out[source] = r
	}
	for _, s := range []string{"xff", "forwarded"} {
		if _, ok := out[s]; !ok {
			return nil, "README.md: no nginx recipe for " + s
		}
	}
	return out, ""
}

// TestReadmeRecipes checks that the README's recipes are the ones the proxy
// tests run and that they keep what makes them safe, so that a change to the
// README that drops it fails here even where nginx and caddy are not
// installed.
func TestReadmeRecipes(t *testing.T) {
	// examples/behind-nginx shows the README's recipe in its doc comment.
	b, err := os.ReadFile("../examples/behind-nginx/main.go")
	if err != nil {
		t.Fatal(err)
	}
	var commented strings.Builder
	for line := range strings.SplitSeq(readmeNginx(t)["xff"].text, "\n") {
		commented.WriteString("//\t" + line + "\n")
	}
	if !strings.Contains(string(b), commented.String()) {
		t.Errorf("examples/behind-nginx/main.go does not show the README's nginx recipe:\n%s", commented.String())
	}
	for _, line := range []string{"header_up -X-Forwarded-Host", "header_up -X-Forwarded-Port"} {
		if c := readmeCaddy(t); !strings.Contains(c, line) {
			t.Errorf("README's Caddyfile lost %q:\n%s", line, c)
		}
	}
	r := readmeNginx(t)
	for source, want := range map[string][]string{
		"xff": {
			"proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;",
			"proxy_set_header X-Forwarded-Host  $x_forwarded_host;",
			"proxy_set_header X-Forwarded-Proto $scheme;",
			"proxy_set_header X-Forwarded-Port  $server_port;",
		},
		"forwarded": {
			`proxy_set_header Forwarded "for=$forwarded_for;proto=$scheme$forwarded_host";`,
		},
	} {
		for _, line := range want {
			if !strings.Contains(r[source].location, line) {
				t.Errorf("README's %s recipe lost %q:\n%s", source, line, r[source].text)
			}
		}
		// A client's header text must never reach a forwarding header raw.
		for _, raw := range []string{"$http_host", "$http_forwarded", "$http_x_forwarded_host", "X-Forwarded-Host  $host"} {
			if strings.Contains(r[source].text, raw) {
				t.Errorf("README's %s recipe puts %s in a header:\n%s", source, raw, r[source].text)
			}
		}
	}
}
