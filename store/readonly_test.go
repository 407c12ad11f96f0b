package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadOnlyFilesystem: a store on a read-only filesystem opens read-only;
// every read works, a write says the store is read-only, nothing is left
// beside the file.
func TestReadOnlyFilesystem(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a filesystem here: %v %s", err, out)
	}
	defer exec.Command("umount", dir).Run()
	tpl, err := sampleTemplate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.db")
	copyFile(t, tpl, path)
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	checkReadOnly(t, path)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files beside the store", len(entries))
	}
}

// TestReadOnlyFileLeavesNothingBehind: a 0444 file in a folder that cannot
// be written is read without -wal or -shm files made beside it (the
// process runs as another user, as root writes anything).
func TestReadOnlyFileLeavesNothingBehind(t *testing.T) {
	if p := os.Getenv("QUYHOACH_TEST_RO"); p != "" { // the child, as another user
		checkReadOnly(t, p)
		return
	}
	if os.Getuid() != 0 {
		// not root: the test's own permissions do the same
		dir := t.TempDir()
		tpl, err := sampleTemplate()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "s.db")
		copyFile(t, tpl, path)
		os.Chmod(path, 0o444)
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
		checkReadOnly(t, path)
		return
	}
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("no setpriv to run as another user")
	}
	dir, err := os.MkdirTemp("", "ro")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tpl, err := sampleTemplate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.db")
	copyFile(t, tpl, path)
	os.Chmod(path, 0o444)
	os.Chmod(dir, 0o755) // others may read and enter, not write
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Dir(exe), 0o755)
	os.Chmod(exe, 0o755)
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", exe, "-test.run", "^TestReadOnlyFileLeavesNothingBehind$", "-test.v")
	cmd.Env = append(os.Environ(), "QUYHOACH_TEST_RO="+path, "HOME=/tmp")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestReadOnlyFileLeavesNothingBehind") {
		t.Fatalf("as another user: %v\n%s", err, out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files beside the store", len(entries))
	}
}

func checkReadOnly(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.ReadOnly() {
		t.Fatal("not opened read-only")
	}
	if plans, err := s.Plans(ctx); err != nil || len(plans) != 4 {
		t.Fatalf("plans: %d %v", len(plans), err)
	}
	if _, err := s.Load(ctx, "chi-ma", 0); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify: %v %v", v.Findings, err)
	}
	err = s.CreatePlan(ctx, Plan{Code: "x", Name: "x", Level: "zoning", Scale: 2000})
	if !errors.Is(err, ErrReadOnly) || err.Error() != "the store "+path+" is read-only" {
		t.Fatalf("a write: %v", err)
	}
}
