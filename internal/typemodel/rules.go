package typemodel

// Constraints returns the constraints r was compiled from; the zero
// Constraints for nil Rules, which constrain nothing.
func (r *Rules) Constraints() Constraints {
	if r == nil {
		return Constraints{}
	}
	return r.c
}
