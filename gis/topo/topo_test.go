package topo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"

	"quyhoach/gis"
)

// rect is the polygon [x0,x1]×[y0,y1] in metres east and north of (baseE, baseN).
func rect(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{ring(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)}
}

// ring builds a ring from local x, y pairs.
func ring(xy ...float64) orb.Ring {
	var r orb.Ring
	for i := 0; i+1 < len(xy); i += 2 {
		r = append(r, orb.Point{baseE + xy[i], baseN + xy[i+1]})
	}
	return r
}

func lotF(id string, g orb.Geometry, props ...any) gis.Feature {
	p := map[string]any{"maDoiTuong": id, "phanLoai": "DAT_O_Nhomnhao"}
	for i := 0; i+1 < len(props); i += 2 {
		p[props[i].(string)] = props[i+1]
	}
	return gis.Feature{ID: "id-" + id, Geometry: g, Properties: p}
}

func check(t *testing.T, lots []gis.Feature, boundary orb.Geometry, opt Options) []Finding {
	t.Helper()
	fs, err := Check(context.Background(), lots, boundary, opt)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return fs
}

func ofKind(fs []Finding, kind string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// inside reports whether the projected point p lies inside g.
func inside(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}

func dump(t *testing.T, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		t.Logf("  %s %v %.4f m² at %.3f: %s", f.Kind, f.IDs, f.AreaM2, f.At, f.Message)
	}
}

func TestOverlapOfTwoSquares(t *testing.T) {
	lots := []gis.Feature{
		lotF("CN-03", rect(0, 0, 10, 10)),
		lotF("CN-04", rect(5, 5, 15, 15)),
	}
	fs := check(t, lots, nil, Options{})
	if len(fs) != 1 {
		dump(t, fs)
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	f := fs[0]
	if f.Kind != KindOverlap || !near(f.AreaM2, 25, 1e-9) || !slices.Equal(f.IDs, []string{"id-CN-03", "id-CN-04"}) {
		t.Errorf("got %+v, want an overlap of 25 m² between id-CN-03 and id-CN-04", f)
	}
	if !inside(rect(5, 5, 10, 10), f.At) {
		t.Errorf("At %v is not inside the overlap", f.At)
	}
	if want := "lots CN-03 and CN-04 overlap by 25 m²"; f.Message != want {
		t.Errorf("message %q, want %q", f.Message, want)
	}
}

func TestOverlapCases(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Geometry
		area float64 // 0: no overlap
	}{
		{"shared edge", rect(0, 0, 10, 10), rect(10, 0, 20, 10), 0},
		{"shared corner", rect(0, 0, 10, 10), rect(10, 10, 20, 20), 0},
		{"shared part of an edge", rect(0, 0, 10, 10), rect(10, 5, 20, 30), 0},
		{"T-junction", rect(0, 0, 10, 10), orb.Polygon{ring(10, 0, 20, 0, 20, 10, 10, 10, 10, 5, 10, 0)}, 0},
		{"identical", rect(0, 0, 10, 10), rect(0, 0, 10, 10), 100},
		{"identical, other orientation and start", rect(0, 0, 10, 10), orb.Polygon{ring(10, 10, 10, 0, 0, 0, 0, 10, 10, 10)}, 100},
		{"one inside the other sharing edges", rect(0, 0, 10, 10), rect(0, 0, 5, 10), 50},
		{"one strictly inside", rect(0, 0, 10, 10), rect(2, 2, 4, 4), 4},
		{"triangle on the diagonal", rect(0, 0, 10, 10), orb.Polygon{ring(0, 0, 10, 0, 0, 10, 0, 0)}, 50},
		{"crossing", rect(0, 0, 10, 10), rect(-5, 4, 15, 6), 20},
		{"in the hole", orb.Polygon{ring(0, 0, 30, 0, 30, 30, 0, 30, 0, 0), ring(10, 10, 10, 20, 20, 20, 20, 10, 10, 10)}, rect(10, 10, 20, 20), 0},
		{"over the hole's edge", orb.Polygon{ring(0, 0, 30, 0, 30, 30, 0, 30, 0, 0), ring(10, 10, 10, 20, 20, 20, 20, 10, 10, 10)}, rect(8, 10, 20, 20), 20},
		{"multipolygon parts", orb.MultiPolygon{rect(0, 0, 10, 10), rect(20, 0, 30, 10)}, rect(25, 0, 40, 10), 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := check(t, []gis.Feature{lotF("A", tt.a), lotF("B", tt.b)}, nil, Options{Tolerance: 1e-6})
			ov := ofKind(fs, KindOverlap)
			if tt.area == 0 {
				if len(fs) != 0 {
					dump(t, fs)
					t.Fatalf("got %d findings, want none", len(fs))
				}
				return
			}
			if len(ov) != 1 || len(fs) != 1 || !near(ov[0].AreaM2, tt.area, 1e-6) {
				dump(t, fs)
				t.Fatalf("want one overlap of %g m²", tt.area)
			}
		})
	}
}

