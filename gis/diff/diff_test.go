package diff

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// with returns a copy of f with the properties kv (key, value, …) set; a
// value of del removes the key.
func with(f gis.Feature, kv ...any) gis.Feature {
	f.Properties = maps.Clone(f.Properties)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == del {
			delete(f.Properties, kv[i].(string))
			continue
		}
		f.Properties[kv[i].(string)] = kv[i+1]
	}
	return f
}

type deleted struct{}

var del = deleted{}

// summary is a Change without its Old and New, for comparing in tests.
type summary struct {
	ID, Kind   string
	Properties map[string][2]any
	Geometry   bool
	AreaM2     float64
	Parents    []string
	Children   []string
}

func summarize(cs []Change) []summary {
	var out []summary
	for _, c := range cs {
		out = append(out, summary{c.ID, c.Kind, c.Properties, c.Geometry, c.AreaChangeM2, c.Parents, c.Children})
	}
	return out
}

func TestLayers(t *testing.T) {
	a := lot("A", 0, 0, 20, 10, "DAT_O_Nhomnhao")
	a1 := lot("A1", 0, 0, 10, 10, "DAT_O_Nhomnhao")
	a2 := lot("A2", 10, 0, 10, 10, "DAT_HTXH_CayxanhCC")
	b := lot("B", 0, 20, 10, 10, "DAT_Dichvu")
	c := lot("C", 10, 20, 10, 10, "DAT_Dichvu")
	bc := lot("BC", 0, 20, 20, 10, "DAT_Dichvu")
	d := lot("D", 0, 40, 10, 10, "DAT_SX_Congnghiep")
	dTaller := lot("D", 0, 40, 10, 12, "DAT_SX_Congnghiep") // +20 m²
	e := lot("E", 0, 60, 10, 10, "DAT_Anninh")

	tests := []struct {
		name     string
		from, to []gis.Feature
		lineage  Lineage
		want     []summary
		added    []string
		removed  []string
		groups   []string // Group.String()
		splits   int
		merges   int
	}{
		{
			name: "unchanged features are not listed",
			from: []gis.Feature{a, b, d},
			to:   cloneFeatures([]gis.Feature{d, a, b}),
		},
		{
			name: "empty versions",
		},
		{
			name: "attribute only",
			from: []gis.Feature{a, e},
			to:   []gis.Feature{with(a, "phanLoai", "DAT_Dichvu", "ghiChu", "đổi"), e},
			want: []summary{{ID: "A", Kind: Modified, Properties: map[string][2]any{
				"phanLoai": {"DAT_O_Nhomnhao", "DAT_Dichvu"},
				"ghiChu":   {nil, "đổi"},
			}}},
		},
		{
			name: "property removed",
			from: []gis.Feature{with(a, "ghiChu", "cũ")},
			to:   []gis.Feature{a},
			want: []summary{{ID: "A", Kind: Modified, Properties: map[string][2]any{"ghiChu": {"cũ", nil}}}},
		},
		{
			name: "null equals absent",
			from: []gis.Feature{with(a, "ghiChu", nil)},
			to:   []gis.Feature{a},
		},
		{
			name: "geometry only, with its area change",
			from: []gis.Feature{d, e},
			to:   []gis.Feature{dTaller, e},
			want: []summary{{ID: "D", Kind: Modified, Geometry: true, AreaM2: 20}},
		},
		{
			name: "geometry and attribute",
			from: []gis.Feature{d},
			to:   []gis.Feature{with(dTaller, "tangCaoMax", 5.0)},
			want: []summary{{ID: "D", Kind: Modified, Geometry: true, AreaM2: 20,
				Properties: map[string][2]any{"tangCaoMax": {nil, 5.0}}}},
		},
		{
			name:  "added",
			from:  []gis.Feature{a},
			to:    []gis.Feature{a, e},
			added: []string{"E"},
			want: []summary{{ID: "E", Kind: Added, Geometry: true, AreaM2: 100,
				Properties: map[string][2]any{"maDoiTuong": {nil, "E"}, "phanLoai": {nil, "DAT_Anninh"}}}},
		},
		{
			name:    "removed",
			from:    []gis.Feature{a, e},
			to:      []gis.Feature{a},
			removed: []string{"E"},
			want: []summary{{ID: "E", Kind: Removed, Geometry: true, AreaM2: -100,
				Properties: map[string][2]any{"maDoiTuong": {"E", nil}, "phanLoai": {"DAT_Anninh", nil}}}},
		},
		{
			name:    "split by lineage",
			from:    []gis.Feature{a, e},
			to:      []gis.Feature{a2, e, a1},
			lineage: Lineage{"A1": {"A"}, "A2": {"A"}},
			added:   []string{"A1", "A2"},
			removed: []string{"A"},
			groups:  []string{"A → A1, A2 (split)"},
			splits:  1,
		},
		{
			name:    "split by parents property",
			from:    []gis.Feature{a, e},
			to:      []gis.Feature{with(a1, "parents", []any{"A"}), with(a2, "parents", []any{"A"}), e},
			added:   []string{"A1", "A2"},
			removed: []string{"A"},
			groups:  []string{"A → A1, A2 (split)"},
			splits:  1,
		},
		{
			name:    "split, one child by lineage, one by property",
			from:    []gis.Feature{a},
			to:      []gis.Feature{a1, with(a2, "parents", []any{"A"})},
			lineage: Lineage{"A1": {"A"}},
			added:   []string{"A1", "A2"},
			removed: []string{"A"},
			groups:  []string{"A → A1, A2 (split)"},
			splits:  1,
		},
		{
			name:    "the lineage map wins over the property",
			from:    []gis.Feature{a, b},
			to:      []gis.Feature{with(a1, "parents", []any{"B"})},
			lineage: Lineage{"A1": {"A"}},
			added:   []string{"A1"},
			removed: []string{"A", "B"},
			groups:  []string{"A → A1 (replace)"},
		},
		{
			name:    "merge",
			from:    []gis.Feature{b, c, e},
			to:      []gis.Feature{e, bc},
			lineage: Lineage{"BC": {"C", "B"}},
			added:   []string{"BC"},
			removed: []string{"B", "C"},
			groups:  []string{"B, C → BC (merge)"},
			merges:  1,
		},
		{
			name:    "piece cut off a lot that keeps its id",
			from:    []gis.Feature{a},
			to:      []gis.Feature{lot("A", 0, 0, 10, 10, "DAT_O_Nhomnhao"), a2},
			lineage: Lineage{"A2": {"A"}},
			added:   []string{"A2"},
			groups:  []string{"A → A, A2 (split)"},
			splits:  1,
		},
		{
			name:    "a lot absorbs its neighbour",
			from:    []gis.Feature{b, c},
			to:      []gis.Feature{lot("B", 0, 20, 20, 10, "DAT_Dichvu")},
			lineage: Lineage{"B": {"B", "C"}},
			removed: []string{"C"},
			groups:  []string{"B, C → B (merge)"},
			merges:  1,
		},
		{
			name:    "two lots redivided into three",
			from:    []gis.Feature{b, c},
			to:      []gis.Feature{lot("X", 0, 20, 5, 10, ""), lot("Y", 5, 20, 10, 10, ""), lot("Z", 15, 20, 5, 10, "")},
			lineage: Lineage{"X": {"B"}, "Y": {"B", "C"}, "Z": {"C"}},
			added:   []string{"X", "Y", "Z"},
			removed: []string{"B", "C"},
			groups:  []string{"B, C → X, Y, Z (reparcel)"},
		},
		{
			name:    "stale lineage does not make groups",
			from:    []gis.Feature{a, with(a1, "parents", []any{"A"})},
			to:      []gis.Feature{with(a1, "parents", []any{"A"}), with(e, "parents", []any{"OLD"})},
			added:   []string{"E"},
			removed: []string{"A"},
		},
		{
			name:    "duplicate ids are matched in order",
			from:    []gis.Feature{a, with(a, "ghiChu", "2"), with(a, "ghiChu", "3")},
			to:      []gis.Feature{a, with(a, "ghiChu", "two")},
			removed: []string{"A"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Layers(tt.from, tt.to, tt.lineage)
			if !slices.Equal(res.Added, tt.added) {
				t.Errorf("Added: got %q, want %q", res.Added, tt.added)
			}
			if !slices.Equal(res.Removed, tt.removed) {
				t.Errorf("Removed: got %q, want %q", res.Removed, tt.removed)
			}
			if tt.want != nil {
				if got := summarize(res.Changes); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Changes:\ngot  %+v\nwant %+v", got, tt.want)
				}
			}
			var groups []string
			for _, g := range res.Groups {
				groups = append(groups, g.String())
			}
			if !slices.Equal(groups, tt.groups) {
				t.Errorf("Groups: got %q, want %q", groups, tt.groups)
			}
			if n := len(res.Splits()); n != tt.splits {
				t.Errorf("Splits: got %d, want %d", n, tt.splits)
			}
			if n := len(res.Merges()); n != tt.merges {
				t.Errorf("Merges: got %d, want %d", n, tt.merges)
			}
			checkResult(t, res, tt.from, tt.to)
		})
	}
}

