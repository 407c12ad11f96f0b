package diff

import (
	"fmt"
	"maps"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// catalogue is a slice of the land-use catalogue (CAD layer → class) used by
// the fixtures.
var catalogue = []Class{
	{"DAT_O_Nhomnhao", "Đất nhóm nhà ở"},
	{"DAT_O_Honhop_Nhomo", "Đất hỗn hợp nhóm nhà ở và dịch vụ"},
	{"DAT_Dichvu", "Đất dịch vụ"},
	{"DAT_HTXH_CayxanhCC", "Đất cây xanh sử dụng công cộng"},
	{"DAT_SX_Congnghiep", "Đất công nghiệp, kho tàng"},
	{"DAT_Coquan", "Đất cơ quan"},
	{"DAT_Ditich_tongiao", "Đất di tích, tôn giáo"},
	{"DAT_Anninh", "Đất an ninh"},
	{"DAT_HTKT_DuongGT", "Đất giao thông"},
	{"DAT_HTKT_Hatangkhac", "Đất hạ tầng kỹ thuật khác"},
	{"DAT_NN_Nongnghiep", "Đất nông nghiệp"},
	{"DAT_NN_Rung", "Đất rừng"},
}

var catalogueOrder = func() []string {
	var codes []string
	for _, c := range catalogue {
		codes = append(codes, c.Code)
	}
	return codes
}()

var catalogueByCode = func() map[string]Class {
	m := map[string]Class{}
	for _, c := range catalogue {
		m[c.Code] = c
	}
	return m
}()

// classOf classifies a lot by its phanLoai through the catalogue; a code the
// catalogue lacks makes a class of its own, no code is unclassified.
func classOf(f gis.Feature) Class {
	code := f.String("phanLoai")
	if c, ok := catalogueByCode[code]; ok {
		return c
	}
	return Class{Code: code}
}

// lot returns a lot with a rectangular outline of w×h metres at (x, y) and
// the given class.
func lot(id string, x, y, w, h float64, class string) gis.Feature {
	return gis.Feature{
		ID:         id,
		Geometry:   orb.Polygon{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}},
		Properties: map[string]any{"maDoiTuong": id, "phanLoai": class},
	}
}

// plan makes n seeded lots of about 20 vertices on a grid near Đồng Đăng
// (EPSG:9215 metres) with the TT16 properties; one in twenty has a hole.
func plan(n int, seed uint64) []gis.Feature {
	rng := rand.New(rand.NewPCG(seed, 1))
	const cell = 50.0
	cols := 400
	lots := make([]gis.Feature, n)
	for i := range lots {
		x0 := 440000 + float64(i%cols)*cell
		y0 := 2420000 + float64(i/cols)*cell
		lots[i] = gis.Feature{
			ID:         fmt.Sprintf("lot-%06d", i),
			Geometry:   lotPolygon(rng, x0, y0, cell),
			Properties: lotProperties(rng, i),
		}
		if i%20 == 7 {
			p := lots[i].Geometry.(orb.Polygon)
			cx, cy := x0+cell/2, y0+cell/2
			lots[i].Geometry = append(p, orb.Ring{{cx, cy}, {cx, cy + 5}, {cx + 5, cy + 5}, {cx + 5, cy}, {cx, cy}})
		}
	}
	return lots
}

// lotPolygon is a cell with five jittered vertices per side (20 in all).
func lotPolygon(rng *rand.Rand, x0, y0, cell float64) orb.Polygon {
	jit := func() float64 { return (rng.Float64() - 0.5) * 2 }
	r := make(orb.Ring, 0, 21)
	for k := range 5 {
		r = append(r, orb.Point{x0 + float64(k)*cell/5 + jit(), y0 + 2 + jit()})
	}
	for k := range 5 {
		r = append(r, orb.Point{x0 + cell - 2 + jit(), y0 + float64(k)*cell/5 + jit()})
	}
	for k := range 5 {
		r = append(r, orb.Point{x0 + cell - float64(k)*cell/5 + jit(), y0 + cell - 2 + jit()})
	}
	for k := range 5 {
		r = append(r, orb.Point{x0 + 2 + jit(), y0 + cell - float64(k)*cell/5 + jit()})
	}
	r = append(r, r[0])
	return orb.Polygon{r}
}

