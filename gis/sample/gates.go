package sample

import (
	"math"

	"github.com/paulmach/orb"
)

// program is the lot mix of the rows of one side of a section.
type program struct{ front, back, outer []choice }

// gateFacilities names lots of border-gate plans.
var gateFacilities = map[string][]string{
	"CQ":   {"Trụ sở Chi cục Hải quan cửa khẩu", "Trụ sở Đồn Biên phòng cửa khẩu", "Trạm Kiểm dịch động, thực vật", "Trụ sở Ban Quản lý cửa khẩu", "Trung tâm điều hành"},
	"KSLH": {"Khu kiểm soát liên hợp – làn hàng xuất", "Khu kiểm soát liên hợp – làn hàng nhập", "Nhà kiểm soát liên hợp", "Bãi kiểm hóa tập trung"},
	"PTQ":  {"Khu phi thuế quan", "Trung tâm thương mại miễn thuế"},
	"KNQ":  {"Kho ngoại quan", "Bãi hàng xuất nhập khẩu", "Kho CFS"},
	"BTX":  {"Bãi tập kết xe chờ xuất khẩu", "Bãi tập kết xe chờ nhập khẩu", "Bãi chờ xe rỗng"},
	"DV":   {"Dịch vụ thương mại", "Dịch vụ hỗ trợ cửa khẩu", "Chợ cửa khẩu"},
	"HTKT": {"Trạm xử lý nước thải", "Trạm biến áp", "Trạm cấp nước", "Trạm cân xe"},
	"BDX":  {"Bãi đỗ xe"},
	"AN":   {"Trụ sở công an cửa khẩu"},
	"QP":   {"Đất quốc phòng (biên phòng)"},
	"YT":   {"Trạm y tế cửa khẩu", "Trung tâm kiểm dịch y tế quốc tế"},
	"GD":   {"Trường mầm non"},
	"DL":   {"Khu dịch vụ du lịch"},
	"CN":   {"Nhà xưởng sản xuất", "Công nghiệp, kho tàng", "Nhà máy chế biến"},
}

// gate lays out a border-gate or industrial plan: an axis road with a few
// cross roads, on each side a front and a back row of lots and an outer row
// to the irregular edge. progs[k][side] is the mix of section k.
func gate(b *builder, mainW float64, mainName, mainGrade string, sections, widths []float64, grade string,
	depths [2]float64, topBase, topAmp float64, progs [][2]program, names map[string][]string) {
	var streets []street
	for _, w := range widths {
		streets = append(streets, street{w: w, sides: [2]bool{true, true}, grade: grade})
	}
	c := &corridor{mainW: mainW, mainName: mainName, mainGrade: mainGrade, sections: sections, streets: streets}
	c.layout = func(side, first, last int, u0, u1 float64) sideLayout {
		r := b.rng("side %d %d", side, first)
		p := progs[first][side]
		fill := func(ch []choice, key string) func(bl *block) []part {
			rr := b.rng("fill %d %d %s", side, first, key)
			return func(bl *block) []part { return named(rr, random(rr, bl.u0, bl.u1, ch, 6), names) }
		}
		top := wiggle(r, u0, u1, math.Round(topBase+r.between(-20, 20)), topAmp, 1+r.intn(2))
		return sideLayout{top: top, rows: []row{
			{depth: depths[0], fill: fill(p.front, "front")},
			{depth: depths[1], fill: fill(p.back, "back")},
			{fill: fill(p.outer, "outer")},
		}}
	}
	c.build(b)
}

func unit(a, b orb.Point) (dir, left orb.Point) {
	d := sub(b, a)
	l := math.Hypot(d[0], d[1])
	dir = orb.Point{d[0] / l, d[1] / l}
	return dir, orb.Point{-dir[1], dir[0]}
}

func offset(p, dir, left orb.Point, along, across float64) orb.Point {
	return orb.Point{p[0] + along*dir[0] + across*left[0], p[1] + along*dir[1] + across*left[1]}
}