// checkResult checks the invariants of any Result.
func checkResult(t *testing.T, res Result, from, to []gis.Feature) {
	t.Helper()
	var mods, added, removed []string
	for _, c := range res.Changes {
		switch c.Kind {
		case Modified:
			mods = append(mods, c.ID)
			if c.Old == nil || c.New == nil || c.Old.ID != c.ID || c.New.ID != c.ID {
				t.Errorf("%s: modified needs both sides", c.ID)
			}
			if !c.Geometry && len(c.Properties) == 0 {
				t.Errorf("%s: modified with nothing changed", c.ID)
			}
		case Added:
			added = append(added, c.ID)
			if c.Old != nil || c.New == nil {
				t.Errorf("%s: added needs New only", c.ID)
			}
		case Removed:
			removed = append(removed, c.ID)
			if c.Old == nil || c.New != nil {
				t.Errorf("%s: removed needs Old only", c.ID)
			}
		default:
			t.Errorf("%s: kind %q", c.ID, c.Kind)
		}
		var oldA, newA float64
		if c.Old != nil {
			oldA = gis.Area(c.Old.Geometry)
		}
		if c.New != nil {
			newA = gis.Area(c.New.Geometry)
		}
		if math.Abs(c.AreaChangeM2-(newA-oldA)) > 1e-6 {
			t.Errorf("%s: AreaChangeM2 got %v, want %v", c.ID, c.AreaChangeM2, newA-oldA)
		}
	}
	n := len(mods)
	if len(res.Changes) != len(mods)+len(added)+len(removed) ||
		!slices.Equal(added, res.Added) || !slices.Equal(removed, res.Removed) ||
		!slices.IsSorted(mods) || !slices.IsSorted(added) || !slices.IsSorted(removed) ||
		len(res.Modified) != n || (n > 0 && !reflect.DeepEqual(summarize(res.Modified), summarize(res.Changes[:n]))) {
		t.Errorf("Changes not ordered modified, added, removed, each by id: %v", summarize(res.Changes))
	}
	// Applying the changes to from gives the multiset of to's ids.
	ids := map[string]int{}
	for _, f := range from {
		ids[f.ID]++
	}
	for _, id := range res.Removed {
		ids[id]--
	}
	for _, id := range res.Added {
		ids[id]++
	}
	for _, f := range to {
		ids[f.ID]--
	}
	for id, k := range ids {
		if k != 0 {
			t.Errorf("id %q: from − removed + added − to = %d", id, k)
		}
	}
}

