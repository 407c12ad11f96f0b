package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"quyhoach/office"
	"quyhoach/office/pgtest"
	"quyhoach/plan"
	"quyhoach/store"
)

func TestMain(m *testing.M) {
	if os.Getenv("QUYHOACH_PUSH_CHILD") != "" {
		os.Exit(run(context.Background(), strings.Fields(os.Getenv("QUYHOACH_PUSH_CHILD")), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(pgtest.Main(m))
}

// officeFromSamples makes an office store holding the sample plans, and
// returns its address (the superuser's: no password) and the sample file.
func officeFromSamples(t *testing.T) (url, db string) {
	t.Helper()
	url = pgtest.DB(t)
	db = sampleDB(t)
	if _, e, code := quyhoach(t, "", "office", "init", url, "--from", db); code != 0 {
		t.Fatalf("office init --from: exit %d: %s", code, e)
	}
	return url, db
}

// contentHash is what two stores of one history share.
func contentHash(t *testing.T, db string) []byte {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := st.ContentHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// replica runs commands on one store; must fails the test on a non-zero exit.
type replica struct {
	t  *testing.T
	db string
}

func (r replica) run(args ...string) (string, string, int) {
	r.t.Helper()
	return quyhoach(r.t, "", append(args, "--db", r.db)...)
}

func (r replica) must(args ...string) string {
	r.t.Helper()
	out, e, code := r.run(args...)
	if code != 0 {
		r.t.Fatalf("%s %v: exit %d: %s", filepath.Base(r.db), args, code, e)
	}
	return out
}

// draft opens a draft dossier on huu-nghi reclassifying its first lot.
func (r replica) draft(title, class string) string {
	r.t.Helper()
	id := strings.TrimSpace(r.must("dossier", "create", "--plan", "huu-nghi", "--kind", "local", "--title", title))
	exp := filepath.Join(r.t.TempDir(), "lots.geojson")
	r.must("export", "--plan", "huu-nghi", "--layer", "ChucNangSuDungDat_A", "-o", exp)
	raw, _ := os.ReadFile(exp)
	var fc struct {
		Features []map[string]any `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		r.t.Fatal(err)
	}
	lot := fc.Features[0]
	lot["properties"].(map[string]any)["phanLoai"] = class
	changes, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": []any{lot}})
	cf := filepath.Join(r.t.TempDir(), "changes.geojson")
	os.WriteFile(cf, changes, 0o644)
	r.must("dossier", "apply", "--dossier", id, cf)
	return id
}

func (r replica) attach(id, name string, data []byte) {
	r.t.Helper()
	f := filepath.Join(r.t.TempDir(), name)
	os.WriteFile(f, data, 0o644)
	r.must("dossier", "attach", "--dossier", id, "--kind", "to_trinh", f)
}

// Two officers clone the office, work offline, push; each pulls the
// other's work; both replicas then hold the same history as each other.
func TestCloneEditPushPullConverge(t *testing.T) {
	url, _ := officeFromSamples(t)
	dir := t.TempDir()
	a, b := replica{t, filepath.Join(dir, "a.db")}, replica{t, filepath.Join(dir, "b.db")}
	for _, r := range []replica{a, b} {
		if out, e, code := quyhoach(t, "", "clone", url, "--db", r.db); code != 0 || !strings.Contains(out, "cloned") {
			t.Fatalf("clone: exit %d: %s %s", code, out, e)
		}
		if out := r.must("verify"); !strings.HasPrefix(out, "ok") {
			t.Fatalf("verify of a fresh clone: %s", out)
		}
		if out := r.must("remote"); !strings.Contains(out, "up to date") {
			t.Fatalf("remote of a fresh clone: %s", out)
		}
	}
	if !bytes.Equal(contentHash(t, a.db), contentHash(t, b.db)) {
		t.Fatal("two clones of one office differ")
	}
	// a clone refuses to overwrite a file
	if _, e, code := quyhoach(t, "", "clone", url, "--db", a.db); code == 0 || !strings.Contains(e, "exists already") {
		t.Fatalf("clone over a store: exit %d: %s", code, e)
	}

	// offline: A drafts a dossier and submits it; B drafts another with a document
	ida := a.draft("Điều chỉnh lô A", "BTX")
	a.attach(ida, "to-trinh-a.pdf", []byte("%PDF-1.4 tờ trình A"))
	a.must("dossier", "submit", "--dossier", ida, "--doc", "45/TTr-BQL", "--date", "2026-11-20")
	idb := b.draft("Điều chỉnh lô B", "CXCC")
	b.attach(idb, "to-trinh-b.pdf", bytes.Repeat([]byte("B"), 300_000))
	if out := a.must("remote"); !strings.Contains(out, "1 change to push") {
		t.Fatalf("remote after an offline dossier: %s", out)
	}
	officeNo := func(r replica, title string) any {
		var ds []map[string]any
		if err := json.Unmarshal([]byte(r.must("dossier", "list", "--json")), &ds); err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d["title"] == title {
				return d["office_number"]
			}
		}
		t.Fatalf("no dossier %q", title)
		return nil
	}
	if n := officeNo(a, "Điều chỉnh lô A"); n != nil {
		t.Fatalf("a dossier never pushed has office number %v", n)
	}
	if out := a.must("dossier", "list"); !strings.Contains(out, "OFFICE") {
		t.Fatalf("a replica's dossier list has no office numbers: %s", out)
	}
	if out := a.must("push"); !strings.Contains(out, "new at the office as number") {
		t.Fatalf("push A: %s", out)
	}
	if n := officeNo(a, "Điều chỉnh lô A"); n == nil {
		t.Fatal("a pushed dossier has no office number")
	}
	if out := b.must("push"); !strings.Contains(out, "new at the office as number") {
		t.Fatalf("push B: %s", out)
	}
	if out := a.must("push"); !strings.Contains(out, "nothing to push") {
		t.Fatalf("push again: %s", out)
	}
	// the reviewer's turn, on B after pulling A's submission: appraising
	if out := b.must("pull"); !strings.Contains(out, "received") {
		t.Fatalf("pull B: %s", out)
	}
	var shown []map[string]any
	if err := json.Unmarshal([]byte(b.must("dossier", "list", "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	var onB string
	for _, d := range shown {
		if d["title"] == "Điều chỉnh lô A" {
			onB = jsonNumber(d["id"])
		}
	}
	if onB == "" {
		t.Fatalf("A's dossier is not on B after the pull: %v", shown)
	}
	b.must("dossier", "appraise", "--dossier", onB, "--by", "Sở Xây dựng")
	b.must("push")
	out := a.must("pull")
	if !strings.Contains(out, "added; it is now appraising") || !strings.Contains(out, "received") {
		t.Fatalf("pull A: %s", out)
	}
	b.must("pull")
	for _, r := range []replica{a, b} {
		if out := r.must("verify"); !strings.HasPrefix(out, "ok") {
			t.Fatalf("verify %s: %s", r.db, out)
		}
		if out := r.must("remote"); !strings.Contains(out, "up to date") {
			t.Fatalf("remote %s after pulls: %s", r.db, out)
		}
	}
	if !bytes.Equal(contentHash(t, a.db), contentHash(t, b.db)) {
		t.Fatal("the replicas differ after push and pull")
	}
	// an empty pull says so
	if out := a.must("pull"); !strings.Contains(out, "already up to date") {
		t.Fatalf("empty pull: %s", out)
	}

	// both change one dossier since they last pulled: the second push is refused
	a.attach(ida, "y-kien-a.pdf", []byte("ý kiến A"))
	b.attach(onB, "y-kien-b.pdf", []byte("ý kiến B"))
	a.must("push")
	before := officeCursor(t, url)
	_, e, code := b.run("push")
	if code != 1 || !strings.Contains(e, "pull, then push again") {
		t.Fatalf("conflicting push: exit %d: %s", code, e)
	}
	if officeCursor(t, url) != before {
		t.Fatal("a refused push changed the office")
	}
	out, _, code = b.run("pull")
	if code != 1 || !strings.Contains(out, "left as it is here") {
		t.Fatalf("pull of a dossier changed on both sides: exit %d: %s", code, out)
	}
	if out := b.must("verify"); !strings.HasPrefix(out, "ok") {
		t.Fatalf("verify after a diverged pull: %s", out)
	}
	// asked to, B records its document again after the office's, and pushes
	if out := b.must("pull", "--replay"); !strings.Contains(out, "1 step or document of this store recorded again") {
		t.Fatalf("pull --replay: %s", out)
	}
	b.must("push")
	a.must("pull")
	for _, r := range []replica{a, b} {
		if out := r.must("verify"); !strings.HasPrefix(out, "ok") {
			t.Fatalf("verify %s after the replay: %s", r.db, out)
		}
	}
	if !bytes.Equal(contentHash(t, a.db), contentHash(t, b.db)) {
		t.Fatal("the replicas differ after a replayed pull")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(a.must("dossier", "show", "--dossier", ida, "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc["attachments"].([]any)); n != 3 {
		t.Fatalf("A's dossier holds %d documents after both sides' were pushed, want 3", n)
	}

	// a step that cannot follow the office's is not replayed: nothing changes
	a.must("dossier", "appraised", "--dossier", ida, "--doc", "12/BC-SXD")
	b.must("dossier", "return", "--dossier", onB, "--note", "bổ sung hồ sơ")
	a.must("push")
	beforeB, _ := os.ReadFile(b.db)
	_, e, code = b.run("pull", "--replay")
	if code == 0 || !strings.Contains(e, "cannot follow the office's") {
		t.Fatalf("replay of a step that cannot follow: exit %d: %s", code, e)
	}
	if afterB, _ := os.ReadFile(b.db); !bytes.Equal(beforeB, afterB) {
		t.Fatal("a refused replay changed the replica")
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// officeCursor is the head of the office's change log.
func officeCursor(t *testing.T, url string) int64 {
	t.Helper()
	o, err := office.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	n, err := o.Cursor(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A push killed (kill -9) while its transaction is open leaves the office
// as it was; pushing again completes it.
func TestPushKilledMidwayLeavesOfficeAsBefore(t *testing.T) {
	url, _ := officeFromSamples(t)
	r := replica{t, filepath.Join(t.TempDir(), "r.db")}
	if _, e, code := quyhoach(t, "", "clone", url, "--db", r.db); code != 0 {
		t.Fatalf("clone: %s", e)
	}
	id := r.draft("Điều chỉnh lớn", "BTX")
	big := make([]byte, 20<<20)
	for i := range big {
		big[i] = byte(i * 7919 >> 3)
	}
	r.attach(id, "ban-ve.pdf", big)
	before := officeCursor(t, url)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QUYHOACH_PUSH_CHILD=push --db "+r.db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// kill it once its transaction holds the office's write lock
	deadline := time.Now().Add(60 * time.Second)
	for {
		var n int
		conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").Scan(&n)
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the push never took the office's write lock")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	// the server notices the lost client and rolls back
	for i := 0; i < 500; i++ {
		var n int
		conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").Scan(&n)
		if n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if officeCursor(t, url) != before {
		t.Fatal("a push killed midway changed the office")
	}
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM dossier WHERE title = 'Điều chỉnh lớn'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the killed push left its dossier at the office: %d %v", n, err)
	}
	if out := r.must("push"); !strings.Contains(out, "new at the office") {
		t.Fatalf("push after the kill: %s", out)
	}
	if out := r.must("remote"); !strings.Contains(out, "up to date") && !strings.Contains(out, "to pull") {
		t.Fatalf("remote after the retried push: %s", out)
	}
	if out := r.must("push"); !strings.Contains(out, "nothing to push") {
		t.Fatalf("push once more: %s", out)
	}
}

// BenchmarkClone100k clones an office holding one plan of the lots in
// $QUYHOACH_BENCH_LOTS (.ci/bench-office writes 100 000): reading the
// office and writing the replica, end to end.
func BenchmarkClone100k(b *testing.B) {
	lots := os.Getenv("QUYHOACH_BENCH_LOTS")
	if lots == "" {
		b.Skip("set QUYHOACH_BENCH_LOTS to a GeoJSON of lots (.ci/bench-office makes one)")
	}
	ctx := context.Background()
	url := pgtest.DB(b)
	src := filepath.Join(b.TempDir(), "src.db")
	for _, args := range [][]string{
		{"init", "--db", src},
		{"plan", "create", "--db", src, "--code", "b", "--name", "Bench", "--level", "zoning", "--scale", "2000"},
		{"import", "--db", src, "--plan", "b", "--layer", "ChucNangSuDungDat_A", "--key", "maDoiTuong", lots},
		{"office", "init", url, "--from", src},
	} {
		var o, e bytes.Buffer
		if code := run(ctx, args, strings.NewReader(""), &o, &e); code != 0 {
			b.Fatalf("%v: exit %d: %s", args, code, e.String())
		}
	}
	b.ResetTimer()
	for i := range b.N {
		res, err := plan.Clone(ctx, url, filepath.Join(b.TempDir(), fmt.Sprintf("c%d.db", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Versions != 1 {
			b.Fatalf("cloned %d versions", res.Versions)
		}
	}
}

// BenchmarkEmptyPull is `quyhoach pull` with nothing new at the office, end
// to end: connect, read the change log's head, note the pull.
func BenchmarkEmptyPull(b *testing.B) {
	ctx := context.Background()
	url := pgtest.DB(b)
	src := filepath.Join(b.TempDir(), "src.db")
	clone := filepath.Join(b.TempDir(), "clone.db")
	for _, args := range [][]string{{"init", "--db", src, "--sample"}, {"office", "init", url, "--from", src}, {"clone", url, "--db", clone, "-q"}} {
		var o, e bytes.Buffer
		if code := run(ctx, args, strings.NewReader(""), &o, &e); code != 0 {
			b.Fatalf("%v: exit %d: %s", args, code, e.String())
		}
	}
	st, err := store.Open(ctx, clone, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.ResetTimer()
	for range b.N {
		res, err := plan.Pull(ctx, st, nil)
		if err != nil || res.Brought() {
			b.Fatalf("%v %+v", err, res)
		}
	}
}

// approveHere takes a draft of r through to approval.
func (r replica) approveHere(title, class, decision string) string {
	r.t.Helper()
	id := r.draft(title, class)
	r.must("dossier", "submit", "--dossier", id, "--doc", "1/TTr", "--date", "2026-11-20")
	r.must("dossier", "appraise", "--dossier", id, "--by", "Sở Xây dựng")
	r.must("dossier", "appraised", "--dossier", id, "--doc", "2/BC")
	r.must("dossier", "approve", "--dossier", id, "--doc", decision, "--date", "2026-12-01")
	return id
}

// Two replicas approve a dossier of one plan each: the second to pull is
// told the plan moved on both sides, and takes the rest of what came.
func TestTwoApprovalsOfOnePlan(t *testing.T) {
	url, _ := officeFromSamples(t)
	dir := t.TempDir()
	a, b := replica{t, filepath.Join(dir, "a.db")}, replica{t, filepath.Join(dir, "b.db")}
	for _, r := range []replica{a, b} {
		if _, e, code := quyhoach(t, "", "clone", url, "--db", r.db, "-q"); code != 0 {
			t.Fatalf("clone: %s", e)
		}
	}
	a.approveHere("Điều chỉnh A", "BTX", "10/QĐ")
	b.approveHere("Điều chỉnh B", "CXCC", "11/QĐ")
	other := b.draft("Hồ sơ khác của B", "DV")
	a.must("push")
	a.draft("Hồ sơ mới của A", "DV")
	a.must("push")
	out, _, code := b.run("pull")
	if code != 1 || !strings.Contains(out, "plan huu-nghi: its new versions at the office not taken") {
		t.Fatalf("pull after two approvals of one plan: exit %d: %s", code, out)
	}
	if out := b.must("verify"); !strings.HasPrefix(out, "ok") {
		t.Fatalf("verify: %s", out)
	}
	_, e, code := b.run("push")
	if code == 0 || !strings.Contains(e, "pull first") {
		t.Fatalf("push of the second approval: exit %d: %s", code, e)
	}
	_ = other
}

// A replica is tied to the office it was cloned from: another office's
// address is refused, the same office's new address taken.
func TestRemoteSetRefusesAnotherOffice(t *testing.T) {
	url1, _ := officeFromSamples(t)
	url2, _ := officeFromSamples(t)
	r := replica{t, filepath.Join(t.TempDir(), "r.db")}
	if _, e, code := quyhoach(t, "", "clone", url1, "--db", r.db, "-q"); code != 0 {
		t.Fatalf("clone: %s", e)
	}
	_, e, code := r.run("remote", "--set", url2)
	if code != 2 || !strings.Contains(e, "is not the one this store was cloned from") {
		t.Fatalf("remote --set another office: exit %d: %s", code, e)
	}
	same := strings.Replace(url1, "127.0.0.1", "localhost", 1)
	if out := r.must("remote", "--set", same); !strings.Contains(out, "localhost") || !strings.Contains(out, "up to date") {
		t.Fatalf("remote --set the same office's other address: %s", out)
	}
	_, e, code = r.run("remote", "--set", "postgres://u:secret@127.0.0.1/x")
	if code != 2 || strings.Contains(e, "secret") {
		t.Fatalf("remote --set with a password: exit %d: %s", code, e)
	}
}

// A dossier that does not verify at the office (written there around every
// check) is left out of a pull, and holds up nothing else.
func TestPullLeavesOutWhatDoesNotVerify(t *testing.T) {
	url, _ := officeFromSamples(t)
	dir := t.TempDir()
	a, b := replica{t, filepath.Join(dir, "a.db")}, replica{t, filepath.Join(dir, "b.db")}
	for _, r := range []replica{a, b} {
		if _, e, code := quyhoach(t, "", "clone", url, "--db", r.db, "-q"); code != 0 {
			t.Fatalf("clone: %s", e)
		}
	}
	bad := a.draft("Hồ sơ bị sửa ở văn phòng", "BTX")
	a.draft("Hồ sơ lành", "DV")
	a.must("push")
	_ = bad
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// the superuser, guards off, appends a link no step stands behind
	for _, q := range []string{
		"ALTER TABLE dossier_link DISABLE TRIGGER USER",
		`INSERT INTO dossier_link (dossier, seq, kind, content, prev, hash)
		 SELECT l.dossier, l.seq + 1, 'attach', 'x', l.hash, sha256(l.hash || 'attach'::bytea || '\x00'::bytea || 'x'::bytea)
		 FROM dossier_link l JOIN dossier d ON d.uid = l.dossier WHERE d.title = 'Hồ sơ bị sửa ở văn phòng' ORDER BY l.seq DESC LIMIT 1`,
		"UPDATE dossier SET rev = rev + 1 WHERE title = 'Hồ sơ bị sửa ở văn phòng'",
		"SELECT office_log('dossier', uid) FROM dossier WHERE title = 'Hồ sơ bị sửa ở văn phòng'",
		"ALTER TABLE dossier_link ENABLE TRIGGER USER",
	} {
		if _, err := conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out, e, code := b.run("pull")
	if code != 1 || !strings.Contains(out, `"Hồ sơ bị sửa ở văn phòng"`) || !strings.Contains(out, "does not verify at the office") ||
		!strings.Contains(out, "received (huu-nghi, draft") {
		t.Fatalf("pull with a dossier that does not verify: exit %d: %s %s", code, out, e)
	}
	if out := b.must("verify"); !strings.HasPrefix(out, "ok") {
		t.Fatalf("verify: %s", out)
	}
}
