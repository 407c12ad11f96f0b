package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
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
	By      string
	Note    string
	// MaThongTinQH, for approve, is the code of the new version; generated when empty.
	MaThongTinQH string
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

// Deadline settings, in days; DOMAIN.md gives the defaults.
const (
	SettingCommentsDays    = "deadline.comments_days"    // agencies' comments after submission (15)
	SettingAppraisalDays   = "deadline.appraisal_days"   // appraisal (20)
	SettingPublicationDays = "deadline.publication_days" // publication after approval (15)
	SettingAttachmentMax   = "attachment.max_bytes"      // 50 MiB
)

// dueSetting names the deadline that starts when a dossier enters a state.
var dueSetting = map[string]string{
	Submitted:  SettingCommentsDays,
	Appraising: SettingAppraisalDays,
	Approved:   SettingPublicationDays,
}

// Setting returns a setting's value.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM setting WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: no setting %s", ErrNotFound, key)
	}
	return v, err
}

// SetSetting changes a setting (deadlines in days, the attachment limit in bytes).
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if _, err := strconv.Atoi(value); err != nil {
		return fmt.Errorf("store: setting %s: %q is not a whole number", key, value)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, "UPDATE setting SET value = ? WHERE key = ?", value, key)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: no setting %s", ErrNotFound, key)
		}
		return nil
	})
}

func settingInt(ctx context.Context, q querier, key string) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, "SELECT CAST(value AS INTEGER) FROM setting WHERE key = ?", key).Scan(&v)
	return v, err
}

// Advance takes one approval step. Approving writes base + change set as the
// plan's new current version (see Approve's rules); every step is recorded
// in the hash-chained transition log in the same transaction.
func (s *Store) Advance(ctx context.Context, dossier int64, st Step) (Dossier, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.advanceTx(ctx, tx, dossier, st, s.Now()) })
	if err != nil {
		return Dossier{}, wrapStep(fmt.Sprintf("%s dossier %d", st.Action, dossier), err)
	}
	return s.Dossier(ctx, dossier)
}

func (s *Store) advanceTx(ctx context.Context, tx *sql.Tx, id int64, st Step, now time.Time) error {
	a, ok := steps[st.Action]
	if !ok {
		return &StepError{st.Action, "unknown step (one of " + strings.Join(Actions, ", ") + ")"}
	}
	d, err := s.dossierTx(ctx, tx, id)
	if err != nil {
		return err
	}
	if d.State == Withdrawn || d.State == Published {
		return &StepError{st.Action, fmt.Sprintf("dossier %d is %s; nothing more can happen to it", id, d.State)}
	}
	if !slices.Contains(a.from, d.State) {
		return &StepError{st.Action, fmt.Sprintf("dossier %d is %s; %s needs a dossier that is %s", id, d.State, st.Action, strings.Join(a.from, " or "))}
	}
	if st.DocDate != "" {
		if _, err := time.Parse(time.DateOnly, st.DocDate); err != nil {
			return &StepError{st.Action, fmt.Sprintf("document date %q is not YYYY-MM-DD", st.DocDate)}
		}
	}
	switch st.Action {
	case "submit":
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossier_change WHERE dossier_id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &StepError{st.Action, "the change set is empty; apply at least one change first"}
		}
		if strings.TrimSpace(st.DocNo) == "" {
			return &StepError{st.Action, "cover letter (tờ trình) number required"}
		}
	case "appraised":
		if strings.TrimSpace(st.DocNo) == "" {
			return &StepError{st.Action, "appraisal report (báo cáo thẩm định) number required"}
		}
	case "approve":
		if strings.TrimSpace(st.DocNo) == "" {
			return &StepError{st.Action, "decision number required"}
		}
		if st.DocDate == "" {
			return &StepError{st.Action, "decision date required"}
		}
	case "return":
		if strings.TrimSpace(st.Note) == "" {
			return &StepError{st.Action, "reason required (--note)"}
		}
	}
	due := ""
	if key, ok := dueSetting[a.to]; ok {
		days, err := settingInt(ctx, tx, key)
		if err != nil {
			return err
		}
		due = now.AddDate(0, 0, days).Format(time.DateOnly)
	}
	if st.Action == "approve" {
		verID, err := approveTx(ctx, tx, d, st, timeText(now))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE dossier SET approved_version_id = ? WHERE id = ?", verID, id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE dossier SET state = ?, due = ? WHERE id = ?", a.to, due, id); err != nil {
		return err
	}
	return appendTransition(ctx, tx, Transition{From: d.State, To: a.to, At: now, By: st.By, DocNo: st.DocNo, DocDate: st.DocDate, Note: st.Note, Due: due}, id)
}