func TestLayersLineageFields(t *testing.T) {
	a := lot("A", 0, 0, 20, 10, "DAT_O_Nhomnhao")
	from := []gis.Feature{a, lot("B", 0, 20, 10, 10, ""), lot("C", 10, 20, 10, 10, "")}
	to := []gis.Feature{
		with(lot("A1", 0, 0, 10, 10, ""), "parents", []any{"A", "A", 7.0}), // duplicates and junk dropped
		with(lot("A2", 10, 0, 10, 10, ""), "parents", "A"),                 // a single id as a string
		lot("BC", 0, 20, 20, 10, ""),
	}
	res := Layers(from, to, Lineage{"BC": {"B", "C", "BC"}})
	got := map[string][2][]string{}
	for _, c := range res.Changes {
		got[c.ID] = [2][]string{c.Parents, c.Children}
	}
	want := map[string][2][]string{
		"A1": {{"A"}, nil},
		"A2": {{"A"}, nil},
		"BC": {{"B", "C"}, nil},
		"A":  {nil, {"A1", "A2"}},
		"B":  {nil, {"BC"}},
		"C":  {nil, {"BC"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parents, Children:\ngot  %v\nwant %v", got, want)
	}
	wantGroups := []Group{
		{Kind: Split, Parents: []string{"A"}, Children: []string{"A1", "A2"}},
		{Kind: Merge, Parents: []string{"B", "C"}, Children: []string{"BC"}},
	}
	if !reflect.DeepEqual(res.Groups, wantGroups) {
		t.Errorf("Groups: got %+v, want %+v", res.Groups, wantGroups)
	}
	if s := res.Splits(); len(s) != 1 || s[0].String() != "A → A1, A2 (split)" {
		t.Errorf("Splits: got %v", s)
	}
	if m := res.Merges(); len(m) != 1 || m[0].String() != "B, C → BC (merge)" {
		t.Errorf("Merges: got %v", m)
	}
}

// TestLayersDoesNotMutate checks that the inputs are left as they were and
// that the Result's features are copies.
func TestLayersDoesNotMutate(t *testing.T) {
	from := plan(200, 3)
	to, lineage := adjust(from, 3, true)
	fromCopy, toCopy := cloneFeatures(from), cloneFeatures(to)
	res := Layers(from, to, lineage)
	if !sameFeatures(from, fromCopy) || !sameFeatures(to, toCopy) {
		t.Fatal("Layers changed its input")
	}
	if len(res.Changes) == 0 {
		t.Fatal("no changes")
	}
	res.Changes[0].Kind = "x"
	if len(res.Modified) > 0 && res.Modified[0].Kind == "x" {
		t.Error("Modified and Changes share their elements")
	}
}

func sameFeatures(a, b []gis.Feature) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || !equalGeometry(a[i].Geometry, b[i].Geometry) || !equalProperties(a[i].Properties, b[i].Properties) {
			return false
		}
	}
	return true
}

