package store

// Taking bundles in: a batch of plans, versions and dossiers read from
// another store of the same history (the office, another replica, a
// package file) written here in one transaction, all or nothing. Nothing
// is believed: every version's items, items state and seal are rebuilt
// and recomputed here, every dossier's chain checked link by link, every
// body and document held to its sha256. The plan journals record the
// events as this store learns them (a journal is a local log).

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
)

// Batch is what TakeBatch takes in one transaction. Versions may come in
// any order (they are taken per plan in number order); a version whose
// parent is not held must find it earlier in the batch.
type Batch struct {
	Plans    []*PlanBundle
	Versions []*VersionBundle
	Dossiers []*DossierBundle
}

// TakeOptions tune TakeBatch.
type TakeOptions struct {
	// Synced says the batch is what the office holds (a clone or a pull):
	// every version of the batch is recorded as held by the office
	// (sync_version), each dossier with its Rev, its Number (the office's
	// short number), its chain head and change set (sync_dossier). A
	// dossier edited here since the last pull keeps its edits; one edited
	// both here and at the office is refused (*DivergedError).
	Synced bool
	// Replay, with Synced, takes a dossier whose chain moved on both at
	// the office and here: the links only this store holds are set aside,
	// the office's taken, and the set-aside steps and documents recorded
	// again after them (sync_replay.go). Without it such a dossier is
	// refused (*DivergedError).
	Replay bool
}

// TakeStatus is what TakeBatch did with one plan or version.
type TakeStatus struct {
	UID    string `json:"uid"`
	Plan   string `json:"plan"`             // plan code
	Number int    `json:"number,omitempty"` // version number
	// Status: "new", "appended" (a plan: layers or agencies added), "up
	// to date" (held already: nothing to do).
	Status string `json:"status"`
}

// BatchResult says what TakeBatch did, per bundle of the batch in order
// (versions in the order they were taken).
type BatchResult struct {
	Plans    []TakeStatus   `json:"plans,omitempty"`
	Versions []TakeStatus   `json:"versions,omitempty"`
	Dossiers []UnpackResult `json:"dossiers,omitempty"`
}

// Changed reports whether the batch brought anything.
func (r BatchResult) Changed() bool {
	for _, p := range r.Plans {
		if p.Status != UnpackUpToDate {
			return true
		}
	}
	for _, v := range r.Versions {
		if v.Status != UnpackUpToDate {
			return true
		}
	}
	for _, d := range r.Dossiers {
		if d.Status != UnpackUpToDate {
			return true
		}
	}
	return false
}

// DivergedError is history that moved on both sides since two stores last
// met: a plan with a new version here and another at the other store, or a
// dossier with steps or documents recorded (or its change set edited) on
// both sides. Nothing is merged: the side that pushes pulls first.
type DivergedError struct {
	Plan string // plan code
	// Here and There are the plan's versions: the current one here and the
	// one the other store made on the same parent (0 for a dossier).
	Here, There int
	Dossier     int64  // the dossier's number here (0 for a plan)
	UID         string // the plan's or dossier's global id
	// Seq is the first link of the dossier's chain that differs; 0 when the
	// chains agree and the change sets were edited on both sides.
	Seq int
}

func (e *DivergedError) Error() string {
	switch {
	case e.Dossier == 0:
		return fmt.Sprintf("plan %s moved on both here (version %d) and at the other store (version %d) since they last met", e.Plan, e.Here, e.There)
	case e.Seq == 0:
		return fmt.Sprintf("dossier %d of plan %s: its change set was edited both here and at the other store since they last met", e.Dossier, e.Plan)
	}
	return fmt.Sprintf("dossier %d of plan %s here and at the other store part at link %d: steps or documents were recorded on both sides since they last met",
		e.Dossier, e.Plan, e.Seq)
}

// TakeBatch takes a batch in, in one transaction: all of it, or nothing
// and the reason in one line. Plans first (new ones made with their uid,
// held ones given the layers and agency rows they lack; their records must
// match), then versions in number order — each with its parent held or
// taken before it, rebuilt and its seal recomputed — with the records of
// the dossiers they name, then the dossiers' steps, documents and change
// sets as UnpackDossier takes them. A plan or dossier that moved on both
// sides is refused with a *DivergedError.
func (s *Store) TakeBatch(ctx context.Context, b Batch, opt TakeOptions) (BatchResult, error) {
	var res BatchResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		t := &taking{s: s, tx: tx, now: timeText(s.Now()), opt: opt}
		var err error
		res, err = t.batch(ctx, b)
		return err
	})
	if err != nil {
		var de *DivergedError
		if errors.As(err, &de) {
			return BatchResult{}, de
		}
		return BatchResult{}, wrapPack("take", err)
	}
	return res, nil
}

