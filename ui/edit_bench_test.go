package ui

import (
	"context"
	"fmt"
	"image"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/store"
)

// gridStore is a store with a plan of cols×cols lots of 30 m (20 vertices
// each, corners shared with the neighbours) and a draft dossier on it.
func gridStore(b *testing.B, cols int) (*store.Store, int64) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "g.db"), store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.CreatePlan(ctx, store.Plan{Code: "g", Name: "Lưới", Level: "zoning", Scale: 2000}); err != nil {
		b.Fatal(err)
	}
	inv, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	lots := make([]gis.Feature, 0, cols*cols)
	for i := range cols {
		for j := range cols {
			x, y := gridO[0]+float64(i)*30, gridO[1]+float64(j)*30
			var r orb.Ring
			for _, e := range [][4]float64{{0, 0, 1, 0}, {1, 0, 0, 1}, {1, 1, -1, 0}, {0, 1, 0, -1}} {
				for k := 0; k < 5; k++ {
					t := float64(k) / 5 * 30
					r = append(r, orb.Point{x + e[0]*30 + e[2]*t, y + e[1]*30 + e[3]*t})
				}
			}
			r = append(r, r[0])
			lots = append(lots, gis.Feature{Geometry: project.Geometry(orb.Polygon{r}, inv), Properties: map[string]any{
				"maDoiTuong": fmt.Sprintf("L%d-%d", i, j), "phanLoai": "ONM"}})
		}
	}
	if _, err := st.Import(ctx, store.ImportRequest{Plan: "g", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: lots}}}); err != nil {
		b.Fatal(err)
	}
	d, err := st.CreateDossier(ctx, store.NewDossier{Plan: "g", Kind: store.Overall, Title: "Điều chỉnh"})
	if err != nil {
		b.Fatal(err)
	}
	return st, d
}

// BenchmarkEditDragFrame100k: one frame of a vertex drag on a plan of
// 100 000 lots (target ≤ 16 ms): the lots sharing the corner found and
// reshaped, and drawn (filled, outlined) over the map at its view into an
// image of the map's size (1280 × 800); the map itself is not drawn again.
func BenchmarkEditDragFrame100k(b *testing.B) {
	st, d := gridStore(b, 317)
	a := test.NewApp()
	defer a.Quit()
	w, err := New(a, st, Options{Sync: true})
	if err != nil {
		b.Fatal(err)
	}
	w.Edit(d)
	if !w.Editor.Editing() {
		b.Fatal(w.Status.Text.Text)
	}
	w.Map.Resize(fyne.NewSize(1280, 800))
	c := orb.Point{gridO[0] + 150*30, gridO[1] + 150*30}
	w.Map.SetCenter(c, 0.15) // about 1:570 on a 96-dpi screen
	_, _, from, ok := w.Editor.Session().VertexNear(gis.LandUseLayer, c, 0.01)
	if !ok {
		b.Fatal("no corner at the centre")
	}
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		to := orb.Point{from[0] + float64(i%50)*0.1, from[1] - float64(i%30)*0.1}
		gs := w.Editor.dragPreview(from, to)
		if len(gs) != 4 {
			b.Fatalf("%d lots share the corner", len(gs))
		}
		clear(img.Pix)
		PaintPreview(img, w.Map, gs)
		i++
	}
}
