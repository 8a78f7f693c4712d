module github.com/kaito-go/kaito

go 1.25.0

require (
	github.com/goccy/go-json v0.12.0
	github.com/julienschmidt/httprouter v1.3.0
	github.com/valyala/fasthttp v1.74.0
)

require (
	github.com/klauspost/compress v1.20.0 // indirect
	github.com/molecule-man/go-brrr v1.0.1 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
)
