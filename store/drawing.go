package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"sync"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
	"quyhoach/gis/geombin"
)

// A version opened in two phases, for the window at a province's size.
// Drawing reads what the map needs to draw it — each feature's id, its grid
// geometry (body_geom) and its measure (body_measure: class and area) —
// without a body's text: no JSON parsed, no sha256 (both forms carry their
// own checksum, checked here). Attributes then reads the bodies behind the
// first frame and gives the version as LoadGrid does, its features sharing
// the drawing's geometry.

// Drawing is a version as the map first draws it.
type Drawing struct {
	Plan    Plan
	Version Version
	Layers  []DrawingLayer
}

// DrawingLayer is a layer of a Drawing, in the order Load gives it:
// features with their id and grid geometry (EPSG:9215) only — no
// properties — and each one's measure, at the same index.
type DrawingLayer struct {
	Name     string
	Features []gis.Feature
	Measures []Measure
}

// Len is how many features the drawing holds.
func (d *Drawing) Len() int {
	n := 0
	for _, l := range d.Layers {
		n += len(l.Features)
	}
	return n
}

// errNoDrawing is a version that cannot be drawn from its derived forms
// alone: a body without its measure.
var errNoDrawing = errors.New("no drawing form")

// DrawingBatch is a batch of a layer's features as Drawing hands it over:
// Features and Measures are the drawing's own (Layer's from At on), in
// place, so what is built on them (a scene pointing at the features) stays
// valid.
type DrawingBatch struct {
	Layer    string
	At       int
	Len      int // how many features the layer holds
	Features []gis.Feature
	Measures []Measure
}

// Drawing reads version number (0: the current one) of plan code as the
// map first draws it. fn, when set, hears each batch as it is ready, in
// Load's order, on the caller's goroutine while the next batches are read
// and decoded: a scene can be built as the version is read. ok is false
// when it cannot be read so — a body without its measure (a store whose
// derived forms verify would report) — and the caller loads it whole
// (LoadGrid). A damaged grid form or measure is refused as Load refuses
// it, as is an error of fn.
func (s *Store) Drawing(ctx context.Context, code string, number int, fn func(DrawingBatch) error) (d *Drawing, ok bool, err error) {
	d = &Drawing{}
	err = s.WalkVersion(ctx, code, number, nil, func(w *VersionWalk) error {
		counts, err := w.itemsByLayer(ctx)
		if err != nil {
			return &walkError{wrap("load "+code, err)}
		}
		d.Plan, d.Version = w.Plan, w.Version
		for _, name := range w.Layers {
			l := DrawingLayer{Name: name}
			n := counts[w.layers[name]]
			l.Features, l.Measures = make([]gis.Feature, n), make([]Measure, n)
			if err := w.drawingLayer(ctx, l, fn); err != nil {
				return err
			}
			d.Layers = append(d.Layers, l)
		}
		return nil
	})
	switch {
	case errors.Is(err, errNoDrawing):
		return nil, false, nil
	case err != nil:
		if e, ok := ReadError(err); ok {
			return nil, false, e
		}
		return nil, false, err // fn's own
	}
	return d, true, nil
}

