package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReportCommand: the board's report of 2024 on the sample store, as
// PDF and as CSV: the central axis adjustment received, appraised,
// approved and published, its change per land-use class that of
// `balance`; bad periods and outputs are refused and write nothing.
func TestReportCommand(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	pdf, csvPath := filepath.Join(dir, "bao-cao.pdf"), filepath.Join(dir, "bao-cao.csv")
	out, e, code := quyhoach(t, "", "report", "--db", db, "--year", "2024", "-o", pdf)
	if code != 0 || !strings.Contains(out, "1 received, 1 appraised, 1 approved, 1 published, 0 returned; 0 open") {
		t.Fatalf("exit %d: %s %s", code, out, e)
	}
	needTool(t, "pdftotext")
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"BÁO CÁO", "từ ngày 01/01/2024 đến ngày 31/12/2024", "1586/QĐ-UBND", "2150/BC-SXD", "318/TB-BQL", "Thụy Hùng",
		"Biểu đồ diện tích điều chỉnh", "Trang 1/"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if _, e, code := quyhoach(t, "", "report", "--db", db, "--from", "2024-01-01", "--to", "2024-12-31", "-o", csvPath); code != 0 {
		t.Fatal(e)
	}
	f, _ := os.Open(csvPath)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) < 10 || strings.Join(recs[0][:3], ",") != "section,plan,dossier" {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	report := map[string]float64{}
	for _, r := range recs[1:] {
		if r[0] == "class_change" {
			report[r[15]], _ = strconv.ParseFloat(r[14], 64)
		}
	}
	bal, _, _ := quyhoach(t, "", "balance", "--db", db, "--plan", "truc-trung-tam", "--version", "2", "--against", "1", "--json")
	var b struct {
		Classes []struct {
			Code     string  `json:"code"`
			ChangeHa float64 `json:"change_ha"`
		} `json:"classes"`
	}
	if err := json.Unmarshal([]byte(bal), &b); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range b.Classes {
		if c.ChangeHa == 0 {
			continue
		}
		n++
		if math.Abs(report[c.Code]-c.ChangeHa) > 0.005 {
			t.Errorf("class %s: report %.4f ha, balance %.2f ha", c.Code, report[c.Code], c.ChangeHa)
		}
	}
	if n == 0 || n != len(report) {
		t.Errorf("%d classes changed in balance, %d in the report", n, len(report))
	}
	// refused, nothing written
	bad := filepath.Join(dir, "x.pdf")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "2024-13-01", "--to", "2024-12-31", "-o", bad}, `quyhoach: report: --from "2024-13-01": want a date YYYY-MM-DD`},
		{[]string{"--from", "2024-06-01", "--to", "2024-01-01", "-o", bad}, "quyhoach: report: --to 2024-01-01 is before --from 2024-06-01"},
		{[]string{"--year", "2024", "-o", filepath.Join(dir, "x.txt")}, "need -o FILE.pdf or -o FILE.csv"},
		{[]string{"--year", "2024", "--from", "2024-01-01", "-o", bad}, "--year excludes --from and --to"},
		{[]string{"-o", bad}, "need --from and --to"},
	} {
		_, e, code := quyhoach(t, "", append([]string{"report", "--db", db}, c.args...)...)
		if code != 2 || !strings.Contains(e, c.want) || strings.Count(strings.TrimSpace(e), "\n") != 0 {
			t.Errorf("%v: exit %d %q, want %q", c.args, code, e, c.want)
		}
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a refused report wrote its file")
	}
}

// TestPlanAgencies: `plan set` records a plan's agencies (a flag not given
// keeps its value), `plan show` lists them and their history, a step
// records the plan's agency by default, and the printed title block names
// them rather than a login.
func TestPlanAgencies(t *testing.T) {
	db := sampleDB(t)
	out, _, code := quyhoach(t, "", "plan", "show", "--db", db, "--plan", "chi-ma")
	if code != 0 || !strings.Contains(out, "approver:   UBND tỉnh Lạng Sơn") || !strings.Contains(out, "the zone's defaults") {
		t.Fatalf("defaults: %s", out)
	}
	out, e, code := quyhoach(t, "", "plan", "set", "--db", db, "--plan", "chi-ma", "--appraiser", "Bộ Xây dựng",
		"--consultant", "Viện Quy hoạch xây dựng Lạng Sơn", "--by", "Lan")
	if code != 0 || !strings.Contains(out, "appraiser:  Bộ Xây dựng") || !strings.Contains(out, "proposer:   Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn") || !strings.Contains(out, "by Lan") {
		t.Fatalf("set: %d %s %s", code, out, e)
	}
	js, _, _ := quyhoach(t, "", "plan", "show", "--db", db, "--plan", "chi-ma", "--json")
	var shown struct {
		Agencies struct{ Appraiser, Consultant string }
		History  []json.RawMessage `json:"agency_history"`
	}
	if err := json.Unmarshal([]byte(js), &shown); err != nil || shown.Agencies.Consultant != "Viện Quy hoạch xây dựng Lạng Sơn" || len(shown.History) != 1 {
		t.Fatalf("show --json: %v %s", err, js)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--plan", "chi-ma", "--approver", ""}, "quyhoach: plan set: agencies: the approving authority is required"},
		{[]string{"--plan", "chi-ma"}, "nothing to set"},
		{[]string{"--plan", "nope", "--consultant", "x"}, `no plan "nope"`},
	} {
		_, e, code := quyhoach(t, "", append([]string{"plan", "set", "--db", db}, c.args...)...)
		if code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d %q, want %q", c.args, code, e, c.want)
		}
	}
	// a step without --agency records the plan's agency for it
	if _, e, code := quyhoach(t, "", "dossier", "appraised", "--db", db, "--dossier", "2", "--doc", "7/BC-BXD", "--date", "2026-11-30"); code != 0 {
		t.Fatal(e)
	}
	var d struct {
		Transitions []struct {
			Agency string `json:"agency"`
			DocNo  string `json:"doc_no"`
		} `json:"transitions"`
	}
	js, _, _ = quyhoach(t, "", "dossier", "show", "--db", db, "--dossier", "2", "--json")
	json.Unmarshal([]byte(js), &d)
	if last := d.Transitions[len(d.Transitions)-1]; last.Agency != "Bộ Xây dựng" || last.DocNo != "7/BC-BXD" {
		t.Fatalf("the step recorded %+v", last)
	}
	// the title block names the plan's agencies
	needTool(t, "pdftotext")
	pdf := filepath.Join(t.TempDir(), "chi-ma.pdf")
	if _, e, code := quyhoach(t, "", "print", "--db", db, "--plan", "chi-ma", "--paper", "A3", "--fit", "-o", pdf); code != 0 {
		t.Fatal(e)
	}
	text, _ := exec.Command("pdftotext", pdf, "-").Output()
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"VIỆN QUY HOẠCH XÂY DỰNG LẠNG SƠN", "UBND TỈNH LẠNG SƠN"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the title block lacks %q", want)
		}
	}
	if out, _, _ := quyhoach(t, "", "verify", "--db", db); !strings.HasPrefix(out, "ok") {
		t.Fatalf("verify: %s", out)
	}
}

// TestWindowFlagNamesADossier: the window's --dossier must name one.
func TestWindowFlagNamesADossier(t *testing.T) {
	db := sampleDB(t)
	_, e, code := quyhoach(t, "", "--db", db, "--dossier", "99")
	if code != 2 || strings.TrimSpace(e) != "quyhoach: gui: no dossier 99" {
		t.Fatalf("exit %d %q", code, e)
	}
}
