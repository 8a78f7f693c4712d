package values_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kaito-go/kaito/values"
)

// printJSON prints v as JSON, map keys sorted.
func printJSON(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
}

func ExampleParseQuery() {
	qs, err := values.ParseQuery("page=2&tags[]=go&tags[]=web&filter[status]=open&q=a,b&sort=name&sort=-id")
	if err != nil {
		fmt.Println(err)
		return
	}
	printJSON(qs)

	_, err = values.ParseQuery(strings.Repeat("a=1&", values.ParameterLimit+1))
	fmt.Println(errors.Is(err, values.ErrTooManyParameters))
	// Output:
	// {"filter":{"status":"open"},"page":"2","q":"a,b","sort":["name","-id"],"tags":["go","web"]}
	// true
}

func ExampleParseForm() {
	body, err := values.ParseForm("user.name=virk&user.email=&user.roles[]=admin&remember", true)
	if err != nil {
		fmt.Println(err)
		return
	}
	printJSON(body)
	// Output:
	// {"remember":"","user":{"email":null,"name":"virk","roles":["admin"]}}
}

func ExampleGet() {
	data, _ := values.ParseQuery("users[0][name]=virk&users[1][name]=nikk&a.b=literal&a[b]=nested")

	for _, path := range []string{"users.1.name", "users[0].name", `users[0]["name"]`, "a.b", "a[b]", "users.2"} {
		v, ok := values.Get(data, path)
		fmt.Printf("%s: %v %v\n", path, v, ok)
	}
	// Output:
	// users.1.name: nikk true
	// users[0].name: virk true
	// users[0]["name"]: virk true
	// a.b: literal true
	// a[b]: nested true
	// users.2: <nil> false
}

func ExamplePick() {
	body, _ := values.ParseForm("user.name=virk&user.password=secret&users[]=a&users[]=b&token=t", true)

	printJSON(values.Pick(body, "user.name", "users.1", "missing"))
	printJSON(values.Omit(body, "user.password", "token"))
	// Output:
	// {"user":{"name":"virk"},"users":[null,"b"]}
	// {"user":{"name":"virk"},"users":["a","b"]}
}

func ExampleStrings() {
	qs, _ := values.ParseQuery("tags=go&tags=web&one=x&filter[a]=1")
	fmt.Printf("%q %q %q %q\n", values.Strings(qs["tags"]), values.Strings(qs["one"]), values.Strings(qs["filter"]), values.Strings(qs["none"]))
	// Output:
	// ["go" "web"] ["x"] [] []
}
