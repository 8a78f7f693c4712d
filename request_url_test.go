package kaito_test

import (
	"testing"

	"github.com/kaito-go/kaito"
)

func TestURLWithEmptyQuery(t *testing.T) {
	r, on := reqApp(t)
	on("/*p", func(req *kaito.Request) any { return []string{req.URL(true), req.URL(false), req.CompleteURL(true)} })
	table{
		{"empty query", call{target: "/?"}, expect{200, nil, `["/","/","http://example.com/"]`}},
		{"empty query on a path", call{target: "/a/b?"}, expect{200, nil, `["/a/b","/a/b","http://example.com/a/b"]`}},
		{"query", call{target: "/a?x=1"}, expect{200, nil, `["/a?x=1","/a","http://example.com/a?x=1"]`}},
		{"query of a question mark", call{target: "/a??"}, expect{200, nil, `["/a??","/a","http://example.com/a??"]`}},
	}.run(t, serve(r))
}