// TestLayersPlan diffs a seeded plan against its adjustment, in the same and
// in random order, and checks the counts the adjustment made.
func TestLayersPlan(t *testing.T) {
	from := plan(20_000, 2) // large enough for the concurrent path
	for _, shuffle := range []bool{false, true} {
		t.Run(fmt.Sprint("shuffle=", shuffle), func(t *testing.T) {
			to, lineage := adjust(from, 2, shuffle)
			res := Layers(from, to, lineage)
			checkResult(t, res, from, to)
			var attr, geom int
			for _, c := range res.Modified {
				if c.Geometry {
					geom++
				}
				if len(c.Properties) > 0 {
					attr++
				}
			}
			splits, merges := res.Splits(), res.Merges()
			t.Logf("%d modified (%d attribute, %d geometry), %d added, %d removed, %d splits, %d merges",
				len(res.Modified), attr, geom, len(res.Added), len(res.Removed), len(splits), len(merges))
			if attr == 0 || geom == 0 || len(splits) == 0 || len(merges) == 0 {
				t.Error("some kind of change is missing")
			}
			if len(res.Added) != 2*len(splits)+len(merges) {
				t.Errorf("added %d, want 2×%d splits + %d merges", len(res.Added), len(splits), len(merges))
			}
			for _, g := range splits {
				if len(g.Parents) != 1 || len(g.Children) != 2 || !strings.HasPrefix(g.Children[0], g.Parents[0]) {
					t.Errorf("split %v", g)
				}
			}
			for _, g := range merges {
				if len(g.Parents) != 2 || len(g.Children) != 1 {
					t.Errorf("merge %v", g)
				}
			}
			if back := Layers(to, from, nil); len(back.Added) != len(res.Removed) || len(back.Removed) != len(res.Added) || len(back.Modified) != len(res.Modified) {
				t.Errorf("the reverse diff does not mirror the diff")
			}
		})
	}
}

