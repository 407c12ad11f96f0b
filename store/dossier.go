package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"quyhoach/gis"
)

// Dossier states, in the order of the approval steps (DOMAIN.md).
const (
	Draft      = "draft"
	Submitted  = "submitted"
	Appraising = "appraising"
	Appraised  = "appraised"
	Approved   = "approved"
	Published  = "published"
	Withdrawn  = "withdrawn"
)

// Dossier kinds.
const (
	Local   = "local"   // điều chỉnh cục bộ
	Overall = "overall" // điều chỉnh tổng thể
)

// Dossier is an adjustment dossier (hồ sơ điều chỉnh): a change set on a base
// version that travels through the approval steps.
type Dossier struct {
	ID       int64     `json:"id"`  // the dossier's number in this store
	UID      string    `json:"uid"` // global id, the same in every store
	Plan     string    `json:"plan"`
	Kind     string    `json:"kind"`
	Base     int       `json:"base"` // base version number
	Title    string    `json:"title"`
	Reason   string    `json:"reason"`
	Code     string    `json:"code"` // maHoSoQH
	State    string    `json:"state"`
	Created  time.Time `json:"created"`
	Due      string    `json:"due,omitempty"` // YYYY-MM-DD the current step is due
	Overdue  bool      `json:"overdue"`
	Approved int       `json:"approved_version,omitempty"` // version written by approval
	// OfficeNumber is its short number at the office store (replica.go), 0
	// before it was first pushed.
	OfficeNumber int64 `json:"office_number,omitempty"`
	// Filled by Dossier (not by Dossiers):
	Changes     []Change     `json:"changes,omitempty"`
	Transitions []Transition `json:"transitions,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Change is one feature's entry in a change set.
type Change struct {
	FeatureID string       `json:"id"`
	Layer     string       `json:"layer"`
	Op        string       `json:"op"` // add | modify | delete
	Parents   []string     `json:"parents,omitempty"`
	Feature   *gis.Feature `json:"-"` // the new body (nil for delete)
}

// Transition is one approval step taken.
type Transition struct {
	ID      int64     `json:"id"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	DocNo   string    `json:"doc_no,omitempty"`
	DocDate string    `json:"doc_date,omitempty"`
	Note    string    `json:"note,omitempty"`
	Due     string    `json:"due,omitempty"`
	Agency  string    `json:"agency,omitempty"` // the body whose document the step records
	Signer  string    `json:"signer,omitempty"` // who signed an approval's decision
}

// Attachment is a document carried by a dossier.
type Attachment struct {
	ID     int64     `json:"id"`
	Kind   string    `json:"kind"`
	Name   string    `json:"name"`
	Size   int64     `json:"size"`
	SHA256 string    `json:"sha256"`
	Added  time.Time `json:"added"`
}

// AttachmentKinds are the documents a dossier carries (DOMAIN.md).
var AttachmentKinds = []string{"to_trinh", "thuyet_minh", "ban_ve", "du_thao_quyet_dinh",
	"quy_dinh_quan_ly", "y_kien", "bao_cao_tham_dinh", "quyet_dinh"}

// StepError is a refused approval step or edit; its message says why.
type StepError struct {
	Action string
	Reason string
	// Field names the step's field at fault ("doc_no", "doc_date", "note",
	// "agency", "signer", "ma", …), "" for the step as a whole.
	Field string
	// Key is Reason's English template ("dossier {{.ID}} is {{.State}}")
	// and Data its values, for a face that says it in another language;
	// "" for a reason given as it is.
	Key  string
	Data map[string]any
}

func (e *StepError) Error() string { return e.Action + ": " + e.Reason }

// refuse is a refusal whose reason is the template key filled with data.
func refuse(action, field, key string, data map[string]any) *StepError {
	return &StepError{Action: action, Reason: fillTemplate(key, data), Field: field, Key: key, Data: data}
}

// fillTemplate writes {{.Name}} as data["Name"]; a list of strings is
// joined with " or ".
func fillTemplate(key string, data map[string]any) string {
	var args []string
	for k, v := range data {
		text := fmt.Sprint(v)
		if l, ok := v.([]string); ok {
			text = strings.Join(l, " or ")
		}
		args = append(args, "{{."+k+"}}", text)
	}
	return strings.NewReplacer(args...).Replace(key)
}

