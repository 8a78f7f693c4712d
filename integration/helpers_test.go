package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the programs the tests build, once per test binary.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kaito-integration-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// need skips the test when the program is not installed, or fails it when
// KAITO_REQUIRE_TOOLS is set (CI installs them, so there a missing one is an
// error, not a reason to pass). It returns the program's path.
func need(t *testing.T, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("%s is not installed (apt-get install %s, or run .ci/integration)", names[0], names[0])
	if os.Getenv("KAITO_REQUIRE_TOOLS") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

var (
	buildMu sync.Mutex
	built   = map[string]string{}
)

// build compiles a main package once and returns the binary's path. pkg is
// relative to dir, which is relative to this module ("." here, ".." for the
// repository's root module).
func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	key := dir + "|" + pkg
	if p, ok := built[key]; ok {
		return p
	}
	out := filepath.Join(binDir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s in %s: %v\n%s", pkg, dir, err, b)
	}
	built[key] = out
	return out
}

// proc is a program started by a test, in its own process group.
type proc struct {
	name   string
	cmd    *exec.Cmd
	log    *bytes.Buffer // stderr and, unless piped, stdout
	mu     *sync.Mutex
	exited chan struct{}
}

// lockedBuffer collects a process's output for the failure report.
type lockedBuffer struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

// start runs a program in its own process group and stops the group when
// the test ends: SIGTERM, then SIGKILL after 3 s. Pdeathsig also kills it
// if the test binary dies first. When firstLine is set, start waits for the
// program's first line of standard output (up to 20 s) and returns it.
func start(t *testing.T, name string, firstLine bool, env []string, path string, args ...string) (*proc, string) {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Env = append(os.Environ(), env...)
	p := &proc{name: name, cmd: cmd, log: &bytes.Buffer{}, mu: &sync.Mutex{}, exited: make(chan struct{})}
	w := lockedBuffer{p.mu, p.log}
	cmd.Stderr = w
	var stdout io.ReadCloser
	if firstLine {
		var err error
		if stdout, err = cmd.StdoutPipe(); err != nil {
			t.Fatal(err)
		}
	} else {
		cmd.Stdout = w
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s output:\n%s", name, p.output())
		}
	})
	if !firstLine {
		return p, ""
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(w, stdout)
	}()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatalf("%s exited before saying it was ready:\n%s", name, p.output())
		}
		return p, l
	case <-time.After(20 * time.Second):
		t.Fatalf("%s did not say it was ready within 20s:\n%s", name, p.output())
	}
	return nil, ""
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// stop ends the process group, politely first.
func (p *proc) stop() {
	pgid := p.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(3 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.exited
	}
	// Children that outlived the leader are still in the group.
	syscall.Kill(-pgid, syscall.SIGKILL)
}

// running reports whether the process is still alive.
func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T, host string) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitListening waits until addr accepts connections and p is running.
func waitListening(t *testing.T, p *proc, addr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if !p.running() {
			t.Fatalf("%s exited:\n%s", p.name, p.output())
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s is not listening on %s after 15s:\n%s", p.name, addr, p.output())
}

// clientFrom returns an HTTP client whose connections come from the local
// address src (a loopback address such as 127.0.0.2 or ::1). It uses no
// proxy from the environment and no keep-alive, so that each request is a
// connection of its own.
func clientFrom(src string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	return &http.Client{
		Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true},
		Timeout:   10 * time.Second,
	}
}

// getJSON sends a GET with the given Host and headers and decodes the JSON answer into v.
func getJSON(t *testing.T, c *http.Client, url, host string, headers map[string]string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, val := range headers {
		req.Header.Set(k, val)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, b)
	}
}

// listenAddr takes the address from a "listening on http://ADDR" line.
func listenAddr(t *testing.T, line string) string {
	t.Helper()
	addr, ok := strings.CutPrefix(line, "listening on http://")
	if !ok {
		t.Fatalf("unexpected first line %q", line)
	}
	return addr
}

// runOutput runs a command to its end and returns what it printed.
func runOutput(path string, args ...string) ([]byte, error) {
	cmd := exec.Command(path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd.CombinedOutput()
}

// toolVersion is the first line a program prints for its version flag.
func toolVersion(path string, args ...string) string {
	b, _ := runOutput(path, args...)
	line, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return line
}

// versionLine is the line holding word that a program prints for its
// version flag (Debian's chromium wrapper may print a warning first).
func versionLine(path, word string, args ...string) string {
	b, _ := runOutput(path, args...)
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.Contains(line, word) {
			return strings.TrimSpace(line)
		}
	}
	return strings.TrimSpace(string(b))
}
