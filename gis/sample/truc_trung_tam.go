package sample

import (
	"math"

	"github.com/paulmach/orb"
)

// Reference points of DOMAIN.md, EPSG:9215 metres (PROJ 9.1).
var (
	langSonCity = orb.Point{448927.783, 2416895.459}
	dongDang    = orb.Point{442789.648, 2428322.909}
	huuNghiGate = orb.Point{444122.778, 2430566.951}
)

// Lot mixes drawn by the random fills: class, weight, width range (m).
var (
	urbanFront = []choice{{"OHH", 4, 120, 220}, {"DV", 2, 100, 190}, {"CQ", 1, 90, 150}, {"YT", 0.5, 100, 150}, {"BDX", 0.4, 60, 100}, {"CXCC", 0.6, 60, 110}}
	urbanBack  = []choice{{"ONM", 5, 190, 320}, {"GD", 1.2, 110, 180}, {"CXCC", 1, 100, 200}, {"VH", 0.6, 90, 140}, {"TDTT", 0.5, 150, 220}, {"YT", 0.3, 110, 160}, {"OHH", 1, 150, 250}}
	urbanOuter = []choice{{"ONM", 2, 160, 280}, {"OLX", 3, 160, 300}, {"CXCC", 0.6, 100, 180}, {"GD", 0.5, 90, 140}, {"NN", 1.5, 200, 340}, {"RSX", 0.8, 220, 360}, {"DTTG", 0.2, 60, 90}}
	townFront  = []choice{{"OHH", 4, 110, 200}, {"DV", 2.5, 100, 180}, {"CQ", 1.5, 90, 150}, {"BDX", 0.5, 60, 100}, {"AN", 0.5, 90, 140}, {"YT", 0.4, 100, 150}}
	townBack   = []choice{{"ONM", 4, 190, 310}, {"GD", 1.2, 110, 180}, {"CXCC", 1, 100, 190}, {"VH", 0.6, 90, 140}, {"YT", 0.4, 110, 160}, {"QP", 0.4, 150, 250}}
	townOuter  = []choice{{"ONM", 2, 160, 280}, {"OLX", 2.5, 160, 280}, {"NN", 1.5, 200, 340}, {"RSX", 1, 220, 360}, {"QP", 0.6, 150, 250}, {"CXCC", 0.5, 100, 180}}
	ruralFront = []choice{{"OLX", 3, 150, 280}, {"DV", 1, 100, 180}, {"OHH", 1.5, 120, 200}, {"CXCC", 0.5, 80, 120}, {"VH", 0.3, 80, 110}}
	ruralBack  = []choice{{"OLX", 3, 190, 320}, {"NN", 3, 220, 400}, {"CSD", 0.4, 120, 200}, {"CXHC", 0.5, 120, 200}, {"MN", 0.3, 80, 140}}
	ruralOuter = []choice{{"NN", 3, 200, 380}, {"RSX", 2.5, 220, 400}, {"RPH", 1, 250, 400}, {"OLX", 1, 150, 250}, {"MN", 0.3, 80, 140}}
	greenFront = []choice{{"DL", 2, 150, 280}, {"DV", 1, 120, 200}, {"CXCC", 2, 150, 300}, {"TDTT", 1, 190, 280}, {"BDX", 0.5, 80, 110}}
	greenBack  = []choice{{"DTNC", 2.5, 220, 380}, {"DL", 1.5, 190, 310}, {"CXCC", 2, 190, 310}, {"MN", 0.8, 120, 220}, {"TDTT", 1, 190, 280}}
	greenOuter = []choice{{"RDD", 2, 250, 450}, {"RPH", 1.5, 250, 400}, {"CXHC", 1, 150, 250}, {"DL", 0.8, 150, 250}, {"NN", 1, 200, 350}}
	depotInner = []choice{{"CN", 6, 140, 260}, {"BDX", 0.6, 80, 120}, {"HTKT", 0.5, 80, 140}, {"CXCD", 0.6, 40, 70}}
	depotOuter = []choice{{"CN", 5, 150, 280}, {"CXCD", 1, 40, 80}, {"HTKT", 0.5, 90, 140}, {"NN", 0.6, 200, 300}}
)

