package plan

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/gis/report"
	"quyhoach/store"
)

// IssueMeta is what an issued document says beside the answer: its number
// and date, who asked, who answers, and the map extract's scale.
type IssueMeta struct {
	Number    int // 0: a preview, not numbered
	Issued    time.Time
	Requester string
	Address   string
	Purpose   string
	Requested string // date of the request, YYYY-MM-DD
	By        string // who answers; a full name (not a login) is printed for the signature
	Agencies  Agencies
	// Scale of the map extract; 0: the first of InfoScales that shows the site.
	Scale float64
}

// Document number suffixes: planning information (thông tin quy hoạch) and
// conformity reports (kiểm tra sự phù hợp), issued by the board.
const (
	InfoSuffix    = "TTQH-BQL"
	ConformSuffix = "KTPH-BQL"
)

// InfoScales are the scales a map extract is printed at: the plans' own
// 1/500 and 1/2000 first, smaller ones for a large site.
var InfoScales = []float64{500, 2000, 5000, 10000, 25000, 50000}

// extractHeight is the height of the map extract, mm: with the letterhead,
// the request and the legal basis it fills the first page. To stay on that
// page it may shrink as far as the site still shows whole, not below
// extractMin.
const (
	extractHeight = 85.0
	extractMin    = 60.0
)

// NumberText writes a document's number as it is printed: "Số: 12/TTQH-BQL".
func (m IssueMeta) NumberText(suffix string) string {
	if m.Number == 0 {
		return "Số: …/" + suffix + " (bản xem trước)"
	}
	return fmt.Sprintf("Số: %d/%s", m.Number, suffix)
}

func (m IssueMeta) agencies() Agencies {
	if m.Agencies.Approver == "" {
		return store.DefaultAgencies("zoning")
	}
	return m.Agencies
}

func (m IssueMeta) issued() time.Time {
	if m.Issued.IsZero() {
		return time.Now()
	}
	return m.Issued
}

// letterhead is the header of the board's documents.
func (m IssueMeta) letterhead(suffix string) report.Letterhead {
	a := m.agencies()
	return report.Letterhead{Parent: a.Approver, Agency: a.Proposer, Number: m.NumberText(suffix), Place: "Lạng Sơn", Date: m.issued()}
}

// request lists who asked and when.
func (m IssueMeta) request(who string) [][2]string {
	rows := [][2]string{{who + ":", m.Requester}}
	if m.Address != "" {
		rows = append(rows, [2]string{"Địa chỉ:", m.Address})
	}
	if m.Requested != "" {
		rows = append(rows, [2]string{"Ngày đề nghị:", VNDate(m.Requested)})
	}
	if m.Purpose != "" {
		rows = append(rows, [2]string{"Mục đích:", m.Purpose})
	}
	return rows
}

// levelName names a plan level the Vietnamese way.
func levelName(level string) string {
	switch level {
	case "general":
		return "Quy hoạch chung"
	case "zoning":
		return "Quy hoạch phân khu"
	case "detailed":
		return "Quy hoạch chi tiết"
	}
	return "Quy hoạch"
}

// legalBasis is the plan's legal reference: the plan, its approval and the
// version of the data.
func legalBasis(p store.Plan, v store.Version, ma string) []report.Block {
	text := fmt.Sprintf("Đồ án %s (%s, tỷ lệ 1/%d)", p.Name, strings.ToLower(levelName(p.Level)), p.Scale)
	if v.DecisionNo != "" {
		text += " được phê duyệt tại " + DecisionText(v.DecisionNo)
		if v.DecisionDate != "" {
			text += " ngày " + VNDate(v.DecisionDate)
		}
	}
	text += "."
	rows := [][2]string{{"Mã thông tin QH:", cmpOr(ma, "chưa có")},
		{"Dữ liệu:", fmt.Sprintf("đồ án %s, phiên bản %d (cơ sở dữ liệu quy hoạch của Ban)", p.Code, v.Number)}}
	out := []report.Block{report.Paragraph{Text: text}, report.Fields{Rows: rows, Label: 38}}
	if n := illustrative(p); n != "" {
		out = append(out, report.Paragraph{Text: n + ".", Size: report.SmallPt, Warn: true})
	}
	return out
}

