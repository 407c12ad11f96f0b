package plan

import (
	"archive/zip"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/dxf"
	"quyhoach/gis/gpkg"
	"quyhoach/gis/shp"
)

var benchDir = flag.String("bench-dir", "", "the folder of the 100 000-lot DXF and Shapefile the format benchmarks read (written there by TestWriteBenchFormats when missing)")

// benchLots are n lots of 20 vertices, 50 m squares side by side in the
// grid (EPSG:9215) near Hữu Nghị, with codes, classes and indicators.
func benchLots(n int) []gis.Feature {
	r := rand.New(rand.NewPCG(1, 2))
	classes := []string{"ONM", "CN", "CXCC", "GT", "DV"}
	const side, cols = 50.0, 300
	out := make([]gis.Feature, n)
	for i := range out {
		x0, y0 := 440000+float64(i%cols)*side, 2420000+float64(i/cols)*side
		var ring orb.Ring
		for e := range 4 {
			for k := range 5 {
				t := float64(k) / 5 * side
				ring = append(ring, [4]orb.Point{{x0 + t, y0}, {x0 + side, y0 + t}, {x0 + side - t, y0 + side}, {x0, y0 + side - t}}[e])
			}
		}
		ring = append(ring, ring[0])
		out[i] = gis.Feature{Geometry: orb.Polygon{ring}, Properties: map[string]any{
			"maDoiTuong":   fmt.Sprintf("L-%d", i),
			"phanLoai":     classes[r.IntN(len(classes))],
			"matDoXayDung": float64(20 + r.IntN(60)),
			"tangCaoMax":   float64(1 + r.IntN(9)),
			"tenDoiTuong":  "Lô đất số " + fmt.Sprint(i),
		}}
	}
	return out
}

// benchFiles returns the 100 000-lot drawing and zipped Shapefile, writing
// them when missing: the drawing as the DXF export writes a plan (closed
// polyline, hatch and texts per lot, but no extended data, as a CAD
// office's drawing has none), the Shapefile as the export writes it.
func benchFiles(t testing.TB) (dxfPath, zipPath string) {
	dir := *benchDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "quyhoach-bench-formats")
	}
	dxfPath, zipPath = filepath.Join(dir, "lots.dxf"), filepath.Join(dir, "lots.zip")
	noisy := filepath.Join(dir, "lots-dimensions.dxf")
	if _, err := os.Stat(noisy); err == nil {
		return dxfPath, zipPath
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	lots := benchLots(100_000)
	doc := Drawing([]gis.Layer{{Name: gis.LandUseLayer, Features: lots}}, catalogue(t))
	for i := range doc.Entities {
		doc.Entities[i].Data = nil
	}
	f, err := os.Create(dxfPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := dxf.Write(f, doc); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// The same lots under a million dimension lines (a layer the presets
	// ignore): the file twice the size, the plan the same.
	for i := range 1_000_000 {
		x, y := 440000+float64(i%1000)*15, 2420000+float64(i/1000)*15
		doc.Entities = append(doc.Entities, dxf.Out{Kind: dxf.OutPolyline, Layer: "KICH_THUOC", Path: []orb.Point{{x, y}, {x + 10, y}}})
	}
	doc.Layers = append(doc.Layers, dxf.LayerDef{Name: "KICH_THUOC", Color: 3})
	f, err = os.Create(noisy)
	if err != nil {
		t.Fatal(err)
	}
	if err := dxf.Write(f, doc); err != nil {
		t.Fatal(err)
	}
	f.Close()
	srs, _ := gpkg.SRSOf(crs.TM3LangSon)
	f, _ = os.Create(zipPath)
	zw := zip.NewWriter(f)
	if err := shp.WriteZip(zw, gis.LandUseLayer, lots, srs.Definition, time.Now()); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	f.Close()
	return dxfPath, zipPath
}

// TestWriteBenchFormats writes the benchmark files (for .ci/bench-formats).
func TestWriteBenchFormats(t *testing.T) {
	if *benchDir == "" {
		t.Skip("no -bench-dir")
	}
	benchFiles(t)
}

func benchRead(b *testing.B, path string, o ReadOptions) {
	b.ReportAllocs()
	for b.Loop() {
		r, err := Read(ctx, path, o)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(r.Layers[0].Features); n != 100_000 {
			b.Fatalf("%d lots", n)
		}
	}
}

// BenchmarkReadDXF100k reads a drawing of 100 000 lots into WGS84 plan
// layers: parsing, flattening, lots from polylines and hatches, texts to
// codes and indicators, the overlap check, the transformation.
func BenchmarkReadDXF100k(b *testing.B) {
	path, _ := benchFiles(b)
	benchRead(b, path, ReadOptions{Layer: gis.LandUseLayer, CAD: cadOptions(b)})
}

// BenchmarkReadDXF100kDimensions reads the same lots from a drawing that
// also holds a million dimension lines: the plan, not the file, takes the
// memory.
func BenchmarkReadDXF100kDimensions(b *testing.B) {
	path, _ := benchFiles(b)
	benchRead(b, filepath.Join(filepath.Dir(path), "lots-dimensions.dxf"), ReadOptions{Layer: gis.LandUseLayer, CAD: cadOptions(b)})
}

// BenchmarkReadShapefile100k reads a zipped Shapefile of 100 000 lots into
// WGS84.
func BenchmarkReadShapefile100k(b *testing.B) {
	_, path := benchFiles(b)
	benchRead(b, path, ReadOptions{Layer: gis.LandUseLayer})
}
