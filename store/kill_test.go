package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"quyhoach/gis"
)

// killEnv names the store the child process imports into.
const killEnv = "QUYHOACH_TEST_KILL_STORE"

// TestKilledImportLeavesStoreAsItWas starts a child process that imports a
// large layer and kills it with SIGKILL in the middle of the write
// transaction: the file must be exactly as before and verify clean.
func TestKilledImportLeavesStoreAsItWas(t *testing.T) {
	if os.Getenv(killEnv) != "" {
		t.Skip("in the child")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kill.db")
	s, err := Open(ctx, path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(500, 1)}}})
	before := fingerprint(t, s)
	s.Close()

	killChild(t, "TestKillChild", killEnv+"="+path, func(line string) bool {
		var done, total int
		n, _ := fmt.Sscanf(line, "written %d of %d", &done, &total)
		return n == 2 && done >= 8000
	})

	// the child wrote through a rollback journal and had spilled pages
	// into the file: the journal is hot, and Open must roll it back
	if _, err := os.Stat(path + "-journal"); err != nil {
		t.Errorf("no hot journal after the kill: %v", err)
	}
	if ro, err := Open(ctx, path, Options{ReadOnly: true}); err == nil { // it would read the half-written file
		ro.Close()
		t.Error("a read-only open beside a hot journal was let through")
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := fingerprint(t, s); after != before {
		t.Fatalf("store changed by a killed import:\nbefore %s\nafter  %s", before, after)
	}
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify after the kill: %v %v", v.Findings, err)
	}
}

// TestKillChild is the child process of TestKilledImportLeavesStoreAsItWas.
func TestKillChild(t *testing.T) {
	path := os.Getenv(killEnv)
	if path == "" {
		t.Skip("runs only as the child of TestKilledImportLeavesStoreAsItWas")
	}
	s, err := Open(context.Background(), path, Options{Alone: true}) // as the import command
	if err != nil {
		t.Fatal(err)
	}
	importPragmas = []pragma{{"cache_size", -1024}} // pages spill into the file early
	_, err = s.Import(context.Background(), ImportRequest{
		Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(60000, 2)}},
		Progress: func(done, total int) { fmt.Printf("written %d of %d\n", done, total) },
	})
	t.Fatalf("the import was not killed (err %v)", err)
}

func fingerprint(t *testing.T, s *Store) string {
	return fmt.Sprintf("versions %d items %d bodies %d bbox %d layers %d current %d lineage %d transitions %d states %d",
		count(t, s, "SELECT count(*) FROM version"), count(t, s, "SELECT count(*) FROM version_item"),
		count(t, s, "SELECT count(*) FROM body"), count(t, s, "SELECT count(*) FROM body_bbox"),
		count(t, s, "SELECT count(*) FROM layer"), count(t, s, "SELECT coalesce(sum(current_version), 0) FROM plan"),
		count(t, s, "SELECT count(*) FROM lineage"), count(t, s, "SELECT count(*) FROM transition"),
		count(t, s, "SELECT count(*) FROM dossier WHERE state = 'approved'"))
}

// killApproveEnv names the store whose dossier the child approves.
const killApproveEnv = "QUYHOACH_TEST_KILL_APPROVE"

// TestKilledApproveLeavesOldState kills a child process with SIGKILL inside
// the approval transaction: the dossier stays appraised, no version is
// added, verify passes, and the approval then succeeds.
func TestKilledApproveLeavesOldState(t *testing.T) {
	if os.Getenv(killApproveEnv) != "" {
		t.Skip("in the child")
	}
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	mustApply(t, s, d, lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}))
	mustStep(t, s, d, Step{Action: "submit", DocNo: "1/TTr"})
	mustStep(t, s, d, Step{Action: "appraise"})
	mustStep(t, s, d, Step{Action: "appraised", DocNo: "2/BC"})
	before := fingerprint(t, s)
	path := s.Path()
	s.Close()

	killChild(t, "TestKillApproveChild", killApproveEnv+"="+path, func(line string) bool { return line == "approving" })
	var err error
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := fingerprint(t, s); after != before {
		t.Fatalf("a killed approval changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if got, _ := s.Dossier(ctx, d); got.State != Appraised || len(got.Transitions) != 3 {
		t.Fatalf("dossier after the kill: %s with %d transitions", got.State, len(got.Transitions))
	}
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify: %v %v", v.Findings, err)
	}
	if got := mustStep(t, s, d, Step{Action: "approve", DocNo: "3/QĐ", DocDate: "2026-12-01"}); got.State != Approved {
		t.Fatal(got.State)
	}
}

// TestKillApproveChild is the child of TestKilledApproveLeavesOldState.
func TestKillApproveChild(t *testing.T) {
	path := os.Getenv(killApproveEnv)
	if path == "" {
		t.Skip("runs only as the child of TestKilledApproveLeavesOldState")
	}
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	testHookApprove = func() {
		fmt.Println("approving")
		time.Sleep(time.Minute)
	}
	_, err = s.Advance(context.Background(), 1, Step{Action: "approve", DocNo: "3/QĐ", DocDate: "2026-12-01"})
	t.Fatalf("the approval was not killed (err %v)", err)
}

// killChild runs test as a child process with env and kills it with SIGKILL
// (no deferred rollback, no clean close) at the first output line for which
// at returns true.
func killChild(t *testing.T, test, env string, at func(line string) bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		if at(sc.Text()) {
			cmd.Process.Kill()
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatalf("%s ended before it could be killed", test)
	}
}
