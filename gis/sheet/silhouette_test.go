package sheet

import (
	"image"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/render"
)

// TestWalkedSheetInset: a plan walked (Map.LotWalk) without a boundary has
// its inset drawn from the silhouette its map's walk gathers: the sheet
// looks as the held plan's does (its inset's specks drawn as cells), the
// silhouette is a few thousand runs, not a box per lot, and a surface that
// walks twice (a raster) gathers it once.
func TestWalkedSheetInset(t *testing.T) {
	cat := catalogue(t)
	lots := blocks(orb.Point{442000, 2428000}, 150, 150, 20, []string{"CN", "ODT", "CX"}, 1)
	lots = append(lots, blocks(orb.Point{446000, 2428000}, 2, 2, 600, []string{"CN"}, 2)...) // large lots, drawn as themselves
	ext, _ := bound(lots)
	l, err := Fit(Options{Paper: "A3"}, ext)
	if err != nil {
		t.Fatal(err)
	}
	held := Sheet{Layout: l, Plan: lots, Map: render.Map{Lots: lots}}
	walks := 0
	walk := func(fn func([]gis.Feature) error) error {
		walks++
		for i := 0; i < len(lots); i += 1000 {
			if err := fn(lots[i:min(i+1000, len(lots))]); err != nil {
				return err
			}
		}
		return nil
	}
	walked := Sheet{Layout: l, LotsExtent: ext, Map: render.Map{LotWalk: walk}}
	a, err := held.Preview(cat, fonts, 60)
	if err != nil {
		t.Fatal(err)
	}
	b, err := walked.Preview(cat, fonts, 60)
	if err != nil {
		t.Fatal(err)
	}
	if walks != 2 {
		t.Errorf("a raster walked the plan %d times, want 2 (fills, outlines)", walks)
	}
	if d := differing(a, b); d > 0.002 {
		t.Errorf("the walked sheet differs from the held one on %.2f%% of its pixels", 100*d)
	}
	// the silhouette: its runs, not a box per lot
	sil := newSilhouette(ext.Union(l.Extent()))
	sil.add(lots)
	c := &countFills{}
	sil.draw(c, render.Affine{K: 0.01}, cat.Classes()[0].RGB)
	t.Logf("silhouette %d×%d cells, %d large lots, %d fills of %d vertices; sheets differ on %.4f%%", sil.nx, sil.ny, len(sil.big), c.fills, c.vertices, 100*differing(a, b))
	if len(sil.big) != 4 || c.fills != 5 || c.vertices > 4*150*4+4*5*4 {
		t.Errorf("silhouette: %d large lots, %d fills of %d vertices", len(sil.big), c.fills, c.vertices)
	}
}

// bound is the extent of features.
func bound(fs []gis.Feature) (orb.Bound, bool) {
	b := fs[0].Geometry.Bound()
	for _, f := range fs[1:] {
		b = b.Union(f.Geometry.Bound())
	}
	return b, true
}

// differing is the share of pixels of a and b that differ by more than a
// quarter of the range in some channel.
func differing(a, b *image.RGBA) float64 {
	n := 0
	for i := 0; i+3 < len(a.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			if d := int(a.Pix[i+c]) - int(b.Pix[i+c]); d > 64 || d < -64 {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(a.Pix)/4)
}
