package scene

import (
	"image/color"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
)

// ChangesLayer is the name of the compare-mode overlay layer.
const ChangesLayer = "changes"

// Colours of compare mode.
var (
	AddedColor    = color.NRGBA{0x00, 0x99, 0x33, 0xff}
	RemovedColor  = color.NRGBA{0xd0, 0x10, 0x10, 0xff}
	OldColor      = color.NRGBA{0xe0, 0x80, 0x00, 0xff}
	NewColor      = color.NRGBA{0x10, 0x40, 0xe0, 0xff}
	LineageColor  = color.NRGBA{0x80, 0x10, 0xa0, 0xff}
	fadedWhite    = 0.65
	changeOutline = 2.2
)

// Compare builds the compare-mode scene: the base (from) plan faded, and
// over it the changes of res: added lots (green), removed (red, dashed),
// modified as the old outline (orange, dashed) under the new (blue), and
// lines from each parent to its children for splits and merges.
// from and to are projected layers; res is diff.Layers of their land-use
// layers; lot labels are written in lang.
func Compare(from []gis.Layer, to []gis.Layer, res diff.Result, cat *landuse.Catalogue, lang string) *Scene {
	s := New()
	for _, l := range from {
		pl := PlanLayer(l, cat, lang)
		for i := range pl.Shapes {
			sh := &pl.Shapes[i]
			sh.Fill = mix(sh.Fill, fadedWhite)
			sh.Stroke.Color = mix(sh.Stroke.Color, 0.5)
			sh.lang = "" // no label
		}
		s.Add(pl)
	}
	byID := func(layers []gis.Layer) map[string]*gis.Feature {
		m := map[string]*gis.Feature{}
		for li := range layers {
			if layers[li].Name != gis.LandUseLayer {
				continue
			}
			for i := range layers[li].Features {
				m[layers[li].Features[i].ID] = &layers[li].Features[i]
			}
		}
		return m
	}
	old, now := byID(from), byID(to)
	ch := &Layer{Name: ChangesLayer}
	lot := func(f *gis.Feature, id string, fillAlpha uint8, st Stroke) {
		if f == nil || f.Geometry == nil {
			return
		}
		sh := Shape{ID: id, Feature: f, Bound: f.Geometry.Bound()}
		StyleLot(&sh, cat, lang)
		sh.Fill.A = fillAlpha
		sh.Stroke = st
		ch.Shapes = append(ch.Shapes, sh)
	}
	outline := func(f *gis.Feature, id string, st Stroke, fill color.NRGBA) {
		if f == nil || f.Geometry == nil {
			return
		}
		ch.Shapes = append(ch.Shapes, Shape{ID: id, Kind: Change, Feature: f, Bound: f.Geometry.Bound(), Stroke: st, Fill: fill, AreaM2: gis.Area(f.Geometry)})
	}
	for _, c := range res.Changes {
		switch c.Kind {
		case diff.Added:
			lot(now[c.ID], c.ID, 0xd0, Stroke{Color: AddedColor, Width: changeOutline})
		case diff.Removed:
			outline(old[c.ID], c.ID, Stroke{Color: RemovedColor, Width: changeOutline, Dash: []float64{6, 3}}, color.NRGBA{0xd0, 0x10, 0x10, 0x40})
		case diff.Modified:
			outline(old[c.ID], c.ID+"@old", Stroke{Color: OldColor, Width: changeOutline + 1, Dash: []float64{6, 3}}, color.NRGBA{})
			lot(now[c.ID], c.ID, 0xc0, Stroke{Color: NewColor, Width: changeOutline - 0.6})
		}
	}
	for _, g := range res.Groups {
		for _, p := range g.Parents {
			pf := old[p]
			if pf == nil || pf.Geometry == nil {
				continue
			}
			a := Anchor(pf.Geometry)
			for _, c := range g.Children {
				cf := now[c]
				if cf == nil || cf.Geometry == nil {
					continue
				}
				line := orb.LineString{a, Anchor(cf.Geometry)}
				f := &gis.Feature{ID: p + ">" + c, Geometry: line, Properties: map[string]any{"lineage": g.Kind}}
				ch.Shapes = append(ch.Shapes, Shape{ID: f.ID, Kind: Change, Feature: f, Bound: line.Bound(), Stroke: Stroke{Color: LineageColor, Width: 1.5, Dash: []float64{4, 2}}})
			}
		}
	}
	s.Add(ch)
	return s
}

// mix blends c towards white by k (0: c, 1: white).
func mix(c color.NRGBA, k float64) color.NRGBA {
	f := func(v uint8) uint8 { return uint8(float64(v)*(1-k) + 255*k + 0.5) }
	return color.NRGBA{f(c.R), f(c.G), f(c.B), c.A}
}
