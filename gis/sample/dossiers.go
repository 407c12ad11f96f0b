package sample

import (
	"fmt"
	"strings"
	"time"
)

// The sample dossiers: the central axis's approved local adjustment with its
// whole history (it made version 2), a local adjustment of Chi Ma under
// appraisal and past its appraisal deadline, and an overall adjustment of
// Đồng Bành still a draft. Numbers, dates and documents are illustrative.

// Who takes the steps.
const (
	byBoard     = "Ban Quản lý Khu kinh tế"
	byAppraiser = "Sở Xây dựng"
	byProvince  = "UBND tỉnh Lạng Sơn"
)

// dossierNote is added to the note of a plan with sample dossiers.
const dossierNote = " Its dossiers (titles, numbers, dates, steps and attached documents) are illustrative too."

// viDate writes a YYYY-MM-DD date the Vietnamese way: 06/9/2024.
func viDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("sample: date %q: %v", s, err))
	}
	return fmt.Sprintf("%02d/%d/%d", t.Day(), int(t.Month()), t.Year())
}

// number returns the number part of a document reference:
// "Quyết định số 1586/QĐ-UBND" → "1586/QĐ-UBND".
func number(ref string) string {
	_, n, ok := strings.Cut(ref, " số ")
	if !ok {
		panic(fmt.Sprintf("sample: reference %q has no number", ref))
	}
	return n
}

// lotOf returns the lot with code id, which must be of class cls: the sample
// dossiers name lots of the generated layout, so a change of the layout that
// moves them fails here rather than producing a dossier about other lots.
func lotOf(lots []*lot, id, cls string) *lot {
	for _, l := range lots {
		if l.id == id {
			if l.cls != cls {
				panic(fmt.Sprintf("sample: lot %s is %s, want %s: the layout changed, pick other lots", id, l.cls, cls))
			}
			return l
		}
	}
	panic(fmt.Sprintf("sample: no lot %s: the layout changed, pick other lots", id))
}

// proposed returns a copy of l as a dossier proposes it.
func proposed(l *lot, code, cls, name, note string) *lot {
	n := *l
	n.cls, n.name, n.note, n.stage, n.tag, n.dossier = cls, name, note, "", "", code
	return &n
}

// replaced returns lots with each lot in repl replaced by its list.
func replaced(lots []*lot, repl map[*lot][]*lot) []*lot {
	var out []*lot
	for _, l := range lots {
		if r, ok := repl[l]; ok {
			out = append(out, r...)
		} else {
			out = append(out, l)
		}
	}
	return out
}