// threeByThree is a 3×3 block of 10 m lots inside a 30 m square boundary.
func threeByThree() ([]gis.Feature, orb.Polygon) {
	var lots []gis.Feature
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			x, y := float64(j*10), float64(i*10)
			lots = append(lots, lotF(fmt.Sprintf("L%d%d", i, j), rect(x, y, x+10, y+10)))
		}
	}
	return lots, rect(0, 0, 30, 30)
}

func TestGapOfAMissingLot(t *testing.T) {
	lots, bnd := threeByThree()
	if fs := check(t, lots, bnd, Options{}); len(fs) != 0 {
		dump(t, fs)
		t.Fatalf("complete block: got %d findings, want none", len(fs))
	}
	lots = slices.Delete(lots, 4, 5) // the middle one
	for _, every := range []bool{false, true} {
		fs := check(t, lots, bnd, Options{everyTile: every})
		if len(fs) != 1 || fs[0].Kind != KindGap || !near(fs[0].AreaM2, 100, 1e-6) {
			dump(t, fs)
			t.Fatalf("everyTile=%v: want one gap of 100 m²", every)
		}
		f := fs[0]
		if !inside(rect(10, 10, 20, 20), f.At) {
			t.Errorf("At %v is not inside the gap", f.At)
		}
		if want := []string{"id-L01", "id-L10", "id-L12", "id-L21"}; !slices.Equal(f.IDs, want) {
			t.Errorf("IDs %v, want the four lots sharing an edge with it %v", f.IDs, want)
		}
		if want := "gap of 100 m² between lots L01, L10, L12 and L21"; f.Message != want {
			t.Errorf("message %q, want %q", f.Message, want)
		}
	}
}

func TestGapAlongTheBoundary(t *testing.T) {
	lots, _ := threeByThree()
	bnd := rect(0, 0, 30, 32) // 2 m strip along the top
	fs := check(t, lots, bnd, Options{})
	if len(fs) != 1 || fs[0].Kind != KindGap || !near(fs[0].AreaM2, 60, 1e-6) {
		dump(t, fs)
		t.Fatal("want one gap of 60 m²")
	}
	if !inside(rect(0, 30, 30, 32), fs[0].At) {
		t.Errorf("At %v is not in the strip", fs[0].At)
	}
}

func TestNoLotsIsOneGap(t *testing.T) {
	fs := check(t, nil, rect(0, 0, 100, 50), Options{})
	if len(fs) != 1 || fs[0].Kind != KindGap || !near(fs[0].AreaM2, 5000, 1e-6) || len(fs[0].IDs) != 0 {
		dump(t, fs)
		t.Fatal("want one gap of 5000 m² with no neighbours")
	}
}