// extract is the map extract around geometry gs: centred on them, at scale
// (0: the first of InfoScales that shows them whole).
func extract(s *State, gs []orb.Geometry, scale float64, label string) (report.MapExtract, error) {
	b, ok := boundOf(gs)
	if !ok {
		return report.MapExtract{}, &SiteError{"the site has no geometry to show"}
	}
	if b.Max[0]-b.Min[0] < 20 && b.Max[1]-b.Min[1] < 20 { // a point, or a tiny site: show what is around it
		b = b.Pad(30)
	}
	if scale == 0 {
		if scale, ok = report.Fit(b, report.Width, extractHeight, InfoScales); !ok {
			scale = InfoScales[len(InfoScales)-1]
		}
	} else if _, ok := report.Fit(b, report.Width, extractHeight, []float64{scale}); !ok {
		return report.MapExtract{}, badRequest([]string{"scale"}, "%s 1/%g: the site (%s × %s m) does not fit the map extract; leave the scale out to choose one",
			scale, gis.FormatVN(b.Max[0]-b.Min[0], 0), gis.FormatVN(b.Max[1]-b.Min[1], 0))
	}
	return report.MapExtract{
		Map:    render.Map{Lots: s.Lots(), Lines: s.Lines(), Boundary: s.BoundaryFeatures(), Labels: true},
		Center: b.Center(), Scale: scale, Height: extractHeight, Site: gs, SiteLabel: label,
		MinHeight: max(extractMin, (b.Max[1]-b.Min[1])*1000/scale*1.2+10), // as report.Fit needs
	}, nil
}

func boundOf(gs []orb.Geometry) (orb.Bound, bool) {
	var b orb.Bound
	ok := false
	for _, g := range gs {
		if g == nil {
			continue
		}
		if !ok {
			b, ok = g.Bound(), true
		} else {
			b = b.Union(g.Bound())
		}
	}
	return b, ok
}

// m2 writes an area in m² the Vietnamese way.
func m2(v float64) string { return gis.FormatVN(v, 2) + " m²" }

// siteText describes the site asked about.
func siteText(info *Info) string {
	s := info.Site
	switch s.Kind() {
	case "point":
		return fmt.Sprintf("điểm có tọa độ X = %s m, Y = %s m (VN-2000, kinh tuyến trục 107°15′, múi chiếu 3°)",
			gis.FormatVN(s.Point[1], 3), gis.FormatVN(s.Point[0], 3))
	case "lots":
		return fmt.Sprintf("các lô đất %s, tổng diện tích %s (%s ha)", strings.Join(s.Lots, ", "), m2(info.SiteM2), gis.FormatVN(info.SiteM2/1e4, 2))
	}
	text := fmt.Sprintf("khu đất diện tích %s (%s ha)", m2(info.SiteM2), gis.FormatVN(info.SiteM2/1e4, 2))
	if s.Label != "" {
		text += ", " + s.Label
	}
	return text
}

// stageName names a stage (giaiDoan).
func stageName(st string) string {
	switch landuse.Stage(st) {
	case landuse.Existing:
		return "Hiện trạng"
	case landuse.LongTerm:
		return "Dài hạn"
	}
	if st == "" {
		return ""
	}
	return "Đợt đầu"
}

// dossierStateName names a dossier state the Vietnamese way.
func dossierStateName(st string) string {
	return map[string]string{store.Draft: "dự thảo", store.Submitted: "đã trình", store.Appraising: "đang thẩm định",
		store.Appraised: "đã thẩm định", store.Approved: "đã phê duyệt", store.Published: "đã công bố", store.Withdrawn: "đã rút"}[st]
}

