package render

import (
	"image/color"
	"math"
	"strings"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

// Colours of the drawing model shared by screen and paper.
var (
	OutlineColor   = color.NRGBA{0x26, 0x26, 0x26, 0xff} // lot outlines
	UnknownFill    = color.NRGBA{0xc0, 0xc0, 0xc0, 0xff} // a lot whose class is not in the catalogue
	BoundaryColor  = color.NRGBA{0x9c, 0x12, 0x12, 0xff} // the plan boundary
	HighlightColor = color.NRGBA{0xff, 0x00, 0x00, 0xff} // the adjusted area
	LineColor      = color.NRGBA{0x55, 0x55, 0x55, 0xff} // centre lines and other line layers
)

// Pens of the fixed symbols, widths and dashes in mm on paper.
var (
	BoundaryPen  = Pen{BoundaryColor, 0.5, []float64{6, 1.5, 1, 1.5}}
	HighlightPen = Pen{HighlightColor, 0.8, []float64{4, 1.5}}
	LinePen      = Pen{LineColor, 0.18, []float64{6, 1, 1, 1}}
)

// Symbology styles plan features from the land-use catalogue.
type Symbology struct {
	Catalogue *landuse.Catalogue
}

// LotStyle is how a lot is drawn: fill, outline (mm on paper), its class.
type LotStyle struct {
	Fill    color.NRGBA
	Outline Pen
	Class   landuse.Class
	Known   bool // the class is in the catalogue
	Stage   string
}

// Lot returns the style of a land-use lot: the class colour, and the
// outline of its stage (giaiDoan).
func (s Symbology) Lot(f gis.Feature) LotStyle {
	st := LotStyle{Fill: UnknownFill, Stage: landuse.Stage(f.String("giaiDoan"))}
	out := landuse.Stroke{WidthMM: 0.25}
	if s.Catalogue != nil {
		if c, ok := s.Catalogue.Of(f); ok {
			st.Fill, st.Class, st.Known = c.RGB, c, true
			out = c.Outline(st.Stage)
		}
	}
	st.Outline = Pen{Color: OutlineColor, Width: out.WidthMM, Dash: out.Dash}
	return st
}

// scaled returns pen with its widths in mm multiplied by k surface units per mm.
func (p Pen) scaled(k float64) Pen {
	q := Pen{Color: p.Color, Width: p.Width * k}
	if len(p.Dash) > 0 {
		q.Dash = make([]float64, len(p.Dash))
		for i, d := range p.Dash {
			q.Dash[i] = d * k
		}
	}
	return q
}

// LotLabel returns the label lines of a lot, as both the screen and the
// printed sheet write them: its code (when it has one), its official area
// in hectares ("1,25 ha"; areaM2 in m²) and its planning indicators on one
// line — building density, storeys, floor-area ratio ("MĐ 42,75% · 2–4 T ·
// HS 1,85") — when it has any. Where room is short a label drops lines from
// the end. lang is "vi" (official sheets) or "en" (the screen in English:
// "BCR 42.75% · 2–4 st · FAR 1.85").
func LotLabel(f gis.Feature, areaM2 float64, lang string) []string {
	var out []string
	if c := f.String("maDoiTuong"); c != "" {
		out = append(out, c)
	}
	out = append(out, gis.Format(areaM2/10000, 2, lang)+" ha")
	if ind := indicators(f, lang); ind != "" {
		out = append(out, ind)
	}
	return out
}

// Abbreviations are the short names of the indicators on lot labels and in
// the legends that explain them: building density (mật độ xây dựng),
// storeys (tầng cao) and floor-area ratio (hệ số sử dụng đất) — "MĐ", "T",
// "HS" in Vietnamese ("vi", or any other lang), "BCR", "st", "FAR" in
// English ("en").
func Abbreviations(lang string) (density, storeys, far string) {
	if lang == "en" {
		return "BCR", "st", "FAR"
	}
	return "MĐ", "T", "HS"
}

// indicators writes the lot's planning indicators present on it, "" when none.
func indicators(f gis.Feature, lang string) string {
	density, storeys, far := Abbreviations(lang)
	density, storeys, far = density+" ", " "+storeys, far+" "
	num := func(v float64) string { return gis.Format(v, decimals(v), lang) }
	var parts []string
	if v, ok := f.Number("matDoXayDung"); ok {
		parts = append(parts, density+num(v)+"%")
	}
	lo, okLo := f.Number("tangCaoMin")
	hi, okHi := f.Number("tangCaoMax")
	switch {
	case okLo && okHi && lo != hi:
		parts = append(parts, num(lo)+"–"+num(hi)+storeys)
	case okHi:
		parts = append(parts, num(hi)+storeys)
	case okLo:
		parts = append(parts, num(lo)+storeys)
	}
	if v, ok := f.Number("heSoSuDungDat"); ok {
		parts = append(parts, far+num(v))
	}
	return strings.Join(parts, " · ")
}

// decimals is 0 for a whole number, else 1 or 2 as needed.
func decimals(v float64) int {
	switch {
	case v == math.Trunc(v):
		return 0
	case v*10 == math.Trunc(v*10):
		return 1
	}
	return 2
}
