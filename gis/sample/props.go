package sample

import (
	"math"
)

// class holds what the generator needs to know of a land-use class: its
// Vietnamese name (the default tenDoiTuong), its usual stage and the ranges
// of its indicators. The codes are those of assets/landuse.json; the test
// checks them against the catalogue.
type class struct {
	name     string
	existing bool       // HT unless told otherwise (villages, relics, farmland, water)
	density  [2]float64 // building density, %; zero when nothing is built
	floorMin [2]int     // range of the lowest storeys
	floorMax [2]int     // range of the highest storeys
	setback  [2]float64 // m
	people   [2]float64 // residents per ha; zero when nobody lives there
}

var classes = map[string]class{
	"ONM":  {name: "Đất nhóm nhà ở", density: [2]float64{40, 60}, floorMin: [2]int{2, 3}, floorMax: [2]int{5, 9}, setback: [2]float64{3, 6}, people: [2]float64{180, 260}},
	"OHH":  {name: "Đất hỗn hợp nhóm nhà ở và dịch vụ", density: [2]float64{40, 60}, floorMin: [2]int{3, 5}, floorMax: [2]int{9, 20}, setback: [2]float64{6, 8}, people: [2]float64{250, 400}},
	"OLX":  {name: "Đất ở làng xóm", existing: true, density: [2]float64{30, 45}, floorMin: [2]int{1, 1}, floorMax: [2]int{3, 4}, setback: [2]float64{0, 3}, people: [2]float64{80, 130}},
	"DV":   {name: "Đất dịch vụ", density: [2]float64{40, 60}, floorMin: [2]int{2, 3}, floorMax: [2]int{5, 15}, setback: [2]float64{6, 10}},
	"DL":   {name: "Đất dịch vụ du lịch", density: [2]float64{20, 35}, floorMin: [2]int{1, 2}, floorMax: [2]int{3, 9}, setback: [2]float64{10, 15}},
	"YT":   {name: "Đất y tế", density: [2]float64{30, 40}, floorMin: [2]int{2, 2}, floorMax: [2]int{5, 7}, setback: [2]float64{10, 10}},
	"VH":   {name: "Đất văn hóa", density: [2]float64{25, 40}, floorMin: [2]int{1, 1}, floorMax: [2]int{3, 5}, setback: [2]float64{10, 10}},
	"TDTT": {name: "Đất thể dục thể thao", density: [2]float64{15, 25}, floorMin: [2]int{1, 1}, floorMax: [2]int{2, 3}, setback: [2]float64{10, 10}},
	"GD":   {name: "Đất giáo dục (trường học)", density: [2]float64{30, 40}, floorMin: [2]int{2, 2}, floorMax: [2]int{3, 4}, setback: [2]float64{10, 10}},
	"DTNC": {name: "Đất đào tạo, nghiên cứu", density: [2]float64{30, 40}, floorMin: [2]int{2, 3}, floorMax: [2]int{5, 9}, setback: [2]float64{10, 10}},
	"CQ":   {name: "Đất cơ quan, trụ sở", density: [2]float64{30, 45}, floorMin: [2]int{3, 3}, floorMax: [2]int{5, 9}, setback: [2]float64{10, 10}},
	"CXCC": {name: "Đất cây xanh sử dụng công cộng", density: [2]float64{5, 5}, floorMin: [2]int{1, 1}, floorMax: [2]int{1, 1}, setback: [2]float64{6, 6}},
	"CXHC": {name: "Đất cây xanh sử dụng hạn chế", density: [2]float64{5, 5}, floorMin: [2]int{1, 1}, floorMax: [2]int{1, 1}, setback: [2]float64{6, 6}},
	"CXCD": {name: "Đất cây xanh chuyên dụng (cách ly)"},
	"CN":   {name: "Đất công nghiệp, kho tàng", density: [2]float64{50, 70}, floorMin: [2]int{1, 1}, floorMax: [2]int{3, 5}, setback: [2]float64{6, 10}},
	"GT":   {name: "Đất giao thông"},
	"BDX":  {name: "Đất bãi đỗ xe", density: [2]float64{5, 5}, floorMin: [2]int{1, 1}, floorMax: [2]int{1, 1}, setback: [2]float64{6, 6}},
	"HTKT": {name: "Đất hạ tầng kỹ thuật", density: [2]float64{30, 50}, floorMin: [2]int{1, 1}, floorMax: [2]int{2, 3}, setback: [2]float64{6, 10}},
	"NN":   {name: "Đất nông nghiệp", existing: true},
	"RSX":  {name: "Đất rừng sản xuất", existing: true},
	"RPH":  {name: "Đất rừng phòng hộ", existing: true},
	"RDD":  {name: "Đất rừng đặc dụng", existing: true},
	"MN":   {name: "Đất mặt nước (hồ, ao)", existing: true},
	"SON":  {name: "Đất sông, suối", existing: true},
	"DTTG": {name: "Đất di tích, tôn giáo", existing: true, density: [2]float64{20, 35}, floorMin: [2]int{1, 1}, floorMax: [2]int{1, 2}, setback: [2]float64{6, 10}},
	"AN":   {name: "Đất an ninh", density: [2]float64{30, 40}, floorMin: [2]int{2, 2}, floorMax: [2]int{3, 5}, setback: [2]float64{10, 10}},
	"QP":   {name: "Đất quốc phòng", density: [2]float64{30, 40}, floorMin: [2]int{1, 1}, floorMax: [2]int{2, 3}, setback: [2]float64{10, 10}},
	"KSLH": {name: "Đất khu kiểm soát liên hợp cửa khẩu", density: [2]float64{20, 35}, floorMin: [2]int{1, 1}, floorMax: [2]int{2, 3}, setback: [2]float64{10, 10}},
	"PTQ":  {name: "Đất khu phi thuế quan", density: [2]float64{40, 60}, floorMin: [2]int{1, 2}, floorMax: [2]int{3, 7}, setback: [2]float64{6, 10}},
	"KNQ":  {name: "Đất kho ngoại quan, bãi hàng", density: [2]float64{50, 70}, floorMin: [2]int{1, 1}, floorMax: [2]int{1, 2}, setback: [2]float64{6, 10}},
	"BTX":  {name: "Đất bãi tập kết xe chờ xuất nhập khẩu", density: [2]float64{5, 5}, floorMin: [2]int{1, 1}, floorMax: [2]int{1, 1}, setback: [2]float64{6, 6}},
	"CSD":  {name: "Đất chưa sử dụng", existing: true},
}

