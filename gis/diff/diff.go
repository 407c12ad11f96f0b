package diff

import (
	"cmp"
	"slices"
	"strings"

	"quyhoach/gis"
)

// Change kinds.
const (
	Added    = "added"
	Removed  = "removed"
	Modified = "modified"
)

// ParentsKey is the property in which an added feature may name the ids of
// the features it was cut from or merged from (a JSON array of strings).
const ParentsKey = "parents"

// Lineage maps the id of a feature of the new version to the ids of the
// features of the old version it comes from: a split gives two or more
// children the same single parent, a merge gives one child several parents.
type Lineage map[string][]string

// Change is what happened to one feature between two versions.
type Change struct {
	ID   string
	Kind string // Added, Removed or Modified

	// Properties holds the changed properties: key → [old, new], nil for
	// an absent key (a null value counts as absent). For an added feature
	// it holds every property as [nil, new], for a removed one [old, nil].
	Properties map[string][2]any

	// Geometry reports that the geometry differs (for an added or removed
	// feature: that the present side has one).
	Geometry bool

	// AreaChangeM2 is the new planar area minus the old one, in the square
	// units of the coordinates (m² for EPSG:9215): +area for an added
	// feature, −area for a removed one, 0 when the geometry is unchanged.
	AreaChangeM2 float64

	// Parents are the lineage of a feature of the new version, as given by
	// the Lineage (or, for an added feature, its "parents" property).
	Parents []string

	// Children are the features of the new version that name this feature
	// of the old version as a parent: what a removed feature was split or
	// merged into, or what was cut off a modified one.
	Children []string

	Old, New *gis.Feature // the two sides, nil where absent
}

// Result is the difference between two versions of a layer. Unchanged
// features are not listed.
type Result struct {
	Added    []string // ids of the features only in the new version, sorted
	Removed  []string // ids of the features only in the old version, sorted
	Modified []Change // sorted by id
	Changes  []Change // every change: modified, then added, then removed, each by id
	Groups   []Group  // splits, merges and other lineage groups, sorted by first parent
}

// Group kinds.
const (
	Split    = "split"    // one parent, several children
	Merge    = "merge"    // several parents, one child
	Replace  = "replace"  // one parent, one child under a new id
	Reparcel = "reparcel" // several parents redivided into several children
)

// Group is one lineage event: the features of the old version (Parents) that
// became the features of the new version (Children). A parent that keeps its
// id (a lot with a piece cut off) is listed on both sides, as is a child
// that keeps its id (a lot that absorbed its neighbour).
type Group struct {
	Kind     string   // Split, Merge, Replace or Reparcel
	Parents  []string // sorted
	Children []string // sorted
}

// String formats g as "A → A1, A2 (split)".
func (g Group) String() string {
	return strings.Join(g.Parents, ", ") + " → " + strings.Join(g.Children, ", ") + " (" + g.Kind + ")"
}

// Splits returns the groups of kind Split.
func (r Result) Splits() []Group { return r.groups(Split) }

// Merges returns the groups of kind Merge.
func (r Result) Merges() []Group { return r.groups(Merge) }

func (r Result) groups(kind string) []Group {
	var gs []Group
	for _, g := range r.Groups {
		if g.Kind == kind {
			gs = append(gs, g)
		}
	}
	return gs
}

