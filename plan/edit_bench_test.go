package plan

import (
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/edit"
	"quyhoach/store"
)

// editSession100k is a store holding benchState(100 000) (imported from
// WGS84, as any plan) with a draft overall dossier, open for editing: the
// window's state while an officer edits a plan of 100 000 lots.
func editSession100k(b *testing.B) (*Session, *store.Store) {
	b.Helper()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "b.db"), store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	s := benchState(100_000)
	if err := st.CreatePlan(ctx, store.Plan{Code: "bench", Name: "Đồ án 100 000 lô", Level: "zoning", Scale: 2000}); err != nil {
		b.Fatal(err)
	}
	inv, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	var layers []gis.Layer
	for _, l := range s.Layers {
		fs := make([]gis.Feature, len(l.Features))
		for i, f := range l.Features {
			fs[i] = gis.Feature{ID: f.ID, Geometry: project.Geometry(orb.Clone(f.Geometry), inv), Properties: f.Properties}
		}
		layers = append(layers, gis.Layer{Name: l.Name, Features: fs})
	}
	if _, err := st.Import(ctx, store.ImportRequest{Plan: "bench", Layers: layers}); err != nil {
		b.Fatal(err)
	}
	d, err := st.CreateDossier(ctx, store.NewDossier{Plan: "bench", Kind: store.Overall, Title: "Điều chỉnh tổng thể"})
	if err != nil {
		b.Fatal(err)
	}
	sess, err := OpenSession(ctx, st, catalogue(b), d)
	if err != nil {
		b.Fatal(err)
	}
	return sess, st
}

// lotsAt picks n lots spread over the plan.
func lotsAt(s *Session, n int) []gis.Feature {
	lots := s.State.Lots()
	rng := rand.New(rand.NewSource(3))
	out := make([]gis.Feature, n)
	for i := range out {
		out[i] = lots[rng.Intn(len(lots))]
	}
	return out
}

// BenchmarkEditSnap100k: one snap query of the pointer (target ≤ 1 ms):
// the features near it found in the index, its nearest vertex or side.
func BenchmarkEditSnap100k(b *testing.B) {
	s, _ := editSession100k(b)
	lots := lotsAt(s, 1000)
	layers := []string{gis.LandUseLayer, gis.BoundaryLayer}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := lots[i%len(lots)].Geometry.(orb.Polygon)[0][3]
		s.Snap(orb.Point{p[0] + 0.3, p[1] - 0.2}, 1.5, layers, nil)
		i++
	}
}

// BenchmarkEditCheck100k: the live check of an edit's neighbourhood
// (target ≤ 50 ms): the lot and its neighbours before and after, overlaps,
// gaps, outside parts, classes and indicators, what the edit introduced.
func BenchmarkEditCheck100k(b *testing.B) {
	s, _ := editSession100k(b)
	lots := lotsAt(s, 100)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.CheckAround(ctx, []string{lots[i%len(lots)].ID}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkEditSave100k: saving one edit (target ≤ 10 ms): the store's
// apply of one lot changed, recorded in the undo history, in its own
// transaction.
func BenchmarkEditSave100k(b *testing.B) {
	s, st := editSession100k(b)
	lots := lotsAt(s, 1000)
	raw, err := st.ProposalFeatures(ctx, s.Dossier().ID, []string{lots[0].ID})
	if err != nil {
		b.Fatal(err)
	}
	f := *raw[0].Feature
	f.ID = lots[0].ID
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f.Properties = copyProps(f.Properties)
		f.Properties["ghiChu"] = i
		if _, err := st.Apply(ctx, store.ApplyRequest{Dossier: s.Dossier().ID, Features: []gis.Feature{f}, Label: "bench"}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// benchGesture times a gesture on lots spread over the plan, each undone
// outside the timer, so every run edits the plan as it was.
func benchGesture(b *testing.B, gesture func(s *Session, lot gis.Feature) (*Result, error)) {
	s, _ := editSession100k(b)
	lots := lotsAt(s, 200)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := gesture(s, lots[i%len(lots)]); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := s.Undo(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		i++
	}
}

// BenchmarkEditSplit100k: a lot cut by a line across it (target ≤ 20 ms),
// the whole gesture: the cut, its neighbours noded, saved, read back,
// the neighbourhood checked.
func BenchmarkEditSplit100k(b *testing.B) {
	benchGesture(b, func(s *Session, lot gis.Feature) (*Result, error) {
		r := lot.Geometry.(orb.Polygon)[0]
		c := lot.Geometry.Bound().Center()
		return s.Split(ctx, lot.ID, orb.LineString{{r[2][0], c[1] - 20}, {r[2][0], c[1] + 20}})
	})
}

// BenchmarkEditSplitEqual100k: a lot in three parts of equal area across
// its first side (target ≤ 20 ms), the whole gesture.
func BenchmarkEditSplitEqual100k(b *testing.B) {
	benchGesture(b, func(s *Session, lot gis.Feature) (*Result, error) {
		return s.SplitEqual(ctx, lot.ID, 0, 3)
	})
}

// BenchmarkEditMerge100k: a lot merged with its east neighbour (target
// ≤ 20 ms), the whole gesture.
func BenchmarkEditMerge100k(b *testing.B) {
	benchGesture(b, func(s *Session, lot gis.Feature) (*Result, error) {
		c := lot.Geometry.Bound()
		nb, ok := s.FeatureAt(gis.LandUseLayer, orb.Point{c.Max[0] + 5, c.Center()[1]}, 0.1)
		if !ok { // on the plan's east edge: the west neighbour
			nb, ok = s.FeatureAt(gis.LandUseLayer, orb.Point{c.Min[0] - 5, c.Center()[1]}, 0.1)
		}
		if !ok {
			b.Fatal("no neighbour east or west")
		}
		return s.Merge(ctx, []string{lot.ID, nb.ID})
	})
}

// BenchmarkEditMoveVertex100k: a corner shared by four lots moved (the
// save of a vertex drag), the whole gesture.
func BenchmarkEditMoveVertex100k(b *testing.B) {
	benchGesture(b, func(s *Session, lot gis.Feature) (*Result, error) {
		p := lot.Geometry.(orb.Polygon)[0][10] // the far corner, shared
		return s.MoveVertex(ctx, gis.LandUseLayer, lot.ID, edit.Vertex{Path: 0, Index: 10}, orb.Point{p[0] + 0.7, p[1] - 0.4})
	})
}
