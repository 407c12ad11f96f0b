package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"quyhoach/gis"
	"quyhoach/gis/topo"
	"quyhoach/lthash"
)

// LayerSource streams one layer's features into an import: Features calls
// yield for each feature in order, and returns yield's error, or its own.
// A reader of a file of any size holds one feature at a time this way, and
// the import one chunk of them: memory follows the plan stored, not the file.
type LayerSource struct {
	Name     string
	Features func(yield func(gis.Feature) error) error
	// Count is how many features there are, when known (0: not known); it
	// sizes progress reports and the choice of a bulk-built index.
	Count int
}

// Features is the source of a layer held in memory.
func Features(l gis.Layer) LayerSource {
	return LayerSource{Name: l.Name, Count: len(l.Features), Features: func(yield func(gis.Feature) error) error {
		for _, f := range l.Features {
			if err := yield(f); err != nil {
				return err
			}
		}
		return nil
	}}
}

// ImportFrom writes the features of layers as the plan's new current
// version in one transaction, reading each layer as it writes it (see
// Import for the rules). An empty layer, a source's error or a bad feature
// leaves the file as it was.
func (s *Store) ImportFrom(ctx context.Context, req ImportRequest, layers []LayerSource) (ImportResult, error) {
	if req.Source == "" {
		req.Source = "import"
	}
	var res ImportResult
	err := s.bulkTx(ctx, importPragmas, func(tx *sql.Tx) error {
		var err error
		if res, err = importTx(ctx, tx, req, layers, timeText(s.Now())); err == nil && res.Unchanged {
			return errUnchanged // roll back the version row and what matching wrote
		}
		return err
	})
	if errors.Is(err, errUnchanged) {
		err = nil
	}
	if err != nil {
		return ImportResult{}, wrap("import into "+req.Plan, err)
	}
	return res, nil
}

// importCache is the page cache of an import's connection (PRAGMA
// cache_size: negative is KiB), far smaller than the store's. An import
// appends nearly all it writes, so a page spilled to the file before the
// commit is written once, as it would be at the commit; since its body
// hashes go in at its end in key order (0015), only the B-trees' paths to
// their last pages need to stay in the cache. A larger cache only defers
// the writing to the commit and costs SQLite's bookkeeping: interleaved
// at 1 000 000 lots, 64 MiB took 13.9–14.3 s and 953 MB, this 13.7 s and
// 831 MB (a re-import with 1 % changed 14.2 s, 914 MB → 13.7 s, 814 MB);
// at 100 000 lots 2.75 → 2.48 CPU-s. (Before 0015, with the hash index
// written all over: 256 MiB 1.09 GB, 128 MiB 0.78 GB, 64 MiB 0.67 GB.)
const importCache = -4096

// importPragmas are the settings of an import's connection while it runs.
// Foreign keys are not looked up: an import refers only to rows it has
// just read or written in its own transaction (the plan, its current
// version, layers found or made, bodies found by hash or written, the
// version it writes), so each child row's lookups of its parents (five a
// lot: version, layer and body of an item, body of a grid form and of a
// measure) could only find what is there: a tenth of the writing
// goroutine's CPU.
// TestImportKeepsForeignKeys holds an import to PRAGMA foreign_key_check,
// and verify keeps checking the references of every store.
var importPragmas = []pragma{{"cache_size", importCache}, {"foreign_keys", 0}}

// streaming is an import under way.
type streaming struct {
	ctx      context.Context
	tx       *sql.Tx
	req      ImportRequest
	at       itemsAt // where the new version's items go
	w        *bodyWriter
	lineage  [][2]string
	counts   map[int64]*layerWritten // per layer id: features written, in key order or not
	changed  bool
	res      ImportResult
	done     int // features written, for progress
	total    int
	next     int // when progress is reported again
	hashes   chan []item
	hashDone chan *lthash.Hash
	// features of the layer under way without the key property
	noKey, firstNoKey int
}

