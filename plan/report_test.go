package plan

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/store"
)

// story is a dossier's life for a test: made on a day, on a plan, one lot
// reclassified, then its steps, each on its day.
type story struct {
	plan, title, created string
	steps                []storyStep
}

type storyStep struct{ action, date, doc string }

// tell makes the dossiers of the stories in order, each step recorded on
// its day (the store's clock set to it), and returns their ids.
func tell(t testing.TB, st *store.Store, stories []story) []int64 {
	t.Helper()
	lot := map[string]int{} // the next lot of each plan to reclassify
	var ids []int64
	for _, s := range stories {
		day := func(d string) time.Time {
			at, err := time.Parse(time.DateOnly, d)
			if err != nil {
				t.Fatal(err)
			}
			return at.Add(9 * time.Hour)
		}
		st.Now = func() time.Time { return day(s.created) }
		id, err := st.CreateDossier(ctx, store.NewDossier{Plan: s.plan, Kind: store.Local, Title: s.title})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := st.Load(ctx, s.plan, 0, gis.LandUseLayer)
		if err != nil {
			t.Fatal(err)
		}
		f := snap.Layers[0].Features[lot[s.plan]%len(snap.Layers[0].Features)]
		lot[s.plan] += 7 // lots apart: their shapes and classes differ
		f.Properties = withClass(f.Properties, map[bool]string{true: "DV", false: "CXCC"}[f.String("phanLoai") == "CXCC"])
		if _, err := st.Apply(ctx, store.ApplyRequest{Dossier: id, Layer: gis.LandUseLayer, Features: []gis.Feature{f}}); err != nil {
			t.Fatal(err)
		}
		for _, sp := range s.steps {
			st.Now = func() time.Time { return day(sp.date) }
			step := store.Step{Action: sp.action, DocNo: sp.doc, DocDate: sp.date, By: "test"}
			switch sp.action {
			case "return", "withdraw":
				step.Note = "lý do " + s.title
			case "publish":
				step.Note = "công bố tại trụ sở Ban"
			}
			if _, err := st.Advance(ctx, id, step); err != nil {
				t.Fatalf("%s %s: %v", s.title, sp.action, err)
			}
		}
		ids = append(ids, id)
	}
	st.Now = time.Now
	return ids
}

func withClass(p map[string]any, class string) map[string]any {
	out := map[string]any{}
	for k, v := range p {
		out[k] = v
	}
	out["phanLoai"] = class
	return out
}

// approveSteps are the steps to an approval from a submission on day d.
func approveSteps(tag, d1, d2, d3, d4 string) []storyStep {
	return []storyStep{{"submit", d1, "1/TTr-" + tag}, {"appraise", d2, ""}, {"appraised", d3, "2/BC-" + tag}, {"approve", d4, "3/QĐ-" + tag}}
}

// twoYears are dossiers in every state over 2025 and 2026; each title says
// in which year's report it must appear.
func twoYears() []story {
	return []story{
		{"huu-nghi", "HS-A nháp từ 2025", "2025-02-03", nil},
		{"huu-nghi", "HS-B trình 2025", "2025-03-03", []storyStep{{"submit", "2025-03-10", "10/TTr-B"}}},
		{"chi-ma", "HS-C duyệt 2025", "2025-03-25", approveSteps("C", "2025-04-01", "2025-04-05", "2025-04-20", "2025-05-10")},
		{"chi-ma", "HS-D công bố 2025", "2025-05-25", append(approveSteps("D", "2025-06-01", "2025-06-03", "2025-06-20", "2025-07-01"), storyStep{"publish", "2025-07-10", "5/TB-D"})},
		{"huu-nghi", "HS-E trả lại 2025", "2025-07-25", []storyStep{{"submit", "2025-08-01", "11/TTr-E"}, {"return", "2025-08-15", ""}}},
		{"huu-nghi", "HS-F rút 2025", "2025-08-25", []storyStep{{"submit", "2025-09-01", "12/TTr-F"}, {"withdraw", "2025-09-10", ""}}},
		{"dong-banh", "HS-G thẩm định 2025", "2025-09-20", []storyStep{{"submit", "2025-10-01", "13/TTr-G"}, {"appraise", "2025-10-05", ""}}},
		{"truc-trung-tam", "HS-H qua hai năm", "2025-12-10", approveSteps("H", "2025-12-20", "2026-01-05", "2026-01-20", "2026-02-01")},
		{"chi-ma", "HS-I công bố 2026", "2026-02-20", append(approveSteps("I", "2026-03-01", "2026-03-04", "2026-03-20", "2026-04-01"), storyStep{"publish", "2026-04-10", "6/TB-I"})},
		{"huu-nghi", "HS-J trình 2026", "2026-04-25", []storyStep{{"submit", "2026-05-01", "14/TTr-J"}}},
		{"dong-banh", "HS-K thẩm định xong 2026", "2026-05-25", []storyStep{{"submit", "2026-06-01", "15/TTr-K"}, {"appraise", "2026-06-05", ""}, {"appraised", "2026-06-25", "7/BC-K"}}},
		{"huu-nghi", "HS-L nháp 2026", "2026-07-01", nil},
		{"chi-ma", "HS-M trả lại 2026", "2026-07-25", []storyStep{{"submit", "2026-08-01", "16/TTr-M"}, {"return", "2026-08-10", ""}}},
		{"truc-trung-tam", "HS-N rút 2026", "2026-08-25", []storyStep{{"submit", "2026-09-01", "17/TTr-N"}, {"withdraw", "2026-09-05", ""}}},
	}
}

