package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckSaysWhatItSkipped: a plan without a boundary layer is checked
// for overlaps and attributes, and check says gaps and lots outside were
// not checked, and why.
func TestCheckSaysWhatItSkipped(t *testing.T) {
	db := filepath.Join(t.TempDir(), "q.db")
	lots := filepath.Join(t.TempDir(), "lots.geojson")
	os.WriteFile(lots, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"maDoiTuong":"A","phanLoai":"ONM"},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.701,21.9],[106.701,21.901],[106.7,21.901],[106.7,21.9]]]}}]}`), 0o644)
	for _, args := range [][]string{
		{"init", "--db", db},
		{"plan", "create", "--db", db, "--code", "p", "--name", "P", "--level", "detailed", "--scale", "500"},
		{"import", "--db", db, "--plan", "p", "--layer", "ChucNangSuDungDat_A", lots},
	} {
		if _, e, code := quyhoach(t, "", args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	out, _, code := quyhoach(t, "", "check", "--db", db, "--plan", "p")
	if code != 0 || !strings.Contains(out, "checked: overlap, invalid, class, indicator") || !strings.Contains(out, "not checked: gap (no plan boundary (layer RanhGioiQuyHoach_A))") {
		t.Fatalf("check: %d\n%s", code, out)
	}
	out, _, _ = quyhoach(t, "", "check", "--db", db, "--plan", "p", "--json")
	var r struct {
		Checked    []string `json:"checked"`
		NotChecked []struct {
			Kind, Why string
		} `json:"not_checked"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Checked) != 4 || len(r.NotChecked) != 2 || r.NotChecked[1].Kind != "outside" {
		t.Fatalf("check --json: %v %s", err, out)
	}
}