func importTx(ctx context.Context, tx *sql.Tx, req ImportRequest, layers []LayerSource, now string) (ImportResult, error) {
	if len(layers) == 0 {
		return ImportResult{}, errors.New("no layer to import")
	}
	planID, curID, err := planIDs(ctx, tx, req.Plan)
	if err != nil {
		return ImportResult{}, err
	}
	names := make([]gis.Layer, len(layers))
	for i, l := range layers {
		names[i] = gis.Layer{Name: l.Name}
	}
	layerIDs, err := importLayers(ctx, tx, planID, names)
	if err != nil {
		return ImportResult{}, err
	}
	verID, at, carried, err := writeVersion(ctx, tx, planID, curID, layerIDs, req, now)
	if err != nil {
		return ImportResult{}, err
	}
	st := &streaming{ctx: ctx, tx: tx, req: req, at: at, changed: curID == 0, counts: map[int64]*layerWritten{}}
	expect := 0
	for _, l := range layers {
		st.total += l.Count
		if l.Count == 0 {
			expect = -1 // a streamed file: how many is not known
		}
	}
	if expect == 0 {
		expect = st.total
	}
	if st.w, err = newBodyWriter(ctx, tx); err != nil {
		return ImportResult{}, err
	}
	defer st.w.close()
	if err := st.w.expect(ctx, expect); err != nil {
		return ImportResult{}, err
	}
	// The new items' LtHash is summed beside the writing.
	st.hashes, st.hashDone = make(chan []item, 4), make(chan *lthash.Hash, 1)
	go func() {
		var h lthash.Hash
		for items := range st.hashes {
			addItems(&h, items, false)
		}
		st.hashDone <- &h
	}()
	state, err := st.layers(layers, layerIDs, curID)
	if err != nil {
		return ImportResult{}, err
	}
	if err := st.w.finish(ctx); err != nil {
		return ImportResult{}, err
	}
	st.res.NewBodies = st.w.written
	if !st.changed {
		st.res.Unchanged = true
		st.res.Version, err = versionByID(ctx, tx, curID)
		return st.res, err
	}
	if err := writeLineage(ctx, tx, verID, st.lineage); err != nil {
		return st.res, err
	}
	if err := importedLayerCounts(ctx, tx, verID, curID, st.counts); err != nil {
		return st.res, err
	}
	if _, err := sealVersion(ctx, tx, planID, verID, state, now); err != nil {
		return st.res, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE plan SET current_version = ? WHERE id = ?", verID, planID); err != nil {
		return st.res, err
	}
	if carried == 0 { // the version holds what was imported: no need to count it
		imported := make([]string, len(layers))
		for i, l := range layers {
			imported[i] = l.Name
		}
		st.res.Version, err = writtenVersion(ctx, tx, verID, st.done, imported)
	} else {
		st.res.Version, err = versionByID(ctx, tx, verID)
	}
	st.res.Version.Current = true
	return st.res, err
}

// layers imports each layer and returns the new version's items state:
// the current one less the imported layers' old items, plus the new ones.
func (st *streaming) layers(layers []LayerSource, layerIDs []int64, curID int64) (*lthash.Hash, error) {
	state, err := itemsState(st.ctx, st.tx, curID)
	if err != nil {
		close(st.hashes)
		<-st.hashDone
		return nil, err
	}
	var layerErr error
	for li, src := range layers {
		cur, err := storedFeatures(st.ctx, st.tx, curID, layerIDs[li], st.req.Key)
		if err != nil {
			layerErr = err
			break
		}
		addElements(state, len(cur), func(i int) []byte { return itemElement(cur[i].id, cur[i].layer, cur[i].hash[:]) }, true)
		m := newMatcher(cur, matchRules{key: st.req.Key, ownIDs: true, sameBody: true, keysChecked: true, from: "the current version"})
		st.noKey, st.firstNoKey = 0, -1
		st.counts[layerIDs[li]] = &layerWritten{schema: newLayerSchema()}
		n, err := st.layer(src, layerIDs[li], m)
		switch {
		case err != nil:
		case n == 0:
			err = fmt.Errorf("it has no features (a version cannot hold an empty layer)")
		case st.noKey > 0:
			// a feature without its key would come in as a new lot, losing its id
			err = fmt.Errorf("key %s: %d of %d features have no %s (the first is feature %d)", st.req.Key, st.noKey, n, st.req.Key, st.firstNoKey)
		}
		if err != nil {
			layerErr = fmt.Errorf("layer %s: %w", src.Name, err)
			break
		}
		var gone []string
		for s, taken := range m.taken {
			if !taken {
				st.res.Removed++
				st.changed = true
				gone = append(gone, cur[s].id)
			}
		}
		if err := closeItems(st.ctx, st.w, st.at, gone); err != nil {
			layerErr = err
			break
		}
	}
	close(st.hashes)
	added := <-st.hashDone
	if layerErr != nil {
		return nil, layerErr
	}
	state.Combine(added)
	return state, nil
}

// chunkSize is how many features are prepared together on all cores.
const chunkSize = 1024

