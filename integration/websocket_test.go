package integration

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// The websocket example (its own module, examples/websocket) serves a page
// whose script talks to a kaito route over a websocket; headless Chromium
// types a line and must see it echoed in capitals.
func TestWebsocketExampleInBrowser(t *testing.T) {
	browser := newBrowser(t)
	bin := filepath.Join(t.TempDir(), "websocket")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join("..", "examples", "websocket")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build examples/websocket: %v\n%s", err, out)
	}
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t, "127.0.0.1"))
	p, _ := start(t, "websocket example", false, nil, bin, "-addr", addr)
	waitListening(t, p, addr)

	// The page's own form sends the line; the script waits for the
	// socket to open and for the echo to appear in the page's log.
	echoed, err := inTab[string](t, browser, "http://"+addr+"/", `new Promise((resolve, reject) => {
		const until = (ok, then) => { const t0 = Date.now(); const tick = () => ok() ? then() :
			Date.now() - t0 > 15000 ? reject(new Error("timed out; state " + document.body.dataset.state)) : setTimeout(tick, 20); tick(); };
		until(() => document.body.dataset.state === "open", () => {
			document.getElementById("msg").value = "hello kaito";
			document.getElementById("f").requestSubmit();
			until(() => document.querySelector("#log li"), () => resolve(document.querySelector("#log li").textContent));
		});
	})`)
	if err != nil {
		t.Fatalf("in the browser: %v\nserver:\n%s", err, p.output())
	}
	if echoed != "HELLO KAITO" {
		t.Errorf("echo = %q, want %q", echoed, "HELLO KAITO")
	}
}