// allGeometries holds every geometry type, plus nil and empty ones, as orb's
// AllGeometries fixture does.
var allGeometries = []orb.Geometry{
	nil,
	orb.Point{1, 2},
	orb.MultiPoint{},
	orb.MultiPoint{{1, 2}, {3, 4}},
	orb.LineString{{1, 2}, {3, 4}},
	orb.MultiLineString{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}},
	orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 0}},
	orb.Polygon{},
	orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}},
	orb.MultiPolygon{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}, {{{20, 0}, {30, 0}, {30, 10}, {20, 0}}}},
	orb.Collection{orb.Point{1, 2}, orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}}},
	orb.Collection{},
	orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{2, 3}},
}

func TestEqualGeometry(t *testing.T) {
	for i, a := range allGeometries {
		for j, b := range allGeometries {
			name := fmt.Sprintf("%T#%d/%T#%d", a, i, b, j)
			if got := equalGeometry(a, orb.Clone(b)); got != (i == j) {
				t.Errorf("%s: got %v, want %v", name, got, i == j)
			}
		}
	}
	p := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}}
	moved := orb.Clone(p).(orb.Polygon)
	moved[0][1][0] += 1e-9
	nan := orb.Point{math.NaN(), 1}
	tests := []struct {
		name string
		a, b orb.Geometry
		want bool
	}{
		{"a vertex moved by a nanometre", p, moved, false},
		{"polygon vs the multipolygon of it", p, orb.MultiPolygon{p}, false},
		{"ring vs polygon", p[0], p, false},
		{"ring vs linestring", p[0], orb.LineString(p[0]), false},
		{"NaN equals NaN", nan, nan, true},
		{"NaN vs number", nan, orb.Point{0, 1}, false},
		{"shared body", p, p, true},
		{"a vertex more", p, orb.Polygon{append(orb.Clone(p[0]).(orb.Ring), orb.Point{0, 0})}, false},
		{"a hole more", p, orb.Polygon{p[0], p[0]}, false},
		{"pointer geometry", &p, &moved, false},
		{"pointer geometry, equal", &p, &p, true},
	}
	for _, tt := range tests {
		if got := equalGeometry(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

var json3 = json.Number("3")

func TestEqualValue(t *testing.T) {
	obj := map[string]any{"a": 1.0, "b": []any{"x", true, nil}}
	tests := []struct {
		a, b any
		want bool
	}{
		{"a", "a", true},
		{"a", "b", false},
		{"1", 1.0, false},
		{"3", 3, false}, // a numeric string is text, not the number
		{"3", json3, false},
		{1.0, 1.0, true},
		{1.0, 2.0, false},
		{math.NaN(), math.NaN(), true},
		{1.0, 1, true}, // Go numbers compare by value
		{3, int64(3), true},
		{json3, 3.0, true},
		{true, true, true},
		{true, false, false},
		{true, "true", false},
		{nil, nil, true},
		{nil, "", false},
		{nil, 0.0, false},
		{[]any{}, []any{}, true},
		{[]any{"A", "B"}, []any{"A", "B"}, true},
		{[]any{"A", "B"}, []any{"B", "A"}, false},
		{[]any{"A"}, []any{"A", "B"}, false},
		{[]any{"A"}, "A", false},
		{obj, map[string]any{"b": []any{"x", true, nil}, "a": 1.0}, true},
		{obj, map[string]any{"b": []any{"x", true, nil}, "a": 1.0, "c": nil}, true},
		{obj, map[string]any{"b": []any{"x", true, nil}, "a": 2.0}, false},
		{obj, map[string]any{"b": []any{"x", true, nil}}, false},
		{obj, map[string]any{"b": []any{"x", true, nil}, "a": 1.0, "c": 0.0}, false},
		{[]string{"a"}, []string{"a"}, true}, // other types: reflect
		{[]string{"a"}, []any{"a"}, false},
	}
	for _, tt := range tests {
		if got := equalValue(tt.a, tt.b); got != tt.want {
			t.Errorf("equalValue(%#v, %#v): got %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := equalValue(tt.b, tt.a); got != tt.want {
			t.Errorf("equalValue(%#v, %#v): got %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestEqualProperties(t *testing.T) {
	m := map[string]any{"a": "x", "n": nil}
	tests := []struct {
		name string
		a, b map[string]any
		want bool
	}{
		{"both nil", nil, nil, true},
		{"nil and empty", nil, map[string]any{}, true},
		{"nil and all-null", nil, map[string]any{"a": nil}, true},
		{"same map", m, m, true},
		{"null vs absent", m, map[string]any{"a": "x"}, true},
		{"same size, other key", map[string]any{"a": "x", "b": nil}, map[string]any{"a": "x", "c": nil}, true},
		{"same size, other key with a value", map[string]any{"a": "x", "b": nil}, map[string]any{"a": "x", "c": 1.0}, false},
		{"extra key", m, map[string]any{"a": "x", "z": "y"}, false},
		{"changed value", m, map[string]any{"a": "y"}, false},
	}
	for _, tt := range tests {
		if got := equalProperties(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
		if got := equalProperties(tt.b, tt.a); got != tt.want {
			t.Errorf("%s, reversed: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestAllGeometries feeds every geometry type to Layers, BalanceOf and
// Compare.
func TestAllGeometries(t *testing.T) {
	var from, to []gis.Feature
	for i, g := range allGeometries {
		f := gis.Feature{ID: fmt.Sprint("g", i), Geometry: g, Properties: map[string]any{"phanLoai": "DAT_Dichvu"}}
		from = append(from, f)
		f.Geometry = orb.Clone(g)
		to = append(to, f)
	}
	if res := Layers(from, to, nil); len(res.Changes) != 0 {
		t.Errorf("unchanged geometries reported: %v", summarize(res.Changes))
	}
	to = append(to[1:], to[0]) // every geometry against the next one's
	for i := range to {
		to[i].ID = from[i].ID
	}
	res := Layers(from, to, nil)
	if len(res.Modified) != len(from) {
		t.Errorf("got %d modified, want %d", len(res.Modified), len(from))
	}
	checkResult(t, res, from, to)
	want := 0.0
	for _, g := range allGeometries {
		want += gis.Area(g)
	}
	bal := Compare(from, to, classOf, catalogueOrder)
	if len(bal.Rows) != 1 || math.Abs(bal.TotalHa*1e4-want) > 1e-9 || math.Abs(bal.BeforeTotalHa*1e4-want) > 1e-9 {
		t.Errorf("Compare: got %+v, want one row of %v m²", bal, want)
	}
}
