package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestWritesExactlyWhereAsked(t *testing.T) {
	for _, name := range []string{"p.gpkg", "dir#x/p.gpkg", "a?b/c d.geojson", "Đồng Đăng/lô CN-03#1.pdf"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := Write(path, func(f *os.File) error { _, err := f.WriteString("x"); return err }); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != Mode {
				t.Fatalf("mode %v, want %v", fi.Mode().Perm(), Mode)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Fatalf("%d files in the folder, want only the written one", len(entries))
			}
		})
	}
}

func TestFailedWriteLeavesTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.geojson")
	os.WriteFile(path, []byte("old"), 0o644)
	boom := errors.New("boom")
	err := Write(path, func(f *os.File) error { f.WriteString("half"); return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the writer's error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("file now %q, want it unchanged", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files left, want the temporary one removed", len(entries))
	}
}

// TestPanickingWriteStopsTheWriteback: a write that panics (and is
// recovered above) leaves no goroutine behind asking the disk to write a
// file whose descriptor is closed (R26).
func TestPanickingWriteStopsTheWriteback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.geojson")
	before := runtime.NumGoroutine()
	func() {
		defer func() { recover() }()
		Write(path, func(f *os.File) error { panic("boom") })
	}()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after a panicking write, %d before", n, before)
	}
}

func TestRefusesAFolder(t *testing.T) {
	if err := Write(t.TempDir()+"/", func(*os.File) error { return nil }); err == nil {
		t.Fatal("writing to a folder path succeeded")
	}
}

// TestLeftoversOfKilledRunsAreCleaned: a later write of the same file
// removes the temporary and journal files killed writes left, not the
// fresh ones of a write still going on.
func TestLeftoversOfKilledRunsAreCleaned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lô [1]*.gpkg")
	old := time.Now().Add(-2 * time.Hour)
	for _, n := range []string{".lô [1]*.gpkg.123.tmp", ".lô [1]*.gpkg.123.tmp-journal", ".lô [1]*.gpkg.456.tmp"} {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644)
		if n != ".lô [1]*.gpkg.456.tmp" {
			os.Chtimes(filepath.Join(dir, n), old, old)
		}
	}
	os.WriteFile(filepath.Join(dir, ".other.gpkg.1.tmp"), []byte("x"), 0o644)
	os.Chtimes(filepath.Join(dir, ".other.gpkg.1.tmp"), old, old)
	if err := Write(path, func(f *os.File) error { _, err := f.WriteString("x"); return err }); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, "|"); got != ".lô [1]*.gpkg.456.tmp|.other.gpkg.1.tmp|lô [1]*.gpkg" {
		t.Fatalf("left: %s", got)
	}
}

// childEnv names the file the child of TestKilledWriteIsCleanedAtOnce writes.
const childEnv = "ATOMICFILE_TEST_CHILD"

// TestKilledWriteIsCleanedAtOnce kills a process in the middle of a write
// (SIGKILL: no deferred code runs) and writes the same file again: the
// killed run's temporary file goes at once, not an hour later, since no
// live process holds its lock.
func TestKilledWriteIsCleanedAtOnce(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getenv(childEnv) != "" {
		t.Skip("unix file locks; or in the child")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "lots.geojson")
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteChild$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "writing\n" {
		cmd.Process.Kill()
		t.Fatalf("child said %q", line)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	left, _ := filepath.Glob(filepath.Join(dir, ".lots.geojson.*.tmp"))
	if len(left) != 1 {
		t.Fatalf("the killed write left %v, want its temporary file", left)
	}
	past := time.Now().Add(-2 * graceAfter) // older than a file being created, far from an hour
	os.Chtimes(left[0], past, past)
	if err := Write(path, func(f *os.File) error { _, err := f.WriteString("whole"); return err }); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "lots.geojson" {
		t.Fatalf("folder holds %v, want only lots.geojson", entries)
	}
}

// TestWriteChild is the child of TestKilledWriteIsCleanedAtOnce: it writes
// half a file and waits to be killed.
func TestWriteChild(t *testing.T) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("runs only as the child of TestKilledWriteIsCleanedAtOnce")
	}
	Write(path, func(f *os.File) error {
		f.WriteString(`{"type":"FeatureCollection","features":[`)
		fmt.Println("writing")
		time.Sleep(time.Minute)
		return nil
	})
	t.Fatal("not killed")
}

// TestLiveWriteKeepsItsFile: a write of a path while another write of it
// is under way (a long export, the same file exported again) leaves the
// other's temporary file alone, however old, up to staleAfter.
func TestLiveWriteKeepsItsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.gpkg")
	err := Write(path, func(outer *os.File) error {
		past := time.Now().Add(-time.Minute)
		os.Chtimes(outer.Name(), past, past)
		if err := Write(path, func(f *os.File) error { _, err := f.WriteString("inner"); return err }); err != nil {
			return err
		}
		if _, err := os.Stat(outer.Name()); err != nil {
			return fmt.Errorf("the write under way lost its file: %v", err)
		}
		_, err := outer.WriteString("outer")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "outer" {
		t.Fatalf("file holds %q, want the last write's", b)
	}
}
