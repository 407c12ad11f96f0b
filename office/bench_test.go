package office

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/store"
)

// Benchmarks on the throw-away cluster (skipped without PostgreSQL):
//   go test -run '^$' -bench . -benchtime 3x ./office/

// lotsStore is a store file with one plan of n lots of 20 vertices.
func lotsStore(b *testing.B, n int) (*store.Store, []gis.Feature) {
	b.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(b.TempDir(), "lots.db"), store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.CreatePlan(ctx, store.Plan{Code: "p", Name: "Plan p", Level: "detailed", Scale: 500}); err != nil {
		b.Fatal(err)
	}
	lots := genLots(n)
	if _, err := s.Import(ctx, store.ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: store.DefaultLayer, Features: lots}}}); err != nil {
		b.Fatal(err)
	}
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		b.Fatal(err)
	}
	return s, snap.Layers[0].Features
}

// genLots is a grid of n square lots near Lạng Sơn, 5 points an edge.
func genLots(n int) []gis.Feature {
	r := rand.New(rand.NewPCG(1, 1))
	const side, cols = 0.0005, 300
	classes := []string{"ONM", "CN", "CXCC", "GT", "DV"}
	out := make([]gis.Feature, n)
	for i := range out {
		x0, y0 := 106.70+float64(i%cols)*side, 21.90+float64(i/cols)*side
		ring := orb.Ring{}
		for e := range 4 {
			for k := range 5 {
				t := float64(k) / 5 * side
				ring = append(ring, [4]orb.Point{{x0 + t, y0}, {x0 + side, y0 + t}, {x0 + side - t, y0 + side}, {x0, y0 + side - t}}[e])
			}
		}
		ring = append(ring, ring[0])
		out[i] = gis.Feature{Geometry: orb.Polygon{ring}, Properties: map[string]any{
			"maDoiTuong": fmt.Sprintf("L-%d", i), "phanLoai": classes[r.IntN(len(classes))],
			"matDoXayDung": float64(20 + r.IntN(60)), "tangCaoMax": float64(1 + r.IntN(9)),
		}}
	}
	return out
}

// BenchmarkLoad100k: office init --from of a store with a 100 000-lot plan
// (bodies with their PostGIS geometry, items, seal recomputed), one
// transaction.
func BenchmarkLoad100k(b *testing.B) {
	s, _ := lotsStore(b, 100000)
	for b.Loop() {
		b.StopTimer()
		o, _ := newOffice(b)
		b.StartTimer()
		if err := o.Load(context.Background(), s, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmptyPull: what a pull with nothing new asks (the change log's
// head, the dossiers changed after the cursor) of an office holding the
// samples. Target ≤ 200 ms.
func BenchmarkEmptyPull(b *testing.B) {
	o, _, _ := loaded(b)
	ctx := context.Background()
	cur, _ := o.Cursor(ctx)
	for b.Loop() {
		c, err := o.Cursor(ctx)
		if err != nil || c != cur {
			b.Fatal(c, err)
		}
		if ds, err := o.Dossiers(ctx, c); err != nil || len(ds) != 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPush1000: a new dossier of 1 000 changed lots with 20 MB of
// documents (4 × 5 MB) pushed to an office holding its 10 000-lot plan.
// Target ≤ 3 s.
func BenchmarkPush1000(b *testing.B) {
	ctx := context.Background()
	s, base := lotsStore(b, 10000)
	o, _ := newOffice(b)
	if err := o.Load(ctx, s, nil); err != nil {
		b.Fatal(err)
	}
	doc := make([]byte, 5<<20)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		id, err := s.CreateDossier(ctx, store.NewDossier{Plan: "p", Kind: store.Local, Title: fmt.Sprintf("bench %d", i)})
		if err != nil {
			b.Fatal(err)
		}
		changes := make([]gis.Feature, 1000)
		for k := range changes {
			f := base[(k*7)%len(base)]
			props := map[string]any{}
			for key, v := range f.Properties {
				props[key] = v
			}
			props["ghiChu"] = fmt.Sprintf("điều chỉnh %d", i)
			f.Properties = props
			changes[k] = f
		}
		if _, err := s.Apply(ctx, store.ApplyRequest{Dossier: id, Features: changes}); err != nil {
			b.Fatal(err)
		}
		for k := range 4 {
			doc[0], doc[1], doc[2] = byte(i), byte(k), 1
			if _, err := s.Attach(ctx, id, "ban_ve", fmt.Sprintf("ban-ve-%d.pdf", k), doc); err != nil {
				b.Fatal(err)
			}
		}
		d, _ := s.Dossier(ctx, id)
		bundle, err := s.ReadDossierBundle(ctx, d.UID)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: bundle}}})
		if err != nil || res.Dossiers[0].State != "new" {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/push")
	}
}