// Central axis: sections (m) between cross roads, from Lạng Sơn city to
// Đồng Đăng, and the cross roads' widths; a wider road every third.
var (
	ttSections = []float64{520, 480, 610, 560, 700, 640, 760, 590, 820, 680, 540, 720, 600, 650, 580, 500, 620, 560, 480, 520}
)

const (
	ttYenTrach = 8  // section of the Yên Trạch adjustment (left side)
	ttThuyHung = 15 // section of the Thụy Hùng adjustment (left side)
	ttStream   = 12 // section the stream crosses
	ttLake     = 10 // park with a lake (right side)
	ttStreamU  = 8200.0
	ttStreamK  = 0.25 // the stream's u moves by this per metre across
)

// trucTrungTam lays out the central axis plan (1/2000) along the real line
// from Lạng Sơn city to Đồng Đăng, with its approved local adjustment as v2.
func trucTrungTam() *layout {
	d := sub(dongDang, langSonCity)
	l := math.Hypot(d[0], d[1])
	dir := orb.Point{d[0] / l, d[1] / l}
	n := orb.Point{-dir[1], dir[0]}
	along := func(t, off float64) orb.Point {
		return orb.Point{langSonCity[0] + t*d[0] + off*n[0], langSonCity[1] + t*d[1] + off*n[1]}
	}
	f := newFrame(langSonCity, along(0.3, 250), along(0.65, -300), dongDang)
	b := newBuilder("truc-trung-tam", f)

	var streets []street
	for i := range ttSections {
		s := street{w: 20, sides: [2]bool{true, true}, grade: "Đường chính khu vực"}
		if i%3 == 1 {
			s.w, s.grade = 30, "Đường liên khu vực"
		}
		streets = append(streets, s)
	}
	streets[6].sides[1] = false  // one long depot block on the right
	streets[11].sides[0] = false // park and stream on the left
	start := make([]float64, len(ttSections)+1)
	for i := range ttSections {
		start[i+1] = start[i] + ttSections[i] + streets[i].w
	}
	tags := map[string]*lot{}
	keep := func(lots []*lot) {
		for _, l := range lots {
			if l.tag != "" {
				tags[l.tag] = l
			}
		}
	}

	c := &corridor{
		mainW: 48, mainName: "Đường trục chính Lạng Sơn – Đồng Đăng", mainGrade: "Đường trục chính đô thị",
		mainSplit: []int{3, 7, 11, 15},
		sections:  ttSections, streets: streets,
	}
	c.layout = func(side, first, last int, u0, u1 float64) sideLayout {
		r := b.rng("side %d %d", side, first)
		mid := (u0 + u1) / 2
		rnd := func(ch []choice, key string) func(bl *block) []part {
			rr := b.rng("fill %d %d %s", side, first, key)
			return func(bl *block) []part {
				if first <= ttStream && ttStream <= last {
					return named(rr, stream(rr, bl, side, ch), facilities)
				}
				return named(rr, random(rr, bl.u0, bl.u1, ch, 12), facilities)
			}
		}
		road := func(grade string, w float64) row { return row{depth: w, road: grade} }
		top := func(base, amp float64) line {
			return wiggle(r, u0, u1, math.Round(base+r.between(-30, 30)), amp, 1+r.intn(2))
		}
		switch {
		case side == 0 && first == ttYenTrach:
			return sideLayout{top: top(700, 40), rows: []row{
				{depth: 123, fill: func(bl *block) []part {
					parts := []part{
						{cls: "OHH", w: 120},
						{cls: "DV", ha: 2.10, tag: "ytDV", name: "Trung tâm thương mại"},
						{cls: "VH", ha: 1.55, tag: "ytVH", name: "Trung tâm văn hóa – thể thao xã"},
						{cls: "CSD", ha: 0.54, tag: "ytCSD", note: "Đất dự trữ phát triển"},
						{cls: "CXCC", ha: 2.96, tag: "ytCX", name: "Vườn hoa, cây xanh"},
						{cls: "DV"},
					}
					return parts
				}},
				{depth: 120, fill: func(bl *block) []part {
					return []part{
						{cls: "ONM", w: 120},
						{cls: "NN", ha: 2.60, tag: "ytNN1"},
						{cls: "RSX", ha: 1.60, tag: "ytRSX"},
						{cls: "OLX", ha: 0.70, tag: "ytOLX"},
						{cls: "NN", ha: 2.07, tag: "ytNN2"},
						{cls: "OLX"},
					}
				}},
				road("Đường khu vực", 20),
				{fill: rnd(ruralOuter, "outer")},
			}}
		case side == 0 && first == ttThuyHung:
			return sideLayout{top: top(620, 40), rows: []row{
				{depth: 90, fill: rnd(ruralFront, "front")},
				{depth: 100, fill: func(bl *block) []part {
					return []part{
						{cls: "OLX", w: 170},
						{cls: "DTTG", ha: 0.32, tag: "thDTTG", name: "Chùa (di tích hiện trạng)"},
						{cls: "NN", ha: 0.40, tag: "thNN"},
						{cls: "DV", ha: 0.28, tag: "thDV", name: "Dịch vụ thương mại"},
						{cls: "OLX"},
					}
				}},
				{fill: rnd(ruralOuter, "outer")},
			}}
		case side == 1 && first == ttLake:
			return sideLayout{top: top(760, 50), rows: []row{
				{depth: 100, fill: rnd(greenFront, "front")},
				{depth: 180, fill: func(bl *block) []part {
					return []part{
						{cls: "CXCC", w: 170, kink: -30, name: "Công viên cây xanh"},
						{cls: "MN", w: 180, kink: 35, name: "Hồ điều hòa"},
						{cls: "CXCC", w: 140, name: "Công viên cây xanh"},
						{cls: "TDTT", name: "Trung tâm thể dục thể thao"},
					}
				}},
				road("Đường khu vực", 20),
				{fill: rnd(greenOuter, "outer")},
			}}
		case side == 0 && last == len(ttSections):
			return sideLayout{top: top(560, 30), rows: []row{
				{depth: 90, fill: rnd(townFront, "front")},
				{depth: 150, fill: func(bl *block) []part {
					rr := b.rng("temple")
					return then([]part{{cls: "DTTG", w: 110, name: "Đền Mẫu Đồng Đăng (di tích)", note: "Di tích lịch sử – văn hóa, giữ nguyên hiện trạng"},
						{cls: "CXCC", w: 70, name: "Cây xanh quanh di tích"}},
						named(rr, random(rr, bl.u0+180, bl.u1, townBack, 10), facilities))
				}},
				road("Đường khu vực", 20),
				{fill: rnd(townOuter, "outer")},
			}}
		}
		switch {
		case mid < 2900: // the city's northern edge
			return sideLayout{top: top(620, 40), rows: []row{
				{depth: math.Round(r.between(80, 100)), fill: rnd(urbanFront, "front")},
				{depth: math.Round(r.between(130, 170)), fill: rnd(urbanBack, "back")},
				road("Đường khu vực", 20),
				{fill: rnd(urbanOuter, "outer")},
			}}
		case mid < 5000 && side == 1, mid >= 9200 && mid < 10900 && side == 1: // depots, logistics
			return sideLayout{top: top(680, 40), rows: []row{
				{depth: 230, fill: rnd(depotInner, "inner")},
				road("Đường khu vực", 24),
				{fill: rnd(depotOuter, "outer")},
			}}
		case mid < 5000, mid >= 9200 && mid < 10900:
			return sideLayout{top: top(560, 40), rows: []row{
				{depth: 90, fill: rnd(ruralFront, "front")},
				{depth: 100, fill: rnd(ruralBack, "back")},
				{fill: rnd(ruralOuter, "outer")},
			}}
		case mid < 6900: // Yên Trạch: villages, fields, hills
			rows := []row{
				{depth: 100, fill: rnd(ruralFront, "front")},
				{depth: 130, fill: rnd(ruralBack, "back")},
			}
			if side == 0 {
				rows = append(rows, road("Đường khu vực", 20))
			}
			return sideLayout{top: top(700, 50), rows: append(rows, row{fill: rnd(ruralOuter, "outer")})}
		case mid < 9200: // training, tourism, parks, forest
			return sideLayout{top: top(760, 50), rows: []row{
				{depth: 100, fill: rnd(greenFront, "front")},
				{depth: 180, fill: rnd(greenBack, "back")},
				road("Đường khu vực", 20),
				{fill: rnd(greenOuter, "outer")},
			}}
		}
		return sideLayout{top: top(580, 30), rows: []row{ // Đồng Đăng town
			{depth: math.Round(r.between(80, 100)), fill: rnd(townFront, "front")},
			{depth: math.Round(r.between(130, 160)), fill: rnd(townBack, "back")},
			road("Đường khu vực", 20),
			{fill: rnd(townOuter, "outer")},
		}}
	}
	c.build(b)
	keep(b.lots)
	v1 := append([]*lot(nil), b.lots...)

	// v2: the local adjustment of Thụy Hùng (≈1 ha) and Yên Trạch (≈14.12 ha).
	changed := func(l *lot, cls, name, note string) *lot {
		n := *l
		n.cls, n.name, n.note, n.stage, n.adjust, n.tag = cls, name, note, "", true, ""
		return &n
	}
	const why = "Điều chỉnh cục bộ (QĐ minh họa): "
	repl := map[*lot][]*lot{}
	th := tags["thNN"]
	thNew := changed(th, "DTTG", "Mở rộng khuôn viên chùa", why+"đất nông nghiệp → đất di tích, tôn giáo")
	thNew.stage = "QHDD"
	repl[th] = []*lot{thNew}
	dv := tags["thDV"]
	ra, rb := b.split(dv, 0.07)
	dva := &lot{id: dv.id + "a", cls: "CXCC", ring: ra, name: "Cây xanh công cộng", note: why + "tách từ lô " + dv.id, parents: []string{dv.id}, adjust: true}
	dvb := &lot{id: dv.id + "b", cls: "OLX", ring: rb, note: why + "tách từ lô " + dv.id + ", công nhận đất ở hiện trạng", parents: []string{dv.id}, adjust: true}
	repl[dv] = []*lot{dva, dvb}

	a, z := tags["ytDV"], tags["ytVH"]
	merged := &lot{id: b.code("HTKT"), cls: "HTKT", ring: b.merge(a, z), name: "Khu hạ tầng kỹ thuật (trạm trung chuyển, bãi tập kết)",
		note: why + "gộp lô " + a.id + " và " + z.id, parents: []string{a.id, z.id}, adjust: true}
	repl[a], repl[z] = []*lot{merged}, []*lot{}
	csd := changed(tags["ytCSD"], "ONM", "Đất ở mới", why+"đất dự trữ → đất ở mới")
	repl[tags["ytCSD"]] = []*lot{csd}
	var yt []*lot
	for _, t := range []string{"ytNN1", "ytRSX", "ytOLX"} {
		n := changed(tags[t], "HTKT", "Khu hạ tầng kỹ thuật", why+lowerFirst(classes[tags[t].cls].name)+" → đất hạ tầng kỹ thuật")
		repl[tags[t]] = []*lot{n}
		yt = append(yt, n)
	}
	an := changed(tags["ytNN2"], "AN", "Đất an ninh", why+"đất nông nghiệp → đất an ninh")
	repl[tags["ytNN2"]] = []*lot{an}
	var v2 []*lot
	for _, l := range v1 {
		if r, ok := repl[l]; ok {
			v2 = append(v2, r...)
		} else {
			v2 = append(v2, l)
		}
	}
	zones := []zone{
		{"DC-01", "Khu vực điều chỉnh Thụy Hùng", "≈1 ha: 0,40 ha đất nông nghiệp → đất di tích, tôn giáo; +0,07 ha cây xanh công cộng; +0,21 ha đất ở hiện trạng",
			[]*lot{tags["thDTTG"], thNew, dva, dvb}},
		{"DC-02", "Khu vực điều chỉnh Yên Trạch", "≈14,12 ha: đất công cộng, thương mại, dự trữ → hạ tầng kỹ thuật 3,65 ha và đất ở mới 0,54 ha; đất nông nghiệp, rừng, đất ở → hạ tầng kỹ thuật 4,9 ha; 2,07 ha đất an ninh",
			append([]*lot{merged, csd, an, tags["ytCX"]}, yt...)},
	}

	lay := &layout{
		plan: Plan{
			Code:  "truc-trung-tam",
			Name:  "Quy hoạch phân khu Trục trung tâm Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
			Level: "zoning", Scale: 2000, CRS: 9215,
			Area: "Thành phố Lạng Sơn – huyện Cao Lộc (Đồng Đăng), tỉnh Lạng Sơn",
			Note: "Illustrative: a corridor drawn along the straight line from Lạng Sơn city to Đồng Đăng with invented blocks and lots; " +
				"v2 models the real local adjustment (Thụy Hùng ≈1 ha, Yên Trạch ≈14.12 ha) on invented lots. Decision numbers and dates are illustrative.",
			Versions: []Version{
				{Message: "Đồ án quy hoạch phân khu được phê duyệt (dữ liệu minh họa)", Source: "import",
					Decision: "Quyết định số 712/QĐ-UBND", DecisionDate: "2021-04-13", MaThongTinQH: "202123051873", MaHoSoQH: "HS2021-000712"},
				{Message: "Điều chỉnh cục bộ khu vực Thụy Hùng và Yên Trạch (dữ liệu minh họa)", Source: "import",
					Decision: "Quyết định số 1586/QĐ-UBND", DecisionDate: "2024-09-06", MaThongTinQH: "202423230496", MaHoSoQH: "HS2024-001586"},
			},
		},
		b:        b,
		versions: [][]*lot{v1, v2},
		zones:    [][]zone{nil, zones},
	}
	trucTrungTamDossier(lay)
	return lay
}