// trucTrungTamDossier gives version 2 of the central axis the dossier that
// made it, from the cover letter to the publication.
func trucTrungTamDossier(lay *layout) {
	v1, v2 := lay.plan.Versions[0], &lay.plan.Versions[1]
	d := &Dossier{
		Title: "Điều chỉnh cục bộ Quy hoạch phân khu Trục trung tâm – khu vực Thụy Hùng và Yên Trạch",
		Kind:  "local",
		Reason: "Điều chỉnh cục bộ hai khu vực, không thay đổi tính chất, chức năng và quy mô của đồ án. " +
			"Khu vực Thụy Hùng (khoảng 1 ha): chuyển 0,40 ha đất nông nghiệp sang đất di tích, tôn giáo để mở rộng khuôn viên chùa; " +
			"bổ sung 0,07 ha đất cây xanh công cộng và công nhận 0,21 ha đất ở hiện trạng. " +
			"Khu vực Yên Trạch (khoảng 14,12 ha): chuyển đất công cộng, thương mại và đất dự trữ sang đất hạ tầng kỹ thuật 3,65 ha và đất ở mới 0,54 ha; " +
			"chuyển đất nông nghiệp, đất rừng và đất ở sang đất hạ tầng kỹ thuật 4,9 ha; bố trí 2,07 ha đất an ninh.",
		Code: v2.MaHoSoQH,
	}
	const (
		letter    = "Tờ trình số 45/TTr-BQL"
		letterAt  = "2024-07-15"
		report    = "Báo cáo thẩm định số 2150/BC-SXD"
		reportAt  = "2024-08-09"
		notice    = "Thông báo số 318/TB-BQL"
		publishAt = "2024-09-13"
	)
	d.Steps = []Step{
		{Action: "submit", At: letterAt, Doc: letter, Date: letterAt, By: byBoard},
		{Action: "appraise", At: "2024-07-22", By: byAppraiser, Note: "Tiếp nhận hồ sơ, tổ chức thẩm định"},
		{Action: "appraised", At: reportAt, Doc: report, Date: reportAt, By: byAppraiser},
		{Action: "approve", At: v2.DecisionDate, Doc: v2.Decision, Date: v2.DecisionDate, By: byProvince},
		{Action: "publish", At: publishAt, Doc: notice, Date: publishAt, By: byBoard,
			Note: "Công bố công khai tại trụ sở UBND các xã Thụy Hùng, Yên Trạch và trên cổng thông tin điện tử của tỉnh"},
	}
	lay.attach(d, document{kind: "to_trinh", name: "to-trinh-45-TTr-BQL-2024.pdf", title: "TỜ TRÌNH số " + number(letter),
		lines: []string{
			"Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn. Lạng Sơn, ngày " + viDate(letterAt) + ".",
			"Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn; Sở Xây dựng.",
			"V/v thẩm định, phê duyệt " + d.Title + ".",
			"",
			"Khu vực Thụy Hùng (khoảng 1 ha): 0,40 ha đất nông nghiệp → đất di tích, tôn giáo; +0,07 ha cây xanh công cộng; +0,21 ha đất ở hiện trạng.",
			"Khu vực Yên Trạch (khoảng 14,12 ha): hạ tầng kỹ thuật 3,65 ha + 4,9 ha, đất ở mới 0,54 ha, đất an ninh 2,07 ha.",
			"Kèm theo: thuyết minh, bản vẽ, dự thảo quyết định.",
		}})
	lay.attach(d, document{kind: "thuyet_minh", name: "thuyet-minh-dieu-chinh-cuc-bo-2024.pdf", title: "THUYẾT MINH TÓM TẮT",
		lines: []string{
			d.Title + ", tỷ lệ 1/2000; đồ án được phê duyệt tại " + v1.Decision + " ngày " + viDate(v1.DecisionDate) + ".",
			"# 1. Khu vực Thụy Hùng (khoảng 1 ha)",
			"0,40 ha đất nông nghiệp → đất di tích, tôn giáo (mở rộng khuôn viên chùa); tách lô đất dịch vụ: 0,07 ha cây xanh công cộng và 0,21 ha đất ở hiện trạng.",
			"# 2. Khu vực Yên Trạch (khoảng 14,12 ha)",
			"Đất công cộng, thương mại, dự trữ → hạ tầng kỹ thuật 3,65 ha và đất ở mới 0,54 ha; đất nông nghiệp, rừng, đất ở → hạ tầng kỹ thuật 4,9 ha; 2,07 ha đất an ninh.",
			"# 3. Tính chất, chức năng, quy mô",
			"Không thay đổi; ranh giới và diện tích đồ án giữ nguyên.",
		}})
	lay.attach(d, document{kind: "quyet_dinh", name: "quyet-dinh-1586-QD-UBND-2024.pdf", title: "QUYẾT ĐỊNH số " + number(v2.Decision),
		lines: []string{
			"Ủy ban nhân dân tỉnh Lạng Sơn. Lạng Sơn, ngày " + viDate(v2.DecisionDate) + ".",
			"Về việc phê duyệt " + d.Title + ".",
			"Xét " + letter + " ngày " + viDate(letterAt) + " của Ban Quản lý Khu kinh tế và " + report + " ngày " + viDate(reportAt) + " của Sở Xây dựng.",
			"Điều 1. Phê duyệt điều chỉnh cục bộ khu vực Thụy Hùng (khoảng 1 ha) và Yên Trạch (khoảng 14,12 ha); mã hồ sơ " + d.Code + ", mã thông tin quy hoạch " + v2.MaThongTinQH + ".",
			"Điều 2. Ban Quản lý Khu kinh tế công bố công khai trong 15 ngày kể từ ngày ký.",
			"Điều 3. Quyết định có hiệu lực kể từ ngày ký.",
		}})
	v2.Dossier = d
	lay.plan.Note += dossierNote
}