// Layers compares two versions of a layer, matching features by ID, and
// returns what was added, removed and modified. Geometries are equal when
// they have the same type and exactly the same coordinates; properties are
// compared as JSON values, a null counting as absent. Features that share
// an id within one version are matched in order of appearance.
//
// Lineage comes from lineage and, for an added feature the map does not
// name, from its "parents" property. A link counts for Groups and Children
// when the parent is in from, the child in to, and the child was added or
// the parent removed; links to ids outside the diff stay in Change.Parents.
// The inputs are not modified; Change.Old and New point to copies of the
// features (sharing their geometry and properties).
func Layers(from, to []gis.Feature, lineage Lineage) Result {
	d := newDiffer(from)
	pairs := d.match(to)
	mods := d.compare(from, to, pairs)

	var res Result
	var added, removed []Change
	for j, i := range pairs {
		if i < 0 {
			f := to[j]
			added = append(added, Change{
				ID: f.ID, Kind: Added, New: &f,
				Properties:   sideProperties(f.Properties, 1),
				Geometry:     f.Geometry != nil,
				AreaChangeM2: gis.Area(f.Geometry),
				Parents:      parentsOf(f, lineage, true),
			})
		}
	}
	for i := range from {
		if !d.matched[i] {
			f := from[i]
			removed = append(removed, Change{
				ID: f.ID, Kind: Removed, Old: &f,
				Properties:   sideProperties(f.Properties, 0),
				Geometry:     f.Geometry != nil,
				AreaChangeM2: -gis.Area(f.Geometry),
			})
		}
	}
	for k := range mods {
		mods[k].Parents = parentsOf(*mods[k].New, lineage, false)
	}
	byID := func(a, b Change) int { return strings.Compare(a.ID, b.ID) }
	slices.SortStableFunc(mods, byID)
	slices.SortStableFunc(added, byID)
	slices.SortStableFunc(removed, byID)

	res.Groups = groups(d, mods, added, removed)

	res.Modified = mods
	res.Changes = make([]Change, 0, len(mods)+len(added)+len(removed))
	res.Changes = append(append(append(res.Changes, mods...), added...), removed...)
	for _, c := range added {
		res.Added = append(res.Added, c.ID)
	}
	for _, c := range removed {
		res.Removed = append(res.Removed, c.ID)
	}
	return res
}

// differ holds the old version's index.
type differ struct {
	first   map[string]int32 // id → index in from of its first feature
	next    []int32          // index of the next feature with the same id, or -1
	matched []bool           // from[i] has a partner in to
}

func newDiffer(from []gis.Feature) *differ {
	d := &differ{
		first:   make(map[string]int32, len(from)),
		next:    make([]int32, len(from)),
		matched: make([]bool, len(from)),
	}
	last := map[string]int32(nil) // last index per duplicated id, rarely needed
	for i := range from {
		d.next[i] = -1
		id := from[i].ID
		j, dup := d.first[id]
		if !dup {
			d.first[id] = int32(i)
			continue
		}
		if last == nil {
			last = make(map[string]int32)
		}
		if l, ok := last[id]; ok {
			j = l
		}
		d.next[j] = int32(i)
		last[id] = int32(i)
	}
	return d
}

// match returns, for each feature of to, the index of its partner in from
// or -1, and marks the partners as matched.
func (d *differ) match(to []gis.Feature) []int32 {
	pairs := make([]int32, len(to))
	for j := range to {
		i, ok := d.first[to[j].ID]
		if !ok {
			pairs[j] = -1
			continue
		}
		for i >= 0 && d.matched[i] {
			i = d.next[i]
		}
		if i >= 0 {
			d.matched[i] = true
		}
		pairs[j] = i
	}
	return pairs
}

// has reports whether id is in the old version.
func (d *differ) has(id string) bool {
	_, ok := d.first[id]
	return ok
}

// compare returns the changes between the matched pairs, in the order of
// to. The pairs are compared concurrently in chunks.
func (d *differ) compare(from, to []gis.Feature, pairs []int32) []Change {
	parts := make([][]Change, numChunks(len(pairs)))
	chunks(len(pairs), func(k, lo, hi int) {
		var mods []Change
		for j := lo; j < hi; j++ {
			i := pairs[j]
			if i < 0 {
				continue
			}
			a, b := &from[i], &to[j]
			geomEq := equalGeometry(a.Geometry, b.Geometry)
			propsEq := equalProperties(a.Properties, b.Properties)
			if geomEq && propsEq {
				continue
			}
			mods = append(mods, modified(a, b, geomEq, propsEq))
		}
		parts[k] = mods
	})
	return slices.Concat(parts...)
}

func modified(a, b *gis.Feature, geomEq, propsEq bool) Change {
	old, nu := *a, *b
	c := Change{ID: b.ID, Kind: Modified, Old: &old, New: &nu, Geometry: !geomEq}
	if !propsEq {
		c.Properties = diffProperties(a.Properties, b.Properties)
	}
	if !geomEq {
		c.AreaChangeM2 = gis.Area(b.Geometry) - gis.Area(a.Geometry)
	}
	return c
}