// taking is one transaction taking bundles in.
type taking struct {
	s   *Store
	tx  *sql.Tx
	now string
	opt TakeOptions
	// created are the dossiers whose record this transaction made (uid).
	created map[string]bool
}

func (t *taking) batch(ctx context.Context, b Batch) (BatchResult, error) {
	var res BatchResult
	for _, d := range b.Dossiers {
		if err := d.check(); err != nil {
			err.Reason = "dossier " + d.Code + " (" + d.Title + "): " + err.Reason
			return res, err
		}
	}
	for _, p := range b.Plans {
		st, err := t.plan(ctx, p)
		if err != nil {
			return res, err
		}
		res.Plans = append(res.Plans, st)
	}
	// a dossier's record names its base version, and a version made by an
	// approval names its dossier: records are made as their bases arrive
	pending := slices.Clone(b.Dossiers)
	records := func(final bool) error {
		rest := pending[:0]
		for _, d := range pending {
			held, err := t.holds(ctx, "SELECT count(*) FROM version v JOIN plan p ON p.id = v.plan_id WHERE p.uid = ? AND v.seal = ?", d.PlanUID, d.BaseSeal)
			if err != nil {
				return err
			}
			if !held && !final {
				rest = append(rest, d)
				continue
			}
			if err := t.dossierRecord(ctx, d); err != nil {
				return err
			}
		}
		pending = rest
		return nil
	}
	versions := slices.Clone(b.Versions)
	sort.SliceStable(versions, func(i, j int) bool {
		if versions[i].PlanUID != versions[j].PlanUID {
			return versions[i].PlanUID < versions[j].PlanUID
		}
		return versions[i].Number < versions[j].Number
	})
	var made []*VersionBundle // versions taken that an approval made
	for _, v := range versions {
		if err := records(false); err != nil {
			return res, err
		}
		st, err := t.version(ctx, v)
		if err != nil {
			return res, err
		}
		res.Versions = append(res.Versions, st)
		if st.Status == UnpackNew && v.Dossier != "" {
			made = append(made, v)
		}
	}
	if err := records(true); err != nil {
		return res, err
	}
	for _, d := range b.Dossiers {
		r, err := t.dossier(ctx, d)
		if err != nil {
			return res, err
		}
		res.Dossiers = append(res.Dossiers, r)
	}
	for _, v := range made {
		var ok bool
		if err := t.tx.QueryRowContext(ctx, `SELECT coalesce(d.approved_version_id = v.id, 0) FROM version v JOIN dossier d ON d.id = v.dossier_id
			WHERE v.uid = ?`, v.UID).Scan(&ok); err != nil {
			return res, err
		}
		if !ok {
			return res, fmt.Errorf("version %d of plan %s was made by approving a dossier whose approval the batch does not carry", v.Number, t.planCode(ctx, v.PlanUID))
		}
	}
	if t.opt.Synced {
		if err := t.markSynced(ctx, b); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (t *taking) holds(ctx context.Context, query string, args ...any) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, query, args...).Scan(&n)
	return n > 0, err
}

// planCode names a plan by its global id in messages.
func (t *taking) planCode(ctx context.Context, uid string) string {
	var code string
	if t.tx.QueryRowContext(ctx, "SELECT code FROM plan WHERE uid = ?", uid).Scan(&code) != nil {
		return uid
	}
	return code
}

