package ip

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The vectors in testdata/ip_vectors.json come from the test suites of
// proxy-addr, Express, forwarded, realclientip-go, RFC 7239, Ktor, gin, echo,
// fiber and chi (see ../shared/conformance/README.md for the format). Each
// vector runs against this package, with its `recommended` block applied
// where it has one, or is skipped here with the reason it does not apply.

// skips lists the vectors that do not apply, with the reason.
var skips = map[string]string{
	"PA-001": "proxy-addr requires a trust argument; here New() with no option is valid: the secure default (peer only)",
	"PA-026": "checks the trust function's call log: TrustFunc is also asked about the furthest hop here, so that Hop.Trusted is exact",

	"EX-001": hostNames, "KT-002": hostNames, "KT-012": hostNames, "KT-013": hostNames, "KT-015": hostNames,
	"KT-016": hostNames, "KT-024": hostNames, "KT-025": hostNames, "KT-027": hostNames, "KT-028": hostNames,
	"KT-030": hostNames, "KT-031": hostNames, "KT-032": hostNames, "KT-033": hostNames, "KT-034": hostNames,

	"KT-020": "Ktor's useFirstProxy takes the leftmost of several X-Forwarded-Port values; here the rightmost (never the leftmost) when counts do not align",

	"RC-055": "a zone makes a Forwarded node invalid here (DESIGN), and the walk fails closed instead of skipping the element",
	"RC-056": "a zone makes a Forwarded node invalid here (DESIGN), and the walk fails closed instead of skipping the element",
	"RC-061": "RightmostNonPrivate skips entries that are not IPs; here an unidentified hop fails closed",
	"RC-107": "SingleIPHeader honours X-Real-IP from any peer; here a one-IP header needs a trusted peer and the vector trusts none",
	"RC-112": "'1.1.1.1%' (IPv4 with an empty zone) is not an address here",
	"RC-117": unspecifiedParse,
	"RC-118": unspecifiedParse,

	"GIN-032": "/0 trust ranges fail New here (DESIGN: say TrustAll())",
	"GIN-040": "/0 trust ranges fail New here (DESIGN: say TrustAll())",

	"EC-034": "DESIGN: a trusted proxy's http replaces a local TLS https; echo prefers the local TLS",
	"EC-036": "DESIGN: forwarded schemes are lower-cased; echo keeps the case",
	"EC-037": "an invalid X-Forwarded-Proto stops the scheme search: echo falls through to X-Forwarded-Protocol, which the client may have written",
	"EC-040": "X-Forwarded-Ssl on/off match case-insensitively here (Microsoft proxies send Front-End-Https: On); echo wants on exactly",
	"EC-041": "X-Url-Scheme is not a source here: DESIGN names X-Forwarded-Proto, -Protocol, -Ssl and Front-End-Https",

	"FB-001": fastHTTPPeer, "FB-010": fastHTTPPeer,
	"FB-002": fastHTTPTrust, "FB-003": fastHTTPTrust, "FB-005": fastHTTPTrust, "FB-006": fastHTTPTrust,
	"FB-007": fastHTTPTrust, "FB-009": fastHTTPTrust, "FB-011": fastHTTPTrust, "FB-039": fastHTTPTrust,
	"FB-042": fastHTTPTrust, "FB-043": fastHTTPTrust, "FB-044": fastHTTPTrust, "FB-046": fastHTTPTrust,
	"FB-049": fastHTTPTrust,

	"CHI-010": "a one-IP header value is parsed as an X-Forwarded-For entry here, so ip:port is accepted (as realclientip does, RC-019); chi rejects it",
}

// Skip reasons shared by several vectors.
const (
	hostNames        = "host-name tokens (client, proxy, p1): here a hop must be an IP literal, so the walk stops at them and their values are not applied"
	unspecifiedParse = "realclientip's raw parser accepts 0.0.0.0 and :: (its strategies reject them); here parsing rejects them (DESIGN)"
	fastHTTPPeer     = "fasthttp's test peer 0.0.0.0 is a placeholder; here 0.0.0.0 is never an address (DESIGN)"
	fastHTTPTrust    = "trust spec 0.0.0.0 (fasthttp's test peer) fails New here (DESIGN: unspecified addresses are not proxies)"
)

