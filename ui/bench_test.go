package ui

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/store"
)

// bigSource serves one plan of n lots of 20 vertices (WGS84, as the store does).
type bigSource struct {
	fakeSource
	n int
}

func (b bigSource) Load(context.Context, string, int, ...string) (*store.Snapshot, error) {
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	rng := rand.New(rand.NewSource(1))
	side := int(math.Ceil(math.Sqrt(float64(b.n))))
	classes := []string{"ONM", "OHH", "CXCC", "CN", "DV", "GD", "YT", "TDTT"}
	fs := make([]gis.Feature, 0, b.n)
	for i := 0; i < b.n; i++ {
		x0, y0 := 440000+float64(i%side)*30, 2400000+float64(i/side)*30
		r := make(orb.Ring, 0, 21)
		for k := 0; k < 20; k++ {
			a := 2 * math.Pi * float64(k) / 20
			rad := 12 + rng.Float64()*2
			r = append(r, back(orb.Point{x0 + 15 + rad*math.Cos(a), y0 + 15 + rad*math.Sin(a)}))
		}
		r = append(r, r[0])
		fs = append(fs, gis.Feature{ID: fmt.Sprint(i), Geometry: orb.Polygon{r}, Properties: map[string]any{
			"maDoiTuong": fmt.Sprintf("L-%d", i), "tenDoiTuong": "Lô đất", "phanLoai": classes[i%len(classes)],
			"giaiDoan": "QHDD", "matDoXayDung": 40.0, "tangCaoMin": 2.0, "tangCaoMax": 5.0}})
	}
	return &store.Snapshot{Plan: store.Plan{Code: "thu", Name: "Thử"}, Version: store.Version{Number: 1, Current: true},
		Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: fs}}}, nil
}

// BenchmarkWindow100k opens the window on a plan of 100 000 lots: the time
// from choosing it to its scene on the map (including the fake source making
// the lots, in place of the store's load), the heap the window then holds,
// and one full-HD frame of the whole plan.
func BenchmarkWindow100k(b *testing.B) {
	a := test.NewApp()
	defer a.Quit()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := time.Now()
		w, err := New(a, bigSource{n: 100000}, Options{Sync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms-make-and-show")
		runtime.GC()
		runtime.ReadMemStats(&m1)
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, "heap-MB")
		w.Map.Resize(fyne.NewSize(1920, 1080))
		w.Map.ZoomToPlan()
		t0 := time.Now()
		w.Map.Render(1920, 1080)
		b.ReportMetric(float64(time.Since(t0).Milliseconds()), "ms-frame")
		w.Close()
	}
}
