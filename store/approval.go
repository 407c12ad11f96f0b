package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Step is a request to move a dossier through the approval steps.
type Step struct {
	Action  string // submit | appraise | appraised | approve | publish | return | withdraw
	DocNo   string // cover letter, appraisal report or decision number
	DocDate string // YYYY-MM-DD
	By      string // who records the step
	Note    string // a return's or withdrawal's reason, where a publication was made, …
	// Agency is the body whose document the step records, picked from the
	// plan's agencies (Agencies.ForAction); Signer, for approve, who
	// signed the decision.
	Agency, Signer string
	// MaThongTinQH, for approve, is the code of the new version; generated when empty.
	MaThongTinQH string
	// AckWarnings, for submit, acknowledges the warnings the change set
	// introduces (see checkSubmission); errors are never acknowledged.
	AckWarnings bool
}

// step says where an action may start and where it leads.
type step struct {
	from []string
	to   string
}

// Actions are the approval steps by action name (DOMAIN.md "Life of an adjustment dossier").
var steps = map[string]step{
	"submit":    {[]string{Draft}, Submitted},
	"appraise":  {[]string{Submitted}, Appraising},
	"appraised": {[]string{Appraising}, Appraised},
	"approve":   {[]string{Appraised}, Approved},
	"publish":   {[]string{Approved}, Published},
	"return":    {[]string{Submitted, Appraising}, Draft},
	"withdraw":  {[]string{Draft, Submitted, Appraising, Appraised}, Withdrawn},
}

// Actions lists the action names in the order of the steps.
var Actions = []string{"submit", "appraise", "appraised", "approve", "publish", "return", "withdraw"}

// ActionsFrom lists the steps a dossier in state may take, in step order.
func ActionsFrom(state string) []string {
	var out []string
	for _, a := range Actions {
		if slices.Contains(steps[a].from, state) {
			out = append(out, a)
		}
	}
	return out
}

// StepTarget is the state an action leads to ("" for an unknown action).
func StepTarget(action string) string { return steps[action].to }

// Step kinds of a recorded transition beside the actions: a rebase
// (the state kept, a new base) and the return to appraisal it may need.
const (
	RebaseStep     = "rebase"
	ReappraiseStep = "reappraise"
)

// ActionOf names the kind of a recorded step: an action, RebaseStep or
// ReappraiseStep.
func ActionOf(t Transition) string {
	switch {
	case t.From == t.To:
		return RebaseStep
	case t.From == Appraised && t.To == Appraising:
		return ReappraiseStep
	}
	for _, a := range Actions {
		if st := steps[a]; st.to == t.To && slices.Contains(st.from, t.From) {
			return a
		}
	}
	return ""
}

// Deadline settings, in days; DOMAIN.md gives the defaults.
const (
	SettingCommentsDays    = "deadline.comments_days"    // agencies' comments after submission (15)
	SettingAppraisalDays   = "deadline.appraisal_days"   // appraisal (20)
	SettingPublicationDays = "deadline.publication_days" // publication after approval (15)
	SettingAttachmentMax   = "attachment.max_bytes"      // 50 MiB
)

// Setting returns a setting's value.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM setting WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", kindErr(ErrNotFound, "no setting %s", key)
	}
	return v, err
}

// SetSettings changes settings (deadlines in days, the attachment limit in
// bytes), all or none: each value must be a positive whole number.
func (s *Store) SetSettings(ctx context.Context, values map[string]string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, key := range sortedKeys(values) {
			n, err := strconv.Atoi(values[key])
			if err != nil || n <= 0 {
				return &StepError{Action: "settings", Reason: fmt.Sprintf("%s: %q is not a positive whole number", key, values[key])}
			}
			r, err := tx.ExecContext(ctx, "UPDATE setting SET value = ? WHERE key = ?", strconv.Itoa(n), key)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return &StepError{Action: "settings", Reason: fmt.Sprintf("no setting %s (known: %s)", key, strings.Join(Settings, ", "))}
			}
		}
		return nil
	})
}

// Settings lists the settings' keys.
var Settings = []string{SettingCommentsDays, SettingAppraisalDays, SettingPublicationDays, SettingAttachmentMax}

