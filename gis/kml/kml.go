// Package kml writes plan layers as KML and KMZ for Google Earth, where
// officials show plans: WGS84 coordinates, each land-use class's colour,
// and a description table per lot. Properties also go in ExtendedData, so
// GIS programs (GDAL's LIBKML driver) read them back as fields.
package kml

import (
	"fmt"
	"html"
	"image/color"
	"io"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	gokml "github.com/twpayne/go-kml/v3"

	"quyhoach/gis"
)

// Style is how features of a class or layer are drawn.
type Style struct {
	Fill  color.NRGBA // areas; alpha 0 for none
	Line  color.NRGBA
	Width float64 // line width, pixels
}

// Row is a row of a feature's description table.
type Row struct{ Label, Value string }

// Options say what a document shows.
type Options struct {
	Name string // the document's name, e.g. the plan's
	// StyleOf returns the style of a feature and a key that names it
	// (features with the same key share one style).
	StyleOf func(layer string, f gis.Feature) (key string, s Style)
	// Describe returns a feature's placemark name and description rows.
	Describe func(layer string, f gis.Feature) (name string, rows []Row)
}

// IDField is the ExtendedData field that carries a feature's id.
const IDField = "feature_id"

// Document builds the KML document of layers (WGS84): a folder per layer,
// a placemark per feature.
func Document(layers []gis.Layer, o Options) (*gokml.KMLElement, error) {
	styles := map[string]*gokml.StyleElement{}
	var styleOrder []string
	doc := gokml.Document(gokml.Name(o.Name))
	var folders []gokml.Element
	for _, l := range layers {
		folder := gokml.Folder(gokml.Name(l.Name))
		for i, f := range l.Features {
			if f.Geometry == nil {
				continue
			}
			g, err := geometry(f.Geometry)
			if err != nil {
				return nil, fmt.Errorf("kml: layer %s feature %d: %w", l.Name, i, err)
			}
			pm := gokml.Placemark()
			if o.Describe != nil {
				name, rows := o.Describe(l.Name, f)
				pm.Add(gokml.Name(name), gokml.Description(table(rows)))
			}
			if o.StyleOf != nil {
				key, s := o.StyleOf(l.Name, f)
				id := "s" + styleID(key)
				if _, ok := styles[id]; !ok {
					styles[id] = gokml.SharedStyle(id,
						gokml.LineStyle(gokml.Color(straight(s.Line)), gokml.Width(s.Width)),
						gokml.PolyStyle(gokml.Color(straight(s.Fill)), gokml.Fill(s.Fill.A > 0), gokml.Outline(true)))
					styleOrder = append(styleOrder, id)
				}
				pm.Add(gokml.StyleURL("#" + id))
			}
			pm.Add(extendedData(f), g)
			folder.Add(pm)
		}
		folders = append(folders, folder)
	}
	for _, id := range styleOrder {
		doc.Add(styles[id])
	}
	doc.Add(folders...)
	return gokml.KML(doc), nil
}

// Write writes layers as a KML document.
func Write(w io.Writer, layers []gis.Layer, o Options) error {
	k, err := Document(layers, o)
	if err != nil {
		return err
	}
	return k.WriteIndent(w, "", " ")
}

// WriteKMZ writes layers as a KMZ: a zip holding doc.kml.
func WriteKMZ(w io.Writer, layers []gis.Layer, o Options) error {
	k, err := Document(layers, o)
	if err != nil {
		return err
	}
	return gokml.WriteKMZ(w, map[string]any{"doc.kml": k})
}

// straight hands go-kml a colour whose RGBA() is the colour's own
// components: KML's aabbggrr is not premultiplied, and go-kml writes
// RGBA()'s values as they come.
func straight(c color.NRGBA) color.RGBA { return color.RGBA{c.R, c.G, c.B, c.A} }

// styleID makes a key safe as an XML id.
func styleID(key string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, key)
}

// table writes description rows as an HTML table, as Google Earth shows a
// placemark's balloon.
func table(rows []Row) string {
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<table border="1" cellpadding="2" style="border-collapse:collapse">`)
	for _, r := range rows {
		fmt.Fprintf(&b, "<tr><td><b>%s</b></td><td>%s</td></tr>", html.EscapeString(r.Label), html.EscapeString(r.Value))
	}
	b.WriteString("</table>")
	return b.String()
}

// extendedData writes the id and properties as Data fields, sorted.
func extendedData(f gis.Feature) gokml.Element {
	keys := make([]string, 0, len(f.Properties))
	for k, v := range f.Properties {
		if v != nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var data []gokml.Element
	if f.ID != "" {
		data = append(data, gokml.Data(IDField, gokml.Value(f.ID)))
	}
	for _, k := range keys {
		data = append(data, gokml.Data(k, gokml.Value(gis.Text(f.Properties[k])+boolText(f.Properties[k]))))
	}
	return gokml.ExtendedData(data...)
}

func boolText(v any) string {
	if b, ok := v.(bool); ok {
		return fmt.Sprint(b)
	}
	return ""
}

func coords(ps []orb.Point) gokml.Element {
	cs := make([]gokml.Coordinate, len(ps))
	for i, p := range ps {
		cs[i] = gokml.Coordinate{Lon: p[0], Lat: p[1]}
	}
	return gokml.Coordinates(cs...)
}

func geometry(g orb.Geometry) (gokml.Element, error) {
	switch g := g.(type) {
	case orb.Point:
		return gokml.Point(coords([]orb.Point{g})), nil
	case orb.LineString:
		return gokml.LineString(gokml.Tessellate(true), coords(g)), nil
	case orb.Polygon:
		if len(g) == 0 {
			return nil, fmt.Errorf("an empty polygon")
		}
		p := gokml.Polygon(gokml.Tessellate(true), gokml.OuterBoundaryIs(gokml.LinearRing(coords(g[0]))))
		for _, h := range g[1:] {
			p.Add(gokml.InnerBoundaryIs(gokml.LinearRing(coords(h))))
		}
		return p, nil
	case orb.MultiPoint, orb.MultiLineString, orb.MultiPolygon, orb.Collection:
		mg := gokml.MultiGeometry()
		for _, sub := range members(g) {
			e, err := geometry(sub)
			if err != nil {
				return nil, err
			}
			mg.Add(e)
		}
		return mg, nil
	}
	return nil, fmt.Errorf("a %T has no KML geometry", g)
}

// members returns the parts of a multi-geometry or collection.
func members(g orb.Geometry) []orb.Geometry {
	var out []orb.Geometry
	switch g := g.(type) {
	case orb.MultiPoint:
		for _, p := range g {
			out = append(out, p)
		}
	case orb.MultiLineString:
		for _, l := range g {
			out = append(out, l)
		}
	case orb.MultiPolygon:
		for p := range gis.Polygons(g) {
			out = append(out, p)
		}
	case orb.Collection:
		out = append(out, g...)
	}
	return out
}
