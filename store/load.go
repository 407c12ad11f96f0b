package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
)

// Load reads a version of a plan into memory: number 0 is the current one;
// layers, when given, restricts it to those layers.
func (s *Store) Load(ctx context.Context, code string, number int, layers ...string) (*Snapshot, error) {
	return s.load(ctx, code, number, layers, false)
}

// LoadGrid is Load with the geometry in the plan's grid, VN-2000 / TM-3
// 107-15 (EPSG:9215), as stored beside the bodies: no geometry is parsed
// or projected. The result is the projection of Load's, bit for bit. It
// reads a body's grid properties instead of the body where it has them:
// a body damaged after it was written is then not seen (verify reports
// it); damaged grid forms are refused as Load refuses a damaged body.
func (s *Store) LoadGrid(ctx context.Context, code string, number int, layers ...string) (*Snapshot, error) {
	return s.load(ctx, code, number, layers, true)
}

type loadedRow struct {
	id, layer string
	text      []byte
	hash      [32]byte // the body's stored sha256, checked as it is read
	grid      []byte   // the grid geometry (LoadGrid)
	// props is the grid properties form (body_geom.props) when the row was
	// read in the grid without its body: text and hash are then empty
	props []byte
}

// load reads a version as a walk does (WalkVersion): a batch of rows at a
// time, checked and decoded on all cores while the next batch is read, in
// the order of the items' key when that is their order (an import's), so
// SQLite never sorts the bodies. Only the decoded features are held, never
// every body's text at once (at 1 000 000 lots, a gigabyte).
func (s *Store) load(ctx context.Context, code string, number int, layers []string, inGrid bool) (*Snapshot, error) {
	snap := &Snapshot{Lineage: map[string][]string{}}
	err := s.WalkVersion(ctx, code, number, layers, func(w *VersionWalk) error {
		snap.Plan, snap.Version = w.Plan, w.Version
		for _, name := range w.Layers {
			l := gis.Layer{Name: name}
			err := w.Features(ctx, name, inGrid, func(fs []gis.Feature) error {
				l.Features = append(l.Features, fs...)
				return nil
			})
			if err != nil {
				return err
			}
			snap.Layers = append(snap.Layers, l)
		}
		return readLineage(ctx, w.tx, w.verID, snap.Lineage)
	})
	if err != nil {
		if e, ok := ReadError(err); ok {
			return nil, e // wrapped as Load wraps it
		}
		return nil, wrap("load "+code, err)
	}
	return snap, nil
}

// loadTx is load inside a transaction (a step that reads the plan it writes).
func loadTx(ctx context.Context, tx querier, code string, number int, layers []string, inGrid bool) (*Snapshot, error) {
	snap := &Snapshot{Lineage: map[string][]string{}}
	verID, err := versionHead(ctx, tx, code, number, &snap.Plan, &snap.Version)
	if err != nil {
		return nil, err
	}
	q := `SELECT i.feature_id, l.name, b.geojson, b.hash, NULL FROM version_item i
		JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id WHERE i.version_id = ?`
	if inGrid {
		q = `SELECT i.feature_id, l.name, b.geojson, b.hash, g.geom FROM version_item i
		JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id LEFT JOIN body_geom g ON g.body_id = b.id
		WHERE i.version_id = ?`
	}
	args := []any{verID}
	if len(layers) > 0 {
		q += " AND l.name IN (" + strings.TrimSuffix(strings.Repeat("?,", len(layers)), ",") + ")"
		for _, l := range layers {
			args = append(args, l)
		}
	}
	all, err := queryLoadedRows(ctx, tx, q+" ORDER BY l.id, i.seq", args...)
	if err != nil {
		return nil, err
	}
	features, err := decodeBodies(all, inGrid)
	if err != nil {
		return nil, err
	}
	for i, r := range all {
		if n := len(snap.Layers); n == 0 || snap.Layers[n-1].Name != r.layer {
			snap.Layers = append(snap.Layers, gis.Layer{Name: r.layer})
		}
		l := &snap.Layers[len(snap.Layers)-1]
		l.Features = append(l.Features, features[i])
	}
	for _, name := range layers {
		if snap.Layer(name) == nil {
			return nil, kindErr(ErrNotFound, "version %d has no layer %s", snap.Version.Number, name)
		}
	}
	return snap, readLineage(ctx, tx, verID, snap.Lineage)
}

// queryLoadedRows reads the rows of query (feature id, layer name, body
// text, its hash, its grid form or NULL) whole.
func queryLoadedRows(ctx context.Context, q querier, query string, args ...any) ([]loadedRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []loadedRow
	var hash sql.RawBytes // copied into the row: no allocation per body
	for rows.Next() {
		var r loadedRow
		if err := rows.Scan(&r.id, &r.layer, &r.text, &hash, &r.grid); err != nil {
			return nil, err
		}
		copy(r.hash[:], hash)
		all = append(all, r)
	}
	return all, rows.Err()
}