// prepared is a feature ready to be matched and written.
type prepared struct {
	f    gis.Feature // kept until matched: a round trip may re-encode it on the stored vertices
	in   incoming
	body body
	note string // what Repair did
	err  error
	old  *storedFeature // the current version's feature it is, when matched
}

// layer reads one layer through a pipeline: the source on one goroutine,
// validation and encoding on all cores, a chunk at a time, and matching
// and writing here, in the source's order. It returns the feature count.
func (st *streaming) layer(src LayerSource, layerID int64, m *matcher) (int, error) {
	layer := src.Name
	ctx, cancel := context.WithCancel(st.ctx)
	defer cancel()
	type job struct {
		fs  []gis.Feature
		out chan preparedChunk
	}
	jobs := make(chan job)
	order := make(chan chan preparedChunk, runtime.GOMAXPROCS(0)+1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cache := new(gridCache)
			for j := range jobs {
				ps := prepare(j.fs, src.Name, st.req, cache)
				j.out <- preparedChunk{ps, schemaOf(ps)}
			}
		}()
	}
	var srcErr error
	go func() {
		defer func() {
			close(jobs)
			wg.Wait()
			close(order)
		}()
		var chunk []gis.Feature
		send := func() error {
			out := make(chan preparedChunk, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return ctx.Err()
			}
			jobs <- job{chunk, out}
			chunk = nil
			return nil
		}
		// repeated keys are refused here, where the reading waits for the
		// writing, not by the matcher on the writing goroutine (keysChecked)
		seen, read := newKeysSeen(st.req.Key), 0
		srcErr = src.Features(func(f gis.Feature) error {
			if st.req.Key != "" {
				if key := f.String(st.req.Key); key != "" {
					if err := seen.add(read, key); err != nil {
						return err
					}
				}
			}
			read++
			if chunk = append(chunk, f); len(chunk) == chunkSize {
				return send()
			}
			return ctx.Err()
		})
		if srcErr == nil && len(chunk) > 0 {
			srcErr = send()
		}
	}()
	n := 0
	var err error
	for out := range order {
		c := <-out
		if err == nil {
			err = st.write(c, layerID, layer, n, m)
			if err != nil {
				cancel() // stop the source; drain what is under way
			}
		}
		n += len(c.ps)
	}
	if err != nil {
		return n, err
	}
	if srcErr != nil && !errors.Is(srcErr, context.Canceled) {
		return n, srcErr
	}
	return n, ctx.Err()
}

// preparedChunk is a chunk of prepared features with their kinds counted.
type preparedChunk struct {
	ps     []prepared
	schema *layerSchema
}

// schemaOf counts the kinds of prepared bodies (a failed one's are not:
// its import stops).
func schemaOf(ps []prepared) *layerSchema {
	r := kindRuns{s: newLayerSchema()}
	for i := range ps {
		if ps[i].err == nil {
			r.add(ps[i].body.text)
		}
	}
	r.flush()
	return r.s
}

// prepare validates (and repairs) and encodes a chunk of features.
func prepare(fs []gis.Feature, layer string, req ImportRequest, cache *gridCache) []prepared {
	out := make([]prepared, len(fs))
	area := gis.KindOfName(layer) == gis.AreaKind
	for i, f := range fs {
		p := &out[i]
		if area && f.Geometry != nil {
			if inv := topo.Validate(f.Geometry); inv != nil {
				if g, what, err := topo.Repair(f.Geometry); req.Repair && err == nil {
					f.Geometry, p.note = g, what
				} else {
					if req.Repair {
						inv.Reason += "; it cannot be repaired: " + err.Error()
					}
					p.err = &InvalidLotError{Lot: f.String("maDoiTuong"), Reason: inv.Reason, At: inv.At}
				}
			}
		}
		if req.Key != "" {
			p.in.key = f.String(req.Key)
		}
		p.f, p.in.id, p.in.parents = f, f.ID, parentsOf(f)
		p.body = encodeBodyWith(f, cache)
		p.in.hash = p.body.hash
	}
	return out
}