// ConflictError lists features changed both by a dossier and by versions
// approved since its base.
type ConflictError struct {
	Action   string
	Features []string // feature ids
	Labels   []string // the same, with lot codes: "id (CN-03)"
	Hint     string   // what to do
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: %d features changed both by the dossier and in the plan since its base: %s; %s",
		e.Action, len(e.Features), strings.Join(e.Labels, ", "), e.Hint)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// NewDossier is what CreateDossier needs.
type NewDossier struct {
	Plan   string
	Kind   string // local | overall
	Base   int    // base version number; 0: the current one
	Title  string
	Reason string
	Code   string // maHoSoQH; generated when empty
}

// CreateDossier opens a draft dossier on a plan version and returns its id.
func (s *Store) CreateDossier(ctx context.Context, d NewDossier) (int64, error) {
	if d.Kind != Local && d.Kind != Overall {
		return 0, &StepError{Action: "create", Reason: fmt.Sprintf("kind %q must be local or overall", d.Kind)}
	}
	if strings.TrimSpace(d.Title) == "" {
		return 0, &StepError{Action: "create", Reason: "title required"}
	}
	if len(d.Code) > 15 {
		return 0, &StepError{Action: "create", Reason: fmt.Sprintf("code %q is longer than the 15 characters of maHoSoQH", d.Code)}
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = createDossierTx(ctx, tx, d, s.Now())
		return err
	})
	if err != nil {
		return 0, wrap("create dossier", err)
	}
	return id, nil
}

func createDossierTx(ctx context.Context, tx *sql.Tx, d NewDossier, now time.Time) (int64, error) {
	planID, baseID, err := versionID(ctx, tx, d.Plan, d.Base)
	if err != nil {
		return 0, err
	}
	uid, created := newID(), timeText(now)
	r, err := tx.ExecContext(ctx, `INSERT INTO dossier (uid, plan_id, kind, base_version_id, title, reason, code, state, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?)`, uid, planID, d.Kind, baseID, d.Title, d.Reason, d.Code, created)
	if err != nil {
		return 0, err
	}
	id, _ := r.LastInsertId()
	if d.Code == "" { // maHoSoQH: HS, year, dossier number
		d.Code = fmt.Sprintf("HS%d-%06d", now.Year(), id)
		if _, err = tx.ExecContext(ctx, "UPDATE dossier SET code = ? WHERE id = ?", d.Code, id); err != nil {
			return 0, err
		}
	}
	return id, openDossierChain(ctx, tx, id)
}

// openDossierChain starts a dossier's chain with its record.
func openDossierChain(ctx context.Context, tx *sql.Tx, id int64) error {
	content, created, err := openRecord(ctx, tx, id, 0)
	if err != nil {
		return err
	}
	_, err = appendDossierLink(ctx, tx, id, "open", 0, content, created)
	return err
}

// openRecord is the digest of a dossier's record with the seal of its base
// version (baseID, or its present base when 0).
func openRecord(ctx context.Context, q querier, id, baseID int64) (content []byte, created string, err error) {
	var uid, planUID, kind, title, reason, code string
	var base int64
	err = q.QueryRowContext(ctx, `SELECT coalesce(d.uid, ''), coalesce(p.uid, ''), d.kind, d.base_version_id, d.title, d.reason, d.code, d.created
		FROM dossier d JOIN plan p ON p.id = d.plan_id WHERE d.id = ?`, id).Scan(&uid, &planUID, &kind, &base, &title, &reason, &code, &created)
	if err != nil {
		return nil, "", err
	}
	if baseID == 0 {
		baseID = base
	}
	seal, err := versionSealByID(ctx, q, baseID)
	if err != nil {
		return nil, "", err
	}
	return openDigest(uid, planUID, kind, seal, title, reason, code, created), created, nil
}

const dossierColumns = `d.id, coalesce(d.uid, ''), p.code, d.kind, (SELECT number FROM version WHERE id = d.base_version_id), d.title, d.reason, d.code,
	d.state, d.created, d.due, coalesce((SELECT number FROM version WHERE id = d.approved_version_id), 0),
	coalesce((SELECT office_number FROM sync_dossier WHERE dossier_id = d.id), 0)`