// plan takes a plan's bundle: a new plan is made with its uid, record and
// journal's first event; a held one gets the layers and agency rows it
// lacks. Its record must be the one held.
func (t *taking) plan(ctx context.Context, p *PlanBundle) (TakeStatus, error) {
	st := TakeStatus{UID: p.UID, Plan: p.Code, Status: UnpackUpToDate}
	if p.UID == "" {
		return st, fmt.Errorf("plan %s comes without a global id", p.Code)
	}
	var id int64
	var held PlanBundle
	err := t.tx.QueryRowContext(ctx, "SELECT id, code, name, level, scale, crs, area, note, created FROM plan WHERE uid = ?", p.UID).
		Scan(&id, &held.Code, &held.Name, &held.Level, &held.Scale, &held.CRS, &held.Area, &held.Note, &held.Created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := validatePlan(Plan{Code: p.Code, Name: p.Name, Level: p.Level, Scale: p.Scale}); err != nil {
			return st, err
		}
		var other string
		if err := t.tx.QueryRowContext(ctx, "SELECT coalesce(uid, '') FROM plan WHERE code = ?", p.Code).Scan(&other); err == nil {
			return st, fmt.Errorf("plan %s: this store holds another plan of that code (id %s, the other store's is %s)", p.Code, other, p.UID)
		}
		r, err := t.tx.ExecContext(ctx, `INSERT INTO plan (uid, code, name, level, scale, crs, area, note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.UID, p.Code, p.Name, p.Level, p.Scale, p.CRS, p.Area, p.Note, p.Created)
		if err != nil {
			return st, err
		}
		id, _ = r.LastInsertId()
		content, created, err := planRecord(ctx, t.tx, id)
		if err != nil {
			return st, err
		}
		if _, err := appendPlanLink(ctx, t.tx, id, "plan", 0, content, created); err != nil {
			return st, err
		}
		st.Status = UnpackNew
	case err != nil:
		return st, err
	default:
		if held.Code != p.Code || held.Name != p.Name || held.Level != p.Level || held.Scale != p.Scale || held.CRS != p.CRS ||
			held.Area != p.Area || held.Note != p.Note || held.Created != p.Created {
			return st, fmt.Errorf("plan %s: its record (code, name, level, scale, CRS, area, note, created) here is not the other store's", held.Code)
		}
	}
	for _, l := range p.Layers {
		added, err := t.layer(ctx, id, l)
		if err != nil {
			return st, err
		}
		if added && st.Status == UnpackUpToDate {
			st.Status = UnpackAppended
		}
	}
	heldAgencies, err := agencyRows(ctx, t.tx, id, -1)
	if err != nil {
		return st, err
	}
	have := map[AgenciesBundle]bool{}
	for _, a := range heldAgencies {
		have[AgenciesBundle{a.Approver, a.Appraiser, a.Proposer, a.Consultant, timeText(a.At), a.By}] = true
	}
	for _, a := range p.Agencies {
		if have[a] {
			continue
		}
		have[a] = true
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO plan_agencies (plan_id, approver, appraiser, proposer, consultant, at, by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, a.Approver, a.Appraiser, a.Proposer, a.Consultant, a.At, a.By); err != nil {
			return st, fmt.Errorf("plan %s: agencies of %s: %w", p.Code, a.At, err)
		}
		if st.Status == UnpackUpToDate {
			st.Status = UnpackAppended
		}
	}
	return st, nil
}

// layer makes a plan's layer of the given kind unless it is held.
func (t *taking) layer(ctx context.Context, planID int64, l LayerBundle) (added bool, err error) {
	held, err := t.holds(ctx, "SELECT count(*) FROM layer WHERE plan_id = ? AND name = ?", planID, l.Name)
	if err != nil || held {
		return false, err
	}
	if strings.TrimSpace(l.Name) == "" || reservedLayer(l.Name) {
		return false, fmt.Errorf("layer name %q cannot be taken in", l.Name)
	}
	_, err = t.tx.ExecContext(ctx, "INSERT INTO layer (plan_id, name, kind) VALUES (?, ?, ?)", planID, l.Name, l.Kind)
	return err == nil, err
}

// version takes a version's bundle: held already (its seal must be the
// bundle's), or written after its parent, its items rebuilt and its items
// state and seal recomputed and compared, then journaled and made current.
func (t *taking) version(ctx context.Context, v *VersionBundle) (TakeStatus, error) {
	code := t.planCode(ctx, v.PlanUID)
	st := TakeStatus{UID: v.UID, Plan: code, Number: v.Number, Status: UnpackUpToDate}
	refuse := func(why string) error {
		return fmt.Errorf("version %d of plan %s does not match its seal: %s", v.Number, code, why)
	}
	var heldSeal []byte
	err := t.tx.QueryRowContext(ctx, "SELECT coalesce(seal, x'') FROM version WHERE uid = ?", v.UID).Scan(&heldSeal)
	if err == nil {
		if !sameHash(heldSeal, v.Seal) {
			return st, refuse("this store holds it with another seal (" + short(heldSeal) + ")")
		}
		return st, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return st, err
	}
	var planID int64
	var current sql.NullInt64
	err = t.tx.QueryRowContext(ctx, "SELECT id, current_version FROM plan WHERE uid = ?", v.PlanUID).Scan(&planID, &current)
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("version %d: its plan (id %s) is neither in this store nor in the batch", v.Number, v.PlanUID)
	}
	if err != nil {
		return st, err
	}
	var curNumber int
	if current.Valid {
		if err := t.tx.QueryRowContext(ctx, "SELECT number FROM version WHERE id = ?", current.Int64).Scan(&curNumber); err != nil {
			return st, err
		}
	}
	var parentID int64
	parentNumber := 0
	if v.Parent != "" {
		err := t.tx.QueryRowContext(ctx, "SELECT id, number FROM version WHERE uid = ? AND plan_id = ?", v.Parent, planID).Scan(&parentID, &parentNumber)
		if errors.Is(err, sql.ErrNoRows) {
			return st, fmt.Errorf("version %d of plan %s: its parent version is neither in this store nor in the batch", v.Number, code)
		}
		if err != nil {
			return st, err
		}
	}
	if parentID != current.Int64 {
		return st, &DivergedError{Plan: code, UID: v.PlanUID, Here: curNumber, There: v.Number}
	}
	if v.Number != parentNumber+1 {
		return st, refuse(fmt.Sprintf("its number follows version %d", parentNumber))
	}
	if v.Delta && parentID == 0 {
		return st, refuse("a delta without a parent")
	}
	var dossier any
	if v.Dossier != "" {
		var id int64
		err := t.tx.QueryRowContext(ctx, "SELECT id FROM dossier WHERE uid = ? AND plan_id = ?", v.Dossier, planID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return st, fmt.Errorf("version %d of plan %s was made by approving a dossier (id %s) that is neither in this store nor in the batch", v.Number, code, v.Dossier)
		}
		if err != nil {
			return st, err
		}
		dossier = id
	}
	var parent any
	if parentID != 0 {
		parent = parentID
	}
	r, err := t.tx.ExecContext(ctx, `INSERT INTO version (uid, plan_id, number, parent_id, created, source, message, dossier_id, decision_no, decision_date, ma_thong_tin_qh)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.UID, planID, v.Number, parent, v.Created, v.Source, v.Message, dossier, v.DecisionNo, v.DecisionDate, v.MaThongTinQH)
	if err != nil {
		return st, refuse(err.Error())
	}
	verID, _ := r.LastInsertId()
	at, err := openItems(ctx, t.tx, planID, verID, parentID)
	if err != nil {
		return st, err
	}
	bodyIDs, err := t.bodies(ctx, v.Bodies, v.Put, code, v.Number)
	if err != nil {
		return st, err
	}
	layers := map[string]int64{}
	put := make([]item, len(v.Put))
	for i, it := range v.Put {
		if _, ok := layers[it.Layer]; !ok {
			if layers[it.Layer], err = ensureLayer(ctx, t.tx, planID, gis.Layer{Name: it.Layer}); err != nil {
				return st, err
			}
		}
		put[i] = item{feature: it.Feature, layer: it.Layer, body: it.Body}
	}
	state, err := itemsState(ctx, t.tx, 0)
	if err != nil {
		return st, err
	}
	if v.Delta {
		// the parent's items less the features the delta names
		if _, err := t.tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS take_ids (feature_id TEXT PRIMARY KEY) WITHOUT ROWID"); err != nil {
			return st, err
		}
		if _, err := t.tx.ExecContext(ctx, "DELETE FROM temp.take_ids"); err != nil {
			return st, err
		}
		ids := slices.Clone(v.Drop)
		for _, it := range v.Put {
			ids = append(ids, it.Feature)
		}
		for lo := 0; lo < len(ids); lo += batchRows {
			chunk := ids[lo:min(lo+batchRows, len(ids))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			if _, err := t.tx.ExecContext(ctx, "INSERT OR IGNORE INTO temp.take_ids (feature_id) VALUES "+groups(len(chunk)), args...); err != nil {
				return st, err
			}
		}
		if err := at.close(ctx, t.tx, "SELECT feature_id FROM temp.take_ids"); err != nil {
			return st, err
		}
		if state, err = itemsState(ctx, t.tx, parentID); err != nil {
			return st, err
		}
		from, err := versionAt(ctx, t.tx, parentID)
		if err != nil {
			return st, err
		}
		old, err := queryItems(ctx, t.tx, `SELECT i.feature_id, l.name, b.hash FROM temp.take_ids k CROSS JOIN item i ON `+from.on("i")+` AND i.feature_id = k.feature_id
			JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id`)
		if err != nil {
			return st, err
		}
		addItems(state, old, true)
	} else if parentID != 0 {
		// a whole version after its parent: none of the parent's rows stays
		if err := at.closeAll(ctx, t.tx); err != nil {
			return st, err
		}
	}
	for lo := 0; lo < len(v.Put); lo += batchRows {
		chunk := v.Put[lo:min(lo+batchRows, len(v.Put))]
		args := make([]any, 0, 4*len(chunk))
		for _, it := range chunk {
			args = append(args, it.Feature, layers[it.Layer], bodyIDs[string(it.Body)], it.Seq)
		}
		if _, err := t.tx.ExecContext(ctx, at.insert(len(chunk)), args...); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "PRIMARY KEY") {
				return st, refuse("a feature id is given twice")
			}
			return st, err
		}
	}
	addItems(state, put, false)
	if !sameHash(state.Bytes(), v.ItemsHash) {
		return st, refuse("its items are not the ones it was sealed with")
	}
	for _, l := range v.Lineage {
		if _, err := t.tx.ExecContext(ctx, "INSERT OR IGNORE INTO lineage (version_id, feature_id, parent_id) VALUES (?, ?, ?)", verID, l.Feature, l.Parent); err != nil {
			return st, err
		}
	}
	lin, err := lineageDigest(ctx, t.tx, verID)
	if err != nil {
		return st, err
	}
	sum := state.Sum()
	seal, err := versionSeal(ctx, t.tx, verID, sum[:], lin)
	if err != nil {
		return st, err
	}
	if !sameHash(seal, v.Seal) {
		return st, refuse("its record (number, parent, date, decision, maThongTinQH, dossier) or lineage is not the one it was sealed with")
	}
	if err := countLayers(ctx, t.tx, verID); err != nil {
		return st, err
	}
	if _, err := t.tx.ExecContext(ctx, "UPDATE version SET items_hash = ?, seal = ? WHERE id = ?", state.Bytes(), seal, verID); err != nil {
		return st, err
	}
	if _, err := appendPlanLink(ctx, t.tx, planID, "version", verID, seal, t.now); err != nil {
		return st, err
	}
	if _, err := t.tx.ExecContext(ctx, "UPDATE plan SET current_version = ? WHERE id = ?", verID, planID); err != nil {
		return st, err
	}
	st.Status = UnpackNew
	return st, nil
}