// huuNghi lays out the Hữu Nghị international border gate (detailed, 1/500):
// about 1.3 km of the road from Đồng Đăng up to the gate, which is the end
// of the plan at the border.
func huuNghi() *layout {
	dir, left := unit(dongDang, huuNghiGate)
	g := huuNghiGate
	f := newFrame(offset(g, dir, left, -1320, -35), offset(g, dir, left, -620, 0), g)
	b := newBuilder("huu-nghi", f)
	forest := []choice{{"RPH", 2, 60, 120}, {"CXCD", 1, 40, 70}}
	progs := [][2]program{
		{ // Đồng Đăng side: housing and services for the gate
			{front: []choice{{"OHH", 3, 40, 80}, {"DV", 2, 40, 70}, {"CQ", 1, 40, 60}}, back: []choice{{"ONM", 3, 50, 90}, {"CXCC", 1, 30, 60}, {"GD", 0.7, 50, 70}, {"OHH", 1, 50, 80}}, outer: []choice{{"RSX", 2, 60, 120}, {"CXCD", 1, 40, 70}}},
			{front: []choice{{"DV", 3, 40, 80}, {"OHH", 2, 40, 80}, {"BDX", 1, 40, 60}}, back: []choice{{"ONM", 3, 50, 90}, {"CXCC", 1, 30, 60}, {"YT", 0.6, 40, 60}}, outer: []choice{{"RSX", 2, 60, 120}, {"NN", 1, 60, 100}}},
		},
		{
			{front: []choice{{"DV", 3, 40, 80}, {"DL", 1, 50, 80}, {"BDX", 1, 40, 60}}, back: []choice{{"CXCC", 1, 40, 70}, {"YT", 0.6, 40, 60}, {"CQ", 1, 40, 70}, {"DV", 1, 40, 70}}, outer: forest},
			{front: []choice{{"DV", 2, 40, 80}, {"CQ", 1, 40, 60}, {"BDX", 1, 40, 60}}, back: []choice{{"HTKT", 0.6, 40, 60}, {"CXCC", 1, 40, 70}, {"CQ", 1, 40, 70}}, outer: forest},
		},
		{ // non-tariff zone on the left, bonded warehouses on the right
			{front: []choice{{"PTQ", 4, 40, 90}, {"DV", 1, 40, 60}}, back: []choice{{"PTQ", 3, 50, 90}, {"CXCD", 0.6, 25, 40}}, outer: forest},
			{front: []choice{{"KNQ", 4, 40, 90}, {"BDX", 0.7, 40, 60}}, back: []choice{{"KNQ", 3, 50, 100}, {"HTKT", 0.5, 40, 60}}, outer: forest},
		},
		{ // vehicle holding yards
			{front: []choice{{"BTX", 3, 50, 100}, {"CQ", 1, 40, 60}}, back: []choice{{"BTX", 3, 60, 110}, {"HTKT", 0.5, 40, 60}}, outer: forest},
			{front: []choice{{"KNQ", 2, 50, 90}, {"BTX", 2, 50, 90}}, back: []choice{{"BTX", 2, 60, 110}, {"KNQ", 2, 60, 100}}, outer: forest},
		},
		{ // offices of the border agencies
			{front: []choice{{"CQ", 3, 40, 70}, {"AN", 1, 40, 60}}, back: []choice{{"QP", 1, 50, 80}, {"CQ", 1, 40, 70}, {"CXCC", 1, 30, 50}}, outer: forest},
			{front: []choice{{"DV", 2, 40, 70}, {"BDX", 1, 40, 60}, {"CQ", 1, 40, 60}}, back: []choice{{"BTX", 2, 60, 100}, {"CXCD", 0.6, 25, 40}}, outer: forest},
		},
		{ // at the border: the joint customs control area
			{front: []choice{{"KSLH", 4, 40, 80}}, back: []choice{{"KSLH", 3, 50, 90}, {"CXCD", 0.5, 25, 40}}, outer: []choice{{"QP", 1, 60, 100}, {"RPH", 2, 60, 120}}},
			{front: []choice{{"KSLH", 4, 40, 80}}, back: []choice{{"KSLH", 3, 50, 90}, {"CXCD", 0.5, 25, 40}}, outer: []choice{{"QP", 1, 60, 100}, {"RPH", 2, 60, 120}}},
		},
	}
	gate(b, 42, "Quốc lộ 1A – đường vào cửa khẩu Hữu Nghị", "Quốc lộ",
		[]float64{210, 190, 230, 180, 200}, []float64{24, 20, 24, 20, 24}, "Đường nội bộ cửa khẩu",
		[2]float64{80, 90}, 255, 30, progs, gateFacilities)
	return &layout{
		plan: Plan{
			Code:  "huu-nghi",
			Name:  "Quy hoạch chi tiết Khu cửa khẩu quốc tế Hữu Nghị",
			Level: "detailed", Scale: 500, CRS: 9215,
			Area: "Thị trấn Đồng Đăng, huyện Cao Lộc, tỉnh Lạng Sơn",
			Note: "Illustrative: invented lots along 1.3 km of the road from Đồng Đăng to the gate (21.971 N, 106.711 E), which ends the plan at the border. Decision number and date are illustrative.",
			Versions: []Version{{Message: "Đồ án quy hoạch chi tiết được phê duyệt (dữ liệu minh họa)", Source: "import",
				Decision: "Quyết định số 2214/QĐ-UBND", DecisionDate: "2019-11-20", MaThongTinQH: "201933027045", MaHoSoQH: "HS2019-002214"}},
		},
		b: b, versions: [][]*lot{b.lots},
	}
}

