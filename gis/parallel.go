package gis

import (
	"runtime"
	"sync"
)

// Parallel runs fn(i) for every i in [0, n) on every core, each worker
// taking every GOMAXPROCS-th index: the one fan-out of per-feature work
// (decoding bodies, projecting them, encoding geometry) in the store and
// the office. fn must write only to its own index.
func Parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
