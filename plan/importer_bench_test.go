package plan

import (
	"os"
	"path/filepath"
	"testing"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
)

// BenchmarkPreview100k is the import dialog's preview of a GeoJSON file
// of 100 000 lots of 20 vertices (WGS84, ~70 MB) keyed by maDoiTuong: read
// feature by feature, every lot validated, keys checked, extent and fields
// gathered.
func BenchmarkPreview100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "lots.geojson")
	lots := benchLots(100_000)
	tr, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	gis.Project([]gis.Layer{{Features: lots}}, tr)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := geojson.Write(f, &geojson.Collection{CRS: crs.WGS84, Features: lots}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	lots = nil
	req := ImportRequest{File: path, Read: ReadOptions{Layer: gis.LandUseLayer}, Key: "maDoiTuong"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := PreviewImport(ctx, nil, req)
		if err != nil {
			b.Fatal(err)
		}
		if p.Features() != 100_000 || len(p.Problems) != 0 {
			b.Fatalf("%d features, problems %v", p.Features(), p.Problems)
		}
	}
}
