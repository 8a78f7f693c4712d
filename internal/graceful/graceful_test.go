package graceful

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// fake is a server whose Serve blocks until Shutdown, which takes as long
// as requests in flight need.
type fake struct {
	stop     chan struct{}
	inFlight time.Duration
	serveErr error
}

func (f *fake) server() Server {
	return Server{
		Serve: func() error {
			if f.serveErr != nil {
				return f.serveErr
			}
			<-f.stop
			return errors.New("closed")
		},
		Shutdown: func(ctx context.Context) error {
			defer close(f.stop)
			select {
			case <-time.After(f.inFlight):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
		Closed: func(err error) bool { return err.Error() == "closed" },
		Name:   "test",
	}
}

func TestRun(t *testing.T) {
	cases := []struct {
		name    string
		f       *fake
		timeout time.Duration
		want    string // "" for nil
	}{
		{"finishes in time", &fake{stop: make(chan struct{}), inFlight: 10 * time.Millisecond}, time.Second, ""},
		{"cut off at the deadline", &fake{stop: make(chan struct{}), inFlight: time.Second}, 20 * time.Millisecond, "test: requests still running after 20ms were cut off"},
		{"serve fails", &fake{stop: make(chan struct{}), serveErr: errors.New("address in use")}, time.Second, "address in use"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(10*time.Millisecond, cancel)
			err := Run(ctx, tc.f.server(), tc.timeout)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Run = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Run = %v, want %q", err, tc.want)
			}
		})
	}
}
