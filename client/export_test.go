package client

// PlanBuilds returns how many encode plans were built so far.
func PlanBuilds() int64 { return planBuilds.Load() }
