package integration

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The load test: wrk with 256 connections against loadserver on each
// adapter, for KAITO_LOAD_SECONDS (default 10, at most 20), with requests
// whose handlers panic, fail, and whose bodies are too large mixed with
// normal ones. Every response must carry the status its request expected,
// no request may fail at the transport level, and afterwards the
// goroutines and the heap must be back near where they were.

// wrkScript sends a mix of requests; each says in X-Expect which status it
// expects, the server echoes it, and response() checks it.
const wrkScript = `-- Written by kaito's load test.
local reqs, counter, threads = {}, 0, {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	bad, checked = 0, 0
	local function add(n, method, path, expect, body)
		for i = 1, n do
			local h = {["X-Expect"] = tostring(expect)}
			if body then h["Content-Type"] = "application/json" end
			table.insert(reqs, wrk.format(method, path, h, body))
		end
	end
	add(6, "GET", "/ok", 200)
	add(2, "POST", "/echo", 200, '{"name":"gopher","tags":["a","b"]}')
	add(1, "POST", "/echo", 413, '{"name":"' .. string.rep("x", 8192) .. '"}')
	add(1, "GET", "/panic", 500)
	add(1, "GET", "/fail", 500)
	add(1, "GET", "/teapot", 418)
	add(1, "GET", "/nowhere", 404)
	add(1, "DELETE", "/ok", 405)
	add(1, "POST", "/echo", 400, '{"name":')
end

function request()
	counter = counter + 1
	return reqs[(counter % #reqs) + 1]
end

function response(status, headers, body)
	checked = checked + 1
	local want = headers["X-Expect"]
	if want == nil or tonumber(want) ~= status then
		bad = bad + 1
		if bad <= 5 then
			io.stderr:write(string.format("unexpected: status %d, X-Expect %s, body %s\n", status, tostring(want), string.sub(body, 1, 200)))
		end
	end
end

function done(summary, latency, requests)
	local b, c = 0, 0
	for _, t in ipairs(threads) do
		b = b + t:get("bad")
		c = c + t:get("checked")
	end
	local e = summary.errors
	io.write(string.format("KAITO requests=%d checked=%d bad=%d connect=%d read=%d write=%d timeout=%d\n",
		summary.requests, c, b, e.connect, e.read, e.write, e.timeout))
end
`

// serverStats mirrors loadserver's Stats.
type serverStats struct {
	Goroutines int    `json:"goroutines"`
	HeapLive   uint64 `json:"heapLive"`
	HeapInUse  uint64 `json:"heapInUse"`
	RSS        uint64 `json:"rss"`
	PeakRSS    uint64 `json:"peakRSS"`
	Panics     int64  `json:"panics"`
	Served     int64  `json:"served"`
}

func loadSeconds() int {
	n, err := strconv.Atoi(os.Getenv("KAITO_LOAD_SECONDS"))
	if err != nil || n <= 0 {
		return 10
	}
	return min(n, 20)
}

func TestLoad(t *testing.T) {
	wrk := need(t, "wrk")
	bin := build(t, ".", "./loadserver")
	script := filepath.Join(t.TempDir(), "mix.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		t.Fatal(err)
	}
	var rlim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rlim) == nil && rlim.Cur < 2048 {
		rlim.Cur = min(2048, rlim.Max)
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rlim) // inherited by wrk and the server
	}
	secs := loadSeconds()
	var summary []string
	for _, adapter := range adapterNames {
		t.Run(adapter, func(t *testing.T) {
			p, line := start(t, "loadserver-"+adapter, true, nil, bin, "-adapter", adapter, "-addr", "127.0.0.1:0")
			base := "http://" + listenAddr(t, line)
			c := clientFrom("127.0.0.1")
			stats := func() serverStats {
				var s serverStats
				getJSON(t, c, base+"/debug/stats?gc=1", "", nil, &s)
				return s
			}
			// Warm up (first use of pools and plans), then take the baseline.
			for range 50 {
				var s serverStats
				getJSON(t, c, base+"/debug/stats", "", nil, &s)
			}
			before := stats()
			rssBefore := procRSS(t, p.cmd.Process.Pid)

			cmd := exec.Command(wrk, "-t2", "-c256", fmt.Sprintf("-d%ds", secs), "--timeout", "5s", "-s", script, base)
			cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("wrk: %v\n%s", err, out)
			}
			peak := procPeak(t, p.cmd.Process.Pid)
			res := parseWrk(t, out)

			// Connections close when wrk exits; fasthttp also parks idle
			// workers for up to 10 s, and cleans them up every 10 s.
			after := stats()
			deadline := time.Now().Add(30 * time.Second)
			for after.Goroutines > before.Goroutines && time.Now().Before(deadline) {
				time.Sleep(500 * time.Millisecond)
				after = stats()
			}
			rssAfter := procRSS(t, p.cmd.Process.Pid)

			failed := res["connect"] + res["read"] + res["write"] + res["timeout"]
			line = fmt.Sprintf("%-8s %d s, c=256: %d requests, %d failed (transport %d, wrong status %d); %d panics recovered; "+
				"heap live %s -> %s; RSS %s -> %s (peak %s); goroutines %d -> %d",
				adapter, secs, res["requests"], failed+res["bad"], failed, res["bad"], after.Panics,
				mib(before.HeapLive), mib(after.HeapLive), mib(rssBefore), mib(rssAfter), mib(peak),
				before.Goroutines, after.Goroutines)
			t.Log(line)
			summary = append(summary, line)

			if res["requests"] == 0 {
				t.Fatalf("wrk sent no request:\n%s", out)
			}
			if failed != 0 {
				t.Errorf("%d requests failed at the transport level:\n%s", failed, out)
			}
			if res["bad"] != 0 || res["checked"] < res["requests"] {
				t.Errorf("%d responses had another status than expected, %d of %d checked:\n%s", res["bad"], res["checked"], res["requests"], out)
			}
			if after.Panics == 0 {
				t.Errorf("no handler panicked: the mix did not run")
			}
			if after.Goroutines > before.Goroutines {
				t.Errorf("goroutines %d after the load, %d before: a leak", after.Goroutines, before.Goroutines)
			}
			if after.HeapLive > before.HeapLive+8<<20 {
				t.Errorf("live heap %s after the load, %s before", mib(after.HeapLive), mib(before.HeapLive))
			}
			if rssAfter > rssBefore+64<<20 {
				t.Errorf("RSS %s after the load, %s before", mib(rssAfter), mib(rssBefore))
			}
			if !p.running() {
				t.Errorf("the server died:\n%s", p.output())
			}
		})
	}
	if len(summary) > 0 {
		t.Log("load figures:\n  " + strings.Join(summary, "\n  "))
	}
}

var wrkLine = regexp.MustCompile(`KAITO ((?:\w+=\d+ ?)+)`)

func parseWrk(t *testing.T, out []byte) map[string]int64 {
	t.Helper()
	m := wrkLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no KAITO line in wrk's output:\n%s", out)
	}
	res := map[string]int64{}
	for kv := range strings.FieldsSeq(string(m[1])) {
		k, v, _ := strings.Cut(kv, "=")
		res[k], _ = strconv.ParseInt(v, 10, 64)
	}
	return res
}

// procRSS and procPeak read VmRSS and VmHWM of a process, in bytes.
func procRSS(t *testing.T, pid int) uint64  { return procField(t, pid, "VmRSS") }
func procPeak(t *testing.T, pid int) uint64 { return procField(t, pid, "VmHWM") }

func procField(t *testing.T, pid int, field string) uint64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