func settingInt(ctx context.Context, q querier, key string) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, "SELECT CAST(value AS INTEGER) FROM setting WHERE key = ?", key).Scan(&v)
	return v, err
}

// Advance takes one approval step. Approving writes base + change set as the
// plan's new current version (see Approve's rules); every step is recorded
// in the hash-chained transition log in the same transaction.
func (s *Store) Advance(ctx context.Context, dossier int64, st Step) (Dossier, error) {
	step := func(tx *sql.Tx) error { return s.advanceTx(ctx, tx, dossier, st, s.Now()) }
	var err error
	if st.Action == "approve" {
		// An approval copies the unchanged items of the current version
		// (99 000 of a 100 000-lot plan): SQLite's foreign-key checks
		// looked up each one's version, layer and body again, 40 % of
		// the approval. Those references are the current version's,
		// which bodies and layers never leave (neither is ever deleted);
		// approveTx checks the references of what it adds itself
		// (checkChangeBodies).
		err = s.txPragmas(ctx, []pragma{{"foreign_keys", 0}}, step)
	} else {
		err = s.tx(ctx, step)
	}
	if err != nil {
		return Dossier{}, wrap(fmt.Sprintf("%s dossier %d", st.Action, dossier), err)
	}
	return s.Dossier(ctx, dossier)
}

func (s *Store) advanceTx(ctx context.Context, tx *sql.Tx, id int64, st Step, now time.Time) error {
	a, ok := steps[st.Action]
	if !ok {
		return unknownStep(st.Action)
	}
	d, err := s.dossierTx(ctx, tx, id)
	if err != nil {
		return err
	}
	if d.State == Withdrawn || d.State == Published {
		return refuse(st.Action, "", "dossier {{.ID}} is {{.State}}; nothing more can happen to it", map[string]any{"ID": id, "State": d.State})
	}
	if !slices.Contains(a.from, d.State) {
		return refuse(st.Action, "", "dossier {{.ID}} is {{.State}}; {{.Action}} needs a dossier that is {{.Need}}",
			map[string]any{"ID": id, "State": d.State, "Action": st.Action, "Need": a.from})
	}
	var level string
	if err := tx.QueryRowContext(ctx, "SELECT p.level FROM plan p JOIN dossier d ON d.plan_id = p.id WHERE d.id = ?", id).Scan(&level); err != nil {
		return err
	}
	if err := CheckStep(st, d.Kind, level); err != nil {
		return err
	}
	if st.Action == "submit" {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossier_change WHERE dossier_id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return refuse(st.Action, "", "the change set is empty; apply at least one change first", nil)
		}
		if err := s.checkSubmission(ctx, tx, id, st.AckWarnings); err != nil {
			return err
		}
	}
	due, err := dueDate(ctx, tx, a.to, st.DocDate, now)
	if err != nil {
		return err
	}
	var made []byte // the seal of the version an approval makes
	if st.Action == "approve" {
		verID, err := approveTx(ctx, tx, d, st, timeText(now))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE dossier SET approved_version_id = ? WHERE id = ?", verID, id); err != nil {
			return err
		}
		if made, err = versionSealByID(ctx, tx, verID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE dossier SET state = ?, due = ? WHERE id = ?", a.to, due, id); err != nil {
		return err
	}
	return appendTransition(ctx, tx, Transition{From: d.State, To: a.to, At: now, By: st.By, DocNo: st.DocNo, DocDate: st.DocDate,
		Note: st.Note, Due: due, Agency: st.Agency, Signer: st.Signer}, id, made)
}

// dueDate is the due date of the step that enters state, "" when none
// runs: its setting's days from the step's document's date (publication
// from the decision), else from the day the step is recorded.
func dueDate(ctx context.Context, q querier, state, docDate string, now time.Time) (string, error) {
	rule, ok := DeadlineRules[state]
	if !ok {
		return "", nil
	}
	days, err := settingInt(ctx, q, rule.Setting)
	if err != nil {
		return "", err
	}
	from := now
	if t, err := time.Parse(time.DateOnly, docDate); err == nil {
		from = t
	}
	return from.AddDate(0, 0, days).Format(time.DateOnly), nil
}