func optNum(v *float64, unit string) string {
	if v == nil {
		return "–"
	}
	return gis.FormatVN(*v, figDecimals(*v)) + unit
}

// cornerTable lists the site's corners, X (N) and Y (E) in metres.
func cornerTable(cs []Corner) report.Table {
	t := report.Table{Columns: []report.Column{{Title: "Điểm", Width: 1}, {Title: "X (m)", Width: 3, Right: true}, {Title: "Y (m)", Width: 3, Right: true}}}
	for i, c := range cs {
		t.Rows = append(t.Rows, report.Row{Cells: []string{strconv.Itoa(i + 1), gis.FormatVN(c.X, 3), gis.FormatVN(c.Y, 3)}})
	}
	return t
}

// InfoSheet lays out the information sheet of an answer: the request, the
// plan's legal reference, a map extract at true scale with the site
// outlined, the site's corners in VN-2000, the lots and their indicators,
// the dossiers under way, the date and room for the signer. Official
// sheets are Vietnamese.
func InfoSheet(info *Info, meta IssueMeta, fonts render.Fonts, cat *landuse.Catalogue) (*report.Document, error) {
	if info.State == nil {
		return nil, &SiteError{"the answer has no plan state to draw"}
	}
	label := "Ranh giới khu đất"
	if info.Site.Kind() == "point" {
		label = "Vị trí điểm hỏi thông tin"
	}
	mx, err := extract(info.State, info.Geometry, meta.Scale, label)
	if err != nil {
		return nil, err
	}
	doc := &report.Document{Title: "Thông tin quy hoạch – " + info.Plan.Name, Created: meta.issued(), Fonts: fonts, Catalogue: cat,
		Footer: fmt.Sprintf("Thông tin quy hoạch %s – đồ án %s, phiên bản %d", strings.TrimPrefix(meta.NumberText(InfoSuffix), "Số: "), info.Plan.Code, info.Version.Number)}
	add := func(bs ...report.Block) { doc.Blocks = append(doc.Blocks, bs...) }
	add(meta.letterhead(InfoSuffix),
		report.Heading{Text: "THÔNG TIN QUY HOẠCH", Size: 15 * 0.3528, Center: true},
		report.Paragraph{Text: "(Cung cấp thông tin quy hoạch cho khu đất theo đề nghị)", Center: true},
		report.Heading{Text: "1. Nội dung đề nghị"},
		report.Fields{Rows: append(meta.request("Người đề nghị"), [2]string{"Vị trí:", siteText(info)}), Label: 38},
		report.Heading{Text: "2. Căn cứ"})
	add(legalBasis(info.Plan, info.Version, info.MaThongTinQH)...)
	add(report.Heading{Text: fmt.Sprintf("3. Sơ đồ vị trí (tỷ lệ 1/%s)", strconv.FormatFloat(mx.Scale, 'f', -1, 64))}, mx)
	add(report.Heading{Text: "4. Tọa độ các điểm góc (hệ VN-2000, kinh tuyến trục 107°15′, múi chiếu 3°)"}, cornerTable(info.CornerTable()))
	add(report.Heading{Text: "5. Thông tin quy hoạch các lô đất"})
	if len(info.Lots) == 0 {
		add(report.Paragraph{Text: "Khu đất không nằm trên lô đất nào của đồ án.", Warn: true})
	} else {
		add(lotsTable(info))
	}
	add(siteSummary(&info.Measure, info.Site.Kind())...)
	add(report.Heading{Text: "6. Hồ sơ điều chỉnh quy hoạch đang giải quyết liên quan đến khu đất"})
	if len(info.Pending) == 0 {
		add(report.Paragraph{Text: "Không có."})
	}
	for _, d := range info.Pending {
		add(report.Paragraph{Text: pendingText(d), Indent: 3})
	}
	add(report.Heading{Text: "7. Ghi chú"},
		report.Paragraph{Text: "Thông tin trên được trích từ đồ án quy hoạch đã được phê duyệt nêu tại mục 2 và có giá trị cho đến khi đồ án được điều chỉnh. " +
			"Diện tích là diện tích phẳng trong hệ tọa độ VN-2000 (EPSG:9215). Chỉ tiêu của từng lô áp dụng cho phần khu đất nằm trong lô đó.", Size: report.SmallPt},
		report.Signature{Recipients: []string{cmpOr(meta.Requester, "Người đề nghị"), "Lưu: VT, QHXD"}, Title: "Người cung cấp thông tin",
			Note: "(Ký, ghi rõ họ tên, đóng dấu)", Name: bodyOr(meta.By, "")})
	return doc, nil
}

