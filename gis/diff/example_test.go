package diff_test

import (
	"fmt"
	"maps"
	"slices"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
)

// Example diffs an approved plan against its local adjustment (lot A split,
// lots B and C merged, a note on the road) and prints the land-use balance
// of the adjusted area.
func Example() {
	// lot is a 100 m deep lot of w metres, in EPSG:9215 metres.
	lot := func(id string, x, w float64, class string, kv ...any) gis.Feature {
		p := map[string]any{"maDoiTuong": id, "phanLoai": class}
		for i := 0; i+1 < len(kv); i += 2 {
			p[kv[i].(string)] = kv[i+1]
		}
		ring := orb.Ring{{x, 0}, {x + w, 0}, {x + w, 100}, {x, 100}, {x, 0}}
		return gis.Feature{ID: id, Geometry: orb.Polygon{ring}, Properties: p}
	}
	approved := []gis.Feature{
		lot("A", 0, 200, "DAT_O_Nhomnhao"),
		lot("B", 200, 100, "DAT_Dichvu"),
		lot("C", 300, 100, "DAT_NN_Nongnghiep"),
		lot("R", 400, 100, "DAT_HTKT_DuongGT"),
	}
	adjusted := []gis.Feature{
		lot("A1", 0, 130, "DAT_O_Nhomnhao", "parents", []any{"A"}),
		lot("A2", 130, 70, "DAT_HTXH_CayxanhCC", "parents", []any{"A"}),
		lot("BC", 200, 200, "DAT_Dichvu"),
		lot("R", 400, 100, "DAT_HTKT_DuongGT", "ghiChu", "mở rộng 2026"),
	}
	res := diff.Layers(approved, adjusted, diff.Lineage{"BC": {"B", "C"}})
	for _, c := range res.Changes {
		fmt.Printf("%-8s %-2s %+.2f ha", c.Kind, c.ID, c.AreaChangeM2/1e4)
		if c.Kind == diff.Modified {
			for _, k := range slices.Sorted(maps.Keys(c.Properties)) {
				fmt.Printf("  %s: %v → %v", k, c.Properties[k][0], c.Properties[k][1])
			}
		}
		fmt.Println()
	}
	for _, g := range res.Groups {
		fmt.Println(g)
	}

	names := map[string]string{
		"DAT_O_Nhomnhao": "Đất nhóm nhà ở", "DAT_Dichvu": "Đất dịch vụ", "DAT_HTXH_CayxanhCC": "Đất cây xanh",
		"DAT_NN_Nongnghiep": "Đất nông nghiệp", "DAT_HTKT_DuongGT": "Đất giao thông",
	}
	classOf := func(f gis.Feature) diff.Class {
		code := f.String("phanLoai")
		return diff.Class{Code: code, Name: names[code]}
	}
	order := []string{"DAT_O_Nhomnhao", "DAT_Dichvu", "DAT_HTXH_CayxanhCC", "DAT_HTKT_DuongGT", "DAT_NN_Nongnghiep"}
	before, after := diff.AdjustedArea(res)
	b := diff.Compare(before, after, classOf, order).Rounded(2)
	fmt.Println("loại đất          duyệt ha     %   điều chỉnh ha     %   ± ha")
	for _, r := range b.Rows {
		fmt.Printf("%-16s %9s %6s %15s %6s %6s\n", r.Name, gis.FormatVN(r.BeforeHa, 2), gis.FormatVN(r.BeforePercent, 2),
			gis.FormatVN(r.Ha, 2), gis.FormatVN(r.Percent, 2), gis.FormatVN(r.ChangeHa, 2))
	}
	fmt.Printf("%-16s %9s %6s %15s %6s %6s\n", "Tổng", gis.FormatVN(b.BeforeTotalHa, 2), "100,00",
		gis.FormatVN(b.TotalHa, 2), "100,00", gis.FormatVN(b.TotalHa-b.BeforeTotalHa, 2))
	// Output:
	// modified R  +0.00 ha  ghiChu: <nil> → mở rộng 2026
	// added    A1 +1.30 ha
	// added    A2 +0.70 ha
	// added    BC +2.00 ha
	// removed  A  -2.00 ha
	// removed  B  -1.00 ha
	// removed  C  -1.00 ha
	// A → A1, A2 (split)
	// B, C → BC (merge)
	// loại đất          duyệt ha     %   điều chỉnh ha     %   ± ha
	// Đất nhóm nhà ở        2,00  40,00            1,30  26,00  -0,70
	// Đất dịch vụ           1,00  20,00            2,00  40,00   1,00
	// Đất cây xanh          0,00   0,00            0,70  14,00   0,70
	// Đất giao thông        1,00  20,00            1,00  20,00   0,00
	// Đất nông nghiệp       1,00  20,00            0,00   0,00  -1,00
	// Tổng                  5,00 100,00            5,00 100,00   0,00
}