// appendTransition records a step: the transition row and the link of the
// dossier's chain that seals it, with the change set's digest as it stands
// and the seal of the version the step made or moved onto (versionSeal).
func appendTransition(ctx context.Context, tx *sql.Tx, t Transition, dossier int64, versionSeal []byte) error {
	changes, err := changesDigest(ctx, tx, dossier)
	if err != nil {
		return err
	}
	prev, err := dossierHead(ctx, tx, dossier)
	if err != nil {
		return err
	}
	at := timeText(t.At)
	content := stepDigest(t, at, changes, versionSeal)
	h := linkHash(prev, "step", content, "")
	r, err := tx.ExecContext(ctx, `INSERT INTO transition (dossier_id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, dossier, t.From, t.To, at, t.By, t.DocNo, t.DocDate, t.Note, t.Due, t.Agency, t.Signer,
		changes, nonNilBytes(versionSeal), prev, h)
	if err != nil {
		return err
	}
	id, _ := r.LastInsertId()
	_, err = appendDossierLink(ctx, tx, dossier, "step", id, content, at)
	return err
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// conflicts lists the dossier's changed features that also changed between
// its base and the current version, with their lot codes ("" for none).
func conflicts(ctx context.Context, q querier, dossier, baseID, curID int64) (ids, codes []string, err error) {
	if baseID == curID {
		return nil, nil, nil
	}
	base, err := versionAt(ctx, q, baseID)
	if err != nil {
		return nil, nil, err
	}
	cur, err := versionAt(ctx, q, curID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id,
		coalesce(json_extract(coalesce(bk.geojson, bb.geojson, bc.geojson), '$.properties.maDoiTuong'), '')
		FROM dossier_change c
		LEFT JOIN item b ON `+base.on("b")+` AND b.feature_id = c.feature_id
		LEFT JOIN item k ON `+cur.on("k")+` AND k.feature_id = c.feature_id
		LEFT JOIN body bb ON bb.id = b.body_id
		LEFT JOIN body bk ON bk.id = k.body_id
		LEFT JOIN body bc ON bc.id = c.body_id
		WHERE c.dossier_id = ? AND (b.body_id IS NOT k.body_id OR b.layer_id IS NOT k.layer_id)
		ORDER BY c.feature_id`, dossier)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var code any
		if err := rows.Scan(&id, &code); err != nil {
			return nil, nil, err
		}
		ids, codes = append(ids, id), append(codes, fmt.Sprint(normaliseSQLValue(code)))
	}
	return ids, codes, rows.Err()
}

// conflictLabels names conflicting features for people: "id (CN-03)".
func conflictLabels(ids, codes []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if codes[i] != "" {
			out[i] += " (" + codes[i] + ")"
		}
	}
	return out
}

