package plan

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/store"
)

// benchState is a plan of n lots of about 30 × 30 m with 20 vertices each
// (shared between neighbours, jittered), in EPSG:9215, with its boundary.
func benchState(n int) *State {
	cols := 1
	for cols*cols < n {
		cols++
	}
	const side = 30.0
	rng := rand.New(rand.NewSource(1))
	node := make([][]orb.Point, cols+1)
	for i := range node {
		node[i] = make([]orb.Point, cols+1)
		for j := range node[i] {
			jx, jy := 0.0, 0.0
			if i > 0 && i < cols && j > 0 && j < cols {
				jx, jy = rng.Float64()*4-2, rng.Float64()*4-2
			}
			node[i][j] = orb.Point{e0 + float64(i)*side + jx, n0 + float64(j)*side + jy}
		}
	}
	edge := func(a, b orb.Point) []orb.Point { // 5 points from a towards b, b excluded
		var out []orb.Point
		for k := 0; k < 5; k++ {
			t := float64(k) / 5
			out = append(out, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
		}
		return out
	}
	classes := []string{"ONM", "CN", "DV", "GT", "CXCC", "OHH"}
	lots := make([]gis.Feature, 0, n)
	for k := 0; k < n; k++ {
		i, j := k%cols, k/cols
		a, b, c, d := node[i][j], node[i+1][j], node[i+1][j+1], node[i][j+1]
		var r orb.Ring
		r = append(r, edge(a, b)...)
		r = append(r, edge(b, c)...)
		r = append(r, edge(c, d)...)
		r = append(r, edge(d, a)...)
		r = append(r, a)
		lots = append(lots, gis.Feature{ID: fmt.Sprint("lot-", k), Geometry: orb.Polygon{r}, Properties: map[string]any{
			"maDoiTuong": fmt.Sprintf("L-%d", k), "phanLoai": classes[k%len(classes)], "matDoXayDung": 40.0 + float64(k%30),
			"tangCaoMin": 2.0, "tangCaoMax": float64(3 + k%10), "heSoSuDungDat": 1.5, "khoangLui": 5.0, "giaiDoan": "QHDD"}})
	}
	rows := (n + cols - 1) / cols
	bd := orb.Polygon{{node[0][0], node[cols][0], node[cols][rows], node[0][rows], node[0][0]}}
	return &State{Plan: store.Plan{Code: "bench", Name: "Đồ án 100 000 lô", Level: "zoning", Scale: 2000},
		Version: store.Version{Number: 1, Current: true, DecisionNo: "1/QĐ-UBND", DecisionDate: "2026-01-02"},
		Layers:  []gis.Layer{{Name: gis.LandUseLayer, Features: lots}, {Name: gis.BoundaryLayer, Features: []gis.Feature{{ID: "rg", Geometry: bd}}}}}
}

// benchSites are polygons of about 70 × 50 m (a typical parcel asked about,
// over 6–12 lots, their edges crossing the lots') placed at random.
func benchSites(n int, cols int) []orb.Polygon {
	rng := rand.New(rand.NewSource(2))
	out := make([]orb.Polygon, n)
	for i := range out {
		x := e0 + 30 + rng.Float64()*float64(cols-4)*30
		y := n0 + 30 + rng.Float64()*float64(cols-4)*30
		out[i] = orb.Polygon{{{x, y}, {x + 70, y + 8}, {x + 64, y + 55}, {x + 20, y + 50}, {x - 3, y + 30}, {x, y}}}
	}
	return out
}

var bench100k *State

func state100k(b *testing.B) *State {
	if bench100k == nil {
		bench100k = benchState(100_000)
	}
	return bench100k
}

// BenchmarkSiteIndex100k: indexing a 100 000-lot state (once per state).
func BenchmarkSiteIndex100k(b *testing.B) {
	s := state100k(b)
	b.ReportAllocs()
	for b.Loop() {
		NewSiteIndex(s)
	}
}

// BenchmarkSiteInfo100k: the information for a site on a 100 000-lot plan
// (target ≤ 50 ms), the state and its index in memory as the window holds
// them: lots found, measured exactly, described, pending dossiers looked up.
func BenchmarkSiteInfo100k(b *testing.B) {
	s := state100k(b)
	ix := NewSiteIndex(s)
	sites := benchSites(64, 317)
	cat := catalogue(b)
	b.ReportAllocs()
	b.ResetTimer()
	lots, i := 0, 0
	for b.Loop() {
		info, err := SiteInfo(ctx, infoSrc{}, ix, Site{Area: sites[i%len(sites)]}, cat)
		if err != nil {
			b.Fatal(err)
		}
		lots += len(info.Lots)
		i++
	}
	b.ReportMetric(float64(lots)/float64(i), "lots/site")
}

// BenchmarkPointInfo100k: the information at a clicked point.
func BenchmarkPointInfo100k(b *testing.B) {
	s := state100k(b)
	ix := NewSiteIndex(s)
	cat := catalogue(b)
	rng := rand.New(rand.NewSource(3))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p := orb.Point{e0 + 30 + rng.Float64()*9000, n0 + 30 + rng.Float64()*9000}
		if _, err := SiteInfo(ctx, infoSrc{}, ix, Site{Point: &p}, cat); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInfoSheet100k: the information sheet of a site on a 100 000-lot
// plan, laid out and written as PDF (target ≤ 1 s).
func BenchmarkInfoSheet100k(b *testing.B) {
	s := state100k(b)
	ix := NewSiteIndex(s)
	cat := catalogue(b)
	info, err := SiteInfo(ctx, infoSrc{}, ix, Site{Area: benchSites(1, 317)[0]}, cat)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	size := 0
	for b.Loop() {
		doc, err := InfoSheet(info, IssueMeta{Number: 1, Issued: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Requester: "Nguyễn Văn An"}, fonts, cat)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := doc.Write(&buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KB")
}

// BenchmarkConform100k: a project of three lots appraised on a 100 000-lot plan.
func BenchmarkConform100k(b *testing.B) {
	s := state100k(b)
	ix := NewSiteIndex(s)
	cat := catalogue(b)
	var p Project
	for i, g := range benchSites(3, 317) {
		p.Lots = append(p.Lots, ProjectLot{Code: fmt.Sprint(i), Use: "CN", Geometry: g, Indicators: Indicators{Density: f64(50), StoreysMax: f64(6)}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c, err := Appraise(ctx, ix, p, cat, 1)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.WriteCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchPlanIsATiling keeps the benchmark honest: its lots tile the
// boundary, so a site's parts add up to the site.
func TestBenchPlanIsATiling(t *testing.T) {
	s := benchState(400)
	ix := NewSiteIndex(s)
	for _, site := range benchSites(20, 20) {
		m, err := ix.Measure(ctx, Site{Area: site})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, p := range m.Parts {
			sum += p.OverlapM2
		}
		if d := sum + m.OutsideM2 - m.SiteM2; d > 0.01 || d < -0.01 || len(m.Parts) < 4 {
			t.Fatalf("parts %.4f + outside %.4f ≠ site %.4f (%d parts)", sum, m.OutsideM2, m.SiteM2, len(m.Parts))
		}
	}
}

// BenchmarkSiteInfoStore: a site on Chi Ma asked through the store, whose
// open dossier (one split, two changed lots) is read and tested each time.
func BenchmarkSiteInfoStore(b *testing.B) {
	st := sampleStore(b)
	s, err := Open(ctx, st, "chi-ma", Ref{})
	if err != nil {
		b.Fatal(err)
	}
	ix := NewSiteIndex(s)
	cat := catalogue(b)
	site := Site{Lots: []string{"KNQ-04", "DV-08"}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		info, err := SiteInfo(ctx, st, ix, site, cat)
		if err != nil || len(info.Pending) != 1 {
			b.Fatalf("%v %v", err, info.Pending)
		}
	}
}
