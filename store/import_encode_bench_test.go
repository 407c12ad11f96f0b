package store

import (
	"testing"
)

// BenchmarkEncodeLots is an import worker's preparing of 100 000 lots of
// 20 vertices (canonical text, hash, grid form, measure), through its
// cache and buffers, on one goroutine.
func BenchmarkEncodeLots(b *testing.B) {
	lots := genLots(100000, 1)
	b.ReportAllocs()
	for b.Loop() {
		cache := new(gridCache)
		for _, f := range lots {
			encodeBodyWith(f, cache)
		}
	}
}
