package plan

import (
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
)

// Comparison is one state of a plan against another: the diff of their
// land-use lots, the land-use balance of the whole plan and of the adjusted
// area, and the change rows a reviewer reads. Every face (change list, CSV,
// JSON, printed sheet) takes its figures from here.
type Comparison struct {
	Before, After *State
	Diff          diff.Result
	// Whole is the balance of the whole plan, Adjusted of the lots the
	// changes touch (before and after): both with Before columns.
	Whole, Adjusted diff.Balance
	// AdjBefore and AdjAfter are the adjusted area's lots on each side.
	AdjBefore, AdjAfter []gis.Feature
	Rows                []ChangeRow
}

// Changed returns the lots the adjustment touches, after then before: the
// adjusted area outlined on a map.
func (c *Comparison) Changed() []gis.Feature {
	return append(append([]gis.Feature(nil), c.AdjAfter...), c.AdjBefore...)
}

// Compare compares after with before (two states of one plan).
func Compare(before, after *State, cat *landuse.Catalogue) *Comparison {
	old, now := before.Lots(), after.Lots()
	c := &Comparison{Before: before, After: after}
	c.Diff = diff.Layers(old, now, diff.Lineage(after.Lineage))
	classOf, order := ClassOf(cat), cat.Codes()
	c.Whole = diff.Compare(old, now, classOf, order)
	c.AdjBefore, c.AdjAfter = diff.AdjustedArea(c.Diff)
	c.Adjusted = diff.Compare(c.AdjBefore, c.AdjAfter, classOf, order)
	c.Rows = changeRows(c.Diff, cat)
	return c
}

// Balance is the land-use balance of one state alone.
func Balance(s *State, cat *landuse.Catalogue) diff.Balance {
	return diff.BalanceOf(s.Lots(), ClassOf(cat), cat.Codes())
}

// ClassOf classifies lots for balance tables by the catalogue: its code and
// Vietnamese name (the official table's); a class outside the catalogue is
// its own phanLoai. Faces that show another language look the name up by
// code.
func ClassOf(cat *landuse.Catalogue) func(gis.Feature) diff.Class {
	return func(f gis.Feature) diff.Class {
		if cl, ok := cat.Of(f); ok {
			return diff.Class{Code: cl.Code, Name: cl.NameVI}
		}
		return diff.Class{Code: f.String("phanLoai"), Name: f.String("phanLoai")}
	}
}

// ChangeRow is one line of a change list: a changed lot, or a lineage
// event (split, merge, …) after them.
type ChangeRow struct {
	Kind          string // diff.Added, Removed, Modified, or a lineage kind (diff.Split, diff.Merge, …)
	ID            string // the feature id; for a lineage row "parents>children"
	Code          string // the lot code (maDoiTuong), else its id; "" for a lineage row
	Before, After string // land-use class codes on each side, "" where absent
	OldHa, NewHa  float64
	Geometry      bool          // the shape changed
	Fields        []FieldChange // properties a modification changed, in reviewer order
	// Parents and Children of a lineage row: lot codes (ids where a lot has no code).
	Parents, Children []string
	Bound             orb.Bound // both sides' extent, EPSG:9215
}

// FieldChange is one property a modification changed; nil where absent.
type FieldChange struct {
	Key      string
	Old, New any
}

// IsLineage reports whether the row is a lineage event, not a lot.
func (r ChangeRow) IsLineage() bool {
	switch r.Kind {
	case diff.Added, diff.Removed, diff.Modified:
		return false
	}
	return true
}

// LotCode is how a change names its lot: the code on its new side, else on
// its old side, else its id.
func LotCode(c diff.Change) string {
	for _, f := range []*gis.Feature{c.New, c.Old} {
		if f != nil && f.String("maDoiTuong") != "" {
			return f.String("maDoiTuong")
		}
	}
	return c.ID
}

// changeRows lists the changes, then the lineage groups.
func changeRows(res diff.Result, cat *landuse.Catalogue) []ChangeRow {
	class := func(f *gis.Feature) string {
		if f == nil {
			return ""
		}
		if c, ok := cat.Of(*f); ok {
			return c.Code
		}
		return f.String("phanLoai")
	}
	var rows []ChangeRow
	codes := map[string]string{}
	bounds := map[string]orb.Bound{}
	for _, c := range res.Changes {
		r := ChangeRow{Kind: c.Kind, ID: c.ID, Code: LotCode(c), Before: class(c.Old), After: class(c.New), Geometry: c.Geometry}
		r.Bound, _ = Extent([]gis.Feature{side(c.New), side(c.Old)})
		codes[c.ID], bounds[c.ID] = r.Code, r.Bound
		if c.Old != nil {
			r.OldHa = gis.Area(c.Old.Geometry) / 10000
		}
		if c.New != nil {
			r.NewHa = gis.Area(c.New.Geometry) / 10000
		}
		if c.Kind == diff.Modified {
			r.Fields = fieldChanges(c.Properties)
		}
		rows = append(rows, r)
	}
	named := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = id
			if c, ok := codes[id]; ok {
				out[i] = c
			}
		}
		return out
	}
	for _, g := range res.Groups {
		r := ChangeRow{Kind: g.Kind, ID: strings.Join(g.Parents, ",") + ">" + strings.Join(g.Children, ","),
			Parents: named(g.Parents), Children: named(g.Children)}
		first := true
		for _, id := range append(append([]string(nil), g.Parents...), g.Children...) {
			b, ok := bounds[id]
			switch {
			case !ok || b == (orb.Bound{}):
			case first:
				r.Bound, first = b, false
			default:
				r.Bound = r.Bound.Union(b)
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// side is a change's feature on one side, or an empty one where absent.
func side(f *gis.Feature) gis.Feature {
	if f == nil {
		return gis.Feature{}
	}
	return *f
}

// fieldChanges orders a modification's changed properties as a reviewer
// looks for them: the class, the indicators, then the rest by name.
func fieldChanges(props map[string][2]any) []FieldChange {
	out := make([]FieldChange, 0, len(props))
	for k, v := range props {
		out = append(out, FieldChange{k, v[0], v[1]})
	}
	rank := func(k string) int {
		switch k {
		case "phanLoai":
			return 0
		case "matDoXayDung", "tangCaoMin", "tangCaoMax", "heSoSuDungDat", "khoangLui", "danSo", "giaiDoan":
			return 1
		}
		return 2
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := rank(out[i].Key), rank(out[j].Key); ri != rj {
			return ri < rj
		}
		return out[i].Key < out[j].Key
	})
	return out
}