// kv is one property, kept in TT16 order.
type kv struct {
	k string
	v any // string, int, float64 or []string
}

// codes are the plan-version codes written on features.
type codes struct{ info, dossier string }

// lotProps returns the TT16 properties of a lot of area m² m2.
func (b *builder) lotProps(l *lot, m2 float64, c codes) []kv {
	cl := classes[l.cls]
	name := l.name
	if name == "" {
		name = cl.name
	}
	stage := l.stage
	if stage == "" {
		stage = "QHDD"
		if cl.existing {
			stage = "HT"
		}
	}
	props := []kv{
		{"maThongTinQH", c.info}, {"maHoSoQH", c.dossier}, {"maDoiTuong", l.id},
		{"tenDoiTuong", name}, {"phanLoai", l.cls}, {"ghiChu", l.note}, {"giaiDoan", stage},
	}
	if cl.density[1] > 0 {
		r := b.rng("lot %s %s", l.id, l.cls)
		d := math.Round(r.between(cl.density[0], cl.density[1]+1)/5) * 5
		d = math.Max(cl.density[0], math.Min(cl.density[1], d))
		lo := cl.floorMin[0] + r.intn(cl.floorMin[1]-cl.floorMin[0]+1)
		hi := cl.floorMax[0] + r.intn(cl.floorMax[1]-cl.floorMax[0]+1)
		if l.density > 0 {
			d = l.density
		}
		if l.storeys > 0 {
			hi = l.storeys
		}
		hi = max(hi, lo)
		far := math.Round(d/100*float64(lo+hi)/2*0.9*10) / 10
		if d <= 5 {
			far = 0.05
		}
		far = math.Max(far, 0.05)
		set := math.Round(r.between(cl.setback[0], cl.setback[1]))
		props = append(props, kv{"matDoXayDung", d}, kv{"tangCaoMin", lo}, kv{"tangCaoMax", hi},
			kv{"heSoSuDungDat", far}, kv{"khoangLui", set})
		if cl.people[1] > 0 {
			per := r.between(cl.people[0], cl.people[1])
			props = append(props, kv{"danSo", int(math.Round(m2/1e4*per/10) * 10)})
		}
	}
	if len(l.parents) > 0 {
		props = append(props, kv{"parents", l.parents})
	}
	return props
}
