package store

import "testing"

// BenchmarkSchemaOf: counting the kinds of an import's chunk of bodies.
func BenchmarkSchemaOf(b *testing.B) {
	lots := genLots(chunkSize, 1)
	ps := make([]prepared, len(lots))
	for i, f := range lots {
		ps[i].body = encodeBody(f)
	}
	b.ResetTimer()
	for b.Loop() {
		schemaOf(ps)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ps)), "ns/body")
}
