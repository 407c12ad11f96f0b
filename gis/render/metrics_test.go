package render

import (
	"math"
	"os"
	"testing"
)

// TestPDFTextWidthIsFpdfs: widths measured from the fonts are fpdf's own,
// for Vietnamese text, both weights, several sizes.
func TestPDFTextWidthIsFpdfs(t *testing.T) {
	reg, _ := os.ReadFile("../../assets/fonts/NotoSans-Regular.ttf")
	bold, _ := os.ReadFile("../../assets/fonts/NotoSans-Bold.ttf")
	p, err := NewPDF(Fonts{Regular: reg, Bold: bold})
	if err != nil {
		t.Fatal(err)
	}
	p.AddPage(210, 297)
	for _, s := range []string{"CN-03a", "Đất nhóm nhà ở 0,64 ha", "MĐXD 40% · 3–5 T", "ỹẫẵ"} {
		for _, size := range []float64{1.8, 2.5, 4} {
			for _, b := range []bool{false, true} {
				p.setFont(size, b)
				want := p.doc.GetStringWidth(s)
				if got := p.TextWidth(s, size, b); math.Abs(got-want) > 1e-6*size {
					t.Errorf("%q %v %v: %v, fpdf says %v", s, size, b, got, want)
				}
			}
		}
	}
}
