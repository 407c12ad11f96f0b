package store

import (
	"context"
	"database/sql"
	"syscall"
	"testing"
	"time"

	"quyhoach/gis"
)

// BenchmarkImportWrite100k is the SQLite side of an import of 100 000 lots
// alone: bodies prepared beforehand, then the writing goroutine's work
// (bodies, grid forms, measures, items, body hashes, the R*Tree, the
// commit) into a fresh plan, as an import's connection is set
// (importPragmas, bulkTx) and, beside it, with foreign keys looked up. It reports
// the process's CPU per import beside the wall time: on a shared machine
// the CPU is the steadier figure.
func BenchmarkImportWrite100k(b *testing.B) {
	lots := genLots(100000, 1)
	bodies := make([]body, len(lots))
	gis.Parallel(len(lots), func(i int) { bodies[i] = encodeBody(lots[i]) })
	b.Run("import", func(b *testing.B) { benchImportWrite(b, bodies) })
	b.Run("foreign_keys=1", func(b *testing.B) {
		was := importPragmas
		importPragmas = importPragmas[:1] // the page cache only
		defer func() { importPragmas = was }()
		benchImportWrite(b, bodies)
	})
}

func benchImportWrite(b *testing.B, bodies []body) {
	ids := make([]string, len(bodies))
	for i := range ids {
		ids[i] = newID()
	}
	ctx := context.Background()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := openTemp(b)
		s.alone = true // as the import command opens it (Options.Alone)
		mustPlan(b, s, "p")
		before := cpuTime()
		b.StartTimer()
		err := s.bulkTx(ctx, importPragmas, func(tx *sql.Tx) error {
			planID, _, err := planIDs(ctx, tx, "p")
			if err != nil {
				return err
			}
			layerIDs, err := importLayers(ctx, tx, planID, []gis.Layer{{Name: "L_A"}})
			if err != nil {
				return err
			}
			_, at, _, err := writeVersion(ctx, tx, planID, 0, layerIDs, ImportRequest{Source: "import"}, "2026-01-01T00:00:00Z")
			if err != nil {
				return err
			}
			w, err := newBodyWriter(ctx, tx)
			if err != nil {
				return err
			}
			defer w.close()
			if err := w.expect(ctx, -1); err != nil {
				return err
			}
			for lo := 0; lo < len(bodies); lo += batchRows {
				hi := min(lo+batchRows, len(bodies))
				rows := make([]itemRow, 0, hi-lo)
				for i := lo; i < hi; i++ {
					rows = append(rows, itemRow{feature: ids[i], layer: layerIDs[0], seq: int64(i + 1)})
				}
				if err := writeItemBatch(ctx, w, at, rows, bodies[lo:hi]); err != nil {
					return err
				}
			}
			return w.finish(ctx)
		})
		b.StopTimer()
		cpu += cpuTime() - before
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the process's CPU time so far (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
