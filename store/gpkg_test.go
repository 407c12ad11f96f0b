package store

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// awkwardNames are file names that mean something in a URI or cannot stand
// in one as they are: each must be written and opened exactly as named.
var awkwardNames = []string{
	"p.gpkg",
	"dir#x/p.gpkg",
	"a?b/c d.gpkg",
	"Đồng Đăng/lô CN-03#1.gpkg",
	"100%41/x%20y.gpkg",
	"q&r=s+t;u/v.gpkg",
}

// TestGeoPackageLiteralPaths writes a GeoPackage to each awkward name,
// given absolute and relative, then checks the file is exactly there (and
// nothing else is), has the mode of every export, and reads back.
func TestGeoPackageLiteralPaths(t *testing.T) {
	ctx := context.Background()
	lots := genLots(5, 1)
	for i := range lots {
		lots[i].ID = lots[i].String("maDoiTuong")
	}
	layers := []gis.Layer{{Name: "ChucNangSuDungDat_A", Features: lots}}
	for _, relative := range []bool{false, true} {
		for _, name := range awkwardNames {
			t.Run(map[bool]string{false: "absolute/", true: "relative/"}[relative]+name, func(t *testing.T) {
				root := t.TempDir()
				path := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				arg := path
				if relative {
					t.Chdir(root)
					arg = name
				}
				if err := WriteGeoPackage(ctx, arg, layers, crs.WGS84); err != nil {
					t.Fatal(err)
				}
				onlyFile(t, root, name)
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != atomicfile.Mode {
					t.Errorf("mode %v, want %v", fi.Mode().Perm(), atomicfile.Mode)
				}
				tables, err := GeoPackageTables(ctx, arg)
				if err != nil || len(tables) != 1 || tables[0] != "ChucNangSuDungDat_A" {
					t.Fatalf("tables %v %v", tables, err)
				}
				l, c, err := ReadGeoPackage(ctx, arg, "")
				if err != nil {
					t.Fatal(err)
				}
				if c != crs.WGS84 || len(l.Features) != len(lots) {
					t.Fatalf("read back %d features in %v, want %d in EPSG:4326", len(l.Features), c, len(lots))
				}
				for i, f := range l.Features {
					if f.ID != lots[i].ID || f.String("phanLoai") != lots[i].String("phanLoai") {
						t.Errorf("feature %d: got %s %s, want %s %s", i, f.ID, f.String("phanLoai"), lots[i].ID, lots[i].String("phanLoai"))
					}
				}
				ogrCount(t, path, len(lots))
			})
		}
	}
}

// onlyFile fails unless the tree under root holds exactly the file name.
func onlyFile(t *testing.T, root, name string) {
	t.Helper()
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, rel)
		}
		return err
	})
	if len(files) != 1 || files[0] != filepath.FromSlash(name) {
		t.Fatalf("files %q, want only %q", files, name)
	}
}

// ogrCount has GDAL count the features of the GeoPackage, when installed.
func ogrCount(t *testing.T, path string, want int) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		return
	}
	out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Feature Count: "+strconv.Itoa(want)+"\n") || !strings.Contains(string(out), "Layer name: ChucNangSuDungDat_A") {
		t.Fatalf("ogrinfo, want %d features:\n%s", want, out)
	}
}

// TestGeoPackageFailedWriteLeavesNothing: a failed export leaves no file
// behind, and an existing file where it was asked is kept as it was.
func TestGeoPackageFailedWriteLeavesNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	layers := []gis.Layer{{Name: "L_A", Features: genLots(3, 1)}}
	dir := t.TempDir()
	if err := WriteGeoPackage(ctx, filepath.Join(dir, "x#1.gpkg"), layers, crs.WGS84); err == nil {
		t.Fatal("a cancelled export succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed export left %d files", len(entries))
	}
	old := filepath.Join(dir, "old.gpkg")
	os.WriteFile(old, []byte("old"), 0o644)
	if err := WriteGeoPackage(ctx, old, layers, crs.WGS84); err == nil {
		t.Fatal("a cancelled export succeeded")
	}
	if b, _ := os.ReadFile(old); string(b) != "old" {
		t.Fatalf("the existing file is now %q, want it unchanged", b)
	}
	onlyFile(t, dir, "old.gpkg")
}

// TestOpenLiteralPaths opens (creates, then reopens) stores at awkward
// names, and at an absolute path written with a leading "//" (a path, not
// a URI authority): the file is exactly where asked.
func TestOpenLiteralPaths(t *testing.T) {
	ctx := context.Background()
	for _, name := range append(awkwardNames, "leading//") {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, name)
			if name == "leading//" {
				name, path = "q.db", "/"+filepath.Join(root, "q.db")
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				s, err := Open(ctx, path, Options{Create: true})
				if err != nil {
					t.Fatal(err)
				}
				if v, err := s.SchemaVersion(ctx); err != nil || v == 0 {
					t.Fatalf("schema version %d %v", v, err)
				}
				s.Close()
			}
			onlyFile(t, root, name)
		})
	}
}
