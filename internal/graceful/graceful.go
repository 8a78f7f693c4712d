// Package graceful runs a server until its context is cancelled and then
// shuts it down within a deadline: the part of the adapters' Serve
// functions that does not depend on the runtime.
package graceful

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Server is what Run needs of a runtime's server.
type Server struct {
	// Serve serves until the server is shut down or fails.
	Serve func() error
	// Shutdown stops accepting connections and waits for requests in
	// flight, until its context is done.
	Shutdown func(context.Context) error
	// Close, if not nil, closes what Shutdown left open at the deadline.
	Close func() error
	// Closed reports whether an error from Serve only says the server was
	// shut down; nil means any error is real.
	Closed func(error) bool
	// Name starts error messages, e.g. "nethttp".
	Name string
}

// Run serves s until ctx is cancelled, then shuts it down, giving
// requests in flight up to timeout. It returns the error Serve failed
// with, an error saying requests were cut off at the deadline, or nil.
func Run(ctx context.Context, s Server, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- s.Serve() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		if s.Close != nil {
			s.Close()
		}
		err = fmt.Errorf("%s: requests still running after %v were cut off", s.Name, timeout)
	}
	if serr := <-done; serr != nil && (s.Closed == nil || !s.Closed(serr)) {
		return serr
	}
	return err
}
