package ui

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"quyhoach/office/pgtest"
)

// uiQueue holds what background goroutines hand to the UI goroutine: in
// tests the test goroutine runs it (pump), so widgets are only ever touched
// from one goroutine, as in the real window.
var uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func TestMain(m *testing.M) {
	onUI = func(fn func()) {
		uiQueue.mu.Lock()
		uiQueue.fns = append(uiQueue.fns, fn)
		uiQueue.mu.Unlock()
	}
	code := m.Run()
	pgtest.Stop() // the office tests' throw-away PostgreSQL (remote_test.go)
	// a string Fyne could not translate in any test fails the run (i18n_test.go)
	if f := translationFailures(fyneLog.String()); len(f) > 0 && code == 0 {
		os.Stderr.WriteString("FAIL: translation failures (add the keys to assets/translations/AREA.vi.json and AREA.en.json):\n  " + strings.Join(f, "\n  ") + "\n")
		code = 1
	}
	os.Exit(code)
}

// pump runs the queued UI work on the test goroutine until cond holds.
func pump(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		uiQueue.mu.Lock()
		fns := uiQueue.fns
		uiQueue.fns = nil
		uiQueue.mu.Unlock()
		for _, fn := range fns {
			fn()
		}
		if len(fns) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: timed out", what)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}
