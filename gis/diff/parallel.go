package diff

import (
	"runtime"
	"sync"
)

// minChunk is the least number of features worth a goroutine of their own.
const minChunk = 4096

// chunks calls fn on consecutive ranges [lo, hi) covering [0, n), one per
// available processor, concurrently, and returns when all are done. Small n
// run on the calling goroutine. fn gets the range's index k.
func chunks(n int, fn func(k, lo, hi int)) {
	w := min(runtime.GOMAXPROCS(0), n/minChunk)
	if w <= 1 {
		fn(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := k*n/w, (k+1)*n/w
		wg.Go(func() { fn(k, lo, hi) })
	}
	wg.Wait()
}

// numChunks is the number of ranges chunks(n, …) makes.
func numChunks(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/minChunk))
}