func (s *Store) scanDossier(sc interface{ Scan(...any) error }) (Dossier, error) {
	var d Dossier
	var created string
	err := sc.Scan(&d.ID, &d.UID, &d.Plan, &d.Kind, &d.Base, &d.Title, &d.Reason, &d.Code, &d.State, &created, &d.Due, &d.Approved, &d.OfficeNumber)
	d.Created = parseTime(created)
	d.Overdue = d.Due != "" && d.Due < s.Now().Format(time.DateOnly)
	return d, err
}

// DossierFilter selects dossiers for Dossiers.
type DossierFilter struct {
	Plan    string // "" for all plans
	Overdue bool   // only those whose current step is past its due date
}

// Dossiers lists dossiers, newest first.
func (s *Store) Dossiers(ctx context.Context, f DossierFilter) ([]Dossier, error) {
	q := `SELECT ` + dossierColumns + ` FROM dossier d JOIN plan p ON p.id = d.plan_id WHERE (? = '' OR p.code = ?)`
	args := []any{f.Plan, f.Plan}
	if f.Overdue {
		q += ` AND d.due <> '' AND d.due < ?`
		args = append(args, s.Now().Format(time.DateOnly))
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY d.id DESC", args...)
	if err != nil {
		return nil, wrap("dossiers", err)
	}
	defer rows.Close()
	var out []Dossier
	for rows.Next() {
		d, err := s.scanDossier(rows)
		if err != nil {
			return nil, wrap("dossiers", err)
		}
		out = append(out, d)
	}
	if f.Plan != "" && len(out) == 0 {
		if _, err := s.Plan(ctx, f.Plan); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// Dossier returns one dossier with its changes, transitions and attachments.
func (s *Store) Dossier(ctx context.Context, id int64) (Dossier, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Dossier{}, err
	}
	defer tx.Rollback()
	d, err := s.dossierTx(ctx, tx, id)
	if err != nil {
		return d, wrap(fmt.Sprintf("dossier %d", id), err)
	}
	if d.Changes, err = loadChanges(ctx, tx, id); err != nil {
		return d, wrap(fmt.Sprintf("dossier %d", id), err)
	}
	if d.Transitions, err = loadTransitions(ctx, tx, id); err != nil {
		return d, wrap(fmt.Sprintf("dossier %d", id), err)
	}
	if d.Attachments, err = loadAttachments(ctx, tx, id); err != nil {
		return d, wrap(fmt.Sprintf("dossier %d", id), err)
	}
	return d, nil
}

func (s *Store) dossierTx(ctx context.Context, q querier, id int64) (Dossier, error) {
	d, err := s.scanDossier(q.QueryRowContext(ctx, `SELECT `+dossierColumns+` FROM dossier d JOIN plan p ON p.id = d.plan_id WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, kindErr(ErrNotFound, "no dossier %d", id)
	}
	return d, err
}

func loadChanges(ctx context.Context, q querier, id int64) ([]Change, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id, l.name, c.op, c.parents, coalesce(b.geojson, ''), coalesce(b.hash, x'')
		FROM dossier_change c JOIN layer l ON l.id = c.layer_id LEFT JOIN body b ON b.id = c.body_id
		WHERE c.dossier_id = ? ORDER BY c.op, l.name, c.feature_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	var texts, hashes [][]byte
	for rows.Next() {
		var c Change
		var parents string
		var text, hash []byte
		if err := rows.Scan(&c.FeatureID, &c.Layer, &c.Op, &parents, &text, &hash); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(parents), &c.Parents)
		out = append(out, c)
		texts, hashes = append(texts, text), append(hashes, hash)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, text := range texts {
		if len(text) == 0 {
			continue
		}
		if err := checkBody(out[i].FeatureID, text, hashes[i]); err != nil {
			return nil, err
		}
		f, err := parseBody(out[i].FeatureID, text)
		if err != nil {
			return nil, err
		}
		out[i].Feature = &f
	}
	return out, nil
}

func loadTransitions(ctx context.Context, q querier, id int64) ([]Transition, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer
		FROM transition WHERE dossier_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Transition
	for rows.Next() {
		var t Transition
		var at string
		if err := rows.Scan(&t.ID, &t.From, &t.To, &at, &t.By, &t.DocNo, &t.DocDate, &t.Note, &t.Due, &t.Agency, &t.Signer); err != nil {
			return nil, err
		}
		t.At = parseTime(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// ApplyRequest is a set of features to record in a draft dossier's change set.
type ApplyRequest struct {
	Dossier int64
	// Layer receives added features (default ChucNangSuDungDat_A); a feature
	// whose id is in the base keeps the base's layer.
	Layer    string
	Features []gis.Feature // WGS84
	// Key, when set, matches features to the base by that property instead of
	// by id (a layer edited elsewhere), and names parents by key too.
	Key string
	// Full means Features is the whole new layer: base features of the layer
	// that are not in it are deleted.
	Full bool
	// Repair makes invalid lots valid where it can (see ImportRequest.Repair).
	Repair bool
	// Layers, when set, gives per feature the layer an addition goes to
	// ("": Layer): one gesture may add a lot and its setback line.
	Layers []string
	// Label names the gesture in the dossier's undo history ("split
	// CN-03"); each apply is one edit there (see Undo).
	Label string
}

// ApplyResult counts what an apply recorded.
type ApplyResult struct {
	Added, Modified, Deleted, Unchanged int
	Repaired                            []string // the lots Repair made valid, one line each
	IDs                                 []string // the feature id of each input feature, in order
	// Edit is the apply's step in the dossier's undo history; 0 when the
	// change set is as it was (nothing to undo).
	Edit int
}

// DefaultLayer receives added lots.
const DefaultLayer = gis.LandUseLayer

// Apply records features in a draft dossier's change set: a feature whose id
// exists in the base is a modification, an unknown id or no id an addition,
// "deleted": true deletes, and "parents": [ids] records lineage. Applying a
// feature again replaces its earlier entry; a body equal to the base's drops it.
func (s *Store) Apply(ctx context.Context, req ApplyRequest) (ApplyResult, error) {
	if req.Layer == "" {
		req.Layer = DefaultLayer
	}
	if req.Label == "" {
		req.Label = "apply " + plural(len(req.Features), "feature")
	}
	var res ApplyResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := openEdit(ctx, tx, req.Dossier, req.Label, s.Now())
		if err != nil {
			return err
		}
		if res, err = s.applyTx(ctx, tx, req); err != nil {
			return err
		}
		kept, err := closeEdit(ctx, tx, req.Dossier, seq)
		if kept {
			res.Edit = seq
		}
		return err
	})
	if err != nil {
		return ApplyResult{}, wrap(fmt.Sprintf("apply to dossier %d", req.Dossier), err)
	}
	return res, nil
}

// applying is an apply between its steps.
type applying struct {
	d         Dossier
	req       ApplyRequest
	stored    []storedFeature // the base version's features, then the dossier's additions
	m         matched
	ids       []string         // the change-set id of each feature
	bodies    []body           // each feature's body, without "deleted" and "parents"
	addLayers map[string]int64 // the layers added features go to, by name
}

func (s *Store) applyTx(ctx context.Context, tx *sql.Tx, req ApplyRequest) (ApplyResult, error) {
	d, err := s.dossierTx(ctx, tx, req.Dossier)
	if err != nil {
		return ApplyResult{}, err
	}
	if d.State != Draft {
		return ApplyResult{}, &StepError{Action: "apply", Reason: fmt.Sprintf("dossier %d is %s; only a draft can be edited", d.ID, d.State)}
	}
	planID, baseID, err := versionID(ctx, tx, d.Plan, d.Base)
	if err != nil {
		return ApplyResult{}, err
	}
	a := &applying{d: d, req: req}
	if a.stored, err = applyCandidates(ctx, tx, baseID, d.ID, req); err != nil {
		return ApplyResult{}, err
	}
	// By key, the file's ids come from elsewhere: they name nothing here.
	rules := matchRules{key: req.Key, ownIDs: req.Key == "", oneEach: true, from: fmt.Sprintf("base version %d", d.Base)}
	if a.m, err = match(incomingOf(req.Features, nil, req.Key), a.stored, rules); err != nil {
		return ApplyResult{}, err
	}
	a.ids = changeIDs(req.Features, a.stored, a.m, rules.ownIDs)
	if err := a.check(); err != nil {
		return ApplyResult{}, err
	}
	repaired, err := validateLots(req.Features, a.layerOf, req.Repair)
	if err != nil {
		return ApplyResult{}, err
	}
	if a.bodies, err = applyBodies(ctx, tx, a); err != nil {
		return ApplyResult{}, err
	}
	a.addLayers = map[string]int64{}
	for i := range req.Features {
		name := req.layerFor(i)
		if _, ok := a.addLayers[name]; ok {
			continue
		}
		if a.addLayers[name], err = ensureLayer(ctx, tx, planID, gis.Layer{Name: name}); err != nil {
			return ApplyResult{}, err
		}
	}
	res, err := recordChanges(ctx, tx, a)
	res.Repaired = repaired
	if err != nil || !req.Full {
		return res, err
	}
	n, err := dropLeft(ctx, tx, a)
	res.Deleted += n
	return res, err
}

// layerOf is the layer input feature i goes to: its base feature's, else
// the layer additions go to; "" for a deletion.
func (a *applying) layerOf(i int) string {
	switch s := a.m.stored[i]; {
	case isDeleted(a.req.Features[i]):
		return ""
	case s >= 0:
		return a.stored[s].layer
	}
	return a.req.layerFor(i)
}

// layerFor is the layer feature i goes to if it is an addition.
func (r ApplyRequest) layerFor(i int) string {
	if i < len(r.Layers) && r.Layers[i] != "" {
		return r.Layers[i]
	}
	return r.Layer
}

// applyCandidates are the features an apply may name: the base version's,
// then the dossier's own additions, so that applying a file again finds
// them by id or key instead of adding them twice (and --full drops those
// the file lacks).
func applyCandidates(ctx context.Context, q querier, baseID, dossier int64, req ApplyRequest) ([]storedFeature, error) {
	if req.Key == "" && !req.Full {
		return candidatesByID(ctx, q, baseID, dossier, req.Features)
	}
	base, err := storedFeatures(ctx, q, baseID, 0, req.Key)
	if err != nil {
		return nil, err
	}
	added, err := dossierAdditions(ctx, q, dossier, req.Key)
	return append(base, added...), err
}

// candidatesByID are the features an apply by id can name, looked up by
// their ids and their parents' (an edit in the window names a few lots of
// a plan of 100 000: it reads those, not the plan). Same order as
// applyCandidates: the base's, then the dossier's additions.
func candidatesByID(ctx context.Context, q querier, baseID, dossier int64, fs []gis.Feature) ([]storedFeature, error) {
	seen := map[string]bool{}
	var ids []string
	for _, f := range fs {
		for _, id := range append([]string{f.ID}, parentsOf(f)...) {
			if id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	var base, added []storedFeature
	for _, id := range ids {
		f := storedFeature{id: id}
		var h []byte
		err := q.QueryRowContext(ctx, `SELECT i.layer_id, l.name, i.body_id, b.hash FROM version_item i
			JOIN body b ON b.id = i.body_id JOIN layer l ON l.id = i.layer_id
			WHERE i.version_id = ? AND i.feature_id = ?`, baseID, id).Scan(&f.layerID, &f.layer, &f.bodyID, &h)
		if err == nil {
			copy(f.hash[:], h)
			base = append(base, f)
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		err = q.QueryRowContext(ctx, `SELECT c.layer_id, l.name FROM dossier_change c JOIN layer l ON l.id = c.layer_id
			WHERE c.dossier_id = ? AND c.feature_id = ? AND c.op = 'add'`, dossier, id).Scan(&f.layerID, &f.layer)
		if err == nil {
			f.added = true
			added = append(added, f)
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return append(base, added...), nil
}

// changeIDs gives each feature its id in the change set: its stored
// feature's; else its own when ownIDs (an addition keeps the id it names,
// so a later apply can refer to it); else a new one.
func changeIDs(fs []gis.Feature, stored []storedFeature, m matched, ownIDs bool) []string {
	ids := make([]string, len(fs))
	for i, f := range fs {
		switch s := m.stored[i]; {
		case s >= 0:
			ids[i] = stored[s].id
		case ownIDs && f.ID != "":
			ids[i] = f.ID
		default:
			ids[i] = newID()
		}
	}
	return ids
}

// base returns the base feature that feature i modifies or deletes, or nil
// when it is an addition (new, or one the dossier added before).
func (a *applying) base(i int) *storedFeature {
	if s := a.m.stored[i]; s >= 0 && !a.stored[s].added {
		return &a.stored[s]
	}
	return nil
}

// check refuses deleting what is neither in the base nor added by the
// dossier, and any other feature without a geometry.
func (a *applying) check() error {
	for i, f := range a.req.Features {
		switch {
		case isDeleted(f) && a.m.stored[i] < 0:
			return fmt.Errorf("feature %d: cannot delete %s: not a feature of base version %d", i, a.ids[i], a.d.Base)
		case !isDeleted(f) && f.Geometry == nil:
			return fmt.Errorf("feature %d: no geometry", i)
		}
	}
	return nil
}

// isDeleted reports whether f carries "deleted": true.
func isDeleted(f gis.Feature) bool {
	d, _ := f.Properties["deleted"].(bool)
	return d
}

// applyBodies encodes each feature without its "deleted" and "parents"
// properties. A modification whose geometry is the base's up to the
// round-trip tolerance keeps the base's vertices (see keepStoredShapes).
func applyBodies(ctx context.Context, q querier, a *applying) ([]body, error) {
	clean := make([]gis.Feature, len(a.req.Features))
	for i, f := range a.req.Features {
		clean[i] = f
		clean[i].Properties = withoutKeys(f.Properties, "deleted", "parents")
	}
	layers := []gis.Layer{{Features: clean}}
	bodies := prepareBodies(layers)
	var edited []editedFeature
	for i, f := range a.req.Features {
		if b := a.base(i); b != nil && !isDeleted(f) && b.hash != bodies[0][i].hash {
			edited = append(edited, editedFeature{0, i, b.bodyID, b.hash})
		}
	}
	return bodies[0], keepStoredShapes(ctx, q, layers, bodies, edited)
}

// recordChanges writes each feature's entry in the change set, in order.
func recordChanges(ctx context.Context, tx *sql.Tx, a *applying) (ApplyResult, error) {
	res := ApplyResult{IDs: a.ids}
	w, err := newBodyWriter(ctx, tx)
	if err != nil {
		return res, err
	}
	defer w.close()
	for i := range a.req.Features {
		op, err := recordChange(ctx, tx, w, a, i)
		if err != nil {
			return res, err
		}
		switch op {
		case "add":
			res.Added++
		case "modify":
			res.Modified++
		case "delete":
			res.Deleted++
		default:
			res.Unchanged++
		}
	}
	return res, nil
}

// recordChange writes feature i's entry in the change set (replacing an
// earlier one) and returns its op, "" when the feature is as in the base.
func recordChange(ctx context.Context, tx *sql.Tx, w *bodyWriter, a *applying, i int) (string, error) {
	id, b := a.ids[i], a.base(i)
	var parents []string
	for _, p := range a.m.parents[i] {
		parents = append(parents, a.stored[p].id)
	}
	switch {
	case isDeleted(a.req.Features[i]) && b == nil: // deleting an addition of this dossier withdraws it
		return "delete", dropChange(ctx, tx, a.d.ID, id)
	case isDeleted(a.req.Features[i]):
		return "delete", putChange(ctx, tx, a.d.ID, id, b.layerID, "delete", nil, nil)
	case b != nil && b.hash == a.bodies[i].hash && len(parents) == 0: // as in the base: no entry
		return "", dropChange(ctx, tx, a.d.ID, id)
	}
	bodyID, err := w.put(ctx, &a.bodies[i])
	if err != nil {
		return "", err
	}
	op, layerID := "add", a.addLayers[a.req.layerFor(i)]
	if b != nil {
		op, layerID = "modify", b.layerID
	}
	return op, putChange(ctx, tx, a.d.ID, id, layerID, op, &bodyID, parents)
}

// dropLeft, when the features are the whole layer (--full), deletes the
// base features of the layer that none matched and withdraws the dossier's
// additions to it that none matched. It returns how many it dropped.
func dropLeft(ctx context.Context, tx *sql.Tx, a *applying) (int, error) {
	n := 0
	for _, s := range a.m.left {
		c := a.stored[s]
		if c.layer != a.req.Layer {
			continue
		}
		var err error
		if c.added {
			err = dropChange(ctx, tx, a.d.ID, c.id)
		} else {
			err = putChange(ctx, tx, a.d.ID, c.id, c.layerID, "delete", nil, nil)
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// dropChange removes a feature's entry from a dossier's change set.
func dropChange(ctx context.Context, tx *sql.Tx, dossier int64, id string) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM dossier_change WHERE dossier_id = ? AND feature_id = ?", dossier, id)
	return err
}

func putChange(ctx context.Context, tx *sql.Tx, dossier int64, id string, layerID int64, op string, bodyID *int64, parents []string) error {
	p, _ := json.Marshal(nonNilStrings(parents))
	var body any
	if bodyID != nil {
		body = *bodyID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO dossier_change (dossier_id, feature_id, layer_id, op, body_id, parents)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dossier_id, feature_id) DO UPDATE
		SET layer_id = excluded.layer_id, op = excluded.op, body_id = excluded.body_id, parents = excluded.parents`,
		dossier, id, layerID, op, body, string(p))
	return err
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func withoutKeys(m map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Proposal returns the plan as a dossier proposes it: its base version with
// the change set applied, lineage from the changes' parents. Version is the
// base's, with Number 0.
func (s *Store) Proposal(ctx context.Context, id int64) (*Snapshot, Dossier, error) {
	d, err := s.Dossier(ctx, id)
	if err != nil {
		return nil, d, err
	}
	snap, err := s.Load(ctx, d.Plan, d.Base)
	if err != nil {
		return nil, d, err
	}
	propose(snap, d)
	return snap, d, nil
}

// propose turns a snapshot of a dossier's base into its proposal: the
// change set applied, lineage from the changes' parents.
func propose(snap *Snapshot, d Dossier) {
	changes := map[string]Change{}
	for _, c := range d.Changes {
		changes[c.FeatureID] = c
	}
	for li := range snap.Layers {
		l := &snap.Layers[li]
		kept := l.Features[:0]
		for _, f := range l.Features {
			c, ok := changes[f.ID]
			switch {
			case !ok:
				kept = append(kept, f)
			case c.Op == "modify":
				kept = append(kept, *c.Feature)
			}
		}
		l.Features = kept
	}
	snap.Lineage = map[string][]string{}
	for _, c := range d.Changes {
		if len(c.Parents) > 0 {
			snap.Lineage[c.FeatureID] = c.Parents
		}
		if c.Op != "add" {
			continue
		}
		l := snap.Layer(c.Layer)
		if l == nil {
			snap.Layers = append(snap.Layers, gis.Layer{Name: c.Layer})
			l = &snap.Layers[len(snap.Layers)-1]
		}
		l.Features = append(l.Features, *c.Feature)
	}
	snap.Version.Number = 0
	snap.Version.Current = false
	snap.Version.Message = fmt.Sprintf("dossier %d (%s) on version %d", d.ID, d.State, d.Base)
}

// wrap adds context to an error, except to a refusal (StepError,
// ConflictError) or a missing or foreign thing (kindError), whose message
// already says what was wrong.
func wrap(op string, err error) error {
	var se *StepError
	var ce *ConflictError
	var ke *kindError
	var fe *FindingsError
	if errors.As(err, &se) || errors.As(err, &ce) || errors.As(err, &ke) || errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// dossierAdditions are the features a dossier adds, in id order, marked
// added, with their layer and (when key is set) key.
func dossierAdditions(ctx context.Context, q querier, dossier int64, key string) ([]storedFeature, error) {
	keyExpr, args := keyColumn(key)
	args = append(args, dossier)
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id, c.layer_id, l.name, `+keyExpr+` FROM dossier_change c
		JOIN layer l ON l.id = c.layer_id JOIN body b ON b.id = c.body_id WHERE c.dossier_id = ? AND c.op = 'add'
		ORDER BY c.feature_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedFeature
	for rows.Next() {
		f := storedFeature{added: true}
		var k any
		if err := rows.Scan(&f.id, &f.layerID, &f.layer, &k); err != nil {
			return nil, err
		}
		f.key = sqlText(k)
		out = append(out, f)
	}
	return out, rows.Err()
}
