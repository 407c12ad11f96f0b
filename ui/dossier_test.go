package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/plan"
	"quyhoach/store"
)

// today is the window's clock in these tests (the sample dossier under
// appraisal was due on 18/10/2026).
var today = time.Date(2026, 11, 30, 10, 0, 0, 0, time.Local)

// dossierWindow is the window over the sample store, its clock at today.
func dossierWindow(t *testing.T) (*Window, *store.Store) {
	t.Helper()
	st := sampleStore(t)
	w := newWindow(t, st)
	w.dossiers.now = func() time.Time { return today }
	w.dossiers.user = "tester"
	return w, st
}

// openPage opens a dossier's page and returns it, loaded.
func openPage(t *testing.T, w *Window, id int64) *dossierPage {
	t.Helper()
	w.OpenDossier(id)
	p := w.dossiers.page
	if p == nil || p.pg == nil || p.pg.Dossier.ID != id {
		t.Fatalf("page of dossier %d not shown: %q / %q", id, w.Status.Text.Text, p.Message.Text)
	}
	if w.Center.Selected() != w.dossiers.pageTab {
		t.Fatal("the page is not in front")
	}
	return p
}

// step fills a step's form and records it: fields by name, then Continue
// and the step's button, as an officer does.
func step(t *testing.T, w *Window, action string, fields map[string]string) *stepForm {
	t.Helper()
	f := w.ShowStep(action)
	if f == nil {
		t.Fatalf("no form for %s", action)
	}
	fill(f, fields)
	if !f.Valid() {
		t.Fatalf("%s: form refused %v: %s", action, fields, f.Message.Text)
	}
	test.Tap(f.Next)
	if !f.Confirming() {
		t.Fatalf("%s: no confirmation", action)
	}
	test.Tap(f.Do)
	return f
}

func fill(f *stepForm, fields map[string]string) {
	for k, v := range fields {
		switch k {
		case "doc":
			f.DocNo.SetText(v)
		case "date":
			f.DocDate.SetText(v)
		case "agency":
			f.Agency.SetText(v)
		case "signer":
			f.Signer.SetText(v)
		case "ma":
			f.Ma.SetText(v)
		case "note":
			f.Note.SetText(v)
		}
	}
}

