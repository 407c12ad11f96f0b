package store

import (
	"context"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// TestGridExtent: the extent and count a print lays its sheet out by, read
// from the grid forms alone, are those of the loaded lots; a layer the
// version lacks has none; a proposal's walk says it cannot tell.
func TestGridExtent(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: genLots(300, 1)}}})
	snap, err := s.LoadGrid(ctx, "p", 0, gis.LandUseLayer)
	if err != nil {
		t.Fatal(err)
	}
	var want orb.Bound
	for i, f := range snap.Layers[0].Features {
		if i == 0 {
			want = f.Geometry.Bound()
		} else {
			want = want.Union(f.Geometry.Bound())
		}
	}
	err = s.WalkVersion(ctx, "p", 0, nil, func(w *VersionWalk) error {
		ext, n, empty, ok, err := w.GridExtent(ctx, gis.LandUseLayer)
		if err != nil || !ok || empty || n != 300 || ext != want {
			t.Errorf("lots: %v %d empty %v ok %v %v, want %v 300", ext, n, empty, ok, err, want)
		}
		if _, n, empty, ok, err := w.GridExtent(ctx, gis.BoundaryLayer); err != nil || !ok || !empty || n != 0 {
			t.Errorf("a layer the version lacks: %d empty %v ok %v %v", n, empty, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d := sampleCopy(t)
	ds, err := d.Dossiers(ctx, DossierFilter{})
	if err != nil || len(ds) == 0 {
		t.Fatalf("%v %v", ds, err)
	}
	err = d.WalkProposal(ctx, ds[0].ID, func(w *VersionWalk, _ Dossier) error {
		if _, _, _, ok, err := w.GridExtent(ctx, gis.LandUseLayer); ok || err != nil {
			t.Errorf("a proposal's extent from the grid forms alone: ok %v %v", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
