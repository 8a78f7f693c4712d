module github.com/kaito-go/kaito/examples/websocket

go 1.25.0

replace github.com/kaito-go/kaito => ../..

require (
	github.com/coder/websocket v1.8.14
	github.com/kaito-go/kaito v0.0.0-00010101000000-000000000000
)

require (
	github.com/goccy/go-json v0.12.0 // indirect
	github.com/julienschmidt/httprouter v1.3.0 // indirect
)
