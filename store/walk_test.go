package store

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"quyhoach/gis"
	"quyhoach/gis/geombin"
)

// walkAll reads every layer of a version through a walk, as Load lays
// them out; batch sizes are checked on the way.
func walkAll(t *testing.T, s *Store, code string, number int, inGrid bool, layers ...string) ([]gis.Layer, map[int64]bool, error) {
	t.Helper()
	var out []gis.Layer
	var ordered map[int64]bool
	err := s.WalkVersion(context.Background(), code, number, layers, func(w *VersionWalk) error {
		for _, name := range w.Layers {
			l := gis.Layer{Name: name}
			err := w.Features(context.Background(), name, inGrid, func(fs []gis.Feature) error {
				if len(fs) == 0 || len(fs) > WalkBatch {
					t.Errorf("a batch of %d features", len(fs))
				}
				l.Features = append(l.Features, fs...)
				return nil
			})
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		ordered = w.ordered
		return nil
	})
	return out, ordered, err
}

// TestWalkIsLoad: walking every version of the sample plans gives, layer
// by layer and feature by feature, what Load gives (WGS84) and what
// LoadGrid gives (the grid), in the same order.
func TestWalkIsLoad(t *testing.T) {
	s := sampleCopy(t)
	ctx := context.Background()
	plans, err := s.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		vs, err := s.Versions(ctx, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			for _, inGrid := range []bool{false, true} {
				load := s.Load
				if inGrid {
					load = s.LoadGrid
				}
				want, err := load(ctx, p.Code, v.Number)
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := walkAll(t, s, p.Code, v.Number, inGrid)
				if err != nil {
					t.Fatalf("%s v%d: %v", p.Code, v.Number, err)
				}
				if !reflect.DeepEqual(got, want.Layers) {
					t.Fatalf("%s v%d (grid %v): the walk differs from the load", p.Code, v.Number, inGrid)
				}
			}
		}
	}
}

// TestWalkInBatchesInEitherOrder: a layer of several batches is walked as
// Load reads it, whether its items by key are in their order (an import)
// or not (a re-import of the same lots in another order keeps their ids):
// the second is read through the sort.
func TestWalkInBatchesInEitherOrder(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(2*WalkBatch+17, 1)
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}, {Name: "B_L", Features: genLots(3, 2)}}})
	reversed := slices.Clone(lots)
	slices.Reverse(reversed)
	reversed[5].Properties = map[string]any{"maDoiTuong": reversed[5].Properties["maDoiTuong"], "phanLoai": "DV"}
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: reversed}}})
	for v, sorted := range map[int]bool{1: false, 2: true} {
		for _, inGrid := range []bool{false, true} {
			load := s.Load
			if inGrid {
				load = s.LoadGrid
			}
			want, err := load(ctx, "p", v, "L_A")
			if err != nil {
				t.Fatal(err)
			}
			got, ordered, err := walkAll(t, s, "p", v, inGrid, "L_A")
			if err != nil {
				t.Fatal(err)
			}
			if len(ordered) != 1 || slices.Collect(mapValues(ordered))[0] == sorted {
				t.Fatalf("version %d: items in key order %v, want %v", v, ordered, !sorted)
			}
			if !reflect.DeepEqual(got, want.Layers) {
				t.Fatalf("version %d (grid %v): the walk differs from the load", v, inGrid)
			}
		}
	}
	got, _, err := walkAll(t, s, "p", 1, false)
	if err != nil || len(got) != 2 || got[0].Name != "L_A" || got[1].Name != "B_L" || len(got[1].Features) != 3 {
		t.Fatalf("every layer: %v", err)
	}
}