func TestInvalidGeometry(t *testing.T) {
	shell := ring(0, 0, 10, 0, 10, 10, 0, 10, 0, 0)
	tests := []struct {
		name   string
		g      orb.Geometry
		reason string
	}{
		{"bow-tie", orb.Polygon{ring(0, 0, 10, 10, 10, 0, 0, 10, 0, 0)}, "intersects itself"},
		{"self-intersecting", orb.Polygon{ring(0, 0, 10, 0, 10, 10, 5, -5, 0, 10, 0, 0)}, "intersects itself"},
		{"unclosed ring", orb.Polygon{ring(0, 0, 10, 0, 10, 10, 0, 10)}, "not closed"},
		{"ring too short", orb.Polygon{ring(0, 0, 10, 0, 0, 0)}, "at least 4"},
		{"collapsed ring", orb.Polygon{ring(0, 0, 10, 0, 10, 0.0001, 0, 0)}, "collapses"},
		{"hole outside shell", orb.Polygon{shell, ring(20, 2, 22, 2, 22, 4, 20, 4, 20, 2)}, "outside its shell"},
		{"holes overlapping", orb.Polygon{shell, ring(2, 2, 6, 2, 6, 6, 2, 6, 2, 2), ring(4, 4, 8, 4, 8, 8, 4, 8, 4, 4)}, "overlap"},
		{"hole inside hole", orb.Polygon{shell, ring(1, 1, 9, 1, 9, 9, 1, 9, 1, 1), ring(3, 3, 6, 3, 6, 6, 3, 6, 3, 3)}, "inside another hole"},
		{"hole crossing shell", orb.Polygon{shell, ring(5, 5, 15, 5, 15, 6, 5, 6, 5, 5)}, "overlap"},
		{"overlapping multipolygon parts", orb.MultiPolygon{rect(0, 0, 10, 10), rect(5, 5, 15, 15)}, "multipolygon"},
		{"NaN", orb.Polygon{{{baseE, baseN}, {math.NaN(), baseN}, {baseE + 1, baseN + 1}, {baseE, baseN}}}, "not finite"},
		{"point", orb.Point{baseE, baseN}, "Point, not a polygon"},
		{"line", orb.LineString{{baseE, baseN}, {baseE + 1, baseN}}, "LineString, not a polygon"},
		{"collection", orb.Collection{rect(0, 0, 1, 1)}, "GeometryCollection, not a polygon"},
		{"no geometry", nil, "no geometry"},
		{"empty polygon", orb.Polygon{}, "empty"},
		{"empty multipolygon", orb.MultiPolygon{}, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lots := []gis.Feature{lotF("X-1", tt.g), lotF("OK", rect(20, 20, 30, 30))}
			fs := check(t, lots, nil, Options{})
			if len(fs) != 1 || fs[0].Kind != KindInvalid || !slices.Equal(fs[0].IDs, []string{"id-X-1"}) {
				dump(t, fs)
				t.Fatal("want one invalid finding for X-1")
			}
			if !strings.Contains(fs[0].Message, tt.reason) || !strings.HasPrefix(fs[0].Message, "lot X-1 is invalid: ") {
				t.Errorf("message %q does not say %q", fs[0].Message, tt.reason)
			}
			if fs[0].AreaM2 != 0 {
				t.Errorf("area %g, want 0", fs[0].AreaM2)
			}
		})
	}
}

func TestInvalidLotIsLeftOutOfOverlays(t *testing.T) {
	lots, bnd := threeByThree()
	lots[4].Geometry = orb.Polygon{ring(10, 10, 20, 20, 20, 10, 10, 20, 10, 10)} // bow-tie
	fs := check(t, lots, bnd, Options{})
	if len(fs) != 2 || len(ofKind(fs, KindInvalid)) != 1 || len(ofKind(fs, KindGap)) != 1 {
		dump(t, fs)
		t.Fatal("want the bow-tie reported invalid and its place reported as a gap")
	}
	if g := ofKind(fs, KindGap)[0]; !near(g.AreaM2, 100, 1e-6) {
		t.Errorf("gap %g m², want 100", g.AreaM2)
	}
	bow := ofKind(fs, KindInvalid)[0]
	if !near(bow.At[0], baseE+15, 1e-6) || !near(bow.At[1], baseN+15, 1e-6) {
		t.Errorf("At %v, want the crossing point (E+15, N+15)", bow.At)
	}
}