// appendTransition adds a row to the hash chain: its hash covers the previous
// row's hash and its own content, so altering or removing a row breaks the
// chain from there on.
func appendTransition(ctx context.Context, tx *sql.Tx, t Transition, dossier int64) error {
	prev := make([]byte, 32)
	err := tx.QueryRowContext(ctx, "SELECT hash FROM transition ORDER BY id DESC LIMIT 1").Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	at := timeText(t.At)
	h := transitionHash(prev, dossier, t.From, t.To, at, t.By, t.DocNo, t.DocDate, t.Note, t.Due)
	_, err = tx.ExecContext(ctx, `INSERT INTO transition (dossier_id, from_state, to_state, at, by, doc_no, doc_date, note, due, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, dossier, t.From, t.To, at, t.By, t.DocNo, t.DocDate, t.Note, t.Due, prev, h)
	return err
}

func transitionHash(prev []byte, dossier int64, fields ...string) []byte {
	content, _ := json.Marshal(append([]string{strconv.FormatInt(dossier, 10)}, fields...))
	h := sha256.New()
	h.Write(prev)
	h.Write(content)
	return h.Sum(nil)
}

// VerifyChain walks the transition log and returns the id of the first row
// whose hash or link does not match (0 when the chain is intact).
func (s *Store) VerifyChain(ctx context.Context) (int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, dossier_id, from_state, to_state, at, by, doc_no, doc_date, note, due, prev_hash, hash
		FROM transition ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("store: verify chain: %w", err)
	}
	defer rows.Close()
	prev := make([]byte, 32)
	for rows.Next() {
		var id, dossier int64
		var f [8]string
		var ph, h []byte
		if err := rows.Scan(&id, &dossier, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &ph, &h); err != nil {
			return 0, fmt.Errorf("store: verify chain: %w", err)
		}
		if string(ph) != string(prev) || string(transitionHash(prev, dossier, f[:]...)) != string(h) {
			return id, nil
		}
		prev = h
	}
	return 0, rows.Err()
}

// item is one feature of a version: which layer and body it has.
type item struct {
	layerID, bodyID, seq int64
}

func versionItems(ctx context.Context, q querier, verID int64) (map[string]item, error) {
	rows, err := q.QueryContext(ctx, "SELECT feature_id, layer_id, body_id, seq FROM version_item WHERE version_id = ?", verID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]item{}
	for rows.Next() {
		var id string
		var it item
		if err := rows.Scan(&id, &it.layerID, &it.bodyID, &it.seq); err != nil {
			return nil, err
		}
		out[id] = it
	}
	return out, rows.Err()
}

// changedBetween lists the feature ids that differ between two versions.
func changedBetween(a, b map[string]item) map[string]bool {
	out := map[string]bool{}
	for id, x := range a {
		if y, ok := b[id]; !ok || y.bodyID != x.bodyID || y.layerID != x.layerID {
			out[id] = true
		}
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			out[id] = true
		}
	}
	return out
}

// storedChange is a change set row as approval and rebase need it.
type storedChange struct {
	layerID int64
	op      string
	bodyID  sql.NullInt64
	parents string
}

func changeSet(ctx context.Context, q querier, dossier int64) (map[string]storedChange, error) {
	rows, err := q.QueryContext(ctx, "SELECT feature_id, layer_id, op, body_id, parents FROM dossier_change WHERE dossier_id = ?", dossier)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]storedChange{}
	for rows.Next() {
		var id string
		var c storedChange
		if err := rows.Scan(&id, &c.layerID, &c.op, &c.bodyID, &c.parents); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}

// approveTx writes the plan's new current version: the current version with
// the dossier's changes applied. When the plan moved on since the base, the
// two sides merge per feature; a feature changed on both sides is a conflict.
func approveTx(ctx context.Context, tx *sql.Tx, d Dossier, st Step, now string) (int64, error) {
	planID, baseID, err := versionID(ctx, tx, d.Plan, d.Base)
	if err != nil {
		return 0, err
	}
	_, curID, err := versionID(ctx, tx, d.Plan, 0)
	if err != nil {
		return 0, err
	}
	ours, err := changeSet(ctx, tx, d.ID)
	if err != nil {
		return 0, err
	}
	cur, err := versionItems(ctx, tx, curID)
	if err != nil {
		return 0, err
	}
	if curID != baseID {
		base, err := versionItems(ctx, tx, baseID)
		if err != nil {
			return 0, err
		}
		var conflicts []string
		for id := range changedBetween(base, cur) {
			if _, ok := ours[id]; ok {
				conflicts = append(conflicts, id)
			}
		}
		if len(conflicts) > 0 {
			slices.Sort(conflicts)
			return 0, &ConflictError{"approve", conflicts}
		}
	}
	var level string
	if err := tx.QueryRowContext(ctx, "SELECT level FROM plan WHERE id = ?", planID).Scan(&level); err != nil {
		return 0, err
	}
	var number int
	if err := tx.QueryRowContext(ctx, "SELECT max(number) + 1 FROM version WHERE plan_id = ?", planID).Scan(&number); err != nil {
		return 0, err
	}
	msg := fmt.Sprintf("dossier %d approved: %s", d.ID, d.Title)
	r, err := tx.ExecContext(ctx, `INSERT INTO version (plan_id, number, parent_id, created, source, message, dossier_id, decision_no, decision_date, ma_thong_tin_qh)
		VALUES (?, ?, ?, ?, 'dossier', ?, ?, ?, ?, ?)`, planID, number, curID, now, msg, d.ID, st.DocNo, st.DocDate, cmp.Or(st.MaThongTinQH, MaThongTinQH(level, d.Kind, st.DocDate)))
	if err != nil {
		return 0, err
	}
	verID, _ := r.LastInsertId()
	ins, err := tx.PrepareContext(ctx, "INSERT INTO version_item (version_id, feature_id, layer_id, body_id, seq) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	var maxSeq int64
	for _, it := range cur {
		maxSeq = max(maxSeq, it.seq)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO version_item (version_id, feature_id, layer_id, body_id, seq)
		SELECT ?, feature_id, layer_id, body_id, seq FROM version_item WHERE version_id = ?
		AND feature_id NOT IN (SELECT feature_id FROM dossier_change WHERE dossier_id = ?)`, verID, curID, d.ID); err != nil {
		return 0, err
	}
	for _, id := range sortedKeys(ours) {
		c := ours[id]
		if c.op == "delete" {
			continue
		}
		seq := cur[id].seq
		if _, ok := cur[id]; !ok {
			maxSeq++
			seq = maxSeq
		}
		if _, err := ins.ExecContext(ctx, verID, id, c.layerID, c.bodyID.Int64, seq); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lineage (version_id, feature_id, parent_id)
		SELECT ?, c.feature_id, j.value FROM dossier_change c, json_each(c.parents) j WHERE c.dossier_id = ?`, verID, d.ID); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE plan SET current_version = ? WHERE id = ?", verID, planID); err != nil {
		return 0, err
	}
	return verID, nil
}

// MaThongTinQH makes the 12-digit plan information code of TT 16/2025:
// province (Lạng Sơn 20), year, level, type (3: functional zone), adjustment
// (1 overall, 2 local), five random digits.
func MaThongTinQH(level, kind, date string) string {
	year := time.Now().Year()
	if t, err := time.Parse(time.DateOnly, date); err == nil {
		year = t.Year()
	}
	lv := map[string]int{"general": 1, "zoning": 2, "detailed": 3}[level]
	adj := map[string]int{Overall: 1, Local: 2}[kind]
	var b [8]byte
	rand.Read(b[:])
	return fmt.Sprintf("20%02d%d3%d%05d", year%100, lv, adj, binary.LittleEndian.Uint64(b[:])%100000)
}

// Rebase moves a dossier onto the plan's current version. Features changed
// both by the dossier and since its base are resolved by take ("ours" keeps
// the dossier's change, "theirs" drops it), for the listed features or, when
// none are listed, for every conflict. Unresolved conflicts refuse the rebase.
func (s *Store) Rebase(ctx context.Context, dossier int64, take string, features []string) (Dossier, error) {
	if take != "" && take != "ours" && take != "theirs" {
		return Dossier{}, &StepError{"rebase", fmt.Sprintf("--take %q must be ours or theirs", take)}
	}
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.rebaseTx(ctx, tx, dossier, take, features) })
	if err != nil {
		return Dossier{}, wrapStep(fmt.Sprintf("rebase dossier %d", dossier), err)
	}
	return s.Dossier(ctx, dossier)
}

func (s *Store) rebaseTx(ctx context.Context, tx *sql.Tx, id int64, take string, only []string) error {
	d, err := s.dossierTx(ctx, tx, id)
	if err != nil {
		return err
	}
	if !slices.Contains([]string{Draft, Submitted, Appraising, Appraised}, d.State) {
		return &StepError{"rebase", fmt.Sprintf("dossier %d is %s; only a dossier not yet approved can be rebased", id, d.State)}
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
		return &StepError{"rebase", fmt.Sprintf("dossier %d is already based on the current version %d", id, d.Base)}
	}
	base, err := versionItems(ctx, tx, baseID)
	if err != nil {
		return err
	}
	cur, err := versionItems(ctx, tx, curID)
	if err != nil {
		return err
	}
	ours, err := changeSet(ctx, tx, id)
	if err != nil {
		return err
	}
	theirs := changedBetween(base, cur)
	var conflicts []string
	for fid := range ours {
		if theirs[fid] {
			conflicts = append(conflicts, fid)
		}
	}
	slices.Sort(conflicts)
	for _, f := range only {
		if !slices.Contains(conflicts, f) {
			return &StepError{"rebase", fmt.Sprintf("feature %s is not in conflict", f)}
		}
	}
	resolution := map[string]string{}
	var unresolved []string
	for _, fid := range conflicts {
		switch {
		case take != "" && (len(only) == 0 || slices.Contains(only, fid)):
			resolution[fid] = take
		default:
			unresolved = append(unresolved, fid)
		}
	}
	if len(unresolved) > 0 {
		return &ConflictError{"rebase (choose --take ours|theirs)", unresolved}
	}
	// Re-express each kept change against the new base.
	for fid, c := range ours {
		if resolution[fid] == "theirs" {
			if _, err := tx.ExecContext(ctx, "DELETE FROM dossier_change WHERE dossier_id = ? AND feature_id = ?", id, fid); err != nil {
				return err
			}
			continue
		}
		now, inCur := cur[fid]
		op := c.op
		switch {
		case c.op == "delete" && !inCur:
			op = "" // already gone
		case c.op != "delete" && inCur && now.bodyID == c.bodyID.Int64 && c.parents == "[]":
			op = "" // the plan already holds this body
		case c.op != "delete" && inCur:
			op = "modify"
		case c.op != "delete":
			op = "add"
		}
		if op == "" {
			_, err = tx.ExecContext(ctx, "DELETE FROM dossier_change WHERE dossier_id = ? AND feature_id = ?", id, fid)
		} else if op != c.op {
			_, err = tx.ExecContext(ctx, "UPDATE dossier_change SET op = ? WHERE dossier_id = ? AND feature_id = ?", op, id, fid)
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
	if len(resolution) > 0 {
		var parts []string
		for _, fid := range conflicts {
			parts = append(parts, fid+"="+resolution[fid])
		}
		note += "; conflicts: " + strings.Join(parts, ", ")
	}
	return appendTransition(ctx, tx, Transition{From: d.State, To: d.State, At: s.Now(), Note: note}, id)
}