// diffProperties lists the keys whose values differ: key → [old, new].
func diffProperties(a, b map[string]any) map[string][2]any {
	d := make(map[string][2]any)
	for k, va := range a {
		if vb := b[k]; !equalValue(va, vb) {
			d[k] = [2]any{va, vb}
		}
	}
	for k, vb := range b {
		if _, ok := a[k]; !ok && vb != nil {
			d[k] = [2]any{nil, vb}
		}
	}
	return d
}

// sideProperties lists every non-null property of a feature present on one
// side only, at position side (0 old, 1 new) of the pair.
func sideProperties(p map[string]any, side int) map[string][2]any {
	var d map[string][2]any
	for k, v := range p {
		if v == nil {
			continue
		}
		if d == nil {
			d = make(map[string][2]any, len(p))
		}
		var pair [2]any
		pair[side] = v
		d[k] = pair
	}
	return d
}

// parentsOf returns the lineage of f: from the map, else (for an added
// feature) from its "parents" property; without duplicates or f itself.
func parentsOf(f gis.Feature, lineage Lineage, added bool) []string {
	ps := lineage[f.ID]
	if len(ps) == 0 && added {
		switch v := f.Properties[ParentsKey].(type) {
		case []any:
			for _, p := range v {
				if s, ok := p.(string); ok {
					ps = append(ps, s)
				}
			}
		case []string:
			ps = v
		case string:
			if v != "" {
				ps = []string{v}
			}
		}
	}
	var out []string
	for _, p := range ps {
		if p != f.ID && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// groups links parents and children (filling Change.Children) and returns
// the connected groups of the lineage graph.
func groups(d *differ, mods, added, removed []Change) []Group {
	wasRemoved := make(map[string]bool, len(removed))
	for _, c := range removed {
		wasRemoved[c.ID] = true
	}
	wasAdded := make(map[string]bool, len(added))
	for _, c := range added {
		wasAdded[c.ID] = true
	}

	// Union-find over the ids of the links that count.
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	children := map[string][]string{}
	type link struct{ parent, child string }
	var links []link
	for _, cs := range [][]Change{mods, added} {
		for _, c := range cs {
			for _, p := range c.Parents {
				if !d.has(p) || !(wasAdded[c.ID] || wasRemoved[p]) {
					continue
				}
				links = append(links, link{p, c.ID})
				children[p] = append(children[p], c.ID)
				parent[find(p)] = find(c.ID)
			}
		}
	}
	if len(links) == 0 {
		return nil
	}
	for _, cs := range [][]Change{mods, removed} {
		for k := range cs {
			if ch := children[cs[k].ID]; ch != nil {
				cs[k].Children = slices.Clone(ch)
				slices.Sort(cs[k].Children)
				cs[k].Children = slices.Compact(cs[k].Children)
			}
		}
	}

	byRoot := map[string]*Group{}
	var order []*Group
	add := func(root string, parents bool, id string) {
		g := byRoot[root]
		if g == nil {
			g = &Group{}
			byRoot[root] = g
			order = append(order, g)
		}
		if parents {
			g.Parents = append(g.Parents, id)
		} else {
			g.Children = append(g.Children, id)
		}
	}
	for _, l := range links {
		r := find(l.parent)
		add(r, true, l.parent)
		if !wasRemoved[l.parent] {
			add(r, false, l.parent) // the parent lives on
		}
		add(r, false, l.child)
		if !wasAdded[l.child] {
			add(r, true, l.child) // the child was already there
		}
	}
	gs := make([]Group, 0, len(order))
	for _, g := range order {
		slices.Sort(g.Parents)
		g.Parents = slices.Compact(g.Parents)
		slices.Sort(g.Children)
		g.Children = slices.Compact(g.Children)
		switch np, nc := len(g.Parents), len(g.Children); {
		case np == 1 && nc == 1:
			g.Kind = Replace
		case np == 1:
			g.Kind = Split
		case nc == 1:
			g.Kind = Merge
		default:
			g.Kind = Reparcel
		}
		gs = append(gs, *g)
	}
	slices.SortFunc(gs, func(a, b Group) int {
		return cmp.Or(slices.Compare(a.Parents, b.Parents), slices.Compare(a.Children, b.Children))
	})
	return gs
}
