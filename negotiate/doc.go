// Package negotiate implements HTTP content negotiation (Accept, Accept-Language,
// Accept-Encoding and Accept-Charset) and Content-Type matching, as kaito's Request
// exposes them in the manner of AdonisJS: Accepts and Types, Language and Languages,
// Encoding and Encodings, Charset and Charsets, and Is.
//
// Every negotiation function takes the header's field lines as http.Header.Values gives
// them: nil (or empty) when the header is absent. Each line may hold a comma-separated
// list, and all lines count, in order.
//
// # Rules
//
// Negotiation follows RFC 9110, section 12:
//   - A q-value is 0 to 1 with at most three decimals ("q=1.0", "q=0.001"); "Q" is
//     accepted for "q" and whitespace may surround the ';' before it. Any other weight
//     ("q=1.5", "q=0.0001", "q=abc", a bare "q") drops that element. Elements with
//     q=0 are refusals: they exclude what they match.
//   - An offer takes the q of the most specific range that matches it, and offers are
//     ranked by q, then by that range's specificity, then by the range's position in the
//     header, then by the order of the offers. Among equally specific ranges for the same
//     offer, the higher q and then the earlier one counts.
//   - The preference lists (Types, Languages, Encodings, Charsets) are ordered by q, ties
//     in header order, without the elements of q=0.
//   - An absent Accept, Accept-Language or Accept-Charset accepts anything: the first
//     offer wins. An absent Accept-Encoding allows only identity. A present but empty
//     header accepts nothing, except that Accepts still returns the first offer, as
//     AdonisJS does.
//   - Values are compared case-insensitively (media types and their parameter names and
//     values, languages, codings, charsets) and the offer is returned as given.
//
// Media-type offers may be extension shorthands ("json", "html", ".txt"); the table is
// fixed, a subset of mime-db, so that answers never depend on the machine. Is follows
// jshttp/type-is, which also knows "urlencoded", "multipart", "+json" and wildcard
// patterns; MediaType gives the bare media type of a Content-Type cheaply.
//
// Nothing here allocates when the header is absent, and the functions that return one
// string allocate nothing at all. The list functions allocate their result; the result
// for an absent header is shared and must not be modified.
package negotiate
