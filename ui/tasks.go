package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
)

// onUI hands fn to the UI goroutine. It is fyne.Do; the tests queue fn
// instead and run the queue on the test goroutine, because Fyne's test
// driver runs fyne.Do at once on the calling goroutine.
var onUI = fyne.Do

// slowAfter is how long a task runs before it shows its progress.
const slowAfter = 500 * time.Millisecond

// runner runs the background work of one owner (the window, a dialog): a
// task started cancels and replaces the one before it, whose result is then
// dropped. Work runs off the UI goroutine and returns the function that shows
// its result, which runs on the UI goroutine; work must not touch widgets or
// translate (tr reads what the language switch writes). With sync set (tests)
// work runs at once on the calling goroutine.
type runner struct {
	sync   bool
	gen    int // tasks started; a result of an older one is dropped
	cancel context.CancelFunc
	// Hooks, called on the UI goroutine; any may be nil.
	slow func()                       // the task has run for slowAfter
	done func(name string, err error) // the task ended: applied, failed or cancelled
}

// Run starts work as the task called name (tests and hooks tell tasks
// apart by name).
func (r *runner) Run(name string, work func(ctx context.Context) (apply func(), err error)) {
	r.gen++
	gen := r.gen
	if r.cancel != nil {
		r.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	finish := func(apply func(), err error) {
		if gen != r.gen {
			cancel()
			return // replaced: the newer task owns what is shown
		}
		r.cancel = nil
		if ctx.Err() != nil {
			// cancelled, even if the work did not notice, or failed for it
			// (database/sql closes a cancelled read's rows: "Rows are closed")
			err = ctx.Err()
		}
		cancel()
		if err == nil && apply != nil {
			apply()
		}
		if r.done != nil {
			r.done(name, err)
		}
	}
	if r.sync {
		finish(work(ctx))
		return
	}
	timer := time.AfterFunc(slowAfter, func() {
		onUI(func() {
			if gen == r.gen && ctx.Err() == nil && r.slow != nil {
				r.slow()
			}
		})
	})
	go func() {
		apply, err := work(ctx)
		timer.Stop()
		onUI(func() { finish(apply, err) })
	}()
}

// Cancel cancels the running task, if any; it ends with context.Canceled.
func (r *runner) Cancel() {
	if r.cancel != nil {
		r.cancel()
	}
}