// approveTx writes the plan's new current version: the current version with
// the dossier's changes applied. When the plan moved on since the base, the
// two sides merge per feature; a feature changed on both sides is a conflict.
// The work is set-wise in SQL: cost follows the change set, plus one copy of
// the unchanged items.
func approveTx(ctx context.Context, tx *sql.Tx, d Dossier, st Step, now string) (int64, error) {
	planID, baseID, err := versionID(ctx, tx, d.Plan, d.Base)
	if err != nil {
		return 0, err
	}
	_, curID, err := versionID(ctx, tx, d.Plan, 0)
	if err != nil {
		return 0, err
	}
	if err := checkChangeBodies(ctx, tx, d.ID); err != nil {
		return 0, err
	}
	ids, codes, err := conflicts(ctx, tx, d.ID, baseID, curID)
	if err != nil {
		return 0, err
	}
	if len(ids) > 0 {
		labels := conflictLabels(ids, codes)
		return 0, &ConflictError{Action: "approve", Features: ids, Labels: labels,
			Hint: fmt.Sprintf("rebase the dossier onto the current version (quyhoach dossier rebase --dossier %d --take ours|theirs)", d.ID)}
	}
	var level string
	if err := tx.QueryRowContext(ctx, "SELECT level FROM plan WHERE id = ?", planID).Scan(&level); err != nil {
		return 0, err
	}
	var number int
	if err := tx.QueryRowContext(ctx, "SELECT max(number) + 1 FROM version WHERE plan_id = ?", planID).Scan(&number); err != nil {
		return 0, err
	}
	var maxSeq int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM version_item WHERE version_id = ?", curID).Scan(&maxSeq); err != nil {
		return 0, err
	}
	msg := fmt.Sprintf("dossier %d approved: %s", d.ID, d.Title)
	r, err := tx.ExecContext(ctx, `INSERT INTO version (uid, plan_id, number, parent_id, created, source, message, dossier_id, decision_no, decision_date, ma_thong_tin_qh)
		VALUES (?, ?, ?, ?, ?, 'dossier', ?, ?, ?, ?, ?)`, newID(), planID, number, curID, now, msg, d.ID, st.DocNo, st.DocDate, cmp.Or(st.MaThongTinQH, MaThongTinQH(level, d.Kind, st.DocDate)))
	if err != nil {
		return 0, err
	}
	verID, _ := r.LastInsertId()
	if testHookApprove != nil {
		testHookApprove()
	}
	if err := applyChanges(ctx, tx, planID, verID, curID, d.ID, maxSeq); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lineage (version_id, feature_id, parent_id)
		SELECT ?, c.feature_id, j.value FROM dossier_change c, json_each(c.parents) j WHERE c.dossier_id = ?`, verID, d.ID); err != nil {
		return 0, err
	}
	schemas, err := approvedLayerSchemas(ctx, tx, curID, d.ID)
	if err != nil {
		return 0, err
	}
	if err := countApprovedLayers(ctx, tx, verID, curID, d.ID, schemas); err != nil {
		return 0, err
	}
	if err := sealApproved(ctx, tx, planID, curID, verID, d.ID, now); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE plan SET current_version = ? WHERE id = ?", verID, planID); err != nil {
		return 0, err
	}
	return verID, nil
}

// checkChangeBodies holds the features a dossier's approval writes to a
// body that matches its sha256 and a layer that exists: what the foreign
// keys would also check, which the approval runs without (see Advance).
func checkChangeBodies(ctx context.Context, tx *sql.Tx, dossier int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.feature_id, b.geojson, b.hash, l.id IS NOT NULL FROM dossier_change c
		LEFT JOIN body b ON b.id = c.body_id LEFT JOIN layer l ON l.id = c.layer_id WHERE c.dossier_id = ? AND c.op <> 'delete'`, dossier)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var text, hash []byte
		var layer bool
		if err := rows.Scan(&id, &text, &hash, &layer); err != nil {
			return err
		}
		if hash == nil || !layer {
			return fmt.Errorf("feature %s: the change's stored body or layer is missing; run quyhoach verify", id)
		}
		if err := checkBody(id, text, hash); err != nil {
			return err
		}
	}
	return rows.Err()
}

