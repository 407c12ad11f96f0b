package render

import (
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// metrics measures text from the fonts' advance widths alone, as a PDF
// viewer lays it out (no kerning, as fpdf writes it): measuring never
// touches a page. A sheet measures every label it places; through fpdf each
// measure selected a font in the page's content (6 million selections on a
// 100 000-lot sheet).
type metrics struct {
	mu    sync.Mutex
	fonts [2]*sfnt.Font // regular, bold
	upem  [2]float64
	adv   [2]map[rune]float64 // advance per em, by rune
	buf   sfnt.Buffer
}

func newMetrics(f Fonts) (*metrics, error) {
	m := &metrics{}
	for i, data := range [][]byte{f.Regular, f.Bold} {
		if len(data) == 0 {
			m.fonts[i], m.upem[i] = m.fonts[0], m.upem[0]
			m.adv[i] = m.adv[0]
			continue
		}
		ft, err := sfnt.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("render: font: %w", err)
		}
		m.fonts[i], m.upem[i], m.adv[i] = ft, float64(ft.UnitsPerEm()), map[rune]float64{}
	}
	return m, nil
}

// width is the advance of s at em size size (in the size's unit).
func (m *metrics) width(s string, size float64, bold bool) float64 {
	i := 0
	if bold {
		i = 1
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	em := 0.0
	for _, r := range s {
		a, ok := m.adv[i][r]
		if !ok {
			a = m.advance(i, r)
			m.adv[i][r] = a
		}
		em += a
	}
	return em * size
}

// advance is r's advance per em in font i (a missing glyph: .notdef's).
func (m *metrics) advance(i int, r rune) float64 {
	ft := m.fonts[i]
	g, err := ft.GlyphIndex(&m.buf, r)
	if err != nil {
		return 0
	}
	upem := fixed.Int26_6(m.upem[i])
	adv, err := ft.GlyphAdvance(&m.buf, g, upem, font.HintingNone)
	if err != nil {
		return 0
	}
	return float64(adv) / m.upem[i]
}
