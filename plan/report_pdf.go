package plan

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/gis/report"
	"quyhoach/store"
)

// ReportSuffix is the number suffix of the board's reports (báo cáo).
const ReportSuffix = "BC-BQL"

// stepKindNames name the kinds of step in the report, the Vietnamese way.
var stepKindNames = map[string]string{
	"submit": "Trình hồ sơ", "appraise": "Tiếp nhận thẩm định", "appraised": "Báo cáo thẩm định", "approve": "Phê duyệt",
	"publish": "Công bố", "return": "Trả lại", "withdraw": "Rút hồ sơ",
	store.RebaseStep: "Cập nhật theo phiên bản mới", store.ReappraiseStep: "Thẩm định lại",
}

// stepKindColors colour the kinds of step in the monthly chart.
var stepKindColors = map[string]color.NRGBA{
	"submit": {0x1f, 0x4e, 0x8c, 0xff}, "appraise": {0x4f, 0x9d, 0xd9, 0xff}, "appraised": {0x2a, 0x9d, 0x8f, 0xff},
	"approve": {0x2e, 0x7d, 0x32, 0xff}, "publish": {0x8b, 0xc3, 0x4a, 0xff}, "return": {0xe6, 0x7e, 0x22, 0xff},
	"withdraw": {0x9e, 0x9e, 0x9e, 0xff}, store.RebaseStep: {0x8e, 0x44, 0xad, 0xff}, store.ReappraiseStep: {0xc0, 0x39, 0x2b, 0xff},
}

// KindName names a dossier's kind the Vietnamese way.
func KindName(kind string) string {
	switch kind {
	case store.Local:
		return "Điều chỉnh cục bộ"
	case store.Overall:
		return "Điều chỉnh tổng thể"
	}
	return kind
}

// DayText writes a date YYYY-MM-DD as dd/mm/yyyy, the way tables and
// forms show days (a decision is cited with VNDate); other text as it is.
func DayText(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}

// docText writes a step's document: "số 45/TTr-BQL ngày 21/09/2026".
func docText(e ReportEntry) string {
	var parts []string
	if no := e.Step.DocNo; no != "" {
		if r := []rune(no)[0]; r >= '0' && r <= '9' { // "45/TTr-BQL", not "Tờ trình số 45/TTr-BQL"
			no = "số " + no
		}
		parts = append(parts, no)
	}
	if e.Date != "" {
		parts = append(parts, "ngày "+DayText(e.Date))
	}
	return strings.Join(parts, " ")
}

// dossierCell names a dossier in a table: number, title and code.
func dossierCell(d store.Dossier) string {
	return fmt.Sprintf("Hồ sơ %d: %s (%s)", d.ID, gis.OneLine(d.Title), d.Code)
}

