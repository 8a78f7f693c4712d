package negotiate

import "testing"

var (
	chromeAccept   = []string{"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"}
	chromeLanguage = []string{"en-GB,en-US;q=0.9,en;q=0.8,fr;q=0.7"}
	chromeEncoding = []string{"gzip, deflate, br, zstd"}
	sinkString     string
	sinkList       []string
)

func BenchmarkAccepts(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = Accepts(chromeAccept, "json", "html")
	}
}

func BenchmarkAcceptsTypes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = Accepts(chromeAccept, "application/json", "text/html")
	}
}

func BenchmarkAcceptsAbsent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = Accepts(nil, "json", "html")
	}
}

func BenchmarkTypes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkList = Types(chromeAccept)
	}
}

func BenchmarkLanguage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = Language(chromeLanguage, "fr", "en", "de")
	}
}

func BenchmarkLanguages(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkList = Languages(chromeLanguage)
	}
}

func BenchmarkEncoding(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = Encoding(chromeEncoding, "br", "gzip", "identity")
	}
}

func BenchmarkCharset(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = Charset([]string{"utf-8, iso-8859-1;q=0.5"}, "iso-8859-1", "utf-8")
	}
}

func BenchmarkIs(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = Is("application/json; charset=utf-8", true, "urlencoded", "multipart", "json")
	}
}

func BenchmarkMediaType(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = MediaType("application/json; charset=utf-8")
	}
}
