package store

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// TestImportedVersionIsAsListed: the version an import returns (its items
// not counted again when it holds just what was imported) is the version
// as the store lists it, for a first import of two layers (given out of
// name order) and for a later one of one layer that carries the other over.
func TestImportedVersionIsAsListed(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if err := s.CreatePlan(ctx, Plan{Code: "p", Name: "P", Level: "zoning", Scale: 2000}); err != nil {
		t.Fatal(err)
	}
	ring := orb.Ring{{106.69, 21.89}, {106.9, 21.89}, {106.9, 22.1}, {106.69, 22.1}, {106.69, 21.89}}
	bnd := gis.Layer{Name: gis.BoundaryLayer, Features: []gis.Feature{{Geometry: orb.Polygon{ring}, Properties: map[string]any{"maDoiTuong": "RG"}}}}
	lots := gis.Layer{Name: gis.LandUseLayer, Features: genLots(300, 1)}
	for i, layers := range [][]gis.Layer{{bnd, lots}, {{Name: gis.LandUseLayer, Features: genLots(200, 2)}}} {
		res, err := s.Import(ctx, ImportRequest{Plan: "p", Layers: layers, Key: "maDoiTuong"})
		if err != nil {
			t.Fatal(err)
		}
		vs, err := s.Versions(ctx, "p")
		if err != nil {
			t.Fatal(err)
		}
		listed := vs[len(vs)-1]
		for _, v := range vs {
			if v.Number == res.Version.Number {
				listed = v
			}
		}
		if !reflect.DeepEqual(res.Version, listed) {
			t.Fatalf("import %d returned\n%+v\nlisted\n%+v", i+1, res.Version, listed)
		}
		if want := []int{301, 201}[i]; res.Version.Features != want || len(res.Version.LayerNames) != 2 {
			t.Fatalf("import %d: %d features in %v", i+1, res.Version.Features, res.Version.LayerNames)
		}
	}
}

// TestGridCacheIsToGridForm: a body encoded through the cache of projected
// positions has the grid form encodeBody gives, bit for bit, whether its
// positions were met before (the neighbours of a tiling) or not.
func TestGridCacheIsToGridForm(t *testing.T) {
	cache := new(gridCache)
	lots := append(genLots(2000, 3), genLots(500, 3)...)
	// the other shapes (projected a position at a time), zeros of both
	// signs, positions repeated within a ring and across shapes
	ring := lots[0].Geometry.(orb.Polygon)[0]
	negZero := math.Copysign(0, -1)
	odd := orb.Ring{{0, 0}, {negZero, 1e-7}, {1e-7, negZero}, {0, 0}, {1e-7, 1e-7}, {0, 0}}
	for _, g := range []orb.Geometry{orb.LineString(ring), ring[3], orb.MultiPoint(ring), orb.Polygon{odd},
		orb.Polygon{ring, odd}, orb.MultiPolygon{{ring}, {odd}}, orb.MultiLineString{orb.LineString(odd)}} {
		lots = append(lots, gis.Feature{Geometry: g, Properties: map[string]any{"maDoiTuong": "odd"}})
	}
	for _, f := range lots {
		got, want := encodeBodyWith(f, cache), encodeBody(f)
		if !bytes.Equal(got.grid, want.grid) || got.hash != want.hash || got.meas != want.meas {
			t.Fatalf("%s: the cached grid form differs", f.String("maDoiTuong"))
		}
	}
}

// TestBoundIsOrbs: bound gives orb's Bound bit for bit: lots, shells
// with a zero or a negative zero (orb's order of -0 and 0), NaN, holes,
// and geometries other than a polygon.
func TestBoundIsOrbs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	values := []float64{0, math.Copysign(0, -1), math.NaN(), 1, -1, 106.7, 21.9, 1e-300}
	var gs []orb.Geometry
	for _, f := range genLots(50, 2) {
		gs = append(gs, f.Geometry)
	}
	for range 5000 {
		r := make(orb.Ring, 1+rng.IntN(6))
		for i := range r {
			r[i] = orb.Point{values[rng.IntN(len(values))], values[rng.IntN(len(values))]}
		}
		gs = append(gs, orb.Polygon{r}, orb.Polygon{r, {{5, 5}, {-9, 9}}}, orb.LineString(r), orb.MultiPolygon{{r}})
	}
	gs = append(gs, orb.Polygon{}, orb.Polygon{{}}, orb.Point{3, 4})
	bits := func(b orb.Bound) [4]uint64 {
		return [4]uint64{math.Float64bits(b.Min[0]), math.Float64bits(b.Min[1]), math.Float64bits(b.Max[0]), math.Float64bits(b.Max[1])}
	}
	for _, g := range gs {
		if got, want := bound(g), g.Bound(); bits(got) != bits(want) {
			t.Fatalf("%v: bound %v, orb %v", g, got, want)
		}
	}
}

// TestImportGivesTheCacheBack: an import runs with a page cache of its own
// size and the connection it used gets the store's back.
func TestImportGivesTheCacheBack(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	s.db.SetMaxOpenConns(1) // the import's connection is the one asked after
	if err := s.CreatePlan(ctx, Plan{Code: "p", Name: "P", Level: "zoning", Scale: 2000}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: genLots(50, 1)}}}); err != nil {
		t.Fatal(err)
	}
	var cache int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil || cache != -262144 {
		t.Fatalf("cache_size after an import: %d %v", cache, err)
	}
}

// TestNewIDsInOrder: ids made in a burst (random bytes read a block at a
// time) are distinct version 7 UUIDs in increasing order.
func TestNewIDsInOrder(t *testing.T) {
	prev := ""
	seen := map[string]bool{}
	for range 20000 {
		id := newID()
		if len(id) != 36 || id[14] != '7' || seen[id] || id <= prev {
			t.Fatalf("id %q after %q", id, prev)
		}
		seen[id], prev = true, id
	}
}
