// Package openapi describes a kaito router's routes as an OpenAPI 3.1.0
// document, from the types of their handlers, and serves it with a docs
// page.
//
// Build writes the document; no server is needed, so a test or a go
// generate step can keep it in a file. Mount serves it (built once, with an
// ETag) and a Swagger UI page.
//
// # Mapping
//
// Paths: /users/:id is /users/{id}; a catch-all /files/*path is
// /files/{path}, whose value is the rest of the path from its '/'. Every
// parameter of the pattern is documented.
//
// Parameters: the In fields tagged path, query, header and cookie, with
// the schema of their type (a slice is an array, a pointer or a
// TextUnmarshaler its value). Path parameters are required; the others
// only with required:"true".
//
// Request body: the other fields of In, as application/json, and as
// application/x-www-form-urlencoded and multipart/form-data with the fields
// the binder reads from forms (by their form tag); *kaito.MultipartFile
// fields are binary parts of the multipart body. An In that is not a
// struct is the whole JSON body.
//
// Schemas follow encoding/json: field names and omitempty, embedded
// structs flattened, time.Time a date-time string, []byte a base64 string,
// maps objects, a pointer its element or null, a TextMarshaler a string, a
// json.Marshaler any value. A slice or a map is never null: the router's
// default codec writes a nil one as [] or {} (kaito.Codec). A named struct type is a component schema
// named after its type: a generic instantiation Page[User] is PageUser, and
// types of one name from different packages are told apart by their
// package's name (ApiUser, OtherUser). A body field is required unless it
// is a pointer, has omitempty or omitzero, or required:"false". The tags
// doc, example, format, enum, default, nullable, readOnly, writeOnly,
// deprecated and hidden document a field, and the constraint tags
// (minimum, exclusiveMinimum, maximum, exclusiveMaximum, multipleOf,
// minLength, maxLength, pattern, minItems, maxItems, uniqueItems) become
// the same JSON Schema keywords, on a list's items where the router checks
// them there. JSON bodies are documented under the router's JSON types
// (Config.JSONTypes).
//
// Responses: the route's success status (kaito.Status) with Out's schema
// as application/json; kaito.NoContent 204; kaito.Text text/plain;
// kaito.Blob and kaito.Stream any binary content, kaito.File too, and 206
// for ranges, 304, and the errors 404, 412 and 416; kaito.Redirect
// 3XX with a Location header; kaito.SSE and kaito.EventStream
// text/event-stream (the schema of an EventStream's data under
// x-event-data). Error responses, all with the error body's schema
// ({"message", "errors"}, or an RFC 9457 problem with Config.ProblemDetails): 400
// when anything is bound, 413 and 415 when a body is read, 422 when In has
// a Validate method, a constraint tag or a required field, the statuses of kaito.Errors, and a default response.
//
// Operations: operationId is kaito.OperationID, else the route's name
// (As), else derived from the method and the pattern (getV1UsersById);
// summary, description, tags, deprecated and security come from the route
// options, and security schemes from Config.
package openapi
