package plan

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"quyhoach/gis"
	"quyhoach/gis/cadplan"
	"quyhoach/gis/crs"
	"quyhoach/gis/dxf"
)

// FileError is an error of a file's content, named by the file.
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string {
	msg := e.Err.Error()
	for _, p := range []string{"dxf: ", "dbf: ", "cadplan: ", "shp: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return e.File + ": " + msg
}

func (e *FileError) Unwrap() error { return e.Err }

// DefaultDrawingCRS is the system a drawing's coordinates are taken in
// when the user names none: VN-2000 / TM-3 107-15, Lạng Sơn's grid.
var DefaultDrawingCRS, _ = crs.Lookup(crs.TM3LangSon)

// readDrawing reads a DXF drawing's plan layers (see cadplan).
func readDrawing(ctx context.Context, path string, o ReadOptions) (*Reading, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rules := cadplan.Rules{Table: o.CAD.Table, Catalogue: o.CAD.Catalogue, Presets: o.CAD.Presets,
		Indicators: o.CAD.Indicators, Offset: o.CAD.Offset}
	if o.CAD.CodePattern != "" {
		if rules.CodePattern, err = regexp.Compile(o.CAD.CodePattern); err != nil {
			return nil, fmt.Errorf("lot code pattern %q: %w", o.CAD.CodePattern, err)
		}
	}
	// The drawing streams into the conversion: memory holds the plan.
	cv := cadplan.NewConverter(rules)
	d, err := dxf.Stream(f, dxf.Options{Tolerance: o.CAD.Tolerance, Scale: o.CAD.Units, Encoding: o.Encoding},
		func(e *dxf.Entity) error { cv.Add(e); return nil })
	if err != nil {
		return nil, &FileError{path, err}
	}
	res, err := cv.Finish(ctx)
	if err != nil {
		return nil, err
	}
	r := &Reading{Mapping: res.Mapping, Notes: d.Notes, Encoding: o.Encoding}
	var ok bool
	if r.System, ok = o.system(); !ok {
		r.System = DefaultDrawingCRS
	}
	layers := res.Layers
	if len(res.Problems) > 0 {
		if !o.CAD.Partial {
			return nil, &ProblemsError{File: path, Problems: res.Problems, Lots: len(res.Lots())}
		}
		r.Problems = res.Problems
		layers = res.Valid()
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("%s: no CAD layer maps to a plan layer (%s): give a layer → class table", path, mappedSummary(res.Mapping))
	}
	if o.Layer != "" {
		i := slices.IndexFunc(layers, func(l gis.Layer) bool { return l.Name == o.Layer })
		if i < 0 {
			return nil, &LayerChoiceError{File: path, Layers: names(layers), Asked: o.Layer}
		}
		layers = layers[i : i+1]
	}
	types := make([]string, 0, len(d.Ignored))
	for t := range d.Ignored {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		r.Notes = append(r.Notes, fmt.Sprintf("%d %s entities not read", d.Ignored[t], t))
	}
	if err := toWGS84(layers, r.System); err != nil {
		return nil, err
	}
	r.Layers = layers
	return r, nil
}

// mappedSummary names the drawing's layers for an error.
func mappedSummary(ms []cadplan.Mapping) string {
	var ns []string
	for _, m := range ms {
		ns = append(ns, m.Layer)
	}
	if len(ns) > 12 {
		ns = append(ns[:12], "…")
	}
	return "its layers: " + strings.Join(ns, ", ")
}