// lotsTable lists the lots a site lies on with their indicators.
func lotsTable(info *Info) report.Table {
	point := info.Site.Kind() == "point"
	cols := []report.Column{{Title: "TT", Width: 0.5}, {Title: "Lô", Width: 1.0}, {Title: "Chức năng sử dụng đất", Width: 2.3},
		{Title: "Diện tích lô (m²)", Width: 1.25, Right: true}}
	if point {
		cols = append(cols, report.Column{Title: "Vị trí điểm", Width: 2.2})
	} else {
		cols = append(cols, report.Column{Title: "Trong khu đất (m²)", Width: 1.25, Right: true}, report.Column{Title: "Tỷ lệ khu đất (%)", Width: 0.95, Right: true})
	}
	cols = append(cols, report.Column{Title: "MĐXD (%)", Width: 0.95, Right: true}, report.Column{Title: "Tầng cao", Width: 0.85, Right: true},
		report.Column{Title: "HSSDĐ", Width: 0.95, Right: true}, report.Column{Title: "Khoảng lùi (m)", Width: 1, Right: true},
		report.Column{Title: "Giai đoạn", Width: 1})
	t := report.Table{Columns: cols, Size: 8 * 0.3528}
	for i, l := range info.Lots {
		use := l.Class
		if l.ClassName != "" {
			use = l.ClassName + " (" + l.Class + ")"
		}
		if l.Name != "" && l.Name != l.ClassName {
			use += "; " + l.Name
		}
		if l.Note != "" {
			use += "; ghi chú: " + l.Note
		}
		if l.Invalid != "" {
			use += "; hình học lô không hợp lệ (" + l.Invalid + "), diện tích chưa đo được"
		}
		cells := []string{strconv.Itoa(i + 1), cmpOr(l.Code, l.ID), use, gis.FormatVN(l.LotM2, 2)}
		if point {
			where := "trong lô"
			if l.OnEdge {
				where = "trên ranh giới lô"
			}
			cells = append(cells, where)
		} else {
			cells = append(cells, gis.FormatVN(l.OverlapM2, 2), gis.FormatVN(l.SiteShare, 2))
		}
		cells = append(cells, optNum(l.Density, ""), rangeCell(l.StoreysMin, l.StoreysMax), optNum(l.FAR, ""), optNum(l.Setback, ""), stageName(l.Stage))
		t.Rows = append(t.Rows, report.Row{Cells: cells, Red: l.Invalid != ""})
	}
	return t
}

// rangeCell writes storeys as a table cell: "3–7", "≤ 7", "5", "–".
func rangeCell(lo, hi *float64) string {
	if lo == nil && hi == nil {
		return "–"
	}
	return Range{lo, hi}.Text("")
}