type ipVector struct {
	ID          string                     `json:"id"`
	Op          string                     `json:"op"`
	Anchor      string                     `json:"anchor"`
	RemoteAddr  *string                    `json:"remote_addr"`
	Headers     map[string]json.RawMessage `json:"headers"`
	Trust       json.RawMessage            `json:"trust"`
	Config      map[string]any             `json:"config"`
	Order       string                     `json:"order"`
	Recommended map[string]json.RawMessage `json:"recommended"`
	expectations
}

// expectations are the expect_* fields of a vector or of its recommended
// block. A json.RawMessage field is nil when absent and "null" when null.
type expectations struct {
	IP         json.RawMessage  `json:"expect_ip"`
	IPs        []*string        `json:"expect_ips"`
	Elements   []map[string]any `json:"expect_elements"`
	Origin     map[string]any   `json:"expect_origin"`
	Prefixes   []string         `json:"expect_prefixes"`
	Error      bool             `json:"expect_error"`
	TrustCalls [][]any          `json:"expect_trust_calls"`
	ErrorMatch string           `json:"error_match"`
}

func loadVectors(t *testing.T) []ipVector {
	t.Helper()
	data, err := os.ReadFile("testdata/ip_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Format  string     `json:"format"`
		Vectors []ipVector `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if file.Format != "ip-vectors/1" {
		t.Fatalf("format %q, want ip-vectors/1", file.Format)
	}
	return file.Vectors
}

func TestConformance(t *testing.T) {
	vectors := loadVectors(t)
	var passed, failed []string
	skipped := map[string][]string{} // reason -> ids
	for _, v := range vectors {
		var reason string
		ok := t.Run(v.ID, func(t *testing.T) {
			reason = runVector(t, v)
			if reason != "" {
				t.Skip(reason)
			}
		})
		switch {
		case reason != "":
			skipped[reason] = append(skipped[reason], v.ID)
		case ok:
			passed = append(passed, v.ID)
		default:
			failed = append(failed, v.ID)
		}
	}
	reasons := make([]string, 0, len(skipped))
	for r := range skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	nSkipped := 0
	for _, r := range reasons {
		nSkipped += len(skipped[r])
		t.Logf("skipped %d: %s: %s", len(skipped[r]), r, strings.Join(skipped[r], " "))
	}
	if len(failed) > 0 {
		t.Logf("failed: %s", strings.Join(failed, " "))
	}
	for id := range strictRecommendations {
		if !slices.ContainsFunc(vectors, func(v ipVector) bool { return v.ID == id && v.Recommended != nil }) {
			t.Errorf("strictRecommendations names %s, which is not a vector with a recommended block", id)
		}
	}
	for id := range skips {
		if !slices.ContainsFunc(vectors, func(v ipVector) bool { return v.ID == id }) {
			t.Errorf("skip list names %s, which is not a vector", id)
		}
	}
	t.Logf("ip conformance: %d vectors: %d passed, %d skipped, %d failed",
		len(vectors), len(passed), nSkipped, len(failed))
}

// strictRecommendations lists vectors whose recommended block holds for
// ParseForwardedStrict only; the lenient parser is checked against the
// anchor's own expectation instead.
var strictRecommendations = map[string]string{
	"RC-158": "lenient parsing accepts a quoted bare IPv6 for= (issue 10); strict keeps RFC 7239's brackets",
}

// runVector runs one vector and returns a skip reason, or "" when it ran.
func runVector(t *testing.T, v ipVector) string {
	if r, ok := skips[v.ID]; ok {
		return r
	}
	exp := v.expectations
	trust := v.Trust
	assumeTrusted, strict := false, false
	if v.Recommended != nil {
		rec := v.Recommended
		if b, ok := rec["advisory"]; ok && string(b) == "true" {
			return "recommended block is advisory (host-name tokens): guidance only"
		}
		exp = expectations{}
		b, _ := json.Marshal(rec)
		if err := json.Unmarshal(b, &exp); err != nil {
			t.Fatal(err)
		}
		if tr, ok := rec["trust"]; ok {
			trust = tr
		}
		assumeTrusted = string(rec["assume_peer_trusted"]) == "true"
		strict = string(rec["strict_only"]) == "true"
		if _, ok := strictRecommendations[v.ID]; ok {
			t.Run("lenient", func(t *testing.T) { runForwardedParse(t, v, v.expectations, false) })
			strict = true
		}
	}
	if exp.TrustCalls != nil {
		t.Fatal("expect_trust_calls has no check here: skip the vector with a reason")
	}
	switch v.Op {
	case "compile":
		return runCompile(t, v, trust, exp)
	case "for_ip", "for_list", "parse_forwarded":
		return runForwardedParse(t, v, exp, strict)
	case "parse_ip":
		return runParseIP(t, v, exp)
	case "all_ips":
		return runAllIPs(t, v, exp)
	case "parse_xff":
		if v.Order == "header-order" {
			return runAllIPs(t, v, exp)
		}
	}
	return runResolve(t, v, trust, exp, assumeTrusted)
}

func (v ipVector) header() http.Header {
	h := http.Header{}
	for name, raw := range v.Headers {
		var one string
		if json.Unmarshal(raw, &one) == nil {
			h.Add(name, one)
			continue
		}
		var many []string
		if err := json.Unmarshal(raw, &many); err != nil {
			panic(fmt.Sprintf("%s: header %s: %v", v.ID, name, err))
		}
		for _, l := range many {
			h.Add(name, l)
		}
	}
	return h
}

func (v ipVector) str(key string) string {
	s, _ := v.Config[key].(string)
	return s
}

// trustOptions maps a vector's trust to options; given is false for null
// or absent trust.
func trustOptions(t *testing.T, raw json.RawMessage) (opts []Option, specs []string, given bool) {
	t.Helper()
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, false
	}
	var word string
	if json.Unmarshal(raw, &word) == nil {
		switch word {
		case "all":
			return []Option{TrustAll()}, nil, true
		case "none":
			return []Option{TrustProxies()}, []string{}, true
		}
		t.Fatalf("trust %q", word)
	}
	if err := json.Unmarshal(raw, &specs); err == nil {
		return []Option{TrustProxies(specs...)}, specs, true
	}
	var hops struct {
		Hops *int `json:"hops"`
	}
	if err := json.Unmarshal(raw, &hops); err != nil || hops.Hops == nil {
		t.Fatalf("trust %s", raw)
	}
	return []Option{TrustHops(*hops.Hops)}, nil, true
}

func runCompile(t *testing.T, v ipVector, trust json.RawMessage, exp expectations) string {
	opts, specs, given := trustOptions(t, trust)
	if !given {
		t.Fatalf("compile without trust")
	}
	before := slices.Clone(specs)
	r, err := New(append(opts, FromXForwardedFor())...)
	if !slices.Equal(before, specs) {
		t.Errorf("New altered the caller's specs: %q, was %q", specs, before)
	}
	if exp.Error {
		if err == nil {
			t.Fatalf("New(%s) succeeded, want an error", trust)
		}
		// The error must name the offending spec.
		named := len(specs) == 0
		for _, s := range specs {
			named = named || strings.Contains(err.Error(), fmt.Sprintf("%q", s))
		}
		if !named {
			t.Errorf("error %q names none of the specs %q", err, specs)
		}
		return ""
	}
	if err != nil {
		t.Fatalf("New(%s): %v", trust, err)
	}
	if exp.Prefixes != nil {
		var got []string
		for _, p := range r.Prefixes() {
			got = append(got, p.String())
		}
		if !slices.Equal(got, exp.Prefixes) && !(len(got) == 0 && len(exp.Prefixes) == 0) {
			t.Errorf("Prefixes() = %q, want %q", got, exp.Prefixes)
		}
	}
	return ""
}

// canonIP gives the canonical form of an expected address: unmapped, no
// zone, lower case; anything that is not an address is returned as it is.
func canonIP(s string) string {
	if i := strings.IndexByte(s, '%'); i >= 0 && strings.Contains(s, ":") {
		s = s[:i]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String()
	}
	return s
}

// checkIP compares an address with expect_ip (null: no address).
func checkIP(t *testing.T, what string, got netip.Addr, err error, exp expectations) {
	t.Helper()
	if len(exp.IP) == 0 {
		return
	}
	var want *string
	if err := json.Unmarshal(exp.IP, &want); err != nil {
		t.Fatal(err)
	}
	if want == nil {
		if got.IsValid() {
			t.Errorf("%s = %v, want no address", what, got)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: unexpected error %v (want %s)", what, err, *want)
		return
	}
	if got.String() != canonIP(*want) {
		t.Errorf("%s = %v, want %s", what, got, canonIP(*want))
	}
}

// checkError checks expect_error. error_match holds the anchor's wording
// ("trust.*required", "NumberFormatException"), which is not ours; only an
// "unidentified hop" is checked, as a *HopError.
func checkError(t *testing.T, err error, exp expectations) {
	t.Helper()
	if exp.Error && err == nil {
		t.Errorf("no error, want one")
	}
	if exp.Error && strings.Contains(exp.ErrorMatch, "unidentified hop") {
		var he *HopError
		if !errors.As(err, &he) {
			t.Errorf("error %v is not a *HopError", err)
		}
	}
}

func runParseIP(t *testing.T, v ipVector, exp expectations) string {
	in := v.str("input")
	a, _, ok := parseHop(trimOWS(in))
	var err error
	if !ok {
		err = fmt.Errorf("parseHop(%q) failed", in)
	}
	checkError(t, err, exp)
	checkIP(t, fmt.Sprintf("parseHop(%q)", in), a, err, exp)
	return ""
}

// runAllIPs checks a header-order list of X-Forwarded-For entries.
func runAllIPs(t *testing.T, v ipVector, exp expectations) string {
	hops, err := ParseXForwardedFor(v.header().Values(hdrXFF))
	checkError(t, err, exp)
	validate, _ := v.Config["EnableIPValidation"].(bool)
	var got []string
	for _, h := range hops {
		switch {
		case h.Addr.IsValid():
			got = append(got, h.Addr.String())
		case !validate && v.Op == "all_ips":
			got = append(got, h.Raw) // the anchor returns tokens unvalidated
		}
	}
	want := derefAll(exp.IPs, canonIP)
	if !slices.Equal(got, want) {
		t.Errorf("ParseXForwardedFor = %q, want %q", got, want)
	}
	return ""
}

func derefAll(ps []*string, f func(string) string) []string {
	out := []string{}
	for _, p := range ps {
		if p == nil {
			out = append(out, "<null>")
		} else {
			out = append(out, f(*p))
		}
	}
	return out
}

func runForwardedParse(t *testing.T, v ipVector, exp expectations, strict bool) string {
	parse := ParseForwarded
	if strict {
		parse = ParseForwardedStrict
	}
	els, err := parse(v.header().Values(hdrForwarded))
	checkError(t, err, exp)
	if exp.Error {
		return ""
	}
	if err != nil {
		if string(exp.IP) != "null" {
			t.Fatalf("ParseForwarded: %v", err)
		}
	}
	forIP := func(e Element) (netip.Addr, bool) {
		if e.Invalid {
			return netip.Addr{}, false
		}
		n, err := ParseNode(e.For)
		return n.Addr, err == nil && n.Addr.IsValid()
	}
	switch v.Op {
	case "for_ip":
		var a netip.Addr
		if len(els) > 0 {
			a, _ = forIP(els[0])
		}
		checkIP(t, "for", a, nil, exp)
	case "for_list":
		var got []string
		for _, e := range els {
			if a, ok := forIP(e); ok {
				got = append(got, a.String())
			} else {
				got = append(got, "<null>")
			}
		}
		if want := derefAll(exp.IPs, canonIP); !slices.Equal(got, want) {
			t.Errorf("for= addresses %q, want %q", got, want)
		}
	case "parse_forwarded":
		if len(els) != len(exp.Elements) {
			t.Fatalf("%d elements %+v, want %d", len(els), els, len(exp.Elements))
		}
		for i, want := range exp.Elements {
			checkElement(t, i, els[i], want)
		}
	}
	return ""
}

func checkElement(t *testing.T, i int, e Element, want map[string]any) {
	t.Helper()
	if inv, _ := want["invalid"].(bool); inv != e.Invalid {
		t.Errorf("element %d: Invalid = %v, want %v", i, e.Invalid, inv)
		return
	}
	str := func(k string) string { s, _ := want[k].(string); return s }
	got := map[string]string{"for": e.For, "by": e.By, "host": e.Host, "proto": e.Proto}
	for k, g := range got {
		if g != str(k) {
			t.Errorf("element %d: %s = %q, want %q", i, k, g, str(k))
		}
	}
	wantExt, _ := want["ext"].(map[string]any)
	if len(wantExt) != len(e.Ext) {
		t.Errorf("element %d: Ext = %v, want %v", i, e.Ext, wantExt)
	}
	for k, w := range wantExt {
		if e.Ext[k] != w {
			t.Errorf("element %d: Ext[%s] = %q, want %v", i, k, e.Ext[k], w)
		}
	}
	for _, k := range []string{"for", "by"} {
		wn, ok := want[k+"_node"].(map[string]any)
		if !ok {
			continue
		}
		n, err := ParseNode(got[k])
		if err != nil {
			t.Errorf("element %d: ParseNode(%q): %v", i, got[k], err)
			continue
		}
		typ := "obfuscated"
		switch {
		case n.Addr.Is4():
			typ = "ipv4"
		case n.Addr.Is6():
			typ = "ipv6"
		case strings.EqualFold(n.Name, "unknown"):
			typ = "unknown"
		}
		if typ != wn["type"] {
			t.Errorf("element %d: %s node type %s, want %v", i, k, typ, wn["type"])
		}
		if ip, ok := wn["ip"].(string); ok && n.Addr.String() != canonIP(ip) {
			t.Errorf("element %d: %s node ip %v, want %s", i, k, n.Addr, ip)
		}
		if name, ok := wn["name"].(string); ok && n.Name != name {
			t.Errorf("element %d: %s node name %q, want %q", i, k, n.Name, name)
		}
		switch p := wn["port"].(type) {
		case float64:
			if int(n.Port) != int(p) {
				t.Errorf("element %d: %s node port %d, want %v", i, k, n.Port, p)
			}
		case string:
			if n.ObfPort != p {
				t.Errorf("element %d: %s node port %q, want %q", i, k, n.ObfPort, p)
			}
		case nil:
			if n.Port != 0 || n.ObfPort != "" {
				t.Errorf("element %d: %s node has a port", i, k)
			}
		}
	}
}

// sourceFor maps an anchor's configuration to a source option. peerless
// reports an anchor that never looks at the socket peer, so that a vector
// without a peer tests the header walk behind a trusted one. A non-empty
// skip says the configuration has no counterpart here.
func sourceFor(v ipVector, h http.Header) (src Option, peerless bool, trust []Option, skip string) {
	byName := func(name string) Option {
		switch {
		case strings.EqualFold(name, hdrXFF):
			return FromXForwardedFor()
		case strings.EqualFold(name, hdrForwarded):
			return FromForwarded()
		}
		return FromHeader(name)
	}
	// firstPresent models a fallback list of headers: the anchor reads the
	// first one present, which is the one source it uses for this request.
	firstPresent := func(names []string) Option {
		for _, n := range names {
			if len(h.Values(n)) > 0 {
				return byName(n)
			}
		}
		if len(names) > 0 {
			return byName(names[0])
		}
		return nil
	}
	switch v.Anchor {
	case "proxy-addr", "express", "forwarded":
		return FromXForwardedFor(), false, nil, ""
	case "rfc7239":
		if v.str("source") == "Forwarded" {
			return FromForwarded(), false, nil, ""
		}
	case "realclientip-go":
		cfg := v.Config
		if cfg["strategy"] == "Chain" {
			chain, _ := cfg["chain"].([]any)
			if len(chain) != 1 {
				return nil, false, nil, "realclientip Chain falls back from one strategy to another; here there is exactly one source"
			}
			cfg = chain[0].(map[string]any)
		}
		header, _ := cfg["header"].(string)
		switch cfg["strategy"] {
		case "RemoteAddr":
			return nil, false, nil, ""
		case "SingleIPHeader":
			return FromHeader(header), true, nil, ""
		case "LeftmostNonPrivate":
			return nil, false, nil, "LeftmostNonPrivate takes a client-written entry: no counterpart, by design"
		case "RightmostNonPrivate":
			return byName(header), true, []Option{TrustProxies("loopback", "linklocal", "private")}, ""
		case "RightmostTrustedCount":
			return byName(header), true, []Option{TrustHops(int(cfg["count"].(float64)))}, ""
		case "RightmostTrustedRange":
			if !strings.EqualFold(header, hdrXFF) && !strings.EqualFold(header, hdrForwarded) {
				return nil, false, nil, "RightmostTrustedRange over an arbitrary list header: here list sources are X-Forwarded-For and Forwarded only"
			}
			return byName(header), true, nil, ""
		}
	case "ktor":
		src := FromXForwardedFor()
		if v.str("plugin") == "ForwardedHeaders" {
			src = FromForwarded()
		}
		if v.str("mode") == "skipLastProxies" && v.Recommended["trust"] == nil {
			n := int(v.Config["proxiesCount"].(float64))
			trust = []Option{TrustHops(n + 1)} // skipLastProxies(n) skips n entries beyond the peer
		}
		return src, false, trust, ""
	case "gin":
		var names []string
		if p := v.str("TrustedPlatform"); p != "" {
			names = append(names, p)
		}
		for _, n := range v.Config["RemoteIPHeaders"].([]any) {
			names = append(names, n.(string))
		}
		return firstPresent(names), false, nil, ""
	case "echo":
		switch v.str("extractor") {
		case "ExtractIPDirect":
			return nil, false, nil, ""
		case "ExtractIPFromRealIPHeader":
			return FromHeader("X-Real-IP"), false, nil, ""
		case "ExtractIPFromXFFHeader":
			return FromXForwardedFor(), false, nil, ""
		case "LegacyIPExtractor":
			return nil, false, nil, "echo's legacy extractor takes the leftmost, unvalidated entry: no counterpart, by design"
		}
		if v.str("api") == "Context.Scheme" {
			return FromXForwardedFor(), false, nil, ""
		}
	case "fiber":
		if v.str("internal") != "" {
			return nil, false, nil, "tests fiber's internal header scan without trust: no counterpart"
		}
		switch v.str("api") {
		case "Ctx.IP", "Ctx.IP (v2)":
			if v.str("ProxyHeader") == "" {
				return nil, false, nil, ""
			}
			return byName(v.str("ProxyHeader")), false, nil, ""
		case "Ctx.Host", "Ctx.Hostname", "Ctx.Scheme":
			return FromXForwardedFor(), false, nil, ""
		}
	case "chi":
		switch v.str("middleware") {
		case "ClientIPFromRemoteAddr":
			return nil, false, nil, ""
		case "ClientIPFromXFF", "ClientIPFromXFFTrustedProxies":
			return FromXForwardedFor(), true, nil, ""
		case "ClientIPFromHeader":
			return FromHeader(v.str("header")), true, nil, ""
		case "RealIP":
			return firstPresent([]string{"True-Client-IP", "X-Real-IP"}), true, nil, ""
		}
	}
	panic(fmt.Sprintf("%s: no mapping for anchor %s config %v", v.ID, v.Anchor, v.Config))
}

func runResolve(t *testing.T, v ipVector, trustRaw json.RawMessage, exp expectations, assumeTrusted bool) string {
	h := v.header()
	src, peerless, trust, skip := sourceFor(v, h)
	if skip != "" {
		return skip
	}
	if trust == nil {
		var given bool
		trust, _, given = trustOptions(t, trustRaw)
		switch {
		case !given && (v.Op == "all_addrs" || v.Op == "parse_xff"):
			// proxyaddr.all and forwarded() without trust list every address.
			trust = []Option{TrustAll()}
		case !given && src != nil:
			trust = []Option{TrustProxies()}
		}
	}
	remote := ""
	if v.RemoteAddr != nil {
		remote = *v.RemoteAddr
	}
	if (peerless || assumeTrusted) && remote == "" {
		// The anchor never saw a peer: model a proxy on a trusted Unix socket.
		// TrustAll and TrustHops trust it already.
		remote = "@"
		if !positional(trustRaw, trust) {
			trust = append(trust, TrustProxies("unix"))
		}
		if src == nil {
			t.Fatalf("peerless without source")
		}
	} else if assumeTrusted {
		trust = append(trust, TrustProxies(remote))
	}
	var opts []Option
	if src != nil {
		opts = append(append(opts, src), trust...)
	}
	r, err := New(opts...)
	if err != nil {
		if exp.Error && v.Op != "origin" {
			return "" // a configuration the anchor rejects is rejected here too
		}
		t.Fatalf("New: %v", err)
	}
	local := Point{Scheme: "http", Version: "HTTP/1.1", Method: "GET", Host: "localhost", Port: 80, URI: "/", RemoteAddr: remote}
	if tls, _ := v.Config["tls"].(bool); tls {
		local.Scheme, local.Port = "https", 443
	}
	if host := h.Get("Host"); host != "" {
		hn, port, ok := SplitHost(host)
		if !ok {
			t.Fatalf("Host %q", host)
		}
		local.Host = hn
		if port != 0 {
			local.Port = port
		}
	}
	res, err := r.Resolve(local, h)
	checkError(t, err, exp)
	client, cerr := r.Client(local, h)
	if client != res.Client || (cerr == nil) != (err == nil) {
		t.Errorf("Client() = %v, %v; Resolve gave %v, %v", client, cerr, res.Client, err)
	}
	if v.Op != "origin" {
		checkIP(t, "Client", res.Client, err, exp)
		if exp.IPs != nil {
			checkHops(t, v, res.Hops, exp)
		}
		return ""
	}
	for k, w := range exp.Origin {
		var got any
		o := res.Origin
		switch k {
		case "scheme":
			got = o.Scheme
		case "host", "hostname":
			got = o.Host
		case "port":
			got, w = o.Port, int(w.(float64))
		case "remote_host", "remote_address":
			got, w = remoteHost(o.RemoteAddr), canonIP(w.(string))
		default:
			t.Fatalf("origin key %s", k)
		}
		if got != w {
			t.Errorf("Origin.%s = %v, want %v (origin %+v, err %v)", k, got, w, o, err)
		}
	}
	return ""
}

// positional reports whether the trust trusts any peer: TrustAll or TrustHops.
func positional(raw json.RawMessage, trust []Option) bool {
	r, err := New(append([]Option{FromXForwardedFor()}, trust...)...)
	return err == nil && (r.all || r.hops > 0)
}

// remoteHost returns the address part of Origin.RemoteAddr.
func remoteHost(s string) string {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().String()
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String()
	}
	return s
}

func checkHops(t *testing.T, v ipVector, hops []Hop, exp expectations) {
	t.Helper()
	var got []string
	for _, h := range hops {
		if h.Addr.IsValid() {
			got = append(got, h.Addr.String())
		} else {
			got = append(got, h.Raw)
		}
	}
	if v.Order == "furthest-first" {
		// Express's req.ips: furthest first, without the socket peer.
		got = got[1:]
		slices.Reverse(got)
	}
	if got == nil {
		got = []string{}
	}
	if want := derefAll(exp.IPs, canonIP); !slices.Equal(got, want) {
		t.Errorf("Hops = %q, want %q", got, want)
	}
}