// TestStepFormsDriveTheStore takes the draft sample dossier through every
// step in the window's forms; each shows in the timeline, sealed, and the
// store holds what was typed.
func TestStepFormsDriveTheStore(t *testing.T) {
	w, st := dossierWindow(t)
	ctx := context.Background()
	p := openPage(t, w, 3)
	if p.pg.Dossier.State != store.Draft || len(p.Actions.Objects) != 2 || p.Buttons["submit"].Disabled() {
		t.Fatalf("draft: %s, %d actions", p.pg.Dossier.State, len(p.Actions.Objects))
	}
	if p.Edit.Disabled() || !strings.Contains(p.Summary.Text, "thêm") {
		t.Fatalf("draft page: edit %v, summary %q", p.Edit.Disabled(), p.Summary.Text)
	}
	steps := []struct {
		action string
		fields map[string]string
		state  string
	}{
		{"submit", map[string]string{"doc": "88/TTr-BQL", "date": "20/11/2026"}, store.Submitted},
		{"appraise", map[string]string{"date": "22/11/2026", "note": "Tiếp nhận"}, store.Appraising},
		{"appraised", map[string]string{"doc": "301/BC-SXD", "date": "27/11/2026"}, store.Appraised},
		{"approve", map[string]string{"doc": "2468/QĐ-UBND", "date": "29/11/2026", "signer": "Nguyễn Văn Bình"}, store.Approved},
		{"publish", map[string]string{"doc": "12/TB-BQL", "date": "30/11/2026", "note": "Cổng thông tin điện tử tỉnh"}, store.Published},
	}
	for i, s := range steps {
		f := step(t, w, s.action, s.fields)
		if f.Open() || f.Message.Text != "" {
			t.Fatalf("%s: form still open: %q", s.action, f.Message.Text)
		}
		if p.pg.Dossier.State != s.state || p.Badge.Label.Text != stateName(s.state) {
			t.Fatalf("after %s: page shows %s (%q)", s.action, p.pg.Dossier.State, p.Badge.Label.Text)
		}
		row := i + 1
		if got := p.TimelineCell(row, 0); !strings.Contains(got, actionName(s.action)) {
			t.Errorf("timeline row %d step %q", row, got)
		}
		if doc := s.fields["doc"]; doc != "" && !strings.Contains(p.TimelineCell(row, 1), doc) {
			t.Errorf("timeline row %d document %q, want %s", row, p.TimelineCell(row, 1), doc)
		}
		if !strings.Contains(p.TimelineCell(row, 1), s.fields["date"]) || !strings.HasPrefix(p.TimelineCell(row, 5), "✓") {
			t.Errorf("timeline row %d: %q %q", row, p.TimelineCell(row, 1), p.TimelineCell(row, 5))
		}
		if !strings.Contains(p.TimelineCell(row, 4), "tester") {
			t.Errorf("timeline row %d recorded %q", row, p.TimelineCell(row, 4))
		}
	}
	d, err := st.Dossier(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"draft>submitted 88/TTr-BQL 2026-11-20 " + store.BoardAgency, "submitted>appraising  2026-11-22 " + store.DepartmentAgency,
		"appraising>appraised 301/BC-SXD 2026-11-27 " + store.DepartmentAgency, "appraised>approved 2468/QĐ-UBND 2026-11-29 " + store.ProvinceAgency,
		"approved>published 12/TB-BQL 2026-11-30 " + store.BoardAgency}
	for i, tr := range d.Transitions {
		if got := tr.From + ">" + tr.To + " " + tr.DocNo + " " + tr.DocDate + " " + tr.Agency; got != want[i] || tr.By != "tester" {
			t.Errorf("transition %d: %q by %q, want %q", i, got, tr.By, want[i])
		}
	}
	if d.Transitions[3].Signer != "Nguyễn Văn Bình" || d.Approved != 2 || d.Transitions[4].Note != "Cổng thông tin điện tử tỉnh" {
		t.Errorf("approval %+v, version %d", d.Transitions[3], d.Approved)
	}
	vs, _ := st.Versions(ctx, "dong-banh")
	if v := vs[len(vs)-1]; v.Number != 2 || v.DecisionNo != "2468/QĐ-UBND" || store.CheckMaThongTinQH(v.MaThongTinQH, "zoning", store.Overall, "2026-11-29") != nil {
		t.Errorf("version made %+v", v)
	}
	if len(p.pg.Actions) != 0 {
		t.Errorf("a published dossier offers %d actions", len(p.pg.Actions))
	}
	// the browser names the new state
	if got := w.Browser.Text("dong-banh#3"); !strings.Contains(got, stateName(store.Published)) {
		t.Errorf("browser node %q", got)
	}
	if v, _ := st.Verify(ctx, store.VerifyOptions{}); len(v.Findings) > 0 {
		t.Fatalf("verify: %v", v.Findings)
	}
}