// siteSummary states the site's area, its part outside the plan boundary
// and its part on no lot.
func siteSummary(m *Measure, kind string) []report.Block {
	out := []report.Block{report.Space(2)}
	if kind != "point" {
		out = append(out, report.Paragraph{Text: "Tổng diện tích khu đất: " + m2(m.SiteM2) + "."})
	}
	switch {
	case m.BoundaryError != "":
		out = append(out, report.Paragraph{Text: "Ranh giới quy hoạch của đồ án không hợp lệ (" + m.BoundaryError + "): chưa xác định được phần nằm ngoài ranh giới.", Warn: true})
	case !m.HasBoundary:
		out = append(out, report.Paragraph{Text: "Đồ án chưa có lớp ranh giới quy hoạch (RanhGioiQuyHoach_A).", Size: report.SmallPt})
	case kind == "point" && m.PointOutside:
		out = append(out, report.Paragraph{Text: "Điểm nằm ngoài ranh giới quy hoạch của đồ án.", Warn: true})
	case m.OutsideM2 >= Sliver:
		out = append(out, report.Paragraph{Text: "Phần khu đất nằm ngoài ranh giới quy hoạch: " + m2(m.OutsideM2) + ".", Warn: true})
	}
	if m.UncoveredM2 >= Sliver {
		out = append(out, report.Paragraph{Text: "Phần khu đất trong ranh giới quy hoạch nhưng không thuộc lô đất nào: " + m2(m.UncoveredM2) + ".", Warn: true})
	}
	return out
}

// pendingText describes a pending dossier and what it changes on the site.
func pendingText(d PendingDossier) string {
	kind := "điều chỉnh cục bộ"
	if d.Kind == store.Overall {
		kind = "điều chỉnh tổng thể"
	}
	ops := map[string]string{"add": "thêm", "modify": "điều chỉnh", "delete": "xóa"}
	var ch []string
	for _, c := range d.Changes {
		ch = append(ch, ops[c.Op]+" lô "+cmpOr(c.Code, c.ID))
	}
	text := fmt.Sprintf("– Hồ sơ số %d (%s), %s: %s; trạng thái: %s", d.ID, d.Code, kind, d.Title, dossierStateName(d.State))
	if d.Overdue {
		text += " (quá hạn từ " + VNDate(d.Due) + ")"
	}
	return text + "; nội dung liên quan: " + strings.Join(ch, ", ") + "."
}

