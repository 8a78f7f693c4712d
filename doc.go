// Package kaito is a type-safe HTTP router built on generics, modelled on
// the TypeScript framework Kaito.
//
// A route is a generic function of the application's own context type C,
// an input In bound from the request, and an output Out sent as JSON:
//
//	type App struct{ Req *kaito.Request; DB *sql.DB }
//
//	r := kaito.New(func(req *kaito.Request) (App, error) { return App{req, db}, nil })
//	kaito.Get(r, "/users/:id", func(c App, in struct {
//		ID int `path:"id"`
//	}) (User, error) {
//		return findUser(c.DB, in.ID)
//	})
//	http.ListenAndServe(":8080", nethttp.Handler(r))
//
// The same router serves on net/http (adapters/nethttp) or fasthttp
// (adapters/fasthttp).
//
// # Patterns
//
// Patterns use httprouter's syntax, and httprouter matches them:
//
//	/users/:id      matches /users/42, not /users or /users/42/posts
//	/files/*path    matches /files/a/b.txt (path is "/a/b.txt") and /files/
//	/v:version/info matches /v2/info
//
// Unlike plain httprouter, a static segment may stand beside a parameter
// (/users/new and /users/:id), and parameters of different names may share
// a position (/a/:x/b and /a/:y/c). When several routes match a path the
// most specific wins: comparing segments from the left, a static segment
// beats one that mixes text and a parameter, which beats a parameter, which
// beats a catch-all. Two routes of one method that match exactly the same
// paths make Handle panic with a *ConflictError that names both.
//
// A path that matches no route but would with a trailing slash added or
// removed is redirected there (301 for GET and HEAD, 308 otherwise). HEAD is
// answered by the GET route without a body; OPTIONS, when no route handles
// it, is answered 204 with an Allow header.
//
// # Input
//
// In is bound by a plan made once, at registration: fields tagged path,
// query, header or cookie come from there, and the other exported fields
// from the body (JSON, urlencoded or multipart by Content-Type). Use
// struct{} for no input; it costs nothing. If *In has a method
// Validate() error, it runs after binding and a failure is answered 422.
// Handle's documentation has the details.
//
// # Output and errors
//
// Out is encoded as JSON with status 200, or the route's Status. An Out
// that implements Responder writes its own response: NoContent, Blob, Text,
// Redirect, Stream, File and SSE are provided.
//
// Errors are answered as {"message": "..."}, with "errors": [{"location",
// "message"}] when they concern fields of the input (Error.Errors), or as
// RFC 9457 problems under WithProblemDetails:
//   - an *Error anywhere in the chain (errors.As) with its status and message;
//   - an error with a StatusCode() int method with that status, its text for
//     4xx and the status text for 5xx;
//   - any other error through OnError, and without it (or when OnError
//     declines) 500 Internal Server Error. The text of such an error is
//     logged, never sent: it may hold anything from SQL to file paths.
//
// The router itself answers: 400 for input that does not convert (naming
// the field and its source) and for malformed bodies, 404 {"message":
// "Cannot GET /path"}, 405 with Allow, 413 for bodies over the limit, 415 for
// unsupported content types and encodings, 422 for failed validation (a
// Validate method, or constraint tags and required fields: see Handle), and
// 500 for a panic, which is logged with its stack while the server goes on.
//
// # Requests
//
// The context factory receives a *Request, with the accessors AdonisJS's
// Request has (Qs, Input, Only, Accepts, IP, Hostname, ID ...) and Ktor's
// Local and Origin. A Request belongs to one request: see its lifetime note.
package kaito
