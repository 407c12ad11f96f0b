package shp

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// maxSidecar caps the .prj, .cpg and field-name files read (they are a
// few hundred bytes).
const maxSidecar = 1 << 20

// Open opens the Shapefile whose .shp (or .dbf, .shx, .prj) is at p: its
// sibling files are found by base name, in any case of extension. close
// closes what it opened.
func Open(p string) (src *Source, close func() error, err error) {
	dir, file := filepath.Split(p)
	base := strings.TrimSuffix(file, filepath.Ext(file))
	entries, err := os.ReadDir(filepath.Join(dir, "."))
	if err != nil {
		return nil, nil, err
	}
	find := func(ext string) string {
		for _, e := range entries {
			if n := e.Name(); strings.EqualFold(n, base+ext) {
				return filepath.Join(dir, n)
			}
		}
		return ""
	}
	var files []*os.File
	close = func() error {
		var first error
		for _, f := range files {
			if err := f.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	open := func(name string) (io.Reader, int64, error) {
		f, err := os.Open(name)
		if err != nil {
			return nil, 0, err
		}
		files = append(files, f)
		st, err := f.Stat()
		if err != nil {
			return nil, 0, err
		}
		return f, st.Size(), nil
	}
	src = &Source{Name: base}
	shpPath := find(".shp")
	if shpPath == "" {
		return nil, nil, fmt.Errorf("%s: no %s.shp beside it", p, base)
	}
	if src.SHP, src.SHPSize, err = open(shpPath); err != nil {
		close()
		return nil, nil, err
	}
	if d := find(".dbf"); d != "" {
		if src.DBF, src.DBFSize, err = open(d); err != nil {
			close()
			return nil, nil, err
		}
	}
	read := func(name string) (string, error) {
		if name == "" {
			return "", nil
		}
		r, _, err := open(name)
		if err != nil {
			return "", err
		}
		b, err := io.ReadAll(io.LimitReader(r, maxSidecar))
		return string(b), err
	}
	if src.PRJ, err = read(find(".prj")); err == nil {
		if src.CPG, err = read(find(".cpg")); err == nil {
			var names string
			if names, err = read(find(NamesSuffix)); err == nil {
				src.Names, err = parseNames(names)
			}
		}
	}
	if err != nil {
		close()
		return nil, nil, err
	}
	return src, close, nil
}

// NamesSuffix ends the name of the field-name table beside a Shapefile
// written here: NAME_fieldnames.csv, rows "dbf_field,name" for the
// properties whose names are longer than a DBF field name may be.
const NamesSuffix = "_fieldnames.csv"

func parseNames(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("field-name table: %w", err)
	}
	m := map[string]string{}
	for i, r := range rows {
		if len(r) != 2 {
			return nil, fmt.Errorf("field-name table: row %d: want dbf_field,name", i+1)
		}
		if i == 0 && r[0] == "dbf_field" {
			continue
		}
		m[r[0]] = r[1]
	}
	return m, nil
}

// ZipLayers lists the Shapefiles of a zip archive by base name (with their
// folder inside the archive, if any), sorted.
func ZipLayers(p string) ([]string, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return zipLayers(&zr.Reader), nil
}

func zipLayers(zr *zip.Reader) []string {
	var out []string
	for _, f := range zr.File {
		if strings.EqualFold(path.Ext(f.Name), ".shp") && !strings.HasPrefix(path.Base(f.Name), "._") {
			out = append(out, strings.TrimSuffix(f.Name, path.Ext(f.Name)))
		}
	}
	slices.Sort(out)
	return out
}

// maxZipMember caps the uncompressed size of a member read from a zip
// (a zip bomb declares little and inflates much; the reader stops here).
const maxZipMember = 4 << 30

// OpenZip opens the Shapefile named layer (a base name ZipLayers lists, or
// its last path element; "" when the archive holds one) in a zip archive.
func OpenZip(p, layer string) (src *Source, close func() error, err error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, nil, err
	}
	names := zipLayers(&zr.Reader)
	var base string
	for _, n := range names {
		if layer == "" && len(names) == 1 || n == layer || path.Base(n) == layer {
			base = n
		}
	}
	if base == "" {
		zr.Close()
		if len(names) == 0 {
			return nil, nil, fmt.Errorf("%s holds no Shapefile (.shp)", p)
		}
		return nil, nil, &LayerError{Archive: p, Layers: names, Asked: layer}
	}
	find := func(ext string) *zip.File {
		for _, f := range zr.File {
			if strings.EqualFold(f.Name, base+ext) {
				return f
			}
		}
		return nil
	}
	var closers []io.Closer
	close = func() error {
		for _, c := range closers {
			c.Close()
		}
		return zr.Close()
	}
	open := func(f *zip.File) (io.Reader, int64, error) {
		rc, err := f.Open()
		if err != nil {
			return nil, 0, err
		}
		closers = append(closers, rc)
		size := int64(f.UncompressedSize64)
		if f.UncompressedSize64 > maxZipMember {
			return nil, 0, fmt.Errorf("%s: %s declares %d bytes", p, f.Name, f.UncompressedSize64)
		}
		return io.LimitReader(rc, size), size, nil
	}
	src = &Source{Name: path.Base(base)}
	if src.SHP, src.SHPSize, err = open(find(".shp")); err != nil {
		close()
		return nil, nil, err
	}
	if f := find(".dbf"); f != nil {
		if src.DBF, src.DBFSize, err = open(f); err != nil {
			close()
			return nil, nil, err
		}
	}
	read := func(ext string) (string, error) {
		f := find(ext)
		if f == nil {
			return "", nil
		}
		r, _, err := open(f)
		if err != nil {
			return "", err
		}
		b, err := io.ReadAll(io.LimitReader(r, maxSidecar))
		return string(b), err
	}
	for _, s := range []struct {
		ext string
		dst *string
	}{{".prj", &src.PRJ}, {".cpg", &src.CPG}} {
		if *s.dst, err = read(s.ext); err != nil {
			close()
			return nil, nil, err
		}
	}
	names2, err := read(NamesSuffix)
	if err == nil {
		src.Names, err = parseNames(names2)
	}
	if err != nil {
		close()
		return nil, nil, err
	}
	return src, close, nil
}

// LayerError is an archive of several Shapefiles read without naming one.
type LayerError struct {
	Archive string
	Layers  []string
	Asked   string
}

func (e *LayerError) Error() string {
	if e.Asked != "" {
		return fmt.Sprintf("%s holds no Shapefile %s (it holds %s)", e.Archive, e.Asked, strings.Join(e.Layers, ", "))
	}
	return fmt.Sprintf("%s holds several Shapefiles: choose one (%s)", e.Archive, strings.Join(e.Layers, ", "))
}