// groups is n single-value row groups: "(?),(?)".
func groups(n int) string { return strings.TrimSuffix(strings.Repeat("(?),", n), ",") }

// bodies stores the bodies a version's items name that are not held
// (each checked against its hash, with its grid form, box and measure)
// and returns every named body's id by hash.
func (t *taking) bodies(ctx context.Context, given []Body, items []VersionItem, plan string, number int) (map[string]int64, error) {
	ids := map[string]int64{}
	var want [][]byte
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[string(it.Body)] {
			seen[string(it.Body)] = true
			want = append(want, it.Body)
		}
	}
	for lo := 0; lo < len(want); lo += 500 {
		chunk := want[lo:min(lo+500, len(want))]
		args := make([]any, len(chunk))
		for i, h := range chunk {
			args[i] = h
		}
		rows, err := t.tx.QueryContext(ctx, "SELECT hash, body_id FROM body_hash WHERE hash IN ("+placeholders(len(chunk), 1)+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var h []byte
			var id int64
			if err := rows.Scan(&h, &id); err != nil {
				rows.Close()
				return nil, err
			}
			ids[string(h)] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	var fresh []Body
	for _, b := range given {
		if _, ok := ids[string(b.Hash)]; !ok && seen[string(b.Hash)] {
			fresh = append(fresh, b)
			ids[string(b.Hash)] = 0
		}
	}
	for _, h := range want {
		if _, ok := ids[string(h)]; !ok {
			return nil, fmt.Errorf("version %d of plan %s: the body %s of one of its lots is neither in this store nor in the batch", number, plan, short(h))
		}
	}
	if len(fresh) == 0 {
		return ids, nil
	}
	w, err := newBodyWriter(ctx, t.tx)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if err := w.expect(ctx, len(fresh)); err != nil {
		return nil, err
	}
	for lo := 0; lo < len(fresh); lo += batchRows {
		chunk := fresh[lo:min(lo+batchRows, len(fresh))]
		bs := make([]*body, len(chunk))
		errs := make([]error, len(chunk))
		gis.Parallel(len(chunk), func(i int) {
			if sum := sha256.Sum256(chunk[i].GeoJSON); !sameHash(sum[:], chunk[i].Hash) {
				errs[i] = damagedBody(items, chunk[i])
				return
			}
			bs[i], errs[i] = bodyOfText(chunk[i].GeoJSON)
		})
		for i, err := range errs {
			if err != nil {
				var de *DamagedError
				if errors.As(err, &de) {
					return nil, fmt.Errorf("version %d of plan %s: %w: the bundle was altered", number, plan, err)
				}
				return nil, fmt.Errorf("version %d of plan %s: the body %s cannot be read (%v)", number, plan, short(chunk[i].Hash), err)
			}
		}
		got, err := w.putMany(ctx, bs)
		if err != nil {
			return nil, err
		}
		for i, b := range bs {
			ids[string(b.hash[:])] = got[i]
		}
	}
	return ids, w.finish(ctx)
}

// dossierRecord makes the record of a dossier not held here, as a draft on
// its base (which must be held): its steps, documents and change set come
// after (dossier), once the versions it names are taken.
func (t *taking) dossierRecord(ctx context.Context, b *DossierBundle) error {
	held, err := t.holds(ctx, "SELECT count(*) FROM dossier WHERE uid = ?", b.UID)
	if err != nil || held {
		return err
	}
	planID, code, err := t.dossierPlan(ctx, b)
	if err != nil {
		return err
	}
	var baseID int64
	err = t.tx.QueryRowContext(ctx, "SELECT id FROM version WHERE plan_id = ? AND seal = ?", planID, b.BaseSeal).Scan(&baseID)
	if errors.Is(err, sql.ErrNoRows) {
		return packageErr("", "its base, version {{.Version}} of plan {{.Plan}} (seal {{.Seal}}), is not in this store: it holds another history of the plan",
			map[string]any{"Version": b.BaseNumber, "Plan": code, "Seal": short(b.BaseSeal)})
	}
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO dossier (uid, plan_id, kind, base_version_id, title, reason, code, state, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?)`, b.UID, planID, b.Kind, baseID, b.Title, b.Reason, b.Code, b.Created); err != nil {
		return err
	}
	if t.created == nil {
		t.created = map[string]bool{}
	}
	t.created[b.UID] = true
	return nil
}

// dossierPlan finds a dossier's plan here by its global id.
func (t *taking) dossierPlan(ctx context.Context, b *DossierBundle) (int64, string, error) {
	var planID int64
	var code string
	err := t.tx.QueryRowContext(ctx, "SELECT id, code FROM plan WHERE uid = ?", b.PlanUID).Scan(&planID, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", packageErr("", "its plan {{.Plan}} ({{.Name}}, id {{.UID}}) is not in this store", map[string]any{"Plan": b.PlanCode, "Name": b.PlanName, "UID": b.PlanUID})
	}
	return planID, code, err
}

// dossier takes the steps, documents and change set of a dossier whose
// record is here (dossierRecord): the links its chain lacks, when its
// chain is a prefix of the bundle's; the bundle's change set for a draft
// whose chain is the bundle's. Then the dossier is checked as it stands.
func (t *taking) dossier(ctx context.Context, b *DossierBundle) (UnpackResult, error) {
	res := UnpackResult{UID: b.UID, Title: b.Title, Author: b.Author, Changes: len(b.Changes)}
	planID, code, err := t.dossierPlan(ctx, b)
	if err != nil {
		return res, err
	}
	res.Plan = code
	var baseID int64
	err = t.tx.QueryRowContext(ctx, "SELECT id, number FROM version WHERE plan_id = ? AND seal = ?", planID, b.BaseSeal).Scan(&baseID, &res.Base)
	if errors.Is(err, sql.ErrNoRows) {
		return res, packageErr("", "its base, version {{.Version}} of plan {{.Plan}} (seal {{.Seal}}), is not in this store: it holds another history of the plan",
			map[string]any{"Version": b.BaseNumber, "Plan": res.Plan, "Seal": short(b.BaseSeal)})
	}
	if err != nil {
		return res, err
	}
	// An approval made a version where it was recorded: the store must
	// hold it (or have taken it from the same batch).
	var approvedID int64
	for _, st := range b.Steps {
		if st.To != Approved || st.From == Approved {
			continue
		}
		err := t.tx.QueryRowContext(ctx, "SELECT id FROM version WHERE plan_id = ? AND seal = ?", planID, st.Made).Scan(&approvedID)
		if errors.Is(err, sql.ErrNoRows) {
			return res, packageErr("", "the dossier was approved in another store, as a version of plan {{.Plan}} (seal {{.Seal}}) this store does not hold",
				map[string]any{"Plan": res.Plan, "Seal": short(st.Made)})
		}
		if err != nil {
			return res, err
		}
	}
	state, due := b.StepState()
	var id int64
	var localState string
	if err := t.tx.QueryRowContext(ctx, "SELECT id, state FROM dossier WHERE uid = ?", b.UID).Scan(&id, &localState); err != nil {
		return res, err
	}
	if t.created[b.UID] {
		res.Status = UnpackNew
	}
	res.Dossier = id
	local, err := readLinks(ctx, t.tx, "SELECT seq, kind, ref, content, prev, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq", id, false)
	if err != nil {
		return res, err
	}
	var aside []asideLink // this replica's own links, to record again after the bundle's
	for i := range min(len(local), len(b.Links)) {
		if !sameHash(local[i].hash, b.Links[i].Hash) {
			if t.opt.Synced && t.opt.Replay && i > 0 {
				if aside, err = t.setAside(ctx, id, i, code); err != nil {
					return res, err
				}
				local = local[:i]
				break
			}
			return res, &PackageError{Key: "dossier {{.ID}} here and the package part at link {{.Seq}}: steps or documents were recorded on both sides since they last met",
				Data:   map[string]any{"ID": id, "Seq": i + 1},
				Reason: fmt.Sprintf("dossier %d here and the package part at link %d: steps or documents were recorded on both sides since they last met", id, i+1),
				Err:    &DivergedError{Plan: code, UID: b.UID, Dossier: id, Seq: i + 1}}
		}
	}
	digest, err := changesDigest(ctx, t.tx, id)
	if err != nil {
		return res, err
	}
	theirs := b.changesDigest()
	sameChanges := sameHash(digest, theirs)
	// A pull keeps what was edited here since the office last had it; a
	// change set edited on both sides is refused.
	keepOurs := false
	if t.opt.Synced && !sameChanges && res.Status != UnpackNew {
		var synced []byte
		err := t.tx.QueryRowContext(ctx, "SELECT coalesce(changes, x'') FROM sync_dossier WHERE dossier_id = ?", id).Scan(&synced)
		if errors.Is(err, sql.ErrNoRows) {
			// never synced (a store pointed at the office with remote --set):
			// which side edited it is unknown, so neither is taken over the other
			return res, &DivergedError{Plan: code, UID: b.UID, Dossier: id}
		}
		if err != nil {
			return res, err
		}
		if !sameHash(digest, synced) {
			if len(local) < len(b.Links) || !sameHash(theirs, synced) {
				return res, &DivergedError{Plan: code, UID: b.UID, Dossier: id}
			}
			keepOurs = true
		}
	}
	if len(local) >= len(b.Links) {
		res.Status, res.Ahead, res.State = UnpackUpToDate, len(local)-len(b.Links), localState
		if localState == Draft && len(local) == len(b.Links) && !sameChanges && !keepOurs {
			// a draft the officer kept editing: its change set, unsealed, follows the bundle
			if err := t.replaceChanges(ctx, id, planID, b); err != nil {
				return res, err
			}
			res.Status = UnpackUpdated
		}
		return t.dossierDone(ctx, res, id, planID)
	}
	if res.Status == "" {
		res.Status = UnpackAppended
	}
	if !sameChanges {
		if err := t.replaceChanges(ctx, id, planID, b); err != nil {
			return res, err
		}
	}
	steps := map[int64]StepBundle{}
	for _, st := range b.Steps {
		steps[st.Ref] = st
	}
	atts := map[int64]AttachmentBundle{}
	for _, a := range b.Attachments {
		atts[a.Ref] = a
	}
	for _, l := range b.Links[len(local):] {
		var ref int64
		switch l.Kind {
		case "step":
			st := steps[l.Ref]
			r, err := t.tx.ExecContext(ctx, `INSERT INTO transition (dossier_id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, st.From, st.To, st.At, st.By, st.DocNo, st.DocDate, st.Note, st.Due, st.Agency, st.Signer,
				nonNilBytes(st.Changes), nonNilBytes(st.Made), st.Prev, st.Hash)
			if err != nil {
				return res, err
			}
			ref, _ = r.LastInsertId()
			res.Steps++
		case "attach":
			a := atts[l.Ref]
			r, err := t.tx.ExecContext(ctx, `INSERT INTO attachment (dossier_id, kind, name, size, sha256, data, added) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, a.Kind, a.Name, a.Size, a.Sum, nonNilBytes(a.Data), a.Added)
			if err != nil {
				return res, err
			}
			ref, _ = r.LastInsertId()
			res.Attachments++
		}
		if _, err := t.tx.ExecContext(ctx, "INSERT INTO dossier_link (dossier_id, seq, kind, ref, content, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, l.Seq, l.Kind, nullID(ref), l.Content, l.Prev, l.Hash); err != nil {
			return res, err
		}
	}
	if _, err := t.tx.ExecContext(ctx, "UPDATE dossier SET base_version_id = ?, state = ?, due = ?, approved_version_id = ? WHERE id = ?",
		baseID, state, due, nullID(approvedID), id); err != nil {
		return res, err
	}
	// the plan's journal records the dossier's new head, as each step does
	if _, err := appendPlanLink(ctx, t.tx, planID, "dossier", id, b.Links[len(b.Links)-1].Hash, t.now); err != nil {
		return res, err
	}
	res.State = state
	if len(aside) > 0 {
		if err := t.replay(ctx, id, aside); err != nil {
			return res, err
		}
		res.Replayed = len(aside)
		if err := t.tx.QueryRowContext(ctx, "SELECT state FROM dossier WHERE id = ?", id).Scan(&res.State); err != nil {
			return res, err
		}
	}
	return t.dossierDone(ctx, res, id, planID)
}

// dossierDone checks the dossier as it now stands here with the store's
// own rules — its chain link by link, its change set against the one its
// last step sealed — and says where it stands against the plan.
func (t *taking) dossierDone(ctx context.Context, res UnpackResult, id, planID int64) (UnpackResult, error) {
	tx := t.tx
	c, err := checkChain(ctx, tx, id)
	if err != nil {
		return res, err
	}
	if problem := chainProblem(c); problem != "" {
		return res, packageErr("", "the dossier's chain does not verify here ({{.Problem}})", map[string]any{"Problem": problem})
	}
	var last *stepRow
	for _, l := range c.links {
		if st, ok := c.steps[l.ref]; ok && l.kind == "step" {
			last = &st
		}
	}
	if last != nil && last.To != Draft && len(last.changes) > 0 {
		now, err := changesDigest(ctx, tx, id)
		if err != nil {
			return res, err
		}
		if !sameHash(now, last.changes) {
			return res, packageErr("", "its change set is not the one sealed at its last step ({{.State}}): the package was altered", map[string]any{"State": last.To})
		}
	}
	var curID int64
	if err := tx.QueryRowContext(ctx, "SELECT v.id, v.number FROM plan p JOIN version v ON v.id = p.current_version WHERE p.id = ?", planID).Scan(&curID, &res.Current); err != nil {
		return res, err
	}
	if err := tx.QueryRowContext(ctx, "SELECT v.number, d.state FROM dossier d JOIN version v ON v.id = d.base_version_id WHERE d.id = ?", id).Scan(&res.Base, &res.State); err != nil {
		return res, err
	}
	if res.NeedsRebase() {
		_, bID, err := versionID(ctx, tx, res.Plan, res.Base)
		if err != nil {
			return res, err
		}
		ids, codes, err := conflicts(ctx, tx, id, bID, curID)
		if err != nil {
			return res, err
		}
		for i := range ids {
			res.Conflicts = append(res.Conflicts, Conflict{Feature: ids[i], Code: codes[i]})
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossier_change WHERE dossier_id = ?", id).Scan(&n); err != nil {
		return res, err
	}
	res.Changes = n
	return res, nil
}

// replaceChanges makes a dossier's change set the bundle's: its bodies
// stored (once each, with their derived forms), its layers made.
func (t *taking) replaceChanges(ctx context.Context, id, planID int64, p *DossierBundle) error {
	tx := t.tx
	if _, err := tx.ExecContext(ctx, "DELETE FROM dossier_change WHERE dossier_id = ?", id); err != nil {
		return err
	}
	w, err := newBodyWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	bodyIDs := map[string]int64{}
	for lo := 0; lo < len(p.Bodies); lo += batchRows {
		hi := min(lo+batchRows, len(p.Bodies))
		bs := make([]*body, hi-lo)
		errs := make([]error, hi-lo)
		gis.Parallel(hi-lo, func(i int) { bs[i], errs[i] = bodyOfText(p.Bodies[lo+i].GeoJSON) })
		for _, err := range errs {
			if err != nil {
				return packageErr("", "a body of the package cannot be read ({{.Err}})", map[string]any{"Err": err.Error()})
			}
		}
		ids, err := w.putMany(ctx, bs)
		if err != nil {
			return err
		}
		for i, b := range bs {
			bodyIDs[string(b.hash[:])] = ids[i]
		}
	}
	if err := w.finish(ctx); err != nil {
		return err
	}
	layers := map[string]int64{}
	for _, c := range p.Changes {
		lid, ok := layers[c.Layer]
		if !ok {
			if lid, err = ensureLayer(ctx, tx, planID, gis.Layer{Name: c.Layer}); err != nil {
				return err
			}
			layers[c.Layer] = lid
		}
		var b any
		if c.Body != nil {
			b = bodyIDs[string(c.Body)]
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_change (dossier_id, feature_id, layer_id, op, body_id, parents) VALUES (?, ?, ?, ?, ?, ?)",
			id, c.Feature, lid, c.Op, b, c.Parents); err != nil {
			return err
		}
	}
	return nil
}

// bodyOfText is a stored body made of its canonical text, kept byte for
// byte, with what the store derives from it (box, grid form, measure).
func bodyOfText(text []byte) (*body, error) {
	f, err := geojson.ParseFeature(text)
	if err != nil {
		return nil, err
	}
	b := &body{text: text, hash: sha256.Sum256(text)}
	if f.Geometry != nil {
		b.bbox, b.geom = f.Geometry.Bound(), true
		b.grid = gridForm(f.Geometry)
		b.props = propsForm(text)
	}
	b.meas, err = bodyMeasure(b.text, propsOf(f), b.grid)
	return b, err
}
