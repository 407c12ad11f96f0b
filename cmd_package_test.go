package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDossierPackCLI: dossier pack writes the package, dossier unpack
// takes it into a store of the same history (exit 0, what came said on
// one line), again changes nothing, and refuses what is not a package or
// belongs to other plans (exit 2, one line on stderr).
func TestDossierPackCLI(t *testing.T) {
	dir := t.TempDir()
	db := sampleDB(t)
	board := filepath.Join(dir, "board.db")
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(board, data, 0o644)
	other := sampleDB(t) // the samples installed anew: other global ids
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		out, e, code := quyhoach(t, "", args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d: %s%s", args, code, want, out, e)
		}
		return out, e
	}
	// an officer's dossier: a lot of Hữu Nghị with new storeys, submitted
	id, _ := run(0, "dossier", "create", "--db", db, "--plan", "huu-nghi", "--kind", "local", "--title", "Điều chỉnh tầng cao")
	id = strings.TrimSpace(id)
	exp := filepath.Join(dir, "lots.geojson")
	run(0, "export", "--db", db, "--plan", "huu-nghi", "--layer", "ChucNangSuDungDat_A", "-o", exp)
	raw, _ := os.ReadFile(exp)
	var fc struct {
		Features []map[string]any `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	lot := fc.Features[0]
	lot["properties"].(map[string]any)["tangCaoMax"] = 6
	changes, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": []any{lot}})
	cf := filepath.Join(dir, "changes.geojson")
	os.WriteFile(cf, changes, 0o644)
	run(0, "dossier", "apply", "--db", db, "--dossier", id, cf)
	doc := filepath.Join(dir, "to-trinh.pdf")
	os.WriteFile(doc, []byte("%PDF-1.4 tờ trình"), 0o644)
	run(0, "dossier", "attach", "--db", db, "--dossier", id, "--kind", "to_trinh", doc)
	run(0, "dossier", "submit", "--db", db, "--dossier", id, "--doc", "5/TTr-BQL", "--date", "2026-11-25", "--ack-warnings")

	pkg := filepath.Join(dir, "hồ sơ.gpkg")
	out, _ := run(0, "dossier", "pack", "--db", db, "--dossier", id, "-o", pkg, "--by", "Nguyễn Văn A")
	if !strings.HasPrefix(out, "dossier "+id+" (huu-nghi, submitted, ") || !strings.HasSuffix(out, "1 change, 1 step, 1 document → "+pkg+"\n") {
		t.Errorf("pack: %q", out)
	}
	out, _ = run(0, "dossier", "unpack", "--db", board, pkg)
	if !strings.HasPrefix(out, "dossier "+id+" received (huu-nghi, submitted, ") || !strings.HasSuffix(out, "1 change, 1 step, 1 document; sent by Nguyễn Văn A\n") {
		t.Errorf("unpack: %q", out)
	}
	out, _ = run(0, "dossier", "unpack", "--db", board, pkg)
	if !strings.Contains(out, "is already up to date\n") || strings.Count(out, "\n") != 1 {
		t.Errorf("again: %q", out)
	}
	out, _ = run(0, "dossier", "unpack", "--db", board, pkg, "--json")
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil || res["status"] != "up to date" || res["plan"] != "huu-nghi" {
		t.Errorf("--json: %v %s", err, out)
	}
	run(0, "verify", "--db", board)
	shown, _ := run(0, "dossier", "show", "--db", board, "--dossier", id)
	if !strings.Contains(shown, "[submitted]") || !strings.Contains(shown, "to-trinh.pdf") {
		t.Errorf("show in the board's store:\n%s", shown)
	}

	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("không phải hồ sơ\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"dossier", "pack", "--db", db, "--dossier", id}, "quyhoach: pack: need -o FILE\n"},
		{[]string{"dossier", "pack", "--db", db, "--dossier", "99", "-o", filepath.Join(dir, "x.gpkg")}, "quyhoach: pack: no dossier 99\n"},
		{[]string{"dossier", "unpack", "--db", board}, "quyhoach: unpack: need one FILE (a dossier package)\n"},
		{[]string{"dossier", "unpack", "--db", board, notes}, "quyhoach: unpack: notes.txt: not a dossier package (not a GeoPackage)\n"},
		{[]string{"dossier", "unpack", "--db", board, exp}, "quyhoach: unpack: lots.geojson: not a dossier package (not a GeoPackage)\n"},
		{[]string{"dossier", "unpack", "--db", other, pkg}, ") is not in this store\n"},
	} {
		_, e := run(2, c.args...)
		if !strings.HasSuffix(e, c.want) || strings.Count(e, "\n") != 1 {
			t.Errorf("%v: stderr %q, want one line ending %q", c.args[1:2], e, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.gpkg")); err == nil {
		t.Error("a refused pack left a file")
	}
	out, _ = run(0, "dossier", "list", "--db", other)
	if strings.Count(out, "\n") != 4 {
		t.Errorf("a refused unpack changed the store:\n%s", out)
	}
}