func mapValues(m map[int64]bool) func(func(bool) bool) {
	return func(yield func(bool) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// TestWalkRefusesWhatLoadRefuses: no such plan, version or layer, a body
// that no longer matches its sha256 (in WGS84: a walk in the grid reads
// the grid forms instead) and a grid form that fails its checksum stop a
// walk with the error Load gives.
func TestWalkRefusesWhatLoadRefuses(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	none := func(*VersionWalk) error { return nil }
	for _, c := range []struct {
		code   string
		number int
		layers []string
	}{{"nope", 0, nil}, {"chi-ma", 9, nil}, {"chi-ma", 0, []string{"Nope_A"}}} {
		_, want := s.Load(ctx, c.code, c.number, c.layers...)
		err := s.WalkVersion(ctx, c.code, c.number, c.layers, none)
		got, read := ReadError(err)
		if want == nil || !read || got.Error() != want.Error() || !errors.Is(err, ErrNotFound) {
			t.Fatalf("%+v: walk %v, load %v", c, err, want)
		}
	}

	var id int64
	s.db.QueryRow(`SELECT b.id FROM body b JOIN version_item i ON i.body_id = b.id JOIN version v ON v.id = i.version_id
		JOIN plan p ON p.id = v.plan_id JOIN layer l ON l.id = i.layer_id WHERE p.code = 'chi-ma' AND l.name = ? ORDER BY i.seq DESC LIMIT 1`, gis.LandUseLayer).Scan(&id)
	tamper(t, s, "DROP TRIGGER body_no_update", "UPDATE body SET geojson = replace(geojson, '\"properties\":{', '\"properties\":{\"x\":1,') WHERE id = "+itoa(id))
	_, want := s.Load(ctx, "chi-ma", 0)
	_, _, err := walkAll(t, s, "chi-ma", 0, false)
	var de *DamagedError
	if got, read := ReadError(err); !errors.As(err, &de) || !read || got.Error() != want.Error() {
		t.Fatalf("a damaged body: walk %v, load %v", err, want)
	}
	// in the grid a walk reads the grid forms (geometry and properties,
	// each with its checksum), not the body; verify reports the body
	if _, _, err := walkAll(t, s, "chi-ma", 0, true); err != nil {
		t.Fatalf("a walk in the grid read the damaged body: %v", err)
	}

	s = sampleCopy(t)
	s.db.SetMaxOpenConns(1)
	var g []byte
	s.db.QueryRow(`SELECT g.body_id, g.geom FROM body_geom g JOIN version_item i ON i.body_id = g.body_id JOIN version v ON v.id = i.version_id
		JOIN plan p ON p.id = v.plan_id WHERE p.code = 'huu-nghi' LIMIT 1`).Scan(&id, &g)
	g[len(g)/2] ^= 1
	tamper(t, s, "DROP TRIGGER body_geom_no_update")
	if _, err := s.db.Exec("UPDATE body_geom SET geom = ? WHERE body_id = ?", g, id); err != nil {
		t.Fatal(err)
	}
	_, want = s.LoadGrid(ctx, "huu-nghi", 0)
	_, _, err = walkAll(t, s, "huu-nghi", 0, true)
	var ge *GeometryError
	if got, _ := ReadError(err); !errors.As(err, &ge) || want == nil || got.Error() != want.Error() {
		t.Fatalf("a damaged grid form: walk %v, load %v", err, want)
	}
	if _, _, err := walkAll(t, s, "huu-nghi", 0, false); err != nil {
		t.Fatalf("WGS84 reads no grid form: %v", err)
	}
	if _, err := geombin.Decode(g); err == nil {
		t.Fatal("the altered grid form still decodes")
	}
}

// TestWalkStopsWhenTold: an error from the caller's function ends the walk
// with that error after the batch that caused it, and the store is usable
// after (the connection's page cache given back).
func TestWalkStopsWhenTold(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(5*WalkBatch, 1)}}})
	var cache int64
	s.db.QueryRow("PRAGMA cache_size").Scan(&cache)
	stop := errors.New("enough")
	batches := 0
	err := s.WalkVersion(ctx, "p", 0, nil, func(w *VersionWalk) error {
		return w.Features(ctx, "L_A", true, func([]gis.Feature) error {
			batches++
			if batches == 2 {
				return stop
			}
			return nil
		})
	})
	if !errors.Is(err, stop) || batches != 2 {
		t.Fatalf("got %v after %d batches", err, batches)
	}
	if _, read := ReadError(err); read {
		t.Fatal("the caller's error counted as a read error")
	}
	cctx, cancel := context.WithCancel(ctx)
	err = s.WalkVersion(cctx, "p", 0, nil, func(w *VersionWalk) error {
		return w.Features(cctx, "L_A", false, func([]gis.Feature) error { cancel(); return nil })
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	s.db.SetMaxOpenConns(1) // the one connection the walks used
	var after int64
	s.db.QueryRow("PRAGMA cache_size").Scan(&after)
	if after != cache {
		t.Fatalf("page cache %d after the walks, %d before", after, cache)
	}
	if snap, err := s.Load(ctx, "p", 0); err != nil || len(snap.Layers[0].Features) != 5*WalkBatch {
		t.Fatalf("load after: %v", err)
	}
}

// TestWithoutGeometryKeepsProperties: the properties read from a body with
// its geometry cut out are the body's.
func TestWithoutGeometryKeepsProperties(t *testing.T) {
	var scratch []byte
	for _, f := range genLots(50, 3) {
		text := encodeBody(f).text
		cut := withoutGeometry(text, &scratch)
		if !strings.Contains(string(cut), `"geometry":null,`) {
			t.Fatalf("not cut: %s", cut)
		}
		a, err1 := decodeGrid("x", text, gridForm(f.Geometry))
		b, err2 := decodeGrid("x", cut, gridForm(f.Geometry))
		if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("%v %v", err1, err2)
		}
	}
	odd := []byte(`{"type":"Feature","properties":{},"geometry":null}`)
	if got := withoutGeometry(odd, &scratch); string(got) != string(odd) {
		t.Fatalf("a body in another form changed: %s", got)
	}
}

