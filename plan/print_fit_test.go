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
