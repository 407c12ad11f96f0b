package sheet

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis/render"
)

var dump = flag.String("dump", "", "write the benchmark's PDF to this file")

// BenchmarkA0Sheet10k prints an A0 landscape sheet at 1/2000 with 10 000
// labelled lots (120 × 84 lots of about 13.5 × 16.5 m) to PDF.
func BenchmarkA0Sheet10k(b *testing.B) {
	cat := catalogue(b)
	codes := []string{"ONM", "OHH", "DV", "CXCC", "CN", "GD", "HTKT", "KSLH", "PTQ", "YT"}
	lots := make([]gisFeature, 0, 10000)
	for _, f := range blocksWH(orb.Point{443000, 2429000}, 84, 120, 13.5, 16.5, 2.5, codes, 7) {
		lots = append(lots, f)
	}
	lots = lots[:10000]
	bnd := boundaryOf(lots)
	l, err := New(Options{Paper: "A0", Landscape: true, Scale: 2000}, bnd[0].Geometry.Bound().Center())
	if err != nil {
		b.Fatal(err)
	}
	doc := &Document{Title: "bench", Catalogue: cat, Fonts: fonts, Sheets: []Sheet{{
		Layout: l,
		Title:  TitleBlock{PlanName: "Quy hoạch thử tải", DrawingName: "Bản đồ quy hoạch tổng mặt bằng sử dụng đất", DrawingNo: "QH-01", Date: "27/11/2026"},
		Map:    render.Map{Lots: lots, Boundary: bnd, Labels: true},
		Plan:   bnd,
	}}}
	pdf, err := render.NewPDF(fonts)
	if err != nil {
		b.Fatal(err)
	}
	pdf.AddPage(l.Width, l.Height)
	d := doc.Sheets[0].Draw(pdf, cat)
	if d.Lots != 10000 || d.Labels < 5000 {
		b.Fatalf("drew %d lots, %d labels; want 10 000 lots, most labelled", d.Lots, d.Labels)
	}
	if *dump != "" {
		var out bytes.Buffer
		doc.Write(&out)
		os.WriteFile(*dump, out.Bytes(), 0o644)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := doc.Write(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB/pdf")
	b.ReportMetric(float64(d.Labels), "labels")
}