// peakHeap samples the heap in use while run runs: what a walk holds.
func peakHeap(run func()) uint64 {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var top uint64
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapInuse)
			select {
			case <-done:
				peak <- top
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	run()
	close(done)
	return <-peak
}

// BenchmarkWalkGrid100k walks a 100 000-lot version in the grid, as the
// GeoPackage export reads it; MB-heap is the peak heap in use.
func BenchmarkWalkGrid100k(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b)
	mustPlan(b, s, "p")
	mustImport(b, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(100000, 1)}}})
	runtime.GC()
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			n := 0
			err := s.WalkVersion(ctx, "p", 0, nil, func(w *VersionWalk) error {
				return w.Features(ctx, "L_A", true, func(fs []gis.Feature) error { n += len(fs); return nil })
			})
			if err != nil || n != 100000 {
				b.Fatal(n, err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap")
}

// TestWalkProposalIsProposal: walking each sample dossier's proposal gives
// what Proposal gives (WGS84) and ProposalGrid gives (the grid).
func TestWalkProposalIsProposal(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	ds, err := s.Dossiers(ctx, DossierFilter{})
	if err != nil || len(ds) < 3 {
		t.Fatalf("%v %v", ds, err)
	}
	changed := 0
	for _, d := range ds {
		for _, inGrid := range []bool{false, true} {
			proposal := s.Proposal
			if inGrid {
				proposal = s.ProposalGrid
			}
			want, dd, err := proposal(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			changed += len(dd.Changes)
			var got []gis.Layer
			err = s.WalkProposal(ctx, d.ID, func(w *VersionWalk, _ Dossier) error {
				for _, name := range w.Layers {
					l := gis.Layer{Name: name}
					if err := w.Features(ctx, name, inGrid, func(fs []gis.Feature) error { l.Features = append(l.Features, fs...); return nil }); err != nil {
						return err
					}
					got = append(got, l)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i := range want.Layers { // an empty layer is a nil one, walked
				if len(want.Layers[i].Features) == 0 {
					want.Layers[i].Features = nil
				}
			}
			if !reflect.DeepEqual(got, want.Layers) {
				t.Fatalf("dossier %d (grid %v): the walk differs from the proposal", d.ID, inGrid)
			}
		}
	}
	if changed == 0 {
		t.Fatal("the sample dossiers change nothing")
	}
	if err := s.WalkProposal(ctx, 99, func(*VersionWalk, Dossier) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no such dossier: %v", err)
	}
}
