// Package typemodel is the one reading of Go types that kaito's binder,
// package openapi and the clients share: a type is reflected on once, here,
// and every consumer sees the same fields, names, sources and tags.
//
// Of describes a struct type: its fields as encoding/json sees them
// (embedded structs flattened by encoding/json's rules, JSON names,
// omitempty and omitzero), where the binder takes each one from (a path,
// query, header or cookie tag, else the body), whether a request must
// carry it, and the documentation tags (doc, example, format, enum,
// default, nullable, readOnly, writeOnly, deprecated, hidden). Input is Of
// for a handler's input: it also refuses the tags the binder would not read
// (a tagged field inside a body field, or inside a struct embedded by
// pointer or renamed by a json tag), so that the binder, the document and
// the clients refuse the same inputs. KindOf
// classifies a type by how encoding/json writes it. Descriptions are cached
// per type and safe for concurrent use.
package typemodel
