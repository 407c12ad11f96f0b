package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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