// Document lays the report out as an A4 document in the house style:
// letterhead, the period, a summary, a table per section, the change per
// land-use class with its chart, the steps per month with theirs, the
// dossiers still open, the signature.
func (r *Report) Document(fonts render.Fonts, cat *landuse.Catalogue) *report.Document {
	period := fmt.Sprintf("từ ngày %s đến ngày %s", DayText(r.Period.From), DayText(r.Period.To))
	doc := &report.Document{Title: "Báo cáo điều chỉnh quy hoạch " + period, Created: r.Made, Fonts: fonts, Catalogue: cat,
		Footer: fmt.Sprintf("Báo cáo tình hình điều chỉnh quy hoạch %s – %s · lập ngày %s", DayText(r.Period.From), DayText(r.Period.To), r.Made.Format("02/01/2006"))}
	received, appraised, approved, published, returned, open, overdue := r.Counts()
	add := func(b ...report.Block) { doc.Blocks = append(doc.Blocks, b...) }
	add(report.Letterhead{Parent: r.Agencies.Approver, Agency: r.Agencies.Proposer, Number: "Số: …/" + ReportSuffix, Place: "Lạng Sơn", Date: r.Made},
		report.Heading{Text: "BÁO CÁO", Size: 14 * 0.3528, Center: true},
		report.Paragraph{Text: "Tình hình tiếp nhận, thẩm định, phê duyệt và công bố hồ sơ điều chỉnh quy hoạch trong Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn " + period,
			Bold: true, Center: true},
		report.Space(3),
		report.Paragraph{Text: fmt.Sprintf("Trong kỳ báo cáo, Ban đã tiếp nhận %d hồ sơ điều chỉnh quy hoạch; %d hồ sơ có báo cáo thẩm định; %d hồ sơ được phê duyệt; %d hồ sơ được công bố; %d hồ sơ bị trả lại để hoàn thiện. Đến hết kỳ báo cáo còn %d hồ sơ đang giải quyết, trong đó %d hồ sơ quá hạn. Tổng diện tích đất có chức năng thay đổi theo các quyết định phê duyệt trong kỳ: %s ha.",
			received, appraised, approved, published, returned, open, overdue, gis.FormatVN(r.ChangedHa(), 2))},
	)
	section := func(n int, title string, rows []ReportEntry, cols []report.Column, cells func(ReportEntry) []string) {
		add(report.Heading{Text: fmt.Sprintf("%s. %s (%d hồ sơ)", roman(n), title, len(rows))})
		if len(rows) == 0 {
			add(report.Paragraph{Text: "Không có hồ sơ trong kỳ.", Size: report.SmallPt})
			return
		}
		t := report.Table{Columns: append([]report.Column{{Title: "STT", Width: 0.6}, {Title: "Đồ án", Width: 2.4}, {Title: "Hồ sơ", Width: 3.4}}, cols...)}
		for i, e := range rows {
			t.Rows = append(t.Rows, report.Row{Cells: append([]string{strconv.Itoa(i + 1), e.PlanName, dossierCell(e.Dossier)}, cells(e)...), Red: e.Overdue > 0})
		}
		add(t)
	}
	section(1, "Hồ sơ tiếp nhận (theo ngày tờ trình)", r.Received,
		[]report.Column{{Title: "Loại", Width: 1.5}, {Title: "Tờ trình", Width: 2}, {Title: "Tình trạng cuối kỳ", Width: 1.6}},
		func(e ReportEntry) []string {
			return []string{KindName(e.Dossier.Kind), docText(e), dossierStateName(e.State)}
		})
	section(2, "Hồ sơ đã thẩm định (theo ngày báo cáo thẩm định)", r.Appraised,
		[]report.Column{{Title: "Báo cáo thẩm định", Width: 2.2}, {Title: "Cơ quan thẩm định", Width: 2.3}},
		func(e ReportEntry) []string { return []string{docText(e), e.Agency} })
	section(3, "Hồ sơ được phê duyệt (theo ngày quyết định)", r.Approved,
		[]report.Column{{Title: "Quyết định", Width: 2.2}, {Title: "Cơ quan phê duyệt", Width: 1.6}, {Title: "Phiên bản", Width: 0.9, Right: true}, {Title: "Diện tích (ha)", Width: 1.1, Right: true}},
		func(e ReportEntry) []string {
			return []string{DecisionText(e.Step.DocNo) + " ngày " + DayText(e.Date), e.Agency, strconv.Itoa(e.Version), gis.FormatVN(e.AdjustedHa, 2)}
		})
	section(4, "Hồ sơ đã công bố", r.Published,
		[]report.Column{{Title: "Văn bản, ngày công bố", Width: 2.2}, {Title: "Hình thức, địa điểm", Width: 2.3}},
		func(e ReportEntry) []string { return []string{docText(e), gis.OneLine(e.Step.Note)} })
	section(5, "Hồ sơ trả lại để hoàn thiện", r.Returned,
		[]report.Column{{Title: "Ngày", Width: 1.3}, {Title: "Lý do", Width: 3.2}},
		func(e ReportEntry) []string { return []string{DayText(e.Date), gis.OneLine(e.Step.Note)} })
	r.classBlocks(add, cat)
	r.monthBlocks(add)
	section(8, "Hồ sơ đang giải quyết đến hết kỳ báo cáo", r.Open,
		[]report.Column{{Title: "Tình trạng", Width: 1.4}, {Title: "Bước gần nhất", Width: 1.9}, {Title: "Hạn", Width: 1.45}, {Title: "Quá hạn (ngày)", Width: 0.9, Right: true}},
		func(e ReportEntry) []string {
			over := ""
			if e.Overdue > 0 {
				over = strconv.Itoa(e.Overdue)
			}
			last := ""
			if e.Date != "" {
				last = stepKindNames[store.ActionOf(e.Step)] + " " + DayText(e.Date)
			}
			return []string{dossierStateName(e.State), last, DayText(e.Due), over}
		})
	add(report.Signature{Recipients: []string{r.Agencies.Approver + " (b/c)", r.Agencies.Appraiser, "Lưu: VT, QH"},
		Title: "TRƯỞNG BAN", Note: "(Ký, ghi rõ họ tên, đóng dấu)"})
	return doc
}

