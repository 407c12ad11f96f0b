package plan

import (
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis/sheet"
)

// TestSheetsFit: a request at a scale where what it fits does not fit the
// sheet is printed as asked, and Fit says so with the ground, the scale
// that fits one sheet (as an automatic request picks it) and the sheets
// of the atlas at that scale; a request that fits, an atlas and a centred
// sheet say they fit.
func TestSheetsFit(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	auto, fit, err := SheetsFit(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Paper: "A3"})
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Fits || fit.Scale != auto.Sheets[0].Layout.Scale {
		t.Fatalf("automatic scale: %+v", fit)
	}
	doc, fit, err := SheetsFit(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Paper: "A3", Scale: 500})
	if err != nil {
		t.Fatal(err)
	}
	ext, _ := mustState(t, st, "chi-ma").Extent()
	if fit.Fits || fit.Scale != 500 || fit.Ground != ext || fit.FitScale != auto.Sheets[0].Layout.Scale || len(doc.Sheets) != 1 {
		t.Fatalf("A3 at 1/500: %+v, %d sheets", fit, len(doc.Sheets))
	}
	atlas, err := Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Paper: "A3", Scale: 500, Atlas: true})
	if err != nil {
		t.Fatal(err)
	}
	if fit.AtlasSheets != len(atlas.Sheets) || fit.AtlasSheets < 3 {
		t.Fatalf("atlas of %d sheets, fit says %d", len(atlas.Sheets), fit.AtlasSheets)
	}
	// what a sheet at the fitting scale shows holds the plan whole
	l, err := sheet.Fit(sheet.Options{Paper: "A3", Scale: fit.FitScale}, fit.Ground)
	if err != nil || !l.Extent().Contains(fit.Ground.Min) || !l.Extent().Contains(fit.Ground.Max) {
		t.Fatalf("1/%v does not hold the plan: %v", fit.FitScale, err)
	}
	// the adjusted area: the fitting scale, no atlas (it tiles the whole plan)
	_, fit, err = SheetsFit(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Ref: Ref{Dossier: 2}, Paper: "A4", Scale: 100, Adjusted: true})
	if err != nil {
		t.Fatal(err)
	}
	if fit.Fits || fit.FitScale == 0 || fit.AtlasSheets != 0 {
		t.Fatalf("adjusted area at 1/100: %+v", fit)
	}
	for _, r := range []PrintRequest{
		{Plan: "chi-ma", Paper: "A0", Scale: 2000},
		{Plan: "chi-ma", Paper: "A3", Scale: 500, Atlas: true},
		{Plan: "chi-ma", Paper: "A3", Scale: 500, Center: &orb.Point{107.0565, 21.7375}},
	} {
		if _, fit, err := SheetsFit(ctx, st, cat, fonts, r); err != nil || !fit.Fits {
			t.Errorf("%+v: %+v, %v", r, fit, err)
		}
	}
}

func mustState(t *testing.T, src Source, code string) *State {
	t.Helper()
	s, err := Open(ctx, src, code, Ref{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAtlasTilesTouchingLots: the tiles an atlas keeps through the
// R-tree are those on which some lot lies, as asking every lot says —
// tiles over lots, between them, on a corner, and far away.
func TestAtlasTilesTouchingLots(t *testing.T) {
	lots := mustState(t, sampleStore(t), "chi-ma").Lots()
	keep := touchesLots(lots)
	var ext orb.Bound
	for i, f := range lots {
		if i == 0 {
			ext = f.Geometry.Bound()
		} else {
			ext = ext.Union(f.Geometry.Bound())
		}
	}
	w, h := ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1]
	kept, dropped := 0, 0
	for i := -2; i < 14; i++ {
		for j := -2; j < 14; j++ {
			tile := orb.Bound{Min: orb.Point{ext.Min[0] + float64(i)*w/10, ext.Min[1] + float64(j)*h/10}}
			tile.Max = orb.Point{tile.Min[0] + w/23, tile.Min[1] + h/23}
			want := false
			for _, f := range lots {
				if sheet.Touches(f.Geometry, tile) {
					want = true
					break
				}
			}
			if keep(tile) != want {
				t.Fatalf("tile %v: kept %v, a lot on it %v", tile, !want, want)
			}
			if want {
				kept++
			} else {
				dropped++
			}
		}
	}
	if kept == 0 || dropped == 0 {
		t.Fatalf("%d tiles kept, %d dropped: the test tests nothing", kept, dropped)
	}
}
