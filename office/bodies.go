package office

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/store"
)

var (
	gridOnce sync.Once
	toGrid   orb.Projection
)

// gridEWKB is a body's geometry in the plan's grid (EPSG:9215) as EWKB,
// PostGIS's binary form: the stored WGS84 coordinates projected as the
// store's grid form projects them, so PostGIS measures what quyhoach
// measures (nil for no geometry); and its properties as JSON.
func gridEWKB(text []byte) (geom []byte, props string, err error) {
	f, err := geojson.ParseFeature(text)
	if err != nil {
		return nil, "", err
	}
	var raw struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(text, &raw); err != nil {
		return nil, "", err
	}
	props = "{}"
	if len(raw.Properties) > 0 && raw.Properties[0] == '{' {
		props = string(raw.Properties)
	}
	if f.Geometry == nil {
		return nil, props, nil
	}
	gridOnce.Do(func() {
		var err error
		if toGrid, err = crs.New(crs.WGS84, crs.TM3LangSon); err != nil {
			panic(err) // both systems are the program's own
		}
	})
	g := project.Geometry(orb.Clone(f.Geometry), func(q orb.Point) orb.Point {
		return toGrid(orb.Point{geojson.StoredCoord(q[0]), geojson.StoredCoord(q[1])})
	})
	geom, err = ewkb.Marshal(g, 9215)
	return geom, props, err
}

// putBodies writes the bodies the office does not hold yet, each checked
// against its sha256 and its grid geometry derived on every core.
func putBodies(ctx context.Context, tx pgx.Tx, bodies []store.Body) error {
	if len(bodies) == 0 {
		return nil
	}
	// only those not held: a push's bodies are mostly new, a clone's all
	hashes := make([][]byte, len(bodies))
	for i, b := range bodies {
		hashes[i] = b.Hash
	}
	rows, err := tx.Query(ctx, "SELECT hash FROM body WHERE hash = ANY($1)", hashes)
	if err != nil {
		return err
	}
	held, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return err
	}
	have := make(map[string]bool, len(held))
	for _, h := range held {
		have[string(h)] = true
	}
	var todo []store.Body
	for _, b := range bodies {
		if !have[string(b.Hash)] {
			have[string(b.Hash)] = true
			todo = append(todo, b)
		}
	}
	geoms := make([][]byte, len(todo))
	props := make([]string, len(todo))
	errs := make([]error, len(todo))
	gis.Parallel(len(todo), func(i int) {
		b := todo[i]
		if sum := sha256.Sum256(b.GeoJSON); string(sum[:]) != string(b.Hash) {
			errs[i] = fmt.Errorf("body %s does not match its sha256: refused", hex.EncodeToString(b.Hash[:min(8, len(b.Hash))]))
			return
		}
		if geoms[i], props[i], errs[i] = gridEWKB(b.GeoJSON); errs[i] != nil {
			errs[i] = fmt.Errorf("body %s: %v", hex.EncodeToString(b.Hash[:8]), errs[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return &userError{"office: " + err.Error()}
		}
	}
	// straight into body: the bodies held are filtered out above, and the
	// office's write lock keeps anyone else from adding one meanwhile.
	// The geometry goes as EWKB, PostGIS's binary form.
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"body"}, []string{"hash", "geojson", "props", "geom"},
		pgx.CopyFromSlice(len(todo), func(i int) ([]any, error) {
			var geom any
			if geoms[i] != nil {
				geom = geoms[i]
			}
			return []any{todo[i].Hash, string(todo[i].GeoJSON), props[i], geom}, nil
		}))
	return err
}

// readBodies reads bodies by hash.
func readBodies(ctx context.Context, q querier, hashes [][]byte) ([]store.Body, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	rows, err := q.Query(ctx, "SELECT hash, geojson FROM body WHERE hash = ANY($1)", hashes)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Body, error) {
		var b store.Body
		var text string
		err := r.Scan(&b.Hash, &text)
		b.GeoJSON = []byte(text)
		return b, err
	})
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