// ChangedHa is the area of the lots the approvals of the period touched.
func (r *Report) ChangedHa() float64 {
	s := 0.0
	for _, e := range r.Approved {
		s += e.AdjustedHa
	}
	return s
}

// classBlocks add section 6: the change per land-use class, its table and chart.
func (r *Report) classBlocks(add func(...report.Block), cat *landuse.Catalogue) {
	add(report.Heading{Text: roman(6) + ". Biến động diện tích theo chức năng sử dụng đất do các quyết định phê duyệt trong kỳ"})
	if len(r.Classes) == 0 {
		add(report.Paragraph{Text: "Không có thay đổi diện tích theo chức năng sử dụng đất trong kỳ.", Size: report.SmallPt})
		return
	}
	t := report.Table{Columns: []report.Column{{Title: "STT", Width: 0.6}, {Title: "Loại đất", Width: 4.4}, {Title: "Ký hiệu", Width: 1.2}, {Title: "Tăng (+) / giảm (-) (ha)", Width: 2, Right: true}}}
	var bars []report.Bar
	for i, c := range r.Classes {
		t.Rows = append(t.Rows, report.Row{Cells: []string{strconv.Itoa(i + 1), c.Name, c.Code, gis.Signed(c.Ha, 2, "vi")}})
		b := report.Bar{Label: c.Code + " – " + c.Name, Value: c.Ha}
		if cl, ok := cat.Lookup(c.Code); ok {
			b.Color = cl.RGB
		}
		bars = append(bars, b)
	}
	t.Rows = append(t.Rows, report.Row{Cells: []string{"", "Cộng", "", gis.Signed(r.TotalHa, 2, "vi")}, Bold: true, Shade: true})
	add(t, report.BarChart{Title: "Biểu đồ diện tích điều chỉnh theo chức năng sử dụng đất (ha)", Bars: bars, Unit: "ha", Decimals: 2})
}

// monthBlocks add section 7: the steps recorded per month by kind.
func (r *Report) monthBlocks(add func(...report.Block)) {
	add(report.Heading{Text: roman(7) + ". Các bước giải quyết hồ sơ theo tháng"})
	var kinds []string
	for _, k := range StepKinds {
		for _, m := range r.Months {
			if m.Counts[k] > 0 {
				kinds = append(kinds, k)
				break
			}
		}
	}
	if len(kinds) == 0 {
		add(report.Paragraph{Text: "Không có bước giải quyết nào trong kỳ.", Size: report.SmallPt})
		return
	}
	ch := report.ColumnChart{Title: "Biểu đồ số bước giải quyết hồ sơ theo tháng"}
	cols := []report.Column{{Title: "Tháng", Width: 1.2}}
	for _, k := range kinds {
		ch.Series = append(ch.Series, report.Series{Name: stepKindNames[k], Color: stepKindColors[k]})
		cols = append(cols, report.Column{Title: stepKindNames[k], Width: 1, Right: true})
	}
	t := report.Table{Columns: cols}
	for _, m := range r.Months {
		month, _ := time.Parse("2006-01", m.Month)
		ch.Categories = append(ch.Categories, month.Format("01/06"))
		vals := make([]float64, len(kinds))
		cells := []string{month.Format("01/2006")}
		for i, k := range kinds {
			vals[i] = float64(m.Counts[k])
			cells = append(cells, strconv.Itoa(m.Counts[k]))
		}
		ch.Values = append(ch.Values, vals)
		t.Rows = append(t.Rows, report.Row{Cells: cells})
	}
	add(ch, t)
}

// roman writes 1–10 in Roman numerals, as sections are numbered.
func roman(n int) string {
	return []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}[n]
}