func TestInvalidBoundary(t *testing.T) {
	lots, _ := threeByThree()
	bow := orb.Polygon{ring(0, 0, 30, 30, 30, 0, 0, 30, 0, 0)}
	fs := check(t, lots, bow, Options{})
	if len(fs) != 1 || fs[0].Kind != KindInvalid || len(fs[0].IDs) != 0 || !strings.Contains(fs[0].Message, "plan boundary") {
		dump(t, fs)
		t.Fatal("want one invalid finding for the boundary")
	}
	fs = check(t, lots, orb.LineString{{baseE, baseN}, {baseE + 1, baseN + 1}}, Options{})
	if len(fs) != 1 || fs[0].Kind != KindInvalid {
		dump(t, fs)
		t.Fatal("want one invalid finding for a line boundary")
	}
}

func TestOutside(t *testing.T) {
	bnd := rect(0, 0, 20, 10)
	lots := []gis.Feature{
		lotF("A", rect(0, 0, 15, 10)),
		lotF("B", rect(15, 0, 25, 10)),   // 50 m² outside
		lotF("C", rect(100, 0, 110, 10)), // wholly outside
	}
	fs := check(t, lots, bnd, Options{})
	out := ofKind(fs, KindOutside)
	if len(fs) != 2 || len(out) != 2 {
		dump(t, fs)
		t.Fatal("want two outside findings")
	}
	if out[0].IDs[0] != "id-C" || !near(out[0].AreaM2, 100, 1e-6) || !inside(rect(100, 0, 110, 10), out[0].At) {
		t.Errorf("got %+v, want C wholly outside, 100 m²", out[0])
	}
	if out[1].IDs[0] != "id-B" || !near(out[1].AreaM2, 50, 1e-6) || !inside(rect(20, 0, 25, 10), out[1].At) {
		t.Errorf("got %+v, want B outside by 50 m², At in the outside part", out[1])
	}
	if want := "lot B extends 50 m² outside the plan boundary"; out[1].Message != want {
		t.Errorf("message %q, want %q", out[1].Message, want)
	}
}

func TestOutsideAcrossABoundaryHole(t *testing.T) {
	// The boundary has a hole (an enclave outside the plan); a lot covering it
	// is outside by the hole's area although all its edges are inside.
	bnd := orb.Polygon{ring(0, 0, 30, 0, 30, 30, 0, 30, 0, 0), ring(12, 12, 12, 18, 18, 18, 18, 12, 12, 12)}
	lots := []gis.Feature{
		lotF("A", rect(0, 0, 30, 10)),
		lotF("B", rect(0, 10, 30, 20)),
		lotF("C", rect(0, 20, 30, 30)),
	}
	fs := check(t, lots, bnd, Options{})
	if len(fs) != 1 || fs[0].Kind != KindOutside || fs[0].IDs[0] != "id-B" || !near(fs[0].AreaM2, 36, 1e-6) {
		dump(t, fs)
		t.Fatal("want B outside by 36 m²")
	}
	if !inside(rect(12, 12, 18, 18), fs[0].At) {
		t.Errorf("At %v is not in the hole", fs[0].At)
	}
}

func TestClass(t *testing.T) {
	known := func(s string) bool { return s == "DAT_O_Nhomnhao" || s == "DAT_Dichvu" }
	lots := []gis.Feature{
		lotF("A", rect(0, 0, 10, 10)),
		lotF("B", rect(10, 0, 20, 10), "phanLoai", "DAT_XYZ"),
		lotF("C", rect(20, 0, 30, 10), "phanLoai", ""),
		lotF("D", rect(30, 0, 40, 10), "phanLoai", nil),
	}
	fs := check(t, lots, nil, Options{KnownClass: known})
	if len(fs) != 3 {
		dump(t, fs)
		t.Fatalf("got %d findings, want 3", len(fs))
	}
	want := map[string]string{
		"id-B": `lot B has an unknown land-use class (phanLoai) "DAT_XYZ"`,
		"id-C": "lot C has no land-use class (phanLoai)",
		"id-D": "lot D has no land-use class (phanLoai)",
	}
	for _, f := range fs {
		if f.Kind != KindClass || f.Message != want[f.IDs[0]] {
			t.Errorf("got %s %q, want class %q", f.Kind, f.Message, want[f.IDs[0]])
		}
	}
	if !inside(rect(10, 0, 20, 10), ofKind(fs, KindClass)[0].At) {
		t.Errorf("At is not inside lot B")
	}
	if fs := check(t, lots, nil, Options{}); len(fs) != 0 {
		t.Errorf("nil KnownClass: got %d findings, want none", len(fs))
	}
}