// write matches a chunk of prepared features (the first is feature first
// of its layer), keeps stored vertices for round trips, and writes it.
func (st *streaming) write(c preparedChunk, layerID int64, layer string, first int, m *matcher) error {
	ps := c.ps
	var edited []editedFeature
	ids := make([]string, len(ps))
	for i := range ps {
		p, fi := &ps[i], first+i
		if p.err != nil {
			if ie, ok := p.err.(*InvalidLotError); ok {
				ie.Feature = fi // the layer is named by the caller
			}
			return p.err
		}
		if st.req.Key != "" && p.in.key == "" {
			if st.noKey++; st.firstNoKey < 0 {
				st.firstNoKey = fi
			}
		}
		if p.note != "" {
			st.res.Repaired = append(st.res.Repaired, fmt.Sprintf("feature %d%s: %s", fi, lotOf(p.f), p.note))
		}
		s, err := m.find(fi, p.in)
		if err != nil {
			return err
		}
		if s < 0 {
			ids[i] = newID()
			st.res.Added++
			st.changed = true
		} else {
			m.taken[s] = true
			ids[i] = m.stored[s].id
			p.old = &m.stored[s]
			st.res.Kept++
			if m.stored[s].hash != p.body.hash {
				edited = append(edited, editedFeature{feature: i, bodyID: m.stored[s].bodyID, hash: m.stored[s].hash})
			}
		}
		parents, err := m.parentsOf(fi, p.in)
		if err != nil {
			return err
		}
		for _, ps := range parents {
			st.lineage = append(st.lineage, [2]string{ids[i], m.stored[ps].id})
		}
	}
	if err := st.keepStored(ps, edited, c.schema); err != nil {
		return err
	}
	st.counts[layerID].schema.merge(c.schema)
	return st.writeChunk(ps, ids, layerID, layer, first)
}

// keepStored gives a matched feature whose geometry differs from its
// stored one only by a trip through a grid the stored vertices (one read
// for the chunk), so such a round trip is no change; the chunk's kinds
// (schema) follow its bodies.
func (st *streaming) keepStored(ps []prepared, edited []editedFeature, schema *layerSchema) error {
	if len(edited) == 0 {
		return nil
	}
	stored, err := storedShapes(st.ctx, st.tx, edited)
	if err != nil {
		return err
	}
	for _, e := range edited {
		p := &ps[e.feature]
		if g := stored[e.bodyID]; g != nil && gis.SameShape(g, p.f.Geometry, gis.RoundTripTolerance) {
			p.f.Geometry = g
			schema.addBody(p.body.text, -1)
			p.body = encodeBody(p.f)
			schema.addBody(p.body.text, 1)
		}
		if p.body.hash != e.hash {
			st.changed = true
		}
	}
	return nil
}

// importSeq is the place (item seq) of a layer's feature i (from 0) in
// an import: its position in the layer's file, whatever the layers
// imported with it and whatever store holds it (a replica numbers its
// layers otherwise), so a lot that keeps its body and its position keeps
// its item row (items.go). Numbered after the import's features before it,
// a layer imported alone again had every place moved. Above 2^40, as
// imports have always numbered; the places need not differ across layers
// (what reads them in order reads a layer, or breaks ties by feature id).
func importSeq(i int) int64 { return 1<<40 + int64(i) + 1 }

// writeChunk writes bodies and items in batches, reports progress, and
// hands the items to the hasher. A feature that keeps its body and its
// place keeps its row (items.go); a changed one's row is closed first.
func (st *streaming) writeChunk(ps []prepared, ids []string, layerID int64, layer string, first int) error {
	items := make([]item, len(ps))
	for i := range ps {
		items[i] = item{ids[i], layer, slices.Clone(ps[i].body.hash[:])}
	}
	var (
		rows   []itemRow
		bodies []body
		closed []string
	)
	for lo := 0; lo < len(ps); lo += batchRows {
		hi := min(lo+batchRows, len(ps))
		if err := st.ctx.Err(); err != nil {
			return err
		}
		if st.req.Progress != nil && st.done >= st.next {
			st.req.Progress(st.done, max(st.total, st.done))
			st.next = st.done + 4000
		}
		rows, bodies, closed = rows[:0], bodies[:0], closed[:0]
		for i := lo; i < hi; i++ {
			seq := importSeq(first + i)
			if old := ps[i].old; old != nil {
				if old.hash == ps[i].body.hash && old.seq == seq {
					continue
				}
				closed = append(closed, ids[i])
			}
			rows = append(rows, itemRow{feature: ids[i], layer: layerID, seq: seq})
			bodies = append(bodies, ps[i].body)
		}
		if err := closeItems(st.ctx, st.w, st.at, closed); err != nil {
			return err
		}
		if err := writeItemBatch(st.ctx, st.w, st.at, rows, bodies); err != nil {
			return err
		}
		st.counts[layerID].add(ids[lo:hi])
		st.done += hi - lo
	}
	st.hashes <- items
	return nil
}
