package sample

import (
	"math"

	"github.com/paulmach/orb"
)

// dongBanh lays out KCN Đồng Bành industrial park (about 162 ha since 2021)
// at an illustrative place near 21.59 N, 106.51 E: industry lots on both
// sides of the park's axis road, an internal road parallel to it, and a belt
// of isolation green along the outer edge.
func dongBanh() *layout {
	centre := orb.Point{423000, 2388000}
	a := 60 * math.Pi / 180
	dir := orb.Point{math.Sin(a), math.Cos(a)}
	left := orb.Point{-dir[1], dir[0]}
	f := newFrame(offset(centre, dir, left, -760, 15), offset(centre, dir, left, 40, -15), offset(centre, dir, left, 760, 0))
	b := newBuilder("dong-banh", f)

	industry := []choice{{"CN", 6, 80, 150}, {"HTKT", 0.3, 50, 80}, {"CXCD", 0.3, 25, 40}}
	outer := []choice{{"CN", 5, 100, 180}, {"CXCD", 0.4, 30, 50}}
	names := map[string][]string{
		"CN":   {"Nhà máy, xưởng sản xuất", "Công nghiệp, kho tàng"},
		"HTKT": {"Trạm bơm", "Trạm biến áp", "Điểm tập kết chất thải rắn"},
	}
	sections := []float64{240, 250, 220, 260, 240}
	var streets []street
	for range sections {
		streets = append(streets, street{w: 24, sides: [2]bool{true, true}, grade: "Đường chính khu công nghiệp"})
	}
	c := &corridor{mainW: 36, mainName: "Đường trục chính khu công nghiệp", mainGrade: "Đường trục chính khu công nghiệp",
		mainSplit: []int{2}, sections: sections, streets: streets}
	c.layout = func(side, first, last int, u0, u1 float64) sideLayout {
		r := b.rng("side %d %d", side, first)
		fill := func(ch []choice, key string) func(bl *block) []part {
			rr := b.rng("fill %d %d %s", side, first, key)
			return func(bl *block) []part { return named(rr, random(rr, bl.u0, bl.u1, ch, 8), names) }
		}
		fixed := func(parts ...part) func(bl *block) []part {
			return func(bl *block) []part { return parts }
		}
		in1, in2, out := fill(industry, "in1"), fill(industry, "in2"), fill(outer, "out")
		switch {
		case first == 0 && side == 0: // entrance: the park's management and services
			in1 = fixed(part{cls: "CQ", w: 90, name: "Trung tâm điều hành khu công nghiệp"}, part{cls: "DV", w: 80, name: "Dịch vụ hỗ trợ khu công nghiệp"}, part{cls: "CXCC", name: "Cây xanh, quảng trường"})
		case first == 0 && side == 1:
			in1 = fixed(part{cls: "BDX", w: 70, name: "Bãi đỗ xe tập trung"}, part{cls: "DV", w: 100, name: "Nhà ở công nhân, dịch vụ"}, part{cls: "YT", name: "Trạm y tế khu công nghiệp"})
		case first == 2 && side == 1: // technical infrastructure
			out = fixed(part{cls: "HTKT", w: 110, name: "Trạm xử lý nước thải tập trung"}, part{cls: "CXCD", w: 30, name: "Cây xanh cách ly"}, part{cls: "HTKT", name: "Trạm biến áp 110 kV"})
		case first == 3 && side == 0: // retention pond in a park
			out = fixed(part{cls: "CXCC", w: 60, kink: -15, name: "Cây xanh"}, part{cls: "MN", w: 120, kink: 20, name: "Hồ điều hòa"}, part{cls: "CXCC", name: "Cây xanh"})
		}
		top := wiggle(r, u0, u1, math.Round(530+r.between(-15, 15)), 25, 1+r.intn(2))
		return sideLayout{top: top, rows: []row{
			{depth: 110, fill: in1},
			{depth: 120, fill: in2},
			{depth: 20, road: "Đường nội bộ khu công nghiệp"},
			{inset: 25, fill: out},
			{fill: fixed(part{cls: "CXCD", name: "Cây xanh cách ly"})},
		}}
	}
	c.build(b)
	lay := &layout{
		plan: Plan{
			Code:  "dong-banh",
			Name:  "Quy hoạch phân khu Khu công nghiệp Đồng Bành (điều chỉnh tổng thể)",
			Level: "zoning", Scale: 500, CRS: 9215,
			Area: "Huyện Chi Lăng, tỉnh Lạng Sơn",
			Note: "Illustrative location and geometry: about 162 ha (the park's area since 2021, cut from 321.76 ha) placed around E 423 000, N 2 388 000 near 21.59 N, 106.51 E, a weak source; scale 1/500 as in the 2021 board report. Decision number and date are illustrative.",
			Versions: []Version{{Message: "Điều chỉnh tổng thể quy hoạch, diện tích còn khoảng 162 ha (dữ liệu minh họa)", Source: "import",
				Decision: "Quyết định số 2043/QĐ-UBND", DecisionDate: "2021-10-25", MaThongTinQH: "202123184410", MaHoSoQH: "HS2021-002043"}},
		},
		b: b, versions: [][]*lot{b.lots},
	}
	dongBanhDossier(lay)
	return lay
}
