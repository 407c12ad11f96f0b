package geojson

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// lots generates n plan lots of 20 positions (19 vertices and the closing
// one) near Lạng Sơn, with the properties a zoning layer carries, seeded so
// every run sees the same data.
func lots(n int) *Collection { return lotsWith(n, 12) }

// lotsWith is lots with coordinates rounded to the given decimals; GDAL
// writes 15.
func lotsWith(n, decimals int) *Collection {
	scale := math.Pow(10, float64(decimals))
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"ODT", "DGT", "CXKV", "TMD", "DGD", "SKC"}
	c := &Collection{CRS: crs.WGS84, Features: make([]gis.Feature, n)}
	side := int(math.Sqrt(float64(n))) + 1
	for i := range c.Features {
		cx := 106.70 + float64(i%side)*0.0005
		cy := 21.80 + float64(i/side)*0.0005
		ring := make(orb.Ring, 20)
		for j := range 19 {
			a := 2 * math.Pi * float64(j) / 19
			r := 0.0002 * (0.8 + 0.2*rng.Float64())
			x := cx + r*math.Cos(a)
			y := cy + r*math.Sin(a)
			ring[j] = orb.Point{math.Round(x*scale) / scale, math.Round(y*scale) / scale}
		}
		ring[19] = ring[0]
		c.Features[i] = gis.Feature{
			ID:       strconv.Itoa(i + 1),
			Geometry: orb.Polygon{ring},
			Properties: map[string]any{
				"maDat":    codes[i%len(codes)],
				"soTo":     float64(1 + i/500),
				"soThua":   float64(1 + i%500),
				"dienTich": math.Round(rng.Float64()*5000*100) / 100,
				"ten":      "Lô đất số " + strconv.Itoa(i+1),
			},
		}
	}
	return c
}

var lotsData = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := Write(&b, lots(100_000)); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkRead reads 100 000 generated 20-vertex lots (about 80 MB).
func BenchmarkRead(b *testing.B) {
	data := lotsData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		c, err := Read(bytes.NewReader(data), Options{RequireGeometry: true})
		if err != nil {
			b.Fatal(err)
		}
		n += len(c.Features)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "features/s")
}

var lotsDataGDAL = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := Write(&b, lotsWith(100_000, 15)); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkReadGDALPrecision reads the lots of BenchmarkRead with 15
// decimals, 17–18 significant digits per number, as GDAL writes them.
func BenchmarkReadGDALPrecision(b *testing.B) {
	data := lotsDataGDAL()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		c, err := Read(bytes.NewReader(data), Options{RequireGeometry: true})
		if err != nil {
			b.Fatal(err)
		}
		n += len(c.Features)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "features/s")
}

// BenchmarkReadReal reads the Kenton land-use layer (220 real polygons).
func BenchmarkReadReal(b *testing.B) {
	c := mustRead(b, "../../testdata/real/kenton-landuse.geojson", Options{})
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(c.Features))/b.Elapsed().Seconds(), "features/s")
}

// BenchmarkCanonical writes the canonical body of one lot per operation.
func BenchmarkCanonical(b *testing.B) {
	c := lots(10_000)
	buf := make([]byte, 0, 4096)
	var size int
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = AppendCanonical(buf[:0], c.Features[i%len(c.Features)], true)
		size += len(buf)
	}
	b.SetBytes(int64(size / b.N))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "features/s")
}

// BenchmarkParseFeature decodes one stored body per operation, as opening
// a version does.
func BenchmarkParseFeature(b *testing.B) {
	c := lots(10_000)
	bodies := make([][]byte, len(c.Features))
	for i, f := range c.Features {
		bodies[i] = Canonical(f, true)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseFeature(bodies[i%len(bodies)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "features/s")
}

// BenchmarkParseProperties decodes the properties of one stored body per
// operation, skipping its geometry, as opening a version from the bodies' binary
// geometry does.
func BenchmarkParseProperties(b *testing.B) {
	c := lots(10_000)
	bodies := make([][]byte, len(c.Features))
	for i, f := range c.Features {
		bodies[i] = Canonical(f, true)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseProperties(bodies[i%len(bodies)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "features/s")
}

// BenchmarkWrite writes 100 000 lots as a FeatureCollection.
func BenchmarkWrite(b *testing.B) {
	c := lots(100_000)
	b.SetBytes(int64(len(lotsData())))
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(c.Features))/b.Elapsed().Seconds(), "features/s")
}