func lotProperties(rng *rand.Rand, i int) map[string]any {
	class := catalogue[rng.IntN(len(catalogue))].Code
	if i%97 == 0 {
		class = ""
	}
	return map[string]any{
		"maThongTinQH":  "202221012345",
		"maHoSoQH":      "HS-2024-017",
		"maDoiTuong":    fmt.Sprintf("L-%d", i),
		"tenDoiTuong":   "Lô " + fmt.Sprint(i),
		"phanLoai":      class,
		"ghiChu":        nil,
		"matDoXayDung":  float64(20 + rng.IntN(60)),
		"tangCaoMin":    1.0,
		"tangCaoMax":    float64(2 + rng.IntN(10)),
		"heSoSuDungDat": float64(rng.IntN(50)) / 10,
		"khoangLui":     6.0,
		"danSo":         float64(rng.IntN(300)),
		"giaiDoan":      "QHDH",
	}
}

// cloneFeatures deep-copies features, as decoding a second version from the
// store does: equal values, no shared memory.
func cloneFeatures(fs []gis.Feature) []gis.Feature {
	out := make([]gis.Feature, len(fs))
	for i, f := range fs {
		out[i] = gis.Feature{ID: f.ID, Geometry: orb.Clone(f.Geometry), Properties: maps.Clone(f.Properties)}
	}
	return out
}

// adjust returns a deep copy of lots with about one in a hundred changed:
// attributes, vertices, plain removals, splits and merges; the new lots come
// last, or with shuffle everything comes in random order (and so is spread
// at random in memory). It also returns the lineage.
func adjust(lots []gis.Feature, seed uint64, shuffle bool) ([]gis.Feature, Lineage) {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := cloneFeatures(lots)
	lineage := Lineage{}
	n := len(out)
	drop := make([]bool, n)
	var extra []gis.Feature
	for k := 0; k < n/100; k++ {
		i := rng.IntN(n)
		if drop[i] {
			continue
		}
		f := &out[i]
		switch k % 10 {
		case 0, 1, 2: // attribute
			f.Properties["phanLoai"] = catalogue[rng.IntN(len(catalogue))].Code
			f.Properties["matDoXayDung"] = 99.0
		case 3, 4, 5: // geometry: move a vertex
			p := f.Geometry.(orb.Polygon)
			p[0][3][1] += 1.5
		case 6: // removed
			drop[i] = true
		case 7, 8: // split in two halves, the second via the parents property
			drop[i] = true
			b := f.Geometry.Bound()
			mid := (b.Min[0] + b.Max[0]) / 2
			a1 := lot(f.ID+"-1", b.Min[0], b.Min[1], mid-b.Min[0], b.Max[1]-b.Min[1], f.String("phanLoai"))
			a2 := lot(f.ID+"-2", mid, b.Min[1], b.Max[0]-mid, b.Max[1]-b.Min[1], "DAT_HTKT_DuongGT")
			a2.Properties[ParentsKey] = []any{f.ID}
			lineage[a1.ID] = []string{f.ID}
			extra = append(extra, a1, a2)
		case 9: // merged with the next lot
			j := (i + 1) % n
			if drop[j] {
				continue
			}
			drop[i], drop[j] = true, true
			b := f.Geometry.Bound().Union(out[j].Geometry.Bound())
			m := lot(f.ID+"+"+out[j].ID, b.Min[0], b.Min[1], b.Max[0]-b.Min[0], b.Max[1]-b.Min[1], "DAT_Dichvu")
			lineage[m.ID] = []string{f.ID, out[j].ID}
			extra = append(extra, m)
		}
	}
	kept := out[:0]
	for i, f := range out {
		if !drop[i] {
			kept = append(kept, f)
		}
	}
	kept = append(kept, extra...)
	if shuffle {
		rng.Shuffle(len(kept), func(i, j int) { kept[i], kept[j] = kept[j], kept[i] })
	}
	return kept, lineage
}
