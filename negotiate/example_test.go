package negotiate_test

import (
	"fmt"
	"net/http"

	"github.com/kaito-go/kaito/negotiate"
)

func ExampleAccepts() {
	h := http.Header{}
	h.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	accept := h.Values("Accept")

	fmt.Println(negotiate.Accepts(accept, "json", "html"))
	fmt.Println(negotiate.Accepts(accept, "application/json"))
	fmt.Println(negotiate.Accepts(accept))
	fmt.Println(negotiate.Accepts(nil, "json", "html")) // no Accept: the first offer
	// Output:
	// html
	// application/json
	// text/html
	// json
}

func ExampleTypes() {
	fmt.Println(negotiate.Types([]string{"text/plain;q=0.5, application/json", "text/html;level=1"}))
	fmt.Println(negotiate.Types(nil))
	fmt.Println(negotiate.Types([]string{""}))
	// Output:
	// [application/json text/html text/plain]
	// [*/*]
	// []
}

func ExampleLanguage() {
	lang := []string{"fr-CH, fr;q=0.9, en;q=0.8"}
	fmt.Println(negotiate.Language(lang, "en", "fr"))
	fmt.Println(negotiate.Language(lang, "en-GB", "de"))
	fmt.Printf("%q\n", negotiate.Language([]string{"en-US"}, "en-GB"))
	// Output:
	// fr
	// en-GB
	// ""
}

func ExampleLanguages() {
	fmt.Println(negotiate.Languages([]string{"en;q=0.8, es, pt"}))
	// Output: [es pt en]
}

func ExampleEncoding() {
	ae := []string{"gzip, deflate, br;q=0.9"}
	fmt.Println(negotiate.Encoding(ae, "br", "gzip"))
	fmt.Println(negotiate.Encoding(nil, "gzip", "identity")) // no Accept-Encoding: identity only
	fmt.Printf("%q\n", negotiate.Encoding([]string{"gzip, identity;q=0"}, "identity"))
	// Output:
	// gzip
	// identity
	// ""
}

func ExampleEncodings() {
	fmt.Println(negotiate.Encodings([]string{"gzip;q=0.8, deflate"}))
	// Output: [deflate gzip identity]
}

func ExampleCharset() {
	fmt.Println(negotiate.Charset([]string{"utf-8;q=0.5, iso-8859-1"}, "UTF-8", "ISO-8859-1"))
	// Output: ISO-8859-1
}

func ExampleCharsets() {
	fmt.Println(negotiate.Charsets([]string{"utf-8, iso-8859-1;q=0.2, utf-7;q=0.5"}))
	// Output: [utf-8 utf-7 iso-8859-1]
}

func ExampleIs() {
	ct := "application/vnd.api+json; charset=utf-8"
	fmt.Println(negotiate.Is(ct, true, "json", "+json"))
	fmt.Println(negotiate.Is(ct, true, "application/*"))
	fmt.Println(negotiate.Is("application/x-www-form-urlencoded", true, "json", "urlencoded"))
	fmt.Println(negotiate.Is("text/html", true))
	fmt.Printf("%q\n", negotiate.Is("text/html", false, "html")) // no body
	// Output:
	// application/vnd.api+json
	// application/vnd.api+json
	// urlencoded
	// text/html
	// ""
}

func ExampleMediaType() {
	fmt.Println(negotiate.MediaType("Application/JSON; charset=UTF-8"))
	fmt.Printf("%q\n", negotiate.MediaType("application/json;")) // invalid, as type-is says
	// Output:
	// application/json
	// ""
}

func ExampleHasBody() {
	fmt.Println(negotiate.HasBody([]string{"0"}, nil))
	fmt.Println(negotiate.HasBody(nil, []string{"chunked"}))
	fmt.Println(negotiate.HasBody(nil, nil))
	// Output:
	// true
	// true
	// false
}
