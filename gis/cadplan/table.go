package cadplan

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

// Target is what the entities of a CAD layer become.
type Target struct {
	// Layer is the TT 16 layer: gis.LandUseLayer for lots, or another one
	// (RanhGioiQuyHoach_A, ChiGioiDuongDo_L, TimDuongGiaoThong_L,
	// MocGioiQuyHoach_P, …) whose kind its suffix tells.
	Layer string
	// Class is a lot's land-use class code (phanLoai).
	Class string
	// Ignore drops the layer's entities, its texts too (dimensions,
	// frames, title blocks).
	Ignore bool
}

// Rule maps CAD layers whose names match Pattern (case-insensitive; * and
// ? wildcards) to a target.
type Rule struct {
	Pattern string
	Target  Target
}

// Table is an ordered list of rules: the first that matches a layer name
// wins, exact names before patterns.
type Table []Rule

// MaxRules caps the rows a table file may hold.
const MaxRules = 10_000

// ParseTable reads a layer table as CSV rows "cad_layer,class_code" (a
// header row with those names is allowed, # starts a comment line). The
// second column is a land-use class of cat (its code or its CAD layer
// name), a TT 16 layer name with its _A, _L or _P suffix for features
// other than lots, or "-" (or nothing) to ignore the layer. Errors name
// the row.
func ParseTable(r io.Reader, cat *landuse.Catalogue) (Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	var t Table
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("cadplan: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 0 || len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > 2 {
			return nil, fmt.Errorf("cadplan: line %d: %d columns, want cad_layer,class_code", line, len(rec))
		}
		layer := strings.TrimSpace(rec[0])
		target := ""
		if len(rec) == 2 {
			target = strings.TrimSpace(rec[1])
		}
		if row == 1 && strings.EqualFold(layer, "cad_layer") {
			continue
		}
		if layer == "" {
			return nil, fmt.Errorf("cadplan: line %d: no CAD layer name", line)
		}
		tg, err := ParseTarget(target, cat)
		if err != nil {
			return nil, fmt.Errorf("cadplan: line %d: %w", line, err)
		}
		if len(t) >= MaxRules {
			return nil, fmt.Errorf("cadplan: more than %d rows", MaxRules)
		}
		t = append(t, Rule{Pattern: layer, Target: tg})
	}
}

// ParseTarget reads the second column of a table row (see ParseTable).
func ParseTarget(s string, cat *landuse.Catalogue) (Target, error) {
	switch strings.ToLower(s) {
	case "", "-", "ignore", "bo qua", "bỏ qua":
		return Target{Ignore: true}, nil
	}
	if gis.KindOfName(s) != "" {
		if s == gis.LandUseLayer {
			return Target{}, fmt.Errorf("%q: give the land-use class of the lots, not their layer", s)
		}
		return Target{Layer: s}, nil
	}
	if c, ok := cat.Lookup(s); ok {
		return Target{Layer: gis.LandUseLayer, Class: c.Code}, nil
	}
	return Target{}, fmt.Errorf("%q is neither a land-use class of the catalogue nor a TT 16 layer name (…_A, _L, _P) nor - to ignore", s)
}

// Lookup returns the target of a CAD layer name.
func (t Table) Lookup(name string) (Target, bool) {
	for _, r := range t {
		if !strings.ContainsAny(r.Pattern, "*?[") && strings.EqualFold(r.Pattern, name) {
			return r.Target, true
		}
	}
	up := strings.ToUpper(name)
	for _, r := range t {
		if strings.ContainsAny(r.Pattern, "*?[") {
			if ok, _ := path.Match(strings.ToUpper(r.Pattern), up); ok {
				return r.Target, true
			}
		}
	}
	return Target{}, false
}

// Write writes the table as ParseTable reads it.
func (t Table) Write(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"cad_layer", "class_code"})
	for _, r := range t {
		v := r.Target.Class
		switch {
		case r.Target.Ignore:
			v = "-"
		case r.Target.Layer != gis.LandUseLayer:
			v = r.Target.Layer
		}
		cw.Write([]string{r.Pattern, v})
	}
	cw.Flush()
	return cw.Error()
}