// stream returns the parts of a block crossed by the stream: fills on both
// sides, green strips along the banks and the stream bed, slanting across.
// The fills' cuts lean less and less away from the stream.
func stream(r *rng, bl *block, side int, ch []choice) []part {
	sign := 1.0
	if side == 1 {
		sign = -1
	}
	at := func(w float64) float64 { return ttStreamU + sign*ttStreamK*w }
	ub := at(bl.bot.at(bl.u0))
	tilt := at(bl.top.at(ub)) - ub
	left := random(r, bl.u0, ub-27, ch, 0)
	for i := range left {
		left[i].tilt = tilt * (left[i].end - bl.u0) / (ub - bl.u0)
	}
	left = ending(left, ub-27, tilt)
	bank := []part{
		{cls: "CXHC", end: ub - 12, tilt: tilt, kink: r.between(-6, 6), name: "Cây xanh ven suối"},
		{cls: "SON", end: ub + 12, tilt: tilt, kink: r.between(-6, 6), name: "Suối (hiện trạng)"},
		{cls: "CXHC", end: ub + 27, tilt: tilt, name: "Cây xanh ven suối"},
	}
	right := random(r, ub+27, bl.u1, ch, 0)
	for i := range right {
		right[i].tilt = tilt * (bl.u1 - right[i].end) / (bl.u1 - ub)
	}
	return then(left, bank, right)
}