// historyStore is the sample store (installed as of 2024-06-01) with the
// stories of twoYears told.
func historyStore(t testing.TB) (*store.Store, []int64) {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "h.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC) } // the Đồng Bành draft's day
	if err := st.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	return st, tell(t, st, twoYears())
}

func titles(es []ReportEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Dossier.Title)
	}
	return out
}

func TestReportOfAYear(t *testing.T) {
	st, ids := historyStore(t)
	cat := catalogue(t)
	r, err := MakeReport(ctx, st, YearPeriod(2025), cat, time.Date(2026, 11, 30, 10, 0, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  []ReportEntry
		want []string
	}{
		{"received", r.Received, []string{"HS-B trình 2025", "HS-C duyệt 2025", "HS-D công bố 2025", "HS-E trả lại 2025", "HS-F rút 2025", "HS-G thẩm định 2025", "HS-H qua hai năm"}},
		{"appraised", r.Appraised, []string{"HS-C duyệt 2025", "HS-D công bố 2025"}},
		{"approved", r.Approved, []string{"HS-C duyệt 2025", "HS-D công bố 2025"}},
		{"published", r.Published, []string{"HS-D công bố 2025"}},
		{"returned", r.Returned, []string{"HS-E trả lại 2025"}},
		{"withdrawn", r.Withdrawn, []string{"HS-F rút 2025"}},
	} {
		if got := strings.Join(titles(c.got), "|"); got != strings.Join(c.want, "|") {
			t.Errorf("%s: %s\nwant %s", c.name, got, strings.Join(c.want, "|"))
		}
	}
	// open at the end of 2025: the sample Đồng Bành draft (made before
	// 2025), A, B (overdue), C (approved, its publication overdue), E
	// (returned), G (appraisal overdue), H (submitted in December)
	open := map[string]ReportEntry{}
	for _, e := range r.Open {
		open[e.Dossier.Title] = e
	}
	for title, want := range map[string]struct {
		state   string
		overdue bool
	}{"HS-A nháp từ 2025": {store.Draft, false}, "HS-B trình 2025": {store.Submitted, true}, "HS-C duyệt 2025": {store.Approved, true},
		"HS-E trả lại 2025": {store.Draft, false}, "HS-G thẩm định 2025": {store.Appraising, true}, "HS-H qua hai năm": {store.Submitted, false}} {
		e, ok := open[title]
		if !ok || e.State != want.state || (e.Overdue > 0) != want.overdue {
			t.Errorf("open %s: %+v (listed %v), want %s overdue %v", title, e.State, ok, want.state, want.overdue)
		}
	}
	if b := open["HS-B trình 2025"]; b.Due != "2025-03-25" || b.Overdue != store.DaysBetween("2025-03-25", "2025-12-31") {
		t.Errorf("B due %s overdue %d", b.Due, b.Overdue)
	}
	if len(r.Open) != 7 {
		t.Errorf("%d open: %v", len(r.Open), titles(r.Open))
	}
	// steps per month: March has B's and … submissions
	months := map[string]map[string]int{}
	total := 0
	for _, m := range r.Months {
		months[m.Month] = m.Counts
		for _, n := range m.Counts {
			total += n
		}
	}
	if len(r.Months) != 12 || months["2025-04"]["submit"] != 1 || months["2025-04"]["appraise"] != 1 || months["2025-04"]["appraised"] != 1 || months["2025-12"]["submit"] != 1 {
		t.Errorf("months %v", months)
	}
	if total != 1+4+5+2+2+2+1 { // B; C; D; E; F; G; H's submission
		t.Errorf("%d steps counted in 2025", total)
	}

	// the change per class is the balance of the approved versions against their parents
	want := map[string]float64{}
	for _, e := range r.Approved {
		d, _ := st.Dossier(ctx, e.Dossier.ID)
		before, err := Open(ctx, st, d.Plan, Ref{Version: e.Version - 1})
		if err != nil {
			t.Fatal(err)
		}
		after, _ := Open(ctx, st, d.Plan, Ref{Version: e.Version})
		for _, row := range Compare(before, after, cat).Whole.Rows {
			want[row.Code] += row.ChangeHa
		}
	}
	got := map[string]float64{}
	for _, c := range r.Classes {
		got[c.Code] = c.Ha
	}
	for code, ha := range want {
		if math.Abs(got[code]-ha) > 1e-9 {
			t.Errorf("class %s: report %.6f ha, balance %.6f ha", code, got[code], ha)
		}
	}
	for code, ha := range got {
		if math.Abs(want[code]) < 1e-12 && ha != 0 {
			t.Errorf("class %s: %.6f ha in the report, none in the balances", code, ha)
		}
	}
	if len(got) == 0 {
		t.Fatal("no class changed")
	}

	// the PDF lists exactly the dossiers of 2025 (and those still open)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "r.pdf")
	var buf bytes.Buffer
	if err := r.Document(fonts, cat).Write(&buf); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(pdf, buf.Bytes(), 0o644)
	if keep := os.Getenv("QUYHOACH_KEEP_REPORT"); keep != "" { // to look at it: pdftoppm
		os.WriteFile(keep, buf.Bytes(), 0o644)
	}
	text := pdfText(t, pdf)
	for _, s := range twoYears() {
		in2025 := strings.Contains(s.title, "2025") || s.title == "HS-H qua hai năm"
		tag := s.title[:4] // HS-A … HS-N: a word that no wrapping splits
		if strings.Contains(text, tag+" ") != in2025 {
			t.Errorf("%q in the 2025 report: %v, want %v", s.title, !in2025, in2025)
		}
	}
	for _, want := range []string{"BÁO CÁO", "từ ngày 01/01/2025 đến ngày 31/12/2025", "UBND TỈNH LẠNG SƠN", "3/QĐ-C", "10/05/2025", "2/BC-D",
		"Biểu đồ diện tích điều chỉnh", "Biểu đồ số bước giải quyết hồ sơ theo tháng", "đã phê duyệt", "TRƯỞNG BAN"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for code, ha := range got { // the table's figures, the Vietnamese way
		if !strings.Contains(text, gis.Signed(ha, 2, "vi")) {
			t.Errorf("class %s %s not in the PDF", code, gis.Signed(ha, 2, "vi"))
		}
	}
	if fonts := pdfFonts(t, pdf); !strings.Contains(strings.ToLower(fonts), "notosans") || !strings.Contains(fonts, "yes") {
		t.Errorf("fonts not embedded: %s", fonts)
	}

	// the CSV parses, one row a listed dossier, class or month's kind
	var cb bytes.Buffer
	if err := r.WriteCSV(&cb); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]int{}
	for _, rec := range recs[1:] {
		if len(rec) != len(ReportCSVHeader) {
			t.Fatalf("record of %d fields", len(rec))
		}
		sections[rec[0]]++
		if rec[0] == SectionClass {
			var v float64
			fmt.Sscan(rec[14], &v)
			if math.Abs(v-got[rec[15]]) > 1e-4 {
				t.Errorf("csv class %s %s ha, want %.4f", rec[15], rec[14], got[rec[15]])
			}
		}
	}
	if sections[SectionReceived] != 7 || sections[SectionApproved] != 2 || sections[SectionOpen] != 7 || sections[SectionClass] != len(r.Classes) || sections[SectionMonth] == 0 {
		t.Errorf("csv sections %v", sections)
	}
	_ = ids
}

func TestReportPeriodIsChecked(t *testing.T) {
	st := sampleStore(t)
	for _, p := range []Period{{"2025-13-01", "2025-12-31"}, {"2025-01-01", "31/12/2025"}, {"2025-06-01", "2025-01-01"}} {
		var re *RequestError
		if _, err := MakeReport(ctx, st, p, catalogue(t), time.Now()); err == nil || !errors.As(err, &re) {
			t.Errorf("%v: %v", p, err)
		}
	}
	// the sample store's 2024: the central axis adjustment, received to published
	r, err := MakeReport(ctx, st, YearPeriod(2024), catalogue(t), time.Now())
	if err != nil || len(r.Received) != 1 || len(r.Approved) != 1 || len(r.Published) != 1 || r.Approved[0].Step.DocNo != "Quyết định số 1586/QĐ-UBND" {
		t.Fatalf("2024: %v %+v", err, r)
	}
	if r.Approved[0].Agency != store.ProvinceAgency || len(r.Classes) == 0 {
		t.Fatalf("approved %+v, classes %v", r.Approved[0], r.Classes)
	}
}

func pdfText(t testing.TB, pdf string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("no pdftotext")
	}
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func pdfFonts(t testing.TB, pdf string) string {
	t.Helper()
	out, err := exec.Command("pdffonts", pdf).Output()
	if err != nil {
		t.Skip("no pdffonts")
	}
	return string(out)
}