// chiMaDossier adds an open local adjustment of Chi Ma: more vehicle holding
// yards and parking, submitted and under appraisal since 28/9/2026, so its
// 20-day appraisal deadline has passed by late November 2026.
func chiMaDossier(lay *layout) {
	const code = "HS2026-000412"
	const (
		letter   = "Tờ trình số 412/TTr-BQL"
		letterAt = "2026-09-21"
	)
	base := lay.versions[len(lay.versions)-1]
	why := "Điều chỉnh cục bộ (đề xuất, hồ sơ " + code + "): "
	dv, cx, knq := lotOf(base, "DV-08", "DV"), lotOf(base, "CXCC-02", "CXCC"), lotOf(base, "KNQ-04", "KNQ")
	ra, rb := lay.b.split(knq, 0.36)
	repl := map[*lot][]*lot{
		dv: {proposed(dv, code, "BTX", "Bãi tập kết xe chờ xuất khẩu", why+"đất dịch vụ → đất bãi tập kết xe chờ xuất nhập khẩu")},
		cx: {proposed(cx, code, "BDX", "Bãi đỗ xe", why+"đất cây xanh công cộng → đất bãi đỗ xe")},
		knq: {
			{id: knq.id + "a", cls: "KNQ", ring: ra, name: "Kho ngoại quan", note: why + "tách từ lô " + knq.id, parents: []string{knq.id}, dossier: code},
			{id: knq.id + "b", cls: "BTX", ring: rb, name: "Bãi tập kết xe chờ nhập khẩu", note: why + "tách từ lô " + knq.id + ", đất kho ngoại quan → đất bãi tập kết xe", parents: []string{knq.id}, dossier: code},
		},
	}
	d := Dossier{
		Title: "Điều chỉnh cục bộ Quy hoạch chi tiết Khu cửa khẩu Chi Ma – bổ sung bãi tập kết xe chờ xuất nhập khẩu",
		Kind:  "local",
		Reason: "Lưu lượng xe hàng qua cửa khẩu Chi Ma tăng, các bãi tập kết xe chờ xuất nhập khẩu hiện có không đáp ứng. " +
			"Chuyển lô đất dịch vụ " + dv.id + " sang bãi tập kết xe chờ xuất khẩu, lô cây xanh " + cx.id + " sang bãi đỗ xe; " +
			"chia lô kho ngoại quan " + knq.id + " thành lô kho ngoại quan " + knq.id + "a và bãi tập kết xe chờ nhập khẩu " + knq.id + "b. " +
			"Không thay đổi tính chất, chức năng và quy mô của đồ án.",
		Code: code,
		Steps: []Step{
			{Action: "submit", At: letterAt, Doc: letter, Date: letterAt, By: byBoard},
			{Action: "appraise", At: "2026-09-28", By: byAppraiser, Note: "Tiếp nhận hồ sơ, tổ chức thẩm định (thời hạn 20 ngày)"},
		},
	}
	lay.attach(&d, document{kind: "to_trinh", name: "to-trinh-412-TTr-BQL-2026.pdf", title: "TỜ TRÌNH số " + number(letter),
		lines: []string{
			"Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn. Lạng Sơn, ngày " + viDate(letterAt) + ".",
			"Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn; Sở Xây dựng.",
			"V/v thẩm định, phê duyệt " + d.Title + ".",
			"",
			d.Reason,
			"Mã hồ sơ " + code + ". Kèm theo: thuyết minh, bản vẽ, dự thảo quyết định.",
		}})
	lay.drafts = append(lay.drafts, draft{d, replaced(base, repl)})
	lay.plan.Note += dossierNote
}

