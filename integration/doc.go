// Package integration holds kaito's tests against the programs users put
// around it: nginx and caddy in front (proxy_test.go), headless Chromium
// calling a CORS API and reading server-sent events (browser_test.go), nginx
// in front of a Unix socket and curl over HTTP/2 with TLS and h2c
// (transport_test.go), and a bounded load test with wrk (load_test.go). It is a module of its own so
// that chromedp never enters the library's go.mod.
//
// A test whose program is not installed is skipped with the reason; CI's
// .ci/integration installs them from Debian's packages and runs
//
//	cd integration && go test -count=1 -v ./...
//
// Everything listens on loopback addresses only, and every process a test
// starts is stopped when it ends, pass or fail.
//
// Environment:
//
//	KAITO_LOAD_SECONDS    length of each adapter's load run (default 10, at most 20)
//	KAITO_REQUIRE_TOOLS   when set, a missing program fails the test instead of skipping it
package integration