// itemsByLayer counts the version's items per layer, and notes for each
// whether its items read by key come in their order (inSeqOrder): one pass
// over the items for every layer.
func (w *VersionWalk) itemsByLayer(ctx context.Context) (map[int64]int, error) {
	if order, counts, known, err := layerOrder(ctx, w.tx, w.verID); err != nil || known {
		maps.Copy(w.ordered, order) // the order stored with the counts: no scan
		return counts, err
	}
	rows, err := w.tx.QueryContext(ctx, `SELECT layer_id, seq FROM version_item WHERE version_id = ? ORDER BY feature_id`, w.verID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[int64]int{}
	order := map[int64]*seqOrder{}
	for rows.Next() {
		var layer, seq int64
		if err := rows.Scan(&layer, &seq); err != nil {
			return nil, err
		}
		o := order[layer]
		if o == nil {
			o = &seqOrder{}
			order[layer] = o
		}
		o.add(seq)
		counts[layer]++
	}
	for layer, o := range order {
		w.ordered[layer] = o.inOrder()
	}
	return counts, rows.Err()
}

// drawRow is a row of a drawing as read, its bytes in its batch's arena.
type drawRow struct {
	id         string
	body       int64
	geom, meas []byte // geom nil: no grid form
}

// drawingLayer reads a layer's ids, grid forms and measures into l in
// Load's order: a batch at a time from SQLite (the connection's goroutine),
// each batch checked and decoded into place on the other cores while the
// next is read, then handed to fn in order.
func (w *VersionWalk) drawingLayer(ctx context.Context, l DrawingLayer, fn func(DrawingBatch) error) error {
	layerID := w.layers[l.Name]
	order := "i.seq"
	if w.ordered[layerID] {
		order = "i.feature_id" // the key's order: SQLite sorts nothing
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		at, n int
		done  chan error
	}
	jobs := make(chan job, 4) // batches being decoded, in order
	var readErr error
	go func() {
		defer close(jobs)
		at := 0
		readErr = w.readDrawing(ctx, layerID, order, func(rows []drawRow) error {
			if at+len(rows) > len(l.Features) {
				return fmt.Errorf("layer %s changed while it was read", l.Name)
			}
			j := job{at, len(rows), make(chan error, 1)}
			go func() { j.done <- decodeDrawing(rows, l.Features[j.at:j.at+j.n], l.Measures[j.at:j.at+j.n]) }()
			at += len(rows)
			select {
			case jobs <- j:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var err, fnErr error
	for j := range jobs { // drained to the end: the reader stops at a cancel
		if e := <-j.done; err == nil && e != nil {
			err = e
			cancel()
		}
		if err == nil && fnErr == nil && fn != nil {
			if fnErr = fn(DrawingBatch{l.Name, j.at, len(l.Features), l.Features[j.at : j.at+j.n], l.Measures[j.at : j.at+j.n]}); fnErr != nil {
				cancel()
			}
		}
	}
	switch {
	case fnErr != nil:
		return fnErr
	case errors.Is(err, errNoDrawing) || errors.Is(readErr, errNoDrawing):
		return errNoDrawing
	case err != nil:
		return &walkError{wrap("load "+w.Plan.Code, err)}
	case readErr != nil:
		return &walkError{wrap("load "+w.Plan.Code, readErr)}
	}
	return ctx.Err()
}

// readDrawing reads a layer's rows and hands them to send in batches of
// WalkBatch; send's error stops it.
func (w *VersionWalk) readDrawing(ctx context.Context, layerID int64, order string, send func([]drawRow) error) error {
	rows, err := w.tx.QueryContext(ctx, `SELECT i.feature_id, i.body_id, g.geom, m.measure FROM version_item i
		LEFT JOIN body_geom g ON g.body_id = i.body_id LEFT JOIN body_measure m ON m.body_id = i.body_id
		WHERE i.version_id = ? AND i.layer_id = ? ORDER BY `+order, w.verID, layerID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var batch []drawRow
	var arena []byte
	hint := 64 << 10
	var geom, meas sql.RawBytes
	for rows.Next() {
		var r drawRow
		if err := rows.Scan(&r.id, &r.body, &geom, &meas); err != nil {
			return err
		}
		if meas == nil {
			return errNoDrawing
		}
		if arena == nil {
			arena = make([]byte, 0, hint)
		}
		if geom != nil {
			n := len(arena)
			arena = append(arena, geom...)
			r.geom = arena[n:len(arena):len(arena)]
		}
		n := len(arena)
		arena = append(arena, meas...)
		r.meas = arena[n:len(arena):len(arena)]
		if batch = append(batch, r); len(batch) == WalkBatch {
			hint = max(hint, len(arena)+len(arena)/8)
			if err := send(batch); err != nil {
				return err
			}
			batch, arena = nil, nil
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		return send(batch)
	}
	return nil
}

// decodeDrawing checks and decodes a batch's grid forms and measures into
// fs and ms.
func decodeDrawing(rows []drawRow, fs []gis.Feature, ms []Measure) error {
	classes := map[string]string{} // a plan has a few dozen: one string each
	for i, r := range rows {
		m2, class, ok := decodeMeasure(r.body, r.meas)
		if !ok {
			return fmt.Errorf("feature %s: the stored measure is damaged (its checksum does not match); run quyhoach verify", r.id)
		}
		c, ok := classes[string(class)]
		if !ok {
			c = string(class)
			classes[c] = c
		}
		ms[i] = Measure{Class: c, M2: m2}
		fs[i].ID = r.id
		if r.geom != nil {
			g, err := geombin.Decode(r.geom)
			if err != nil {
				return &GeometryError{Feature: r.id, Err: err}
			}
			fs[i].Geometry = g
		}
	}
	return nil
}

// Attributes reads the bodies of a drawing's version — each checked against
// its sha256, its properties parsed — and returns the version as LoadGrid
// returns it, its layers' features being the drawing's own, given their
// properties in place (a feature the drawing has no grid form for is read
// whole, as LoadGrid reads it, geometry and all): what was built on the
// drawing's features sees them, and nothing is copied. Until it returns,
// the features' properties must not be read elsewhere (their ids and
// geometry may). progress, when set, hears how many features are read so
// far (on the caller's goroutine).
func (s *Store) Attributes(ctx context.Context, d *Drawing, progress func(done int)) (*Snapshot, error) {
	snap := &Snapshot{Lineage: map[string][]string{}}
	var names []string
	for _, l := range d.Layers {
		names = append(names, l.Name)
	}
	read := 0
	err := s.WalkVersion(ctx, d.Plan.Code, d.Version.Number, names, func(w *VersionWalk) error {
		snap.Plan, snap.Version = w.Plan, d.Version
		if w.Version.UID != d.Version.UID {
			return &walkError{fmt.Errorf("load %s: version %d is not the one drawn", d.Plan.Code, d.Version.Number)}
		}
		for _, dl := range d.Layers {
			n := 0
			err := w.baseAttributes(ctx, dl, func(k int) {
				n += k
				if read += k; progress != nil {
					progress(read)
				}
			})
			if err != nil {
				return err
			}
			if n != len(dl.Features) {
				return &walkError{fmt.Errorf("load %s: layer %s changed while it was read", d.Plan.Code, dl.Name)}
			}
			snap.Layers = append(snap.Layers, gis.Layer{Name: dl.Name, Features: dl.Features})
		}
		return readLineage(ctx, w.tx, w.verID, snap.Lineage)
	})
	if err != nil {
		if e, ok := ReadError(err); ok {
			return nil, e
		}
		return nil, wrap("load "+d.Plan.Code, err)
	}
	return snap, nil
}

// baseAttributes reads a drawing layer's bodies (text and sha256 only) in
// Load's order, checks and parses them on all cores while the next batch
// is read, and tells fn how many features each batch completed, in order.
func (w *VersionWalk) baseAttributes(ctx context.Context, dl DrawingLayer, fn func(n int)) error {
	return pipeLayer(ctx, w, dl.Name, false, func(at int, rows []loadedRow) (int, error) {
		return len(rows), attributeBodies(rows, dl, at)
	}, func(n int) error { fn(n); return nil })
}

// attributeBodies checks and parses a batch of bodies, rows[k] being the
// feature at+k of the drawing layer, into those features, on all cores.
func attributeBodies(rows []loadedRow, dl DrawingLayer, at int) error {
	if at+len(rows) > len(dl.Features) {
		return fmt.Errorf("layer %s changed while it was read", dl.Name)
	}
	out := dl.Features[at : at+len(rows)]
	workers := min(runtime.GOMAXPROCS(0), len(rows))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []byte
			in := interner{}
			for k := len(rows) * w / workers; k < len(rows)*(w+1)/workers; k++ {
				if errs[w] = attributeBody(rows[k], &out[k], &scratch, in); errs[w] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// attributeBody checks row's body and reads its properties into f (whole,
// geometry and all, when f has no geometry: no grid form, as LoadGrid
// reads it).
func attributeBody(r loadedRow, f *gis.Feature, scratch *[]byte, in interner) error {
	if r.id != f.ID {
		return fmt.Errorf("feature %s changed while it was read", f.ID)
	}
	if err := checkBody(r.id, r.text, r.hash[:]); err != nil {
		return err
	}
	if f.Geometry == nil {
		g, err := decodeGrid(r.id, r.text, nil)
		*f = g
		return err
	}
	g, err := geojson.ParseProperties(withoutGeometry(r.text, scratch)) // as decodeGrid reads a body beside its grid form
	if err != nil {
		return fmt.Errorf("feature %s: stored body: %w", r.id, err)
	}
	f.Properties = in.properties(g.Properties)
	return nil
}

// interner shares the keys, and the short texts, of the properties of many
// features: a lot's map then holds a few words of its own, not a copy of
// "maDoiTuong" and its class in each (at a million lots, 100 MB).
type interner map[string]any

// properties returns m with its keys and short string values shared.
func (in interner) properties(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if ik, ok := in[k]; ok {
			k = ik.(string)
		} else {
			in[k] = k
		}
		if s, ok := v.(string); ok && len(s) <= 16 {
			if iv, ok := in["\x00"+s]; ok {
				v = iv
			} else {
				in["\x00"+s] = v
			}
		}
		out[k] = v
	}
	return out
}
