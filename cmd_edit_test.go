package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSubmitRefusesWhatCheckFinds: a change set that lays one lot over
// another (an overlap there, a gap where it was) is refused at submit with the overlap named, even with
// --ack-warnings; `dossier check` lists it (exit 1); undo takes it back;
// an implausible density is a warning submit asks to acknowledge; the
// history lists every apply; export --dossier writes the proposal.
func TestSubmitRefusesWhatCheckFinds(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	// the Đồng Bành draft (dossier 3): its proposal's lots
	prop := filepath.Join(dir, "p.geojson")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--dossier", "3", "--layer", "ChucNangSuDungDat_A", "-o", prop); code != 0 {
		t.Fatalf("export --dossier: %d %s", code, e)
	}
	var fc struct {
		Type     string           `json:"type"`
		Features []map[string]any `json:"features"`
	}
	b, _ := os.ReadFile(prop)
	if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) < 2 {
		t.Fatalf("proposal: %v, %d lots", err, len(fc.Features))
	}
	write := func(name string, fs ...map[string]any) string {
		p := filepath.Join(dir, name)
		b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": fs})
		os.WriteFile(p, b, 0o644)
		return p
	}
	over := map[string]any{"type": "Feature", "id": fc.Features[0]["id"], "properties": fc.Features[0]["properties"], "geometry": fc.Features[1]["geometry"]}
	if _, e, code := quyhoach(t, "", "dossier", "apply", "--db", db, "--dossier", "3", write("over.geojson", over)); code != 0 {
		t.Fatalf("apply: %d %s", code, e)
	}
	out, _, code := quyhoach(t, "", "dossier", "check", "--db", db, "--dossier", "3")
	if code != 1 || !strings.Contains(out, "overlap") {
		t.Fatalf("check: %d %s", code, out)
	}
	submit := []string{"dossier", "submit", "--db", db, "--dossier", "3", "--doc", "9/TTr-BQL", "--date", "2026-11-30"}
	_, e, code := quyhoach(t, "", append(submit, "--ack-warnings")...)
	if code == 0 || !strings.Contains(e, "introduces 2 errors") || !strings.Contains(e, "overlap") || strings.Count(strings.TrimSpace(e), "\n") > 0 {
		t.Fatalf("submit with an overlap: %d %q", code, e)
	}
	if out, e, code := quyhoach(t, "", "dossier", "undo", "--db", db, "--dossier", "3"); code != 0 || !strings.Contains(out, "undone") {
		t.Fatalf("undo: %d %s %s", code, out, e)
	}
	// an implausible density: a warning
	props := map[string]any{}
	for k, v := range fc.Features[0]["properties"].(map[string]any) {
		props[k] = v
	}
	props["matDoXayDung"] = 150
	dense := map[string]any{"type": "Feature", "id": fc.Features[0]["id"], "properties": props, "geometry": fc.Features[0]["geometry"]}
	if _, e, code := quyhoach(t, "", "dossier", "apply", "--db", db, "--dossier", "3", write("dense.geojson", dense)); code != 0 {
		t.Fatalf("apply: %d %s", code, e)
	}
	if _, e, code := quyhoach(t, "", submit...); code == 0 || !strings.Contains(e, "--ack-warnings") {
		t.Fatalf("submit with a warning, unacknowledged: %d %q", code, e)
	}
	if out, e, code := quyhoach(t, "", append(submit, "--ack-warnings")...); code != 0 {
		t.Fatalf("submit acknowledging the warning: %d %s %s", code, out, e)
	}
	out, _, _ = quyhoach(t, "", "dossier", "history", "--db", db, "--dossier", "3")
	// the overlap's apply, undone, went when the next apply was made
	if !strings.Contains(out, "apply dense.geojson") || strings.Contains(out, "over.geojson") {
		t.Errorf("history:\n%s", out)
	}
	if _, e, code := quyhoach(t, "", "dossier", "undo", "--db", db, "--dossier", "3"); code == 0 || !strings.Contains(e, "submitted") {
		t.Errorf("undo in a submitted dossier: %d %q", code, e)
	}
}
