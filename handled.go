package kaito

// Handled is a handler result for a response the handler wrote outside the
// router, through the runtime's own writer: a websocket upgrade, or
// http.ServeContent on the http.ResponseWriter from nethttp.Raw. The router
// then writes nothing, not even a status.
type Handled struct{}

// Respond marks the response as written.
func (Handled) Respond(w ResponseWriter) error {
	if rw, ok := w.(*responseWriter); ok {
		rw.wroteHeader = true
	}
	return nil
}