// facilities are names given to some lots of public classes.
var facilities = map[string][]string{
	"GD":   {"Trường mầm non", "Trường tiểu học", "Trường trung học cơ sở", "Trường trung học phổ thông"},
	"YT":   {"Trạm y tế", "Phòng khám đa khoa khu vực", "Bệnh viện đa khoa"},
	"VH":   {"Nhà văn hóa", "Trung tâm văn hóa – thông tin"},
	"TDTT": {"Sân thể thao", "Trung tâm thể dục thể thao"},
	"HTKT": {"Trạm xử lý nước thải", "Trạm biến áp 110 kV", "Nhà máy nước", "Điểm tập kết chất thải rắn"},
	"DV":   {"Chợ", "Trung tâm thương mại", "Dịch vụ thương mại"},
	"CQ":   {"Trụ sở cơ quan", "Trụ sở cơ quan hành chính"},
	"BDX":  {"Bãi đỗ xe công cộng"},
	"DTTG": {"Chùa", "Đình làng", "Đền"},
	"AN":   {"Trụ sở công an"},
	"DL":   {"Khu dịch vụ du lịch sinh thái", "Khu dịch vụ du lịch"},
	"DTNC": {"Trung tâm đào tạo nghề", "Cơ sở nghiên cứu"},
	"CN":   {"Kho bãi, logistics", "Công nghiệp, kho tàng"},
}

// named gives parts of the classes in names that have no name one of them.
func named(r *rng, parts []part, names map[string][]string) []part {
	for i := range parts {
		if ns := names[parts[i].cls]; parts[i].name == "" && len(ns) > 0 {
			parts[i].name = ns[r.intn(len(ns))]
		}
	}
	return parts
}
