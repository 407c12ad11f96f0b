package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
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
