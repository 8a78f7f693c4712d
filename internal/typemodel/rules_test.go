package typemodel

import (
	"reflect"
	"testing"
)

// TestRulesConstraints: compiled Rules give back the constraints they
// were compiled from, and nil Rules none.
func TestRulesConstraints(t *testing.T) {
	var x struct {
		N []int `minimum:"1" maxItems:"3"`
	}
	sf := reflect.TypeOf(x).Field(0)
	c, err := ParseConstraints(sf)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Compile(sf.Type).Constraints(); !reflect.DeepEqual(got, c) {
		t.Errorf("Constraints() = %+v, want %+v", got, c)
	}
	var none *Rules
	if got := none.Constraints(); !got.IsZero() {
		t.Errorf("nil Rules: Constraints() = %+v, want none", got)
	}
}