func TestIndicators(t *testing.T) {
	tests := []struct {
		name  string
		props []any
		want  string // "" for no finding
	}{
		{"plausible", []any{"matDoXayDung", 45.0, "tangCaoMin", 1.0, "tangCaoMax", 5.0, "heSoSuDungDat", 2.1, "khoangLui", 6.0, "danSo", 120.0}, ""},
		{"numbers as strings", []any{"matDoXayDung", " 45 ", "tangCaoMax", "5"}, ""},
		{"empty and null", []any{"matDoXayDung", "", "heSoSuDungDat", nil}, ""},
		{"density 0 and 100", []any{"matDoXayDung", 0.0, "tangCaoMin", 0.0}, ""},
		{"density full", []any{"matDoXayDung", 100}, ""},
		{"density above 100", []any{"matDoXayDung", 120.0}, "building density matDoXayDung = 120 %, outside 0–100 %"},
		{"density negative", []any{"matDoXayDung", -5.0}, "building density matDoXayDung = -5 %, outside 0–100 %"},
		{"FAR zero", []any{"heSoSuDungDat", 0.0}, "floor-area ratio heSoSuDungDat = 0, which must be greater than 0"},
		{"FAR negative", []any{"heSoSuDungDat", -1.5}, "floor-area ratio heSoSuDungDat = -1.5, which must be greater than 0"},
		{"storeys reversed", []any{"tangCaoMin", 5.0, "tangCaoMax", 3.0}, "tangCaoMin = 5 above tangCaoMax = 3"},
		{"storeys negative", []any{"tangCaoMin", -1.0}, "tangCaoMin = -1, which must not be negative"},
		{"max storeys negative", []any{"tangCaoMax", int64(-2)}, "tangCaoMax = -2, which must not be negative"},
		{"setback negative", []any{"khoangLui", -3.0}, "khoangLui = -3, which must not be negative"},
		{"population negative", []any{"danSo", -10.0}, "danSo = -10, which must not be negative"},
		{"text", []any{"matDoXayDung", "abc"}, `matDoXayDung = "abc", which is not a number`},
		{"bool", []any{"tangCaoMax", true}, "tangCaoMax = true, which is not a number"},
		{"NaN text", []any{"heSoSuDungDat", "NaN"}, `heSoSuDungDat = "NaN", which is not a number`},
		{"object", []any{"danSo", map[string]any{"v": 1.0}}, `danSo = {"v":1}, which is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := check(t, []gis.Feature{lotF("CN-03", rect(0, 0, 10, 10), tt.props...)}, nil, Options{})
			if tt.want == "" {
				if len(fs) != 0 {
					dump(t, fs)
					t.Fatal("want no finding")
				}
				return
			}
			if len(fs) != 1 || fs[0].Kind != KindIndicator {
				dump(t, fs)
				t.Fatal("want one indicator finding")
			}
			if want := "lot CN-03 has " + tt.want; fs[0].Message != want {
				t.Errorf("message %q, want %q", fs[0].Message, want)
			}
			if fs[0].AreaM2 != 0 || !inside(rect(0, 0, 10, 10), fs[0].At) {
				t.Errorf("got area %g at %v, want 0 m² at a point of the lot", fs[0].AreaM2, fs[0].At)
			}
		})
	}
}

func TestIndicatorsOfInvalidLots(t *testing.T) {
	lots := []gis.Feature{lotF("X", orb.LineString{{baseE, baseN}, {baseE + 1, baseN}}, "matDoXayDung", 300.0)}
	fs := check(t, lots, nil, Options{})
	if len(ofKind(fs, KindInvalid)) != 1 || len(ofKind(fs, KindIndicator)) != 1 {
		dump(t, fs)
		t.Fatal("want the lot reported both invalid and with a bad indicator")
	}
}

func TestCleanTiling(t *testing.T) {
	lots, bnd := tiling(30, 5, 40, 0.2, 3)
	// The same outline as a plain rectangle: the lots' border vertices make
	// T-junctions on it.
	box := rect(0, 0, 1200, 1200)
	for _, tc := range []struct {
		name string
		bnd  orb.Geometry
	}{{"outline", bnd}, {"rectangle", box}} {
		for _, every := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/everyTile=%v", tc.name, every), func(t *testing.T) {
				fs := check(t, lots, tc.bnd, Options{Tolerance: 1e-6, everyTile: every})
				if len(fs) != 0 {
					dump(t, fs)
					t.Fatalf("got %d findings, want none", len(fs))
				}
			})
		}
	}
}

func TestTilingWithProblems(t *testing.T) {
	lots, bnd := tiling(30, 5, 40, 0.2, 5)
	orig := lots[200].Geometry.(orb.Polygon)
	big := scaled(orig, 1.05)
	lots[200].Geometry = big
	missing := []int{100, 101, 130} // an L-shaped hole of three lots
	holeArea := 0.0
	for _, k := range missing {
		holeArea += gis.Area(lots[k].Geometry)
	}
	// a whole row missing: one gap across every tile line
	rowArea := 0.0
	for j := 0; j < 30; j++ {
		rowArea += gis.Area(lots[20*30+j].Geometry)
	}
	var kept []gis.Feature
	for k, l := range lots {
		if slices.Contains(missing, k) || k/30 == 20 {
			continue
		}
		kept = append(kept, l)
	}
	var prev []Finding
	for _, every := range []bool{false, true} {
		fs := check(t, kept, bnd, Options{Tolerance: 1e-6, everyTile: every})
		gaps := ofKind(fs, KindGap)
		if len(gaps) != 2 || !near(gaps[0].AreaM2, rowArea, 1e-4) || !near(gaps[1].AreaM2, holeArea, 1e-4) {
			dump(t, fs)
			t.Fatalf("want gaps of %.4f and %.4f m²", rowArea, holeArea)
		}
		sum := 0.0
		for _, f := range ofKind(fs, KindOverlap) {
			if !slices.Contains(f.IDs, lots[200].ID) {
				t.Errorf("overlap %v does not involve the enlarged lot", f.IDs)
			}
			sum += f.AreaM2
		}
		if want := gis.Area(big) - gis.Area(orig); !near(sum, want, 1e-4) {
			t.Errorf("overlaps add up to %.4f m², want %.4f", sum, want)
		}
		if len(fs) != len(gaps)+len(ofKind(fs, KindOverlap)) {
			dump(t, fs)
			t.Errorf("unexpected findings")
		}
		if prev != nil && !sameFindings(prev, fs) {
			t.Errorf("everyTile changes the findings")
		}
		prev = fs
	}
}

func sameFindings(a, b []Finding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || !slices.Equal(a[i].IDs, b[i].IDs) || !near(a[i].AreaM2, b[i].AreaM2, 1e-6) {
			return false
		}
	}
	return true
}

func TestTolerance(t *testing.T) {
	lots := []gis.Feature{
		lotF("A", rect(0, 0, 10, 10)),
		lotF("B", rect(9.95, 0, 20, 10)), // 0.05 × 10 = 0.5 m² sliver
	}
	if fs := check(t, lots, nil, Options{}); len(fs) != 0 {
		dump(t, fs)
		t.Fatalf("default tolerance: got %d findings, want none", len(fs))
	}
	fs := check(t, lots, nil, Options{Tolerance: 0.1})
	if len(fs) != 1 || fs[0].Kind != KindOverlap || !near(fs[0].AreaM2, 0.5, 1e-6) {
		dump(t, fs)
		t.Fatal("tolerance 0.1: want one overlap of 0.5 m²")
	}
	// The same for a gap sliver.
	lots[1].Geometry = rect(10.05, 0, 20, 10)
	bnd := rect(0, 0, 20, 10)
	if fs := check(t, lots, bnd, Options{}); len(fs) != 0 {
		dump(t, fs)
		t.Fatalf("default tolerance: got %d findings, want none", len(fs))
	}
	fs = check(t, lots, bnd, Options{Tolerance: 0.1})
	if len(fs) != 1 || fs[0].Kind != KindGap || !near(fs[0].AreaM2, 0.5, 1e-6) || !inside(rect(10, 0, 10.05, 10), fs[0].At) {
		dump(t, fs)
		t.Fatal("tolerance 0.1: want one gap of 0.5 m² with At in it")
	}
}

func TestSnapsToMillimetres(t *testing.T) {
	// Vertices 0.2 mm apart are the same on the 1 mm grid: no sliver.
	a := rect(0, 0, 10, 10)
	b := rect(10.0002, 0, 20, 10)
	fs := check(t, []gis.Feature{lotF("A", a), lotF("B", b)}, rect(0, 0, 20, 10), Options{Tolerance: 1e-9})
	if len(fs) != 0 {
		dump(t, fs)
		t.Fatal("want no finding")
	}
}

func TestManyFoldOverlaps(t *testing.T) {
	sq := rect(0, 0, 10, 10)
	for n := 2; n <= 5; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var lots []gis.Feature
			for i := 0; i < n; i++ {
				lots = append(lots, lotF(fmt.Sprint("S", i), sq))
			}
			lots = append(lots, lotF("R", rect(10, 0, 20, 10)))
			for _, every := range []bool{false, true} {
				fs := check(t, lots, rect(0, 0, 20, 10), Options{everyTile: every})
				if want := n * (n - 1) / 2; len(fs) != want || len(ofKind(fs, KindOverlap)) != want {
					dump(t, fs)
					t.Fatalf("want %d overlaps and nothing else", want)
				}
			}
		})
	}
}

func TestIslandInAHole(t *testing.T) {
	donut := orb.Polygon{ring(0, 0, 30, 0, 30, 30, 0, 30, 0, 0), ring(10, 10, 10, 20, 20, 20, 20, 10, 10, 10)}
	lots := []gis.Feature{lotF("D", donut), lotF("I", rect(10, 10, 20, 20))}
	if fs := check(t, lots, rect(0, 0, 30, 30), Options{}); len(fs) != 0 {
		dump(t, fs)
		t.Fatal("donut and island: want no finding")
	}
	fs := check(t, lots[:1], rect(0, 0, 30, 30), Options{})
	if len(fs) != 1 || fs[0].Kind != KindGap || !near(fs[0].AreaM2, 100, 1e-6) || !slices.Equal(fs[0].IDs, []string{"id-D"}) {
		dump(t, fs)
		t.Fatal("donut alone: want a gap of 100 m² next to D")
	}
}

func TestMultiPolygonBoundary(t *testing.T) {
	bnd := orb.MultiPolygon{rect(0, 0, 10, 10), rect(20, 0, 30, 10)}
	lots := []gis.Feature{lotF("A", rect(0, 0, 10, 10)), lotF("B", rect(20, 0, 30, 5))}
	fs := check(t, lots, bnd, Options{})
	if len(fs) != 1 || fs[0].Kind != KindGap || !near(fs[0].AreaM2, 50, 1e-6) {
		dump(t, fs)
		t.Fatal("want one gap of 50 m²")
	}
}

// TestEveryGeometryType feeds every orb geometry type, empty and not, as a
// lot and as the boundary: nothing panics and nothing fails.
func TestEveryGeometryType(t *testing.T) {
	p := orb.Point{baseE, baseN}
	all := []orb.Geometry{
		nil, p, orb.MultiPoint{}, orb.MultiPoint{p}, orb.LineString{}, orb.LineString{p, {baseE + 1, baseN}},
		orb.MultiLineString{}, orb.Ring{}, orb.Ring(rect(0, 0, 1, 1)[0]), orb.Polygon{}, rect(0, 0, 5, 5),
		orb.MultiPolygon{}, orb.MultiPolygon{rect(0, 0, 5, 5)}, orb.Collection{}, orb.Collection{p},
		orb.Bound{Min: p, Max: orb.Point{baseE + 5, baseN + 5}}, orb.Polygon{{}}, orb.MultiPolygon{{}},
	}
	for i, g := range all {
		for j, b := range all {
			lots := []gis.Feature{{Geometry: g}, lotF("A", rect(5, 0, 10, 5))}
			if _, err := Check(context.Background(), lots, b, Options{}); err != nil {
				t.Errorf("lot %d (%T), boundary %d (%T): %v", i, g, j, b, err)
			}
		}
	}
}

func TestFeatureWithoutID(t *testing.T) {
	lots := []gis.Feature{
		{Geometry: rect(0, 0, 10, 10)},
		{Geometry: rect(5, 0, 15, 10)},
	}
	fs := check(t, lots, nil, Options{})
	if len(fs) != 1 || !slices.Equal(fs[0].IDs, []string{"#1", "#2"}) || fs[0].Message != "lots #1 and #2 overlap by 50 m²" {
		dump(t, fs)
		t.Fatal("want lots named #1 and #2")
	}
}

func TestOrder(t *testing.T) {
	lots := []gis.Feature{
		lotF("A", rect(0, 0, 10, 10), "matDoXayDung", 200.0),
		lotF("B", rect(5, 0, 15, 10)),
		lotF("C", rect(0, 5, 10, 20)),
		lotF("D", orb.LineString{{baseE, baseN}, {baseE + 1, baseN}}),
		lotF("E", rect(50, 0, 60, 10), "phanLoai", "?"),
	}
	fs := check(t, lots, rect(0, 0, 20, 20), Options{KnownClass: func(s string) bool { return s != "?" }})
	var kinds []string
	for _, f := range fs {
		kinds = append(kinds, f.Kind)
	}
	want := []string{"overlap", "overlap", "overlap", "gap", "invalid", "outside", "class", "indicator"}
	if !slices.Equal(kinds, want) {
		dump(t, fs)
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for i := 1; i < 3; i++ {
		if fs[i].AreaM2 > fs[i-1].AreaM2 {
			t.Errorf("overlaps not sorted by area, largest first")
		}
	}
}

func TestContextCancelled(t *testing.T) {
	lots, bnd := tiling(30, 5, 40, 0.2, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, lots, bnd, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
	big, bbnd := benchLayer()
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Check(ctx, big, bbnd, Options{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: got %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("took %v to notice the deadline", d)
	}
}

// TestDroppedPolygonIsCaught mimics the simplefeatures v0.50.0 bug in which a
// union silently loses a polygon: the area identity notices, the lot by lot
// fallback gives the right gaps, and when that fails too Check returns an
// error rather than a wrong gap.
func TestDroppedPolygonIsCaught(t *testing.T) {
	lots, bnd := threeByThree()
	lots = slices.Delete(lots, 4, 5)
	drop := func(stages ...string) func(string, []geom.Geometry) []geom.Geometry {
		return func(stage string, gs []geom.Geometry) []geom.Geometry {
			if slices.Contains(stages, stage) && len(gs) > 1 {
				return gs[1:]
			}
			return gs
		}
	}
	fs := check(t, lots, bnd, Options{hook: drop("union")})
	if len(fs) != 1 || fs[0].Kind != KindGap || !near(fs[0].AreaM2, 100, 1e-6) {
		dump(t, fs)
		t.Fatal("dropped in the union: want the right gap of 100 m² from the fallback")
	}
	_, err := Check(context.Background(), lots, bnd, Options{hook: drop("union", "each")})
	if err == nil || !strings.Contains(err.Error(), "area identity") {
		t.Fatalf("dropped everywhere: got error %v, want an area identity error", err)
	}
}

func TestLargeOffsetsStayExact(t *testing.T) {
	// A lot far from the others (say lon/lat by mistake) is reported, not
	// allowed to wreck the precision of the rest.
	lots, bnd := threeByThree()
	lots = append(lots, gis.Feature{ID: "wgs84", Geometry: orb.Polygon{{{106.7, 21.9}, {106.8, 21.9}, {106.8, 22}, {106.7, 21.9}}}})
	fs := check(t, lots, bnd, Options{})
	if len(fs) != 1 || fs[0].Kind != KindInvalid || fs[0].IDs[0] != "wgs84" {
		dump(t, fs)
		t.Fatal("want the far lot reported invalid")
	}
}