// readLineage adds version verID's lineage (feature → parents) to into.
func readLineage(ctx context.Context, tx querier, verID int64, into map[string][]string) error {
	lin, err := tx.QueryContext(ctx, "SELECT feature_id, parent_id FROM lineage WHERE version_id = ? ORDER BY feature_id, parent_id", verID)
	if err != nil {
		return err
	}
	defer lin.Close()
	for lin.Next() {
		var f, p string
		if err := lin.Scan(&f, &p); err != nil {
			return err
		}
		into[f] = append(into[f], p)
	}
	return lin.Err()
}

// versionHead finds version number (0: the current one) of plan code: its
// row id, and the plan's and the version's records into p and v.
func versionHead(ctx context.Context, q querier, code string, number int, p *Plan, v *Version) (int64, error) {
	_, verID, err := versionID(ctx, q, code, number)
	if err != nil {
		return 0, err
	}
	if *p, err = planByCode(ctx, q, code); err != nil {
		return 0, err
	}
	*v, err = versionByID(ctx, q, verID)
	return verID, err
}

// decodeBodies checks and parses stored GeoJSON bodies on all cores; in
// the grid, the geometry comes from the grid form (a body that has a
// geometry must have one).
func decodeBodies(rows []loadedRow, inGrid bool) ([]gis.Feature, error) {
	out := make([]gis.Feature, len(rows))
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	chunk := (len(rows) + workers - 1) / workers
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(rows))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []byte
			for i := lo; i < hi; i++ {
				var f gis.Feature
				var err error
				if inGrid && rows[i].props != nil {
					f, err = decodeGridProps(rows[i].id, rows[i].props, rows[i].grid, &scratch)
				} else {
					f, err = decodeBody(&rows[i], inGrid, &scratch)
				}
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = f
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeBody is the feature of a row read with its body, the body checked
// against its sha256: with inGrid, its geometry from the grid form.
func decodeBody(r *loadedRow, inGrid bool, scratch *[]byte) (gis.Feature, error) {
	if err := checkBody(r.id, r.text, r.hash[:]); err != nil {
		return gis.Feature{}, err
	}
	if !inGrid {
		return parseBody(r.id, r.text)
	}
	text := r.text
	if r.grid != nil {
		text = withoutGeometry(text, scratch)
	}
	return decodeGrid(r.id, text, r.grid)
}

// withoutGeometry is a checked canonical body with its geometry null, for
// reading its properties when the geometry comes from the grid form: the
// reader then has no coordinates to step over (most of a lot's text). Any
// other text is returned as it is. The result may live in *scratch.
func withoutGeometry(text []byte, scratch *[]byte) []byte {
	_, props, ok := canonicalParts(text)
	if !ok {
		return text
	}
	return nullGeometryBody(props, scratch)
}

// nullGeometryBody is the canonical body of properties object props with
// no geometry, in *scratch.
func nullGeometryBody(props []byte, scratch *[]byte) []byte {
	b := append((*scratch)[:0], bodyStart...)
	b = append(b, `null,"properties":`...)
	b = append(b, props...)
	b = append(b, '}')
	*scratch = b
	return b
}

// DamagedError is a stored body that does not match its sha256: what every
// output that reads bodies (export, print, area, balance, diff, approve)
// refuses. A read in the grid with grid properties reads the grid forms
// instead, each checked by its own checksum; verify compares them with the
// bodies.
type DamagedError struct {
	Feature string // feature id
	Lot     string // its lot code when the damaged body still tells it
}

func (e *DamagedError) Error() string {
	lot := ""
	if e.Lot != "" {
		lot = "lot " + e.Lot + " "
	}
	return fmt.Sprintf("%s(feature %s): the stored body is damaged (its content does not match its sha256); run quyhoach verify", lot, e.Feature)
}

// checkBody holds a body read for an output to its stored sha256.
func checkBody(id string, text, hash []byte) error {
	if sum := sha256.Sum256(text); sameHash(sum[:], hash) {
		return nil
	}
	return &DamagedError{Feature: id, Lot: textLot(text)}
}

// textLot is the lot code a stored feature's text still tells, damaged as it
// may be ("" when it cannot be read): for the messages that name a lot.
func textLot(text []byte) string {
	f, err := geojson.ParseProperties(text)
	if err != nil {
		return ""
	}
	return f.String("maDoiTuong")
}

// parseBody decodes a stored body as feature id.
func parseBody(id string, text []byte) (gis.Feature, error) {
	f, err := geojson.ParseFeature(text)
	if err != nil {
		return f, fmt.Errorf("feature %s: stored body unreadable: %w", id, err)
	}
	f.ID = id
	return f, nil
}
