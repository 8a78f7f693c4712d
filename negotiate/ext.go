package negotiate

import "strings"

// extTypes maps file extensions to media types. It is a fixed subset of mime-db 1.52.0
// as npm's mime-types 2.1.35 resolves it (the table behind jshttp/accepts 1.3.8 and
// type-is 1.6.18), so that answers do not depend on the machine as
// mime.TypeByExtension's do. Keys are lower case.
var extTypes = map[string]string{
	// text
	"html":     "text/html",
	"htm":      "text/html",
	"shtml":    "text/html",
	"text":     "text/plain",
	"txt":      "text/plain",
	"log":      "text/plain",
	"conf":     "text/plain",
	"ini":      "text/plain",
	"css":      "text/css",
	"csv":      "text/csv",
	"md":       "text/markdown",
	"markdown": "text/markdown",
	"ics":      "text/calendar",

	// application
	"json":        "application/json",
	"map":         "application/json",
	"jsonld":      "application/ld+json",
	"webmanifest": "application/manifest+json",
	"xml":         "application/xml",
	"xsl":         "application/xml",
	"xsd":         "application/xml",
	"xhtml":       "application/xhtml+xml",
	"atom":        "application/atom+xml",
	"rss":         "application/rss+xml",
	"js":          "application/javascript",
	"mjs":         "application/javascript",
	"pdf":         "application/pdf",
	"zip":         "application/zip",
	"gz":          "application/gzip",
	"tar":         "application/x-tar",
	"wasm":        "application/wasm",
	"bin":         "application/octet-stream",

	// images
	"png":  "image/png",
	"jpg":  "image/jpeg",
	"jpeg": "image/jpeg",
	"jpe":  "image/jpeg",
	"gif":  "image/gif",
	"svg":  "image/svg+xml",
	"svgz": "image/svg+xml",
	"webp": "image/webp",
	"avif": "image/avif",
	"bmp":  "image/bmp",
	"tif":  "image/tiff",
	"tiff": "image/tiff",

	// fonts
	"woff":  "font/woff",
	"woff2": "font/woff2",
	"ttf":   "font/ttf",
	"otf":   "font/otf",

	// audio and video
	"mp3":  "audio/mpeg",
	"ogg":  "audio/ogg",
	"mp4":  "video/mp4",
	"webm": "video/webm",
	"mpeg": "video/mpeg",
	"mpg":  "video/mpeg",
	"mov":  "video/quicktime",
}

// maxExt is the length of the longest key of extTypes.
const maxExt = len("webmanifest")

// extType returns the media type of an extension shorthand, or "" when the table does
// not know it. As mime-types' lookup does, it reads the part after the last dot, in any
// case: "json", ".json", "JSON" and "data.json" all give application/json.
func extType(name string) string {
	// The shorthands applications name most, without hashing: the same
	// answers as the table (TestExtTypeFastPath).
	switch name {
	case "json":
		return "application/json"
	case "html":
		return "text/html"
	case "text", "txt":
		return "text/plain"
	case "xml":
		return "application/xml"
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || len(name) > maxExt {
		return ""
	}
	var buf [maxExt]byte
	for i := 0; i < len(name); i++ {
		buf[i] = lower(name[i])
	}
	return extTypes[string(buf[:len(name)])]
}
