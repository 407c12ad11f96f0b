package ui

import (
	"context"
	"errors"
	"testing"
)

// TestCancelledTaskEndsCancelled: a task cancelled while it runs ends with
// context.Canceled whatever its work returned (a read cut off by the
// cancel fails with the driver's own words); a task not cancelled ends
// with its work's error.
func TestCancelledTaskEndsCancelled(t *testing.T) {
	var got error
	applied := false
	r := runner{sync: true, done: func(_ string, err error) { got = err }}
	cut := errors.New("sql: Rows are closed")
	r.Run("read", func(ctx context.Context) (func(), error) {
		r.Cancel()
		return func() { applied = true }, cut
	})
	if !errors.Is(got, context.Canceled) || applied {
		t.Fatalf("cancelled task ended with %v (applied %v)", got, applied)
	}
	r.Run("read", func(ctx context.Context) (func(), error) { return nil, cut })
	if got != cut {
		t.Fatalf("failed task ended with %v", got)
	}
	r.Run("read", func(ctx context.Context) (func(), error) { return func() { applied = true }, nil })
	if got != nil || !applied {
		t.Fatalf("task ended with %v (applied %v)", got, applied)
	}
}