// ConformReport lays out the conformity report of a project: the request,
// the plan's legal reference, a map extract with the project's lots
// outlined, each indicator of each project lot against each plan lot it
// covers with its verdict, the flagged parts with their areas, and the
// conclusion. Official reports are Vietnamese.
func ConformReport(c *Conformity, meta IssueMeta, fonts render.Fonts, cat *landuse.Catalogue) (*report.Document, error) {
	var gs []orb.Geometry
	total := 0.0
	for _, r := range c.Results {
		gs = append(gs, r.Lot.Geometry)
		total += r.AreaM2
	}
	mx, err := extract(c.State, gs, meta.Scale, "Ranh giới khu đất dự án")
	if err != nil {
		return nil, err
	}
	doc := &report.Document{Title: "Kiểm tra sự phù hợp với quy hoạch – " + c.Project.Name, Created: meta.issued(), Fonts: fonts, Catalogue: cat,
		Footer: fmt.Sprintf("Kết quả kiểm tra %s – đồ án %s, phiên bản %d", strings.TrimPrefix(meta.NumberText(ConformSuffix), "Số: "), c.Plan.Code, c.Version.Number)}
	add := func(bs ...report.Block) { doc.Blocks = append(doc.Blocks, bs...) }
	project := [][2]string{{"Dự án:", c.Project.Name}}
	if c.Project.Label != "" {
		project = append(project, [2]string{"Hồ sơ dự án:", c.Project.Label})
	}
	project = append(project, [2]string{"Quy mô:", fmt.Sprintf("%d lô, tổng diện tích %s (%s ha)", len(c.Results), m2(total), gis.FormatVN(total/1e4, 2))})
	add(meta.letterhead(ConformSuffix),
		report.Heading{Text: "KẾT QUẢ KIỂM TRA SỰ PHÙ HỢP VỚI QUY HOẠCH", Size: 15 * 0.3528, Center: true},
		report.Paragraph{Text: "(Thẩm định sự phù hợp của dự án đầu tư với quy hoạch được duyệt)", Center: true},
		report.Heading{Text: "1. Nội dung đề nghị"},
		report.Fields{Rows: append(meta.request("Người đề nghị"), project...), Label: 38},
		report.Heading{Text: "2. Căn cứ"})
	add(legalBasis(c.Plan, c.Version, c.MaThongTinQH)...)
	add(report.Heading{Text: fmt.Sprintf("3. Sơ đồ vị trí (tỷ lệ 1/%s)", strconv.FormatFloat(mx.Scale, 'f', -1, 64))}, mx)
	add(report.Heading{Text: "4. Kết quả kiểm tra"},
		report.Paragraph{Text: fmt.Sprintf("Mật độ xây dựng và hệ số sử dụng đất là giá trị tối đa, tầng cao là khoảng tối thiểu – tối đa, khoảng lùi là giá trị tối thiểu; "+
			"mỗi phần khu đất phải đáp ứng chỉ tiêu của lô quy hoạch chứa nó. Phần giao nhỏ hơn %s m² (sai số số hóa) không đánh giá.", gis.FormatVN(c.Tolerance, 2)), Size: report.SmallPt})
	for _, r := range c.Results {
		head := fmt.Sprintf("Lô dự án %s", r.Lot.Code)
		if r.Lot.Name != "" {
			head += " – " + r.Lot.Name
		}
		add(report.Heading{Text: head + ", diện tích " + m2(r.AreaM2)}, checksTable(r))
		for _, f := range r.Flags {
			add(report.Paragraph{Text: "– " + f.Text + ".", Warn: f.NonConform, Size: report.SmallPt, Indent: 3})
		}
		add(report.Paragraph{Text: "Kết luận đối với lô " + r.Lot.Code + ": " + VerdictText(r.Verdict) + ".", Bold: true, Warn: r.Verdict == NonConform})
	}
	conclusion := "Dự án " + strings.ToUpper(VerdictText(c.Verdict)) + " với quy hoạch được duyệt"
	switch c.Verdict {
	case NonConform:
		conclusion += fmt.Sprintf(": %d nội dung không phù hợp nêu tại mục 4", c.NonConform)
	case Unassessed:
		conclusion = "Chưa đủ số liệu để kết luận dự án phù hợp với quy hoạch: bổ sung các chỉ tiêu còn thiếu nêu tại mục 4"
	}
	add(report.Heading{Text: "5. Kết luận"}, report.Paragraph{Text: conclusion + ".", Bold: true, Warn: c.Verdict == NonConform},
		report.Signature{Recipients: []string{cmpOr(meta.Requester, "Chủ đầu tư"), "Lưu: VT, QHXD"}, Title: "Người kiểm tra",
			Note: "(Ký, ghi rõ họ tên, đóng dấu)", Name: bodyOr(meta.By, "")})
	return doc, nil
}

// checksTable lists a project lot's checks: indicator, plan lot, ground
// covered, proposed, allowed, verdict; non-conform rows in red.
func checksTable(r ProjectResult) report.Table {
	t := report.Table{Columns: []report.Column{{Title: "Chỉ tiêu", Width: 1.5}, {Title: "Lô QH", Width: 0.9}, {Title: "DT giao (m²)", Width: 1, Right: true},
		{Title: "Dự án đề xuất", Width: 1.7}, {Title: "Quy hoạch cho phép", Width: 1.7}, {Title: "Kết luận", Width: 1.2}}}
	for _, ch := range r.Checks {
		area := ""
		if ch.PlanLot != "" {
			area = gis.FormatVN(ch.OverlapM2, 2)
		}
		lot := ch.PlanLot
		if lot == "" {
			lot = "toàn lô"
		}
		t.Rows = append(t.Rows, report.Row{Cells: []string{IndicatorName(ch.Indicator), lot, area, ch.ProposedText, ch.AllowedText, VerdictText(ch.Verdict)},
			Red: ch.Verdict == NonConform})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, report.Row{Cells: []string{"Không có lô quy hoạch nào để so sánh", "", "", "", "", VerdictText(Unassessed)}})
	}
	return t
}
