package store

import (
	"context"
	"math"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/topo"
)

// A submission's check (topo.CheckEdit) looks at the lots around a change
// set, not at the plan: reading the whole base twice took 15.7 s and
// 4.6 GB for 1 000 changed lots of a million-lot plan. The lots around are
// found through the bounding-box R*Tree (body_bbox, in lon/lat); the base's
// own items say which of those bodies it holds.

// aroundChanges reads, in the grid, the land-use lots of version verID
// that may meet the neighbourhood CheckEdit will check for dossier's
// change set (a superset: CheckEdit keeps the ones meeting its box), and
// the whole boundary layer. d holds the change set in the grid (inGrid).
func aroundChanges(ctx context.Context, q querier, verID int64, d Dossier) (lots, boundary []gis.Feature, err error) {
	// the lots changed, as the base has them, and as the change set does
	changed, err := loadLayers(ctx, q, verID, `AND l.name = ? AND i.feature_id IN (SELECT feature_id FROM dossier_change WHERE dossier_id = ?)`,
		gis.LandUseLayer, d.ID)
	if err != nil {
		return nil, nil, err
	}
	var box orb.Bound
	ok := false
	grow := func(g orb.Geometry) {
		if g == nil {
			return
		}
		if b := g.Bound(); ok {
			box = box.Union(b)
		} else {
			box, ok = b, true
		}
	}
	for _, f := range changed[gis.LandUseLayer] {
		grow(f.Geometry)
	}
	for _, c := range d.Changes {
		if c.Feature != nil && c.Layer == gis.LandUseLayer {
			grow(c.Feature.Geometry)
		}
	}
	both, err := loadLayers(ctx, q, verID, `AND l.name = ?`, gis.BoundaryLayer)
	if err != nil || !ok {
		return nil, both[gis.BoundaryLayer], err
	}
	lonlat, err := lonLatOf(box.Pad(2 * topo.Margin))
	if err != nil {
		return nil, nil, err
	}
	near, err := loadLayers(ctx, q, verID, `AND l.name = ? AND i.body_id IN (SELECT id FROM body_bbox
		WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?)`,
		gis.LandUseLayer, lonlat.Min[0], lonlat.Max[0], lonlat.Min[1], lonlat.Max[1])
	if err != nil {
		return nil, nil, err
	}
	return near[gis.LandUseLayer], both[gis.BoundaryLayer], nil
}

// lonLatOf bounds, in lon/lat, the grid box b: its edges are curves there
// (the grid's meridian convergence turns them by up to half a degree), so
// each is followed at 64 points and the bound padded by a metre or so.
func lonLatOf(b orb.Bound) (orb.Bound, error) {
	back, err := crs.New(crs.TM3LangSon, crs.WGS84)
	if err != nil {
		return orb.Bound{}, err
	}
	out := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	const steps = 64
	for k := 0; k <= steps; k++ {
		t := float64(k) / steps
		x := b.Min[0] + t*(b.Max[0]-b.Min[0])
		y := b.Min[1] + t*(b.Max[1]-b.Min[1])
		for _, p := range []orb.Point{{x, b.Min[1]}, {x, b.Max[1]}, {b.Min[0], y}, {b.Max[0], y}} {
			out = out.Extend(back(p))
		}
	}
	return out.Pad(1e-5), nil
}

// loadLayers reads version verID's items that where (SQL after the
// version's own condition, over items i and layers l) keeps, in the grid,
// checked and decoded as Load decodes them, by layer name.
func loadLayers(ctx context.Context, q querier, verID int64, where string, args ...any) (map[string][]gis.Feature, error) {
	all, err := queryLoadedRows(ctx, q, `SELECT i.feature_id, l.name, b.geojson, b.hash, g.geom FROM version_item i
		JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id LEFT JOIN body_geom g ON g.body_id = b.id
		WHERE i.version_id = ? `+where+` ORDER BY l.id, i.seq`, append([]any{verID}, args...)...)
	if err != nil {
		return nil, err
	}
	fs, err := decodeBodies(all, true)
	if err != nil {
		return nil, err
	}
	out := map[string][]gis.Feature{}
	for i, r := range all {
		out[r.layer] = append(out[r.layer], fs[i])
	}
	return out, nil
}
