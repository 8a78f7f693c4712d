package openapi

// User has the name of a type of package openapi_test: the document tells
// them apart.
type User struct {
	Login string `json:"login"`
}

// The internals that unit tests reach.
var (
	TemplatePath  = templatePath
	OperationIDOf = operationID
	Readable      = readable
)