// TestFormsRefuseBadInput: each form says why it cannot go on while it is
// typed, and a step the store refuses shows the store's reason, in the
// chosen language, leaving the dossier as it was.
func TestFormsRefuseBadInput(t *testing.T) {
	w, st := dossierWindow(t)
	ctx := context.Background()
	openPage(t, w, 3)
	f := w.ShowStep("submit")
	f.DocNo.SetText("")
	if f.Valid() || f.Message.Text != "cần số tờ trình" || f.DocNo.Validate() == nil {
		t.Fatalf("no cover letter: valid %v, %q", f.Valid(), f.Message.Text)
	}
	fill(f, map[string]string{"doc": "1/TTr", "date": "31/02/2026"})
	if f.Valid() || !strings.Contains(f.Message.Text, "31/02/2026: cần dạng dd/mm/yyyy") {
		t.Fatalf("bad date: %q", f.Message.Text)
	}
	fill(f, map[string]string{"date": "2026-11-20", "doc": "1/TTr\n2"})
	if f.Valid() || f.Message.Text != "số văn bản phải nằm trên một dòng" {
		t.Fatalf("two lines: %q", f.Message.Text)
	}
	fill(f, map[string]string{"doc": "1/TTr"})
	if !f.Valid() {
		t.Fatalf("a good submission refused: %q", f.Message.Text)
	}
	f.Close()

	// a return and a withdrawal need their reason
	openPage(t, w, 2)
	for _, a := range []string{"return", "withdraw"} {
		f := w.ShowStep(a)
		if f.Valid() || !strings.Contains(f.Message.Text, "lý do") {
			t.Fatalf("%s without a reason: %q", a, f.Message.Text)
		}
		f.Close()
	}
	// an approval's maThongTinQH is checked as typed
	p := openPage(t, w, 1)
	if len(p.pg.Actions) != 0 {
		t.Fatalf("a published dossier offers %v", p.pg.Actions)
	}
	d2, _ := st.Advance(ctx, 2, store.Step{Action: "appraised", DocNo: "5/BC-SXD"})
	if d2.State != store.Appraised {
		t.Fatal(d2.State)
	}
	openPage(t, w, 2)
	f = w.ShowStep("approve")
	if len(f.Ma.Text) != 12 || f.Valid() || f.Message.Text != "cần số quyết định" || f.Agency.Text != store.ProvinceAgency {
		t.Fatalf("proposed %q valid %v (%q), agency %q", f.Ma.Text, f.Valid(), f.Message.Text, f.Agency.Text)
	}
	f.DocNo.SetText("77/QĐ-UBND")
	if !f.Valid() {
		t.Fatalf("a good approval refused: %q", f.Message.Text)
	}
	f.Ma.SetText("2026321")
	if f.Valid() || f.Message.Text != "maThongTinQH 2026321 phải gồm 12 chữ số" {
		t.Fatalf("short code: %q", f.Message.Text)
	}
	f.Ma.SetText("202622212345") // a zoning plan's level digit on a detailed plan
	if f.Valid() || !strings.Contains(f.Message.Text, "số cấp quy hoạch là 2, cấp của đồ án là 3") {
		t.Fatalf("wrong level: %q", f.Message.Text)
	}
	test.Tap(f.Propose)
	if !f.Valid() || !strings.HasPrefix(f.Ma.Text, "2026332") {
		t.Fatalf("proposed again %q: %q", f.Ma.Text, f.Message.Text)
	}
	test.Tap(f.Next)
	if !strings.Contains(f.Confirm.Text, "Phê duyệt tạo phiên bản 2 của Quy hoạch chi tiết Khu cửa khẩu Chi Ma") {
		t.Fatalf("confirmation %q", f.Confirm.Text)
	}
	test.Tap(f.Back)
	f.Close()

	// refused by the store: a dossier without changes cannot be submitted
	empty, err := st.CreateDossier(ctx, store.NewDossier{Plan: "huu-nghi", Kind: store.Local, Title: "Chưa có thay đổi"})
	if err != nil {
		t.Fatal(err)
	}
	w.afterWrite("")
	openPage(t, w, empty)
	f = step(t, w, "submit", map[string]string{"doc": "9/TTr", "date": "30/11/2026"})
	if !f.Open() || f.Confirming() || f.Message.Text != "hồ sơ chưa có thay đổi nào; cần có ít nhất một thay đổi" {
		t.Fatalf("refusal shown %q (confirming %v)", f.Message.Text, f.Confirming())
	}
	if d, _ := st.Dossier(ctx, empty); d.State != store.Draft || len(d.Transitions) != 0 {
		t.Fatalf("a refused step changed the dossier: %s", d.State)
	}
	// in English
	SetLanguage("en")
	defer SetLanguage("vi")
	f.Failed(&store.StepError{Action: "submit", Key: "the change set is empty; apply at least one change first", Reason: "x"})
	if f.Message.Text != "the change set is empty; apply at least one change first" {
		t.Fatalf("English %q", f.Message.Text)
	}
}

