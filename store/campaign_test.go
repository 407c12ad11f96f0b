package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// campaignEnv tells the child of TestKillCampaign what to run: "OP PATH".
const campaignEnv = "QUYHOACH_TEST_CAMPAIGN"

// campaignOps are the writes the campaign kills; each runs long enough on
// the fixture (tenths of a second) to be cut at many points.
var campaignOps = []string{"import", "apply", "approve", "export"}

// TestKillCampaign kills a child process with SIGKILL at random moments of
// an import, a dossier's apply, an approval and a GeoPackage export (six
// kill points each): every store afterwards verifies and is exactly as
// before the write or as after it, and an export is whole or absent.
func TestKillCampaign(t *testing.T) {
	if os.Getenv(campaignEnv) != "" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skip("the campaign takes half a minute")
	}
	fixture := campaignFixture(t)
	rng := rand.New(rand.NewPCG(14, 9))
	for _, op := range campaignOps {
		// a run to the end: how long the write takes, and the state after it
		dry := filepath.Join(t.TempDir(), "dry.db")
		copyFile(t, fixture, dry)
		before := contentPrint(t, dry)
		start := time.Now()
		cmd := exec.Command(os.Args[0], "-test.run=^TestCampaignChild$", "-test.v")
		cmd.Env = append(os.Environ(), campaignEnv+"="+op+" "+dry)
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("%s to the end: %v\n%s", op, err, out)
		}
		took := time.Since(start)
		after := contentPrint(t, dry)
		if after == before && op != "export" {
			t.Fatalf("%s changed nothing", op)
		}
		for k := range 6 {
			path := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%d.db", op, k))
			copyFile(t, fixture, path)
			at := time.Duration(rng.Int64N(int64(took)))
			cmd := exec.Command(os.Args[0], "-test.run=^TestCampaignChild$")
			cmd.Env = append(os.Environ(), campaignEnv+"="+op+" "+path)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(at)
			cmd.Process.Kill()
			cmd.Wait()
			got := contentPrint(t, path)
			state := map[bool]string{true: "before", false: "after"}[got == before]
			t.Logf("%s killed after %v of %v: the store is as %s it", op, at.Round(time.Millisecond), took.Round(time.Millisecond), state)
			if got != before && got != after {
				t.Errorf("%s killed after %v: the store is neither before nor after it:\n before %s\n after  %s\n got    %s", op, at, before, after, got)
			}
			s, err := Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatalf("%s killed after %v: %v", op, at, err)
			}
			v, err := s.Verify(context.Background(), VerifyOptions{})
			s.Close()
			if err != nil || len(v.Findings) > 0 {
				t.Errorf("%s killed after %v: verify: %v %v", op, at, v.Findings, err)
			}
			if op == "export" {
				checkExport(t, path+".gpkg")
			}
		}
	}
}

// checkExport holds a killed export to all or nothing: no file, or a
// GeoPackage with every lot.
func checkExport(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return
	}
	l, _, err := ReadGeoPackage(context.Background(), path, "L_A")
	if err != nil || len(l.Features) != campaignLots {
		t.Errorf("a killed export left %s: %d features, %v", path, len(l.Features), err)
	}
}

// campaignLots is the size of the fixture's plan.
const campaignLots = 30000

// campaignFixture is a store with a plan of campaignLots lots, a draft
// dossier (1) to apply to, and an appraised dossier (2) of 3 000 changes to
// approve.
func campaignFixture(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fixture.db")
	s, err := Open(ctx, path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(campaignLots, 1)}}})
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	changed := relabel(snap.Layers[0].Features[:3000], "DV")
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: 2, Layer: "L_A", Features: changed}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []Step{{Action: "submit", DocNo: "1/TTr"}, {Action: "appraise"}, {Action: "appraised", DocNo: "2/BC"}} {
		if _, err := s.Advance(ctx, 2, st); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// relabel copies features with another land-use class.
func relabel(fs []gis.Feature, class string) []gis.Feature {
	out := make([]gis.Feature, len(fs))
	for i, f := range fs {
		props := map[string]any{}
		for k, v := range f.Properties {
			props[k] = v
		}
		props["phanLoai"] = class
		out[i] = gis.Feature{ID: f.ID, Geometry: f.Geometry, Properties: props}
	}
	return out
}

// TestCampaignChild runs one write of the campaign to its end (or its kill).
func TestCampaignChild(t *testing.T) {
	op, path, ok := strings.Cut(os.Getenv(campaignEnv), " ")
	if !ok {
		t.Skip("runs only as the child of TestKillCampaign")
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	switch op {
	case "import":
		_, err = s.Import(ctx, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(campaignLots, 7)}}})
	case "apply":
		snap, lerr := s.Load(ctx, "p", 0)
		if lerr != nil {
			t.Fatal(lerr)
		}
		_, err = s.Apply(ctx, ApplyRequest{Dossier: 1, Layer: "L_A", Features: relabel(snap.Layers[0].Features[:15000], "CX")})
	case "approve":
		_, err = s.Advance(ctx, 2, Step{Action: "approve", DocNo: "3/QĐ", DocDate: "2026-12-01"})
	case "export":
		snap, lerr := s.Load(ctx, "p", 0)
		if lerr != nil {
			t.Fatal(lerr)
		}
		tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
		err = WriteGeoPackage(ctx, path+".gpkg", gis.Project(snap.Layers, tr), crs.TM3LangSon)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// contentPrint is a digest of a store's content that does not depend on
// the ids and times a write makes: the counts of every table's rows, the
// set of bodies, the plans' current version numbers, the dossiers' states
// and change sets.
func contentPrint(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, false)) // read-write: a killed write's WAL is recovered as SQLite would
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	var counts []string
	for _, q := range []string{
		"SELECT count(*) FROM version", "SELECT count(*) FROM version_item", "SELECT count(*) FROM body", "SELECT count(*) FROM body_bbox",
		"SELECT count(*) FROM layer", "SELECT count(*) FROM lineage", "SELECT count(*) FROM transition", "SELECT count(*) FROM dossier_change",
		"SELECT count(*) FROM dossier_link", "SELECT count(*) FROM plan_link", "SELECT count(*) FROM attachment",
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		counts = append(counts, fmt.Sprint(n))
	}
	for _, q := range []string{
		"SELECT hex(hash) FROM body ORDER BY hash",
		"SELECT p.code || '=' || coalesce(v.number, 0) FROM plan p LEFT JOIN version v ON v.id = p.current_version ORDER BY p.code",
		"SELECT id || ':' || state FROM dossier ORDER BY id",
		"SELECT c.dossier_id || c.op || hex(coalesce(b.hash, x'')) FROM dossier_change c LEFT JOIN body b ON b.id = c.body_id ORDER BY 1",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			h.Write([]byte(s + "\n"))
		}
		rows.Close()
	}
	return strings.Join(counts, " ") + " " + hex.EncodeToString(h.Sum(nil))[:16]
}
