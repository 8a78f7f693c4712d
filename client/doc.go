// Package client calls a kaito API from Go, checked by the compiler against
// the server's endpoints: a package declares each route once with
// kaito.NewEndpoint, the server implements it with kaito.Implement, and a
// Go program calls it with Do (or Events, for an EventStream). A call whose
// input or output type does not match the endpoint's does not compile.
//
//	c, err := client.New("https://api.example.com/v1")
//	u, err := client.Do(ctx, c, api.GetUser, api.UserID{ID: 7})
//
// Do builds the request from the field plan the server binds with (package
// internal/typemodel): a field tagged path:"id" fills the pattern's :id,
// escaped with url.PathEscape (a value with a '/', or a dot segment, is
// refused: the server matches the decoded path, and would read it as
// another path); query:"q" a query parameter, one per element
// of a slice; header:"X-Token" a header line, one per element of a slice;
// cookie:"sid" a cookie; the other fields are the JSON body. An In that is
// not a struct is sent whole as the JSON body. Optional query, header and
// cookie fields (neither required:"true" nor a path field) are left out
// when nil or zero, which the server reads as the zero value anyway. The
// plan of an In type is built once and cached.
//
// A 2xx answer is decoded into Out: kaito.NoContent reads no body,
// kaito.Text is the body as text, kaito.Blob the bytes with their
// Content-Type and status, anything else the body as JSON. Any other status
// is an *Error with the server's message and field errors. Multipart
// uploads (a *kaito.MultipartFile field) are not supported: such an In is
// refused with an error.
package client
