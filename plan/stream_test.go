package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// TestSourcesStreamAsReadReads: a GeoJSON file streamed for an import gives
// the features Read gives, in WGS84, and refuses what Read refuses.
func TestSourcesStreamAsReadReads(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	lots := write("lots.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"maDoiTuong":"A"},"geometry":{"type":"Polygon","coordinates":[[[444000,2430000],[444020,2430000],[444020,2430020],[444000,2430020],[444000,2430000]]]}},
{"type":"Feature","properties":{"maDoiTuong":"B"},"geometry":{"type":"Polygon","coordinates":[[[444020,2430000],[444020,2430020],[444040,2430020],[444040,2430000],[444020,2430000]]]}}]}`)
	o := ReadOptions{Layer: gis.LandUseLayer, CRS: crs.TM3LangSon, RequireGeometry: true}
	want, err := Read(ctx, lots, o)
	if err != nil {
		t.Fatal(err)
	}
	srcs, r, err := Sources(ctx, lots, o)
	if err != nil || len(srcs) != 1 || r.Layers[0].Name != gis.LandUseLayer {
		t.Fatalf("sources: %v %v", srcs, err)
	}
	var got []gis.Feature
	if err := srcs[0].Features(func(f gis.Feature) error { got = append(got, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d features streamed", len(got))
	}
	for i := range got {
		if !gis.SameShape(got[i].Geometry, want.Layers[0].Features[i].Geometry, 0) || got[i].String("maDoiTuong") != want.Layers[0].Features[i].String("maDoiTuong") {
			t.Errorf("feature %d: streamed %v, read %v", i, got[i].Geometry, want.Layers[0].Features[i].Geometry)
		}
	}
	// a line in an area layer, and a file whose crs member disagrees with --crs
	line := write("line.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[106.7,21.9],[106.71,21.91]]}}]}`)
	srcs, _, _ = Sources(ctx, line, ReadOptions{Layer: gis.LandUseLayer})
	if err := srcs[0].Features(func(gis.Feature) error { return nil }); err == nil || !strings.Contains(err.Error(), "holds areas") {
		t.Errorf("a line streamed into an area layer: %v", err)
	}
	srcs, _, _ = Sources(ctx, lots, ReadOptions{Layer: gis.LandUseLayer})
	if err := srcs[0].Features(func(gis.Feature) error { return nil }); err == nil || !strings.Contains(err.Error(), "--crs EPSG:9215") {
		t.Errorf("projected coordinates without --crs: %v", err)
	}
}