// dongBanhDossier adds a draft overall adjustment of Đồng Bành: industrial
// lots re-parcelled (two merged, one split) and the indicators of a few
// raised.
func dongBanhDossier(lay *layout) {
	const code = "HS2026-000587"
	b := lay.b
	base := lay.versions[len(lay.versions)-1]
	why := "Điều chỉnh tổng thể (dự thảo, hồ sơ " + code + "): "
	a, z, big := lotOf(base, "CN-07", "CN"), lotOf(base, "CN-08", "CN"), lotOf(base, "CN-49", "CN")
	merged := &lot{id: b.code("CN"), cls: "CN", ring: b.merge(a, z), name: "Nhà máy, xưởng sản xuất",
		note: why + "gộp lô " + a.id + " và " + z.id, parents: []string{a.id, z.id}, dossier: code}
	ra, rb := b.split(big, 2.5)
	repl := map[*lot][]*lot{
		a: {merged}, z: {},
		big: {
			{id: big.id + "a", cls: "CN", ring: ra, name: "Nhà máy, xưởng sản xuất", note: why + "tách từ lô " + big.id, parents: []string{big.id}, dossier: code},
			{id: big.id + "b", cls: "CN", ring: rb, name: "Công nghiệp, kho tàng", note: why + "tách từ lô " + big.id, parents: []string{big.id}, dossier: code},
		},
	}
	// Higher density and storeys on the front lots of one section.
	var raised []string
	for _, id := range []string{"CN-20", "CN-21", "CN-50", "CN-51"} {
		l := lotOf(base, id, "CN")
		n := proposed(l, code, l.cls, l.name, "")
		n.density, n.storeys = 70, 5
		was, now := b.lotProps(l, 0, codes{}), b.lotProps(n, 0, codes{})
		var what []string
		for _, k := range []struct{ key, text, unit string }{{"matDoXayDung", "mật độ xây dựng", "%"}, {"tangCaoMax", "tầng cao tối đa", " tầng"}} {
			if p, q := prop(was, k.key), prop(now, k.key); p != q {
				what = append(what, fmt.Sprintf("%s %v%s → %v%s", k.text, p, k.unit, q, k.unit))
			}
		}
		if len(what) == 0 {
			panic(fmt.Sprintf("sample: lot %s already has density 70%% and 5 storeys: pick another", id))
		}
		n.note = why + strings.Join(what, ", ")
		repl[l] = []*lot{n}
		raised = append(raised, id)
	}
	d := Dossier{
		Title: "Điều chỉnh tổng thể Quy hoạch phân khu Khu công nghiệp Đồng Bành – tổ chức lại các lô đất công nghiệp",
		Kind:  "overall",
		Reason: "Tổ chức lại các lô đất công nghiệp theo nhu cầu của các nhà đầu tư thứ cấp: gộp lô " + a.id + " và " + z.id + " thành lô " + merged.id +
			", chia lô " + big.id + " thành hai lô; áp dụng mật độ xây dựng 70% và tầng cao tối đa 5 tầng cho các lô " + strings.Join(raised, ", ") +
			". Lập theo Luật Quy hoạch đô thị và nông thôn số 47/2024/QH15.",
		Code:  code,
		Steps: []Step{},
	}
	lay.drafts = append(lay.drafts, draft{d, replaced(base, repl)})
	lay.plan.Note += dossierNote
}

// prop returns the value of a property, nil when absent.
func prop(props []kv, key string) any {
	for _, p := range props {
		if p.k == key {
			return p.v
		}
	}
	return nil
}