// applyChanges writes the items of version verID, the approval of dossier
// over version curID: curID's items of the features the dossier changes or
// deletes closed, then the changed and added features' new items (a
// changed feature keeps its place, the one of the row just closed; an
// added one goes after the others, in id order). The unchanged items are
// curID's own rows (items.go): nothing is copied, whatever the plan's size.
func applyChanges(ctx context.Context, tx *sql.Tx, planID, verID, curID, dossier, maxSeq int64) error {
	at, err := openItems(ctx, tx, planID, verID, curID)
	if err != nil {
		return err
	}
	if err := at.close(ctx, tx, "SELECT feature_id FROM dossier_change WHERE dossier_id = ?", dossier); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO item (plan_id, feature_id, since, layer_id, body_id, seq)
		SELECT ?1, c.feature_id, ?2, c.layer_id, c.body_id, coalesce(k.seq, ?3 + row_number() OVER (ORDER BY c.feature_id))
		FROM dossier_change c LEFT JOIN item k ON k.plan_id = ?1 AND k.feature_id = c.feature_id AND k.until = ?2
		WHERE c.dossier_id = ?4 AND c.op <> 'delete'`, at.plan, at.number, maxSeq, dossier)
	return err
}

// sealApproved seals the version an approval wrote: the current version's
// items state, less the old items of the features the dossier changes, plus
// their new ones. It reads only the change set, whatever the plan's size.
func sealApproved(ctx context.Context, tx *sql.Tx, planID, curID, verID, dossier int64, now string) error {
	state, err := itemsState(ctx, tx, curID)
	if err != nil {
		return err
	}
	cur, err := versionAt(ctx, tx, curID)
	if err != nil {
		return err
	}
	old, err := queryItems(ctx, tx, `SELECT k.feature_id, l.name, b.hash FROM dossier_change c
		CROSS JOIN item k ON `+cur.on("k")+` AND k.feature_id = c.feature_id
		JOIN layer l ON l.id = k.layer_id JOIN body b ON b.id = k.body_id WHERE c.dossier_id = ?`, dossier)
	if err != nil {
		return err
	}
	added, err := queryItems(ctx, tx, `SELECT c.feature_id, l.name, b.hash FROM dossier_change c
		JOIN layer l ON l.id = c.layer_id JOIN body b ON b.id = c.body_id WHERE c.dossier_id = ? AND c.op <> 'delete'`, dossier)
	if err != nil {
		return err
	}
	addItems(state, old, true)
	addItems(state, added, false)
	_, err = sealVersion(ctx, tx, planID, verID, state, now)
	return err
}

// testHookApprove, when set by a test, runs inside the approval transaction
// after the new version row is written.
var testHookApprove func()

// MaThongTinQH makes the 12-digit plan information code of TT 16/2025:
// province (Lạng Sơn 20), year, level, type (3: functional zone), adjustment
// (1 overall, 2 local), five random digits.
func MaThongTinQH(level, kind, date string) string {
	year := time.Now().Year()
	if t, err := time.Parse(time.DateOnly, date); err == nil {
		year = t.Year()
	}
	lv, adj := cmp.Or(levelDigit[level], '0'), cmp.Or(adjustmentDigit[kind], '0')
	var b [8]byte
	rand.Read(b[:])
	return fmt.Sprintf("20%02d%c3%c%05d", year%100, lv, adj, binary.LittleEndian.Uint64(b[:])%100000)
}

// Resolution says how a rebase settles conflicting features: per feature
// ("ours" keeps the dossier's change, "theirs" drops it for the plan's), and
// Default for conflicts not named.
type Resolution struct {
	Take    map[string]string // feature id → ours | theirs
	Default string            // ours | theirs | "" (unnamed conflicts refuse the rebase)
}

// Rebase moves a dossier onto the plan's current version, settling features
// changed both by the dossier and since its base as res says. Unsettled
// conflicts refuse the rebase, listing them; nothing changes then.
func (s *Store) Rebase(ctx context.Context, dossier int64, res Resolution, by string) (Dossier, error) {
	for id, t := range res.Take {
		if t != "ours" && t != "theirs" {
			return Dossier{}, refuse("rebase", "take", `feature {{.Feature}}: "{{.Take}}" must be ours or theirs`, map[string]any{"Feature": id, "Take": t})
		}
	}
	if res.Default != "" && res.Default != "ours" && res.Default != "theirs" {
		return Dossier{}, refuse("rebase", "take", `--take "{{.Take}}" must be ours or theirs`, map[string]any{"Take": res.Default})
	}
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.rebaseTx(ctx, tx, dossier, res, by) })
	if err != nil {
		return Dossier{}, wrap(fmt.Sprintf("rebase dossier %d", dossier), err)
	}
	return s.Dossier(ctx, dossier)
}

func (s *Store) rebaseTx(ctx context.Context, tx *sql.Tx, id int64, res Resolution, by string) error {
	d, err := s.dossierTx(ctx, tx, id)
	if err != nil {
		return err
	}
	if !slices.Contains([]string{Draft, Submitted, Appraising, Appraised}, d.State) {
		return refuse("rebase", "", "dossier {{.ID}} is {{.State}}; only a dossier not yet approved can be rebased", map[string]any{"ID": id, "State": d.State})
	}
	_, baseID, err := versionID(ctx, tx, d.Plan, d.Base)
	if err != nil {
		return err
	}
	_, curID, err := versionID(ctx, tx, d.Plan, 0)
	if err != nil {
		return err
	}
	if baseID == curID {
		return refuse("rebase", "", "dossier {{.ID}} is already based on the current version {{.Version}}", map[string]any{"ID": id, "Version": d.Base})
	}
	ids, codes, err := conflicts(ctx, tx, id, baseID, curID)
	if err != nil {
		return err
	}
	labels := conflictLabels(ids, codes)
	for f := range res.Take {
		if !slices.Contains(ids, f) {
			return refuse("rebase", "take", "feature {{.Feature}} is not in conflict", map[string]any{"Feature": f})
		}
	}
	choice := map[string]string{}
	var open, openLabels []string
	for i, f := range ids {
		switch c := cmp.Or(res.Take[f], res.Default); c {
		case "":
			open, openLabels = append(open, f), append(openLabels, labels[i])
		default:
			choice[f] = c
		}
	}
	if len(open) > 0 {
		return &ConflictError{Action: "rebase", Features: open, Labels: openLabels,
			Hint: "choose for each: --take ours|theirs for all, or --take X --feature ID for some"}
	}
	// Re-express each kept change against the new base.
	cur, err := versionAt(ctx, tx, curID)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.feature_id, c.op, coalesce(c.body_id, 0), c.parents, k.body_id
		FROM dossier_change c LEFT JOIN item k ON `+cur.on("k")+` AND k.feature_id = c.feature_id
		WHERE c.dossier_id = ?`, id)
	if err != nil {
		return err
	}
	type kept struct {
		id, op, parents string
		body            int64
		cur             sql.NullInt64
	}
	var all []kept
	for rows.Next() {
		var k kept
		if err := rows.Scan(&k.id, &k.op, &k.body, &k.parents, &k.cur); err != nil {
			rows.Close()
			return err
		}
		all = append(all, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range all {
		op := k.op
		switch {
		case choice[k.id] == "theirs":
			op = ""
		case k.op == "delete" && !k.cur.Valid:
			op = "" // already gone
		case k.op != "delete" && k.cur.Valid && k.cur.Int64 == k.body && k.parents == "[]":
			op = "" // the plan already holds this body
		case k.op != "delete" && k.cur.Valid:
			op = "modify"
		case k.op != "delete":
			op = "add"
		}
		if op == "" {
			_, err = tx.ExecContext(ctx, "DELETE FROM dossier_change WHERE dossier_id = ? AND feature_id = ?", id, k.id)
		} else if op != k.op {
			_, err = tx.ExecContext(ctx, "UPDATE dossier_change SET op = ? WHERE dossier_id = ? AND feature_id = ?", op, id, k.id)
		}
		if err != nil {
			return err
		}
	}
	var curNum int
	if err := tx.QueryRowContext(ctx, "SELECT number FROM version WHERE id = ?", curID).Scan(&curNum); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE dossier SET base_version_id = ? WHERE id = ?", curID, id); err != nil {
		return err
	}
	note := fmt.Sprintf("rebased from version %d onto version %d", d.Base, curNum)
	if len(choice) > 0 {
		var parts []string
		for i, f := range ids {
			parts = append(parts, labels[i]+"="+choice[f])
		}
		note += "; conflicts: " + strings.Join(parts, ", ")
	}
	newBase, err := versionSealByID(ctx, tx, curID)
	if err != nil {
		return err
	}
	now := s.Now()
	if err := appendTransition(ctx, tx, Transition{From: d.State, To: d.State, At: now, By: by, Note: note, Due: d.Due}, id, newBase); err != nil {
		return err
	}
	if d.State != Appraised {
		return nil
	}
	// What was appraised is not what would be approved any more: the
	// dossier goes back to appraisal, a step of its own in the chain.
	due, err := dueDate(ctx, tx, Appraising, "", now)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE dossier SET state = ?, due = ? WHERE id = ?", Appraising, due, id); err != nil {
		return err
	}
	return appendTransition(ctx, tx, Transition{From: Appraised, To: Appraising, At: now, By: by, Due: due,
		Note: fmt.Sprintf("%s %d, re-appraisal needed", ReappraisalNote, curNum)}, id, nil)
}

// ReappraisalNote starts the note of the step that sends a rebased
// dossier back to appraisal: "rebased on version 3, re-appraisal needed".
const ReappraisalNote = "rebased on version"