// TestDeadlineOfTheSampleDossierUnderAppraisal: the page's due date and
// days overdue are what the appraisal setting and the step's date give.
func TestDeadlineOfTheSampleDossierUnderAppraisal(t *testing.T) {
	w, st := dossierWindow(t)
	ctx := context.Background()
	d, _ := st.Dossier(ctx, 2)
	last := d.Transitions[len(d.Transitions)-1]
	setting, _ := st.Setting(ctx, store.SettingAppraisalDays)
	days := 0
	for _, c := range setting {
		days = days*10 + int(c-'0')
	}
	from := last.At.Local()
	if last.DocDate != "" {
		from, _ = time.Parse(time.DateOnly, last.DocDate)
	}
	due := from.AddDate(0, 0, days)
	overdue := int(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).Sub(time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
	p := openPage(t, w, 2)
	want := "⚠ Hạn " + due.Format("02/01/2006") + ": quá hạn " + itoa(overdue) + " ngày"
	if p.Deadline.Text != want || overdue != 43 {
		t.Fatalf("deadline %q, want %q", p.Deadline.Text, want)
	}
	for _, s := range []string{"thẩm định", itoa(days) + " ngày", "QĐ 18/2025/QĐ-TTg", store.SettingAppraisalDays, from.Format("02/01/2006"), "không kèm văn bản"} {
		if !strings.Contains(p.Rule.Text, s) {
			t.Errorf("rule %q lacks %q", p.Rule.Text, s)
		}
	}
	// a setting changed later does not move a due date already set
	st.SetSettings(ctx, map[string]string{store.SettingAppraisalDays: "30"})
	w.loadPage()
	if p.Deadline.Text != want {
		t.Fatalf("after a new setting: %q", p.Deadline.Text)
	}
	// the central axis dossier, published, has none
	p = openPage(t, w, 1)
	if p.Deadline.Text != "Không có bước nào đang chờ hạn" || p.Rule.Text != "" {
		t.Fatalf("published: %q %q", p.Deadline.Text, p.Rule.Text)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Replace(num(float64(n), 0), ".", "", -1)) }

// conflictStore is the sample store in which a new Chi Ma dossier, approved,
// changed a lot the sample dossier 2 (appraised) changes too.
func conflictStore(t *testing.T) (*Window, *store.Store, string) {
	t.Helper()
	w, st := dossierWindow(t)
	ctx := context.Background()
	d2, _ := st.Dossier(ctx, 2)
	var lot *gis.Feature
	for _, c := range d2.Changes {
		if c.Op == "modify" {
			lot = c.Feature
			break
		}
	}
	if lot == nil {
		t.Fatal("dossier 2 modifies no lot")
	}
	snap, _ := st.Load(ctx, "chi-ma", 0, gis.LandUseLayer)
	var base gis.Feature
	for _, f := range snap.Layers[0].Features {
		if f.ID == lot.ID {
			base = f
		}
	}
	other, _ := st.CreateDossier(ctx, store.NewDossier{Plan: "chi-ma", Kind: store.Local, Title: "Điều chỉnh khác cùng lô"})
	base.Properties = map[string]any{"maDoiTuong": base.String("maDoiTuong"), "phanLoai": "CXCC"}
	if _, err := st.Apply(ctx, store.ApplyRequest{Dossier: other, Layer: gis.LandUseLayer, Features: []gis.Feature{base}}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []store.Step{{Action: "submit", DocNo: "1/TTr", AckWarnings: true}, {Action: "appraise"}, {Action: "appraised", DocNo: "2/BC"},
		{Action: "approve", DocNo: "3/QĐ-UBND", DocDate: "2026-11-25"}} {
		if _, err := st.Advance(ctx, other, s); err != nil {
			t.Fatalf("%s: %v", s.Action, err)
		}
	}
	if _, err := st.Advance(ctx, 2, store.Step{Action: "appraised", DocNo: "9/BC-SXD"}); err != nil {
		t.Fatal(err)
	}
	w.afterWrite("")
	return w, st, lot.ID
}

// TestConflictViewSettlesBothWays: the page of a dossier whose lot was
// changed by a version approved since its base shows the lot approved and
// proposed side by side; keeping ours or taking theirs rebases it, and the
// appraised dossier goes back to appraisal, as a step of its chain.
func TestConflictViewSettlesBothWays(t *testing.T) {
	for _, ours := range []bool{true, false} {
		name := map[bool]string{true: "ours", false: "theirs"}[ours]
		t.Run(name, func(t *testing.T) {
			w, st, id := conflictStore(t)
			ctx := context.Background()
			p := openPage(t, w, 2)
			c := p.Conflicts
			if len(c.lots) != 1 || c.lots[0].ID != id || !strings.Contains(p.Message.Text, "Xung đột") || p.Tabs.Items[conflictsTab].Text == tr("Conflicts") {
				t.Fatalf("conflicts %d, message %q", len(c.lots), p.Message.Text)
			}
			if c.Theirs.Scene() == nil || c.Ours.Scene() == nil || c.Theirs.Selected() == nil || c.Ours.Selected() == nil {
				t.Fatal("the two maps do not show the lot")
			}
			if !strings.Contains(c.TheirsCap.Text, "CXCC") || c.lots[0].OursClass == "CXCC" {
				t.Fatalf("captions %q / %q", c.TheirsCap.Text, c.OursCap.Text)
			}
			// the approval is refused with the conflict named
			f := step(t, w, "approve", map[string]string{"doc": "99/QĐ-UBND", "date": "30/11/2026"})
			if !strings.Contains(f.Message.Text, "thẻ Xung đột") || p.Tabs.Selected() != p.Tabs.Items[conflictsTab] {
				t.Fatalf("approval over a conflict: %q", f.Message.Text)
			}
			f.Close()
			if !c.Rebase.Disabled() {
				t.Fatal("rebase offered before a choice")
			}
			c.Take.SetSelected(c.Take.Options[map[bool]int{true: 0, false: 1}[ours]])
			if c.Rebase.Disabled() {
				t.Fatal("no rebase after the choice")
			}
			test.Tap(c.Rebase)
			d, err := st.Dossier(ctx, 2)
			if err != nil {
				t.Fatal(err)
			}
			n := len(d.Transitions)
			if d.Base != 2 || d.State != store.Appraising || d.Transitions[n-1].From != store.Appraised || d.Transitions[n-2].From != d.Transitions[n-2].To {
				t.Fatalf("after the rebase: base %d, %s, %+v", d.Base, d.State, d.Transitions[n-2:])
			}
			if p.pg.Dossier.State != store.Appraising || len(p.Conflicts.lots) != 0 || !strings.Contains(p.TimelineCell(n, 3), "cần thẩm định lại") {
				t.Fatalf("page after the rebase: %s, %q", p.pg.Dossier.State, p.TimelineCell(n, 3))
			}
			kept := false
			for _, ch := range d.Changes {
				kept = kept || ch.FeatureID == id
			}
			if kept != ours {
				t.Fatalf("the dossier's change of the lot kept: %v, want %v", kept, ours)
			}
			if v, _ := st.Verify(ctx, store.VerifyOptions{}); len(v.Findings) > 0 {
				t.Fatalf("verify: %v", v.Findings)
			}
		})
	}
}

// TestAttachmentAddedInTheWindow: a file dropped on the page is attached
// as the kind chosen, opened with the viewer byte for byte, and extracts
// byte-identical from the store.
func TestAttachmentAddedInTheWindow(t *testing.T) {
	w, st := dossierWindow(t)
	p := openPage(t, w, 2)
	data := make([]byte, 70_000)
	r := rand.New(rand.NewPCG(7, 11))
	for i := range data {
		data[i] = byte(r.UintN(256))
	}
	path := filepath.Join(t.TempDir(), "bao-cao-tham-dinh-88.pdf")
	os.WriteFile(path, data, 0o644)
	before := len(p.pg.Dossier.Attachments)
	w.dropped([]fyne.URI{storage.NewFileURI(path)})
	// the form guessed the kind from the name; the officer attaches
	var f *attachForm
	f = w.askAttach(path)
	if f.Kind.Selected != docKindName("bao_cao_tham_dinh") {
		t.Fatalf("kind guessed %q", f.Kind.Selected)
	}
	test.Tap(f.Attach)
	docs := p.pg.Dossier.Attachments
	if len(docs) != before+1 {
		t.Fatalf("%d documents, want %d", len(docs), before+1)
	}
	a := docs[len(docs)-1]
	if p.DocCell(len(docs), 1) != "bao-cao-tham-dinh-88.pdf" || p.DocCell(len(docs), 0) != "Báo cáo thẩm định" || !strings.HasPrefix(p.DocCell(len(docs), 5), "✓") {
		t.Fatalf("row %q %q %q", p.DocCell(len(docs), 0), p.DocCell(len(docs), 1), p.DocCell(len(docs), 5))
	}
	_, got, err := st.Extract(context.Background(), 2, a.ID)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("extracted %d bytes (%v), want the %d attached", len(got), err, len(data))
	}
	var opened string
	w.dossiers.openPath = func(path string) error { opened = path; return nil }
	p.SelectDoc(len(docs) - 1)
	test.Tap(p.OpenDoc)
	if b, _ := os.ReadFile(opened); !bytes.Equal(b, data) || filepath.Base(opened) != a.Name {
		t.Fatalf("opened %s: %d bytes", opened, len(b))
	}
	// dropped while the page is not in front: nothing is attached
	w.showMapTab()
	w.dropped([]fyne.URI{storage.NewFileURI(path)})
	if d, _ := st.Dossier(context.Background(), 2); len(d.Attachments) != before+1 {
		t.Fatal("a drop on the map attached a file")
	}
}

// TestDashboardSortsOverdueFirst: every dossier, the overdue first (most
// overdue first), then by due date, then the rest; a header sorts; the
// filters narrow; a row opens its page.
func TestDashboardSortsOverdueFirst(t *testing.T) {
	w, st := dossierWindow(t)
	ctx := context.Background()
	mk := func(plan, title string, days int, steps ...store.Step) int64 {
		st.Now = func() time.Time { return today.AddDate(0, 0, days) }
		defer func() { st.Now = time.Now }()
		id, err := st.CreateDossier(ctx, store.NewDossier{Plan: plan, Kind: store.Local, Title: title})
		if err != nil {
			t.Fatal(err)
		}
		snap, _ := st.Load(ctx, plan, 0, gis.LandUseLayer)
		f := snap.Layers[0].Features[int(id)]
		f.Properties["ghiChu"] = title
		if _, err := st.Apply(ctx, store.ApplyRequest{Dossier: id, Layer: gis.LandUseLayer, Features: []gis.Feature{f}}); err != nil {
			t.Fatal(err)
		}
		for _, s := range steps {
			if _, err := st.Advance(ctx, id, s); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	submit := store.Step{Action: "submit", DocNo: "1/TTr", AckWarnings: true}
	late := mk("huu-nghi", "Quá hạn nhiều", -100, submit)       // due 85 days ago
	soon := mk("huu-nghi", "Sắp đến hạn", -10, submit)          // due in 5 days
	later := mk("truc-trung-tam", "Còn lâu", -1, submit)        // due in 14 days
	slightly := mk("truc-trung-tam", "Quá hạn ít", -16, submit) // due yesterday
	draft := mk("huu-nghi", "Nháp mới", 0)
	w.ShowDashboard()
	d := w.Dashboard
	var ids []int64
	for _, r := range d.Rows() {
		ids = append(ids, r.ID)
	}
	want := []int64{late, 2, slightly, soon, later, draft, 3, 1} // the sample's 2 is 43 days overdue
	if !equalIDs(ids, want) {
		t.Fatalf("order %v, want %v", ids, want)
	}
	if c := plan.ColDaysLeft; d.Cell(0, c) != "⚠ quá hạn 85 ngày" || d.Cell(3, c) != "còn 5 ngày" || d.Cell(5, c) != "—" {
		t.Fatalf("days left %q %q %q", d.Cell(0, c), d.Cell(3, c), d.Cell(5, c))
	}
	if !strings.Contains(d.Counts.Text, "8 hồ sơ") || !strings.Contains(d.Counts.Text, "3 quá hạn") || !strings.Contains(d.Counts.Text, "đã trình 4") {
		t.Fatalf("counts %q", d.Counts.Text)
	}
	// a header sorts, again reverses; "overdue first" comes back
	d.SortBy(plan.ColTitle)
	if d.Rows()[0].Title != "Còn lâu" || !strings.HasSuffix(d.Header(plan.ColTitle), "▲") {
		t.Fatalf("by title: %q", d.Rows()[0].Title)
	}
	d.SortBy(plan.ColTitle)
	if d.Rows()[len(d.Rows())-1].Title != "Còn lâu" {
		t.Fatalf("by title, reversed: %q", d.Rows()[len(d.Rows())-1].Title)
	}
	d.SortBy(plan.ColDue)
	if d.Rows()[0].ID != late || d.Rows()[len(d.Rows())-1].Due != "" {
		t.Fatalf("by due: %v", d.Rows()[0].ID)
	}
	test.Tap(d.First)
	if d.Rows()[0].ID != late {
		t.Fatal("overdue first again")
	}
	// filters: overdue only, a state, a plan, words without accents
	d.Overdue.SetChecked(true)
	if len(d.Rows()) != 3 {
		t.Fatalf("%d overdue", len(d.Rows()))
	}
	d.Overdue.SetChecked(false)
	d.State.SetSelected(stateName(store.Draft))
	if len(d.Rows()) != 2 {
		t.Fatalf("%d drafts", len(d.Rows()))
	}
	d.State.SetSelectedIndex(0)
	d.Search.SetText("qua han")
	if len(d.Rows()) != 2 || d.Rows()[0].ID != late {
		t.Fatalf("search: %v", d.Rows())
	}
	d.Search.SetText("")
	for i, p := range d.plans {
		if p.Code == "truc-trung-tam" {
			d.Plan.SetSelectedIndex(i + 1)
		}
	}
	if len(d.Rows()) != 3 {
		t.Fatalf("%d of the central axis", len(d.Rows()))
	}
	// a row opens its page
	d.Table.Select(widget.TableCellID{Row: 0, Col: 1})
	if w.dossiers.page == nil || w.dossiers.page.id != slightly {
		t.Fatal("the row did not open its page")
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAgenciesAreData: the plan's agencies are edited in the window, the
// store keeps who changed them, and the step forms offer them.
func TestAgenciesAreData(t *testing.T) {
	w, st := dossierWindow(t)
	ctx := context.Background()
	openPage(t, w, 2)
	f := w.ShowAgencies("chi-ma")
	if f.Approver.Text != store.ProvinceAgency || !strings.Contains(f.History.Text, "Mặc định") {
		t.Fatalf("defaults: %q %q", f.Approver.Text, f.History.Text)
	}
	f.Proposer.SetText("")
	if !f.Save.Disabled() || f.Message.Text != "cần nhập cơ quan tổ chức lập" {
		t.Fatalf("empty proposer: %q", f.Message.Text)
	}
	f.Proposer.SetText(store.BoardAgency)
	f.Consultant.SetText("Viện Quy hoạch xây dựng Lạng Sơn")
	f.Appraiser.SetText(store.MinistryAgency)
	test.Tap(f.Save)
	a, _ := st.Agencies(ctx, "chi-ma")
	if a.Consultant != "Viện Quy hoạch xây dựng Lạng Sơn" || a.Appraiser != store.MinistryAgency || a.By != "tester" {
		t.Fatalf("stored %+v", a)
	}
	s := w.ShowStep("appraised")
	if s.Agency.Text != store.MinistryAgency || len(s.page.Agencies.List()) != 4 {
		t.Fatalf("appraised form agency %q of %v", s.Agency.Text, s.page.Agencies.List())
	}
}

// TestYearlyReportDialog: the dialog makes the report of the year chosen
// from the store, as the report command does, and previews it.
func TestYearlyReportDialog(t *testing.T) {
	w, _ := dossierWindow(t)
	d := w.ShowReport()
	d.Year.SetSelected("2024")
	r := d.Report
	if r == nil || len(r.Approved) != 1 || r.Period.From != "2024-01-01" || d.SavePDF.Disabled() || d.Preview.Image.Bounds().Dx() < 400 {
		t.Fatalf("2024: %q", d.Summary.Text)
	}
	if !strings.Contains(d.Summary.Text, "phê duyệt 1") {
		t.Fatalf("summary %q", d.Summary.Text)
	}
	d.To.SetText("01/01/2023")
	test.Tap(d.Make)
	if !strings.Contains(d.Summary.Text, "Lỗi") || !d.SavePDF.Disabled() {
		t.Fatalf("a period ending before it starts: %q", d.Summary.Text)
	}
}

// TestDossierStringsTranslated: the titles of the page's and the
// dashboard's columns, and every refusal the store can give a form, have
// both translations.
func TestDossierStringsTranslated(t *testing.T) {
	read := func(name string) map[string]string {
		b, _ := assets.Translations.ReadFile("translations/" + name)
		m := map[string]string{}
		json.Unmarshal(b, &m)
		return m
	}
	vi, en := read("vi.json"), read("en.json")
	var keys []string
	for _, c := range timelineColumns {
		keys = append(keys, c.title)
	}
	for _, c := range docColumns {
		keys = append(keys, c.title)
	}
	for _, c := range dashboardColumns {
		keys = append(keys, c.title)
	}
	refusal := regexp.MustCompile("(?:refuse\\([^,]+, [^,]+, |bad\\()(\"[^\"]*\"|`[^`]*`)")
	named := regexp.MustCompile(`\{"[a-z_]+", "([a-z ]+)", (?:st|a)\.[A-Za-z]+\}`)
	for _, f := range []string{"agencies.go", "approval.go", "attachment.go", "stepcheck.go"} {
		src, err := os.ReadFile(filepath.Join("..", "store", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range refusal.FindAllStringSubmatch(string(src), -1) {
			keys = append(keys, strings.Trim(m[1], "\"`"))
		}
		for _, m := range named.FindAllStringSubmatch(string(src), -1) {
			keys = append(keys, m[1])
		}
	}
	if len(keys) < 40 {
		t.Fatalf("only %d keys found", len(keys))
	}
	for _, k := range keys {
		if vi[k] == "" || en[k] == "" {
			t.Errorf("%q lacks a translation (vi %q, en %q)", k, vi[k], en[k])
		}
	}
}

// TestDossierViewsFitTheWindow: neither the dashboard nor a dossier's page
// (any of its tabs) makes the window wider than a 1280-pixel screen.
func TestDossierViewsFitTheWindow(t *testing.T) {
	w, _ := dossierWindow(t)
	width := func(what string) {
		t.Helper()
		if got := w.Content().MinSize().Width; got > 1280 {
			t.Errorf("%s: the window needs %v units, more than a 1280-pixel screen", what, got)
		}
	}
	width("map")
	w.ShowDashboard()
	width("dashboard")
	p := openPage(t, w, 2)
	for i := range p.Tabs.Items {
		p.Tabs.SelectIndex(i)
		width("page tab " + p.Tabs.Items[i].Text)
	}
}

// TestPageAndDashboardLeadToTheEditor: a draft's page edits it on the map
// with the editor's tools; the dashboard starts a new dossier with the
// editor's form.
func TestPageAndDashboardLeadToTheEditor(t *testing.T) {
	w, _ := dossierWindow(t)
	p := openPage(t, w, 3)
	if p.Edit.Disabled() || p.ApplyFile.Disabled() {
		t.Fatal("a draft cannot be edited from its page")
	}
	test.Tap(p.Edit)
	if !w.Editor.Editing() || w.Editor.Session().Dossier().ID != 3 || w.Center.Selected() != w.Center.Items[mapTab] {
		t.Fatal("the page did not open the draft in the editor, on the map")
	}
	p = openPage(t, w, 2)
	if !p.Edit.Disabled() {
		t.Fatal("a dossier under appraisal offers editing")
	}
	w.ShowDashboard()
	w.Dashboard.Plan.SetSelectedIndex(1)
	test.Tap(w.Dashboard.New)
	if w.Editor.Create == nil {
		t.Fatal("no form for a new dossier")
	}
}

// TestReturnAndWithdrawForms: the two steps back record their reasons: a
// returned dossier is a draft again, editable; a withdrawn one takes no
// more steps.
func TestReturnAndWithdrawForms(t *testing.T) {
	w, st := dossierWindow(t)
	ctx := context.Background()
	p := openPage(t, w, 2)
	step(t, w, "return", map[string]string{"doc": "15/SXD-QH", "note": "Bổ sung thuyết minh bãi tập kết xe"})
	d, _ := st.Dossier(ctx, 2)
	last := d.Transitions[len(d.Transitions)-1]
	if d.State != store.Draft || last.Note != "Bổ sung thuyết minh bãi tập kết xe" || last.Agency != store.DepartmentAgency || last.DocNo != "15/SXD-QH" {
		t.Fatalf("returned: %s %+v", d.State, last)
	}
	if !p.pg.Returned() || !strings.Contains(p.Facts.Text, "bị trả lại") || p.Edit.Disabled() || p.TimelineCell(len(d.Transitions), 0) != "Trả lại" {
		t.Fatalf("page after the return: %q, %q", p.Facts.Text, p.TimelineCell(len(d.Transitions), 0))
	}
	step(t, w, "withdraw", map[string]string{"note": "Nhà đầu tư rút đề xuất"})
	d, _ = st.Dossier(ctx, 2)
	if d.State != store.Withdrawn || d.Transitions[len(d.Transitions)-1].Note != "Nhà đầu tư rút đề xuất" || len(p.pg.Actions) != 0 || !p.AddDoc.Disabled() {
		t.Fatalf("withdrawn: %s, actions %v", d.State, p.pg.Actions)
	}
}