// chiMa lays out the Chi Ma border gate (detailed, 1/500) at an illustrative
// place east of Lộc Bình: no reliable coordinate of the gate was found.
func chiMa() *layout {
	g := orb.Point{480000, 2405000}
	a := 35 * math.Pi / 180
	dir := orb.Point{math.Sin(a), math.Cos(a)}
	left := orb.Point{-dir[1], dir[0]}
	f := newFrame(offset(g, dir, left, -900, 0), offset(g, dir, left, -430, 25), g)
	b := newBuilder("chi-ma", f)
	hills := []choice{{"RSX", 2, 60, 120}, {"NN", 1.5, 50, 100}, {"RPH", 1, 60, 120}}
	progs := [][2]program{
		{
			{front: []choice{{"OHH", 3, 40, 70}, {"DV", 2, 40, 70}, {"CQ", 1, 40, 60}}, back: []choice{{"ONM", 2, 50, 80}, {"OLX", 2, 50, 90}, {"CXCC", 1, 30, 60}}, outer: hills},
			{front: []choice{{"DV", 2, 40, 70}, {"OHH", 2, 40, 70}}, back: []choice{{"OLX", 3, 50, 90}, {"GD", 0.7, 50, 70}, {"CXCC", 1, 30, 60}}, outer: hills},
		},
		{
			{front: []choice{{"DV", 2, 40, 70}, {"CQ", 1, 40, 60}, {"BDX", 1, 40, 60}}, back: []choice{{"BTX", 2, 60, 100}, {"HTKT", 0.6, 40, 60}, {"CXCC", 1, 30, 60}}, outer: hills},
			{front: []choice{{"BDX", 1, 40, 60}, {"DV", 2, 40, 70}}, back: []choice{{"BTX", 3, 60, 100}, {"CXCD", 0.6, 25, 40}}, outer: hills},
		},
		{
			{front: []choice{{"PTQ", 4, 40, 80}}, back: []choice{{"PTQ", 3, 50, 90}, {"CXCD", 0.6, 25, 40}}, outer: hills},
			{front: []choice{{"KNQ", 3, 40, 80}, {"BTX", 1, 50, 80}}, back: []choice{{"KNQ", 3, 50, 90}, {"BTX", 2, 60, 100}}, outer: hills},
		},
		{ // at the border
			{front: []choice{{"KSLH", 4, 40, 80}, {"CQ", 1, 40, 60}}, back: []choice{{"KNQ", 2, 50, 90}, {"KSLH", 2, 50, 90}, {"CXCD", 0.5, 25, 40}}, outer: []choice{{"QP", 1, 60, 100}, {"RPH", 2, 60, 120}}},
			{front: []choice{{"KSLH", 4, 40, 80}, {"AN", 0.6, 40, 60}}, back: []choice{{"BTX", 2, 60, 100}, {"KSLH", 2, 50, 90}, {"HTKT", 0.5, 40, 60}}, outer: []choice{{"QP", 1, 60, 100}, {"RPH", 2, 60, 120}}},
		},
	}
	gate(b, 32, "Đường vào cửa khẩu Chi Ma", "Đường chính khu vực",
		[]float64{170, 190, 160}, []float64{20, 20, 20}, "Đường nội bộ cửa khẩu",
		[2]float64{70, 80}, 250, 45, progs, gateFacilities)
	lay := &layout{
		plan: Plan{
			Code:  "chi-ma",
			Name:  "Quy hoạch chi tiết Khu cửa khẩu Chi Ma",
			Level: "detailed", Scale: 500, CRS: 9215,
			Area: "Xã Yên Khoái, huyện Lộc Bình, tỉnh Lạng Sơn",
			Note: "Illustrative location and geometry: no reliable coordinate of the gate was found, so the plan is placed around E 480 000, N 2 405 000 (about 21.75 N, 107.06 E). Decision number and date are illustrative.",
			Versions: []Version{{Message: "Đồ án quy hoạch chi tiết được phê duyệt (dữ liệu minh họa)", Source: "import",
				Decision: "Quyết định số 1108/QĐ-UBND", DecisionDate: "2020-06-30", MaThongTinQH: "202033061328", MaHoSoQH: "HS2020-001108"}},
		},
		b: b, versions: [][]*lot{b.lots},
	}
	chiMaDossier(lay)
	return lay
}
