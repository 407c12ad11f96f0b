package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"quyhoach/store"
)

// OfficeDossier is a dossier as the office holds it: its bundle (Number is
// the office's short number), and its revision, bumped by every change.
type OfficeDossier struct {
	Bundle      *store.DossierBundle
	Rev, Number int64
}

// ConflictError is a push of a dossier that changed at the office since the
// pusher last pulled it: never merged, the pusher pulls and pushes again.
type ConflictError struct {
	UID        string
	Number     int64
	Title      string
	By         string    // who changed it last at the office
	At         time.Time // when
	Rev, Since int64     // the office's revision, and the one the push was based on
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("office: dossier %q (number %d at the office) changed at the office since your last pull (by %s, %s): pull, then push again",
		e.Title, e.Number, e.By, e.At.Local().Format("2006-01-02 15:04"))
}

// DossierResult is what a push or a load did to one dossier.
type DossierResult struct {
	UID         string
	Number, Rev int64
	State       string // new | updated | up to date
}

// putDossier takes one dossier: checked whole (Check: bodies, documents,
// chain), its base version held by the office, new or following the
// office's chain from baseRev.
func putDossier(ctx context.Context, tx pgx.Tx, b *store.DossierBundle, baseRev int64) (DossierResult, error) {
	res := DossierResult{UID: b.UID}
	if err := b.Check(); err != nil {
		return res, refuse("dossier %q: %v", b.Title, err)
	}
	var planCode string
	if err := tx.QueryRow(ctx, "SELECT code FROM plan WHERE uid = $1", b.PlanUID).Scan(&planCode); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return res, refuse("dossier %q is on plan %s, which the office does not hold", b.Title, b.PlanCode)
		}
		return res, err
	}
	var baseSeal []byte
	err := tx.QueryRow(ctx, "SELECT seal FROM version WHERE plan = $1 AND number = $2", b.PlanUID, b.BaseNumber).Scan(&baseSeal)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !bytes.Equal(baseSeal, b.BaseSeal)) {
		return res, refuse("dossier %q is based on version %d of plan %s, which the office does not hold: push that version first", b.Title, b.BaseNumber, planCode)
	}
	if err != nil {
		return res, err
	}
	state, due := b.StepState()
	if state != b.State {
		return res, refuse("dossier %q says it is %s but its last step leaves it %s: refused", b.Title, b.State, state)
	}
	// an approval names the version it made: the office must hold it
	for _, s := range b.Steps {
		if s.To == "approved" && s.From != s.To {
			var n int
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM version WHERE seal = $1 AND dossier = $2", s.Made, b.UID).Scan(&n); err != nil {
				return res, err
			}
			if n == 0 {
				return res, refuse("dossier %q was approved into a version the office does not hold: push that version with it", b.Title)
			}
		}
	}

	var rev, number int64
	var head []byte
	var changedBy, title string
	var changedAt time.Time
	err = tx.QueryRow(ctx, "SELECT rev, number, head, changed_by, changed_at, title FROM dossier WHERE uid = $1", b.UID).
		Scan(&rev, &number, &head, &changedBy, &changedAt, &title)
	isNew := errors.Is(err, pgx.ErrNoRows)
	if err != nil && !isNew {
		return res, err
	}
	what := fmt.Sprintf("push dossier %q", b.Title)
	held := 0 // links the office holds
	refs := map[int64]int64{}
	if isNew {
		final := state == "approved" || state == "published" || state == "withdrawn"
		if final { // its change set is closed once its record says so
			if err := putChanges(ctx, tx, b, false); err != nil {
				return res, during(what, err)
			}
		}
		if err := tx.QueryRow(ctx, `INSERT INTO dossier (uid, plan, kind, title, reason, code, state, created, due, base_number, base_seal, open_base_seal, author, head)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING number, rev`,
			b.UID, b.PlanUID, b.Kind, b.Title, b.Reason, b.Code, state, b.Created, due, b.BaseNumber, b.BaseSeal, b.OpenBaseSeal, b.Author, b.Head).
			Scan(&number, &rev); err != nil {
			return res, during(what, err)
		}
		if !final {
			if err := putChanges(ctx, tx, b, false); err != nil {
				return res, during(what, err)
			}
		}
		res.State = "new"
	} else {
		links, err := readLinks(ctx, tx, b.UID)
		if err != nil {
			return res, err
		}
		same := len(links) == len(b.Links) && bytes.Equal(head, b.Head)
		for i := range links {
			if i >= len(b.Links) || !bytes.Equal(links[i].Hash, b.Links[i].Hash) {
				same = false
				break
			}
		}
		var offChanges []store.ChangeBundle
		if same {
			if offChanges, _, err = readChanges(ctx, tx, b.UID, false); err != nil {
				return res, err
			}
		}
		var offState string
		var offBase int
		_ = tx.QueryRow(ctx, "SELECT state, base_number FROM dossier WHERE uid = $1", b.UID).Scan(&offState, &offBase)
		if same && bytes.Equal(store.ChangesDigest(offChanges), store.ChangesDigest(b.Changes)) && offState == state && offBase == b.BaseNumber {
			return DossierResult{UID: b.UID, Number: number, Rev: rev, State: "up to date"}, nil // the same push again
		}
		prefix := len(links) <= len(b.Links)
		for i := 0; prefix && i < len(links); i++ {
			prefix = bytes.Equal(links[i].Hash, b.Links[i].Hash)
		}
		if baseRev != rev || !prefix {
			return res, &ConflictError{UID: b.UID, Number: number, Title: title, By: changedBy, At: changedAt, Rev: rev, Since: baseRev}
		}
		held = len(links)
		for i, l := range links { // the bundle's refs of held links name office rows
			refs[b.Links[i].Ref] = l.Ref
		}
		// the change set first: an approval in this push closes it
		if err := putChanges(ctx, tx, b, true); err != nil {
			return res, during(what, err)
		}
		// the steps and documents next: a refusal names the step
		if err := putLinks(ctx, tx, b, number, held, refs); err != nil {
			return res, err
		}
		rev++
		if _, err := tx.Exec(ctx, `UPDATE dossier SET rev = $2, state = $3, due = $4, base_number = $5, base_seal = $6, head = $7,
			changed_by = current_user, changed_at = now() WHERE uid = $1`, b.UID, rev, state, due, b.BaseNumber, b.BaseSeal, b.Head); err != nil {
			return res, during(fmt.Sprintf("leave dossier %d %s", number, state), err)
		}
		res.State = "updated"
	}
	if isNew {
		if err := putLinks(ctx, tx, b, number, 0, refs); err != nil {
			return res, err
		}
	}
	if err := logChange(ctx, tx, "dossier", b.UID); err != nil {
		return res, err
	}
	res.Number, res.Rev = number, rev
	return res, nil
}

// putChanges writes a dossier's change set (replacing the office's).
func putChanges(ctx context.Context, tx pgx.Tx, b *store.DossierBundle, replace bool) error {
	if replace {
		old, _, err := readChanges(ctx, tx, b.UID, false)
		if err != nil {
			return err
		}
		if bytes.Equal(store.ChangesDigest(old), store.ChangesDigest(b.Changes)) {
			return nil
		}
		if _, err := tx.Exec(ctx, "DELETE FROM dossier_change WHERE dossier = $1", b.UID); err != nil {
			return err
		}
	}
	if err := putBodies(ctx, tx, b.Bodies); err != nil {
		return err
	}
	// INSERT from arrays, not COPY: the table has row-level security
	n := len(b.Changes)
	features, layers, ops, parents := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	bodies := make([][]byte, n)
	for i, c := range b.Changes {
		features[i], layers[i], ops[i], bodies[i], parents[i] = c.Feature, c.Layer, c.Op, c.Body, c.Parents
	}
	_, err := tx.Exec(ctx, `INSERT INTO dossier_change (dossier, feature, layer, op, body, parents)
		SELECT $1, f, l, o, b, p FROM unnest($2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[]) AS u(f, l, o, b, p)`,
		b.UID, features, layers, ops, bodies, parents)
	return err
}

// putLinks appends the links after the held ones, with the steps and
// documents they seal (the bundle's refs mapped to the office's rows).
func putLinks(ctx context.Context, tx pgx.Tx, b *store.DossierBundle, number int64, held int, refs map[int64]int64) error {
	steps := map[int64]store.StepBundle{}
	for _, s := range b.Steps {
		steps[s.Ref] = s
	}
	atts := map[int64]store.AttachmentBundle{}
	for _, a := range b.Attachments {
		atts[a.Ref] = a
	}
	for _, l := range b.Links[held:] {
		ref := any(nil)
		switch l.Kind {
		case "step":
			s := steps[l.Ref]
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO transition (dossier, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
				b.UID, s.From, s.To, s.At, s.By, s.DocNo, s.DocDate, s.Note, s.Due, s.Agency, s.Signer, nz(s.Changes), nz(s.Made), nz(s.Prev), nz(s.Hash)).Scan(&id); err != nil {
				return during(fmt.Sprintf("record step %s → %s of dossier %d", s.From, s.To, number), err)
			}
			ref = id
		case "attach":
			a := atts[l.Ref]
			var id int64
			if err := tx.QueryRow(ctx, "INSERT INTO attachment (dossier, kind, name, size, sha256, data, added) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
				b.UID, a.Kind, a.Name, a.Size, nz(a.Sum), nz(a.Data), a.Added).Scan(&id); err != nil {
				return during(fmt.Sprintf("attach %s to dossier %d", a.Name, number), err)
			}
			ref = id
		}
		if _, err := tx.Exec(ctx, "INSERT INTO dossier_link (dossier, seq, kind, ref, content, prev, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			b.UID, l.Seq, l.Kind, ref, nz(l.Content), nz(l.Prev), nz(l.Hash)); err != nil {
			return during(fmt.Sprintf("extend the chain of dossier %d", number), err)
		}
	}
	return nil
}

func readLinks(ctx context.Context, q querier, uid string) ([]store.LinkBundle, error) {
	rows, err := q.Query(ctx, "SELECT seq, kind, coalesce(ref, 0), content, prev, hash FROM dossier_link WHERE dossier = $1 ORDER BY seq", uid)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.LinkBundle, error) {
		var l store.LinkBundle
		var seq int32
		err := r.Scan(&seq, &l.Kind, &l.Ref, &l.Content, &l.Prev, &l.Hash)
		l.Seq = int(seq)
		return l, err
	})
}

// readChanges reads a change set in feature order, and with bodies the
// bodies it names.
func readChanges(ctx context.Context, q querier, uid string, bodies bool) ([]store.ChangeBundle, []store.Body, error) {
	rows, err := q.Query(ctx, "SELECT feature, layer, op, body, parents FROM dossier_change WHERE dossier = $1 ORDER BY feature", uid)
	if err != nil {
		return nil, nil, err
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ChangeBundle, error) {
		var c store.ChangeBundle
		return c, r.Scan(&c.Feature, &c.Layer, &c.Op, &c.Body, &c.Parents)
	})
	if err != nil || !bodies {
		return cs, nil, err
	}
	seen := map[string]bool{}
	var hashes [][]byte
	for _, c := range cs {
		if c.Body != nil && !seen[string(c.Body)] {
			seen[string(c.Body)] = true
			hashes = append(hashes, c.Body)
		}
	}
	bs, err := readBodies(ctx, q, hashes)
	return cs, bs, err
}

// readDossier reads one dossier whole.
func readDossier(ctx context.Context, q querier, uid string) (OfficeDossier, error) {
	b := &store.DossierBundle{UID: uid}
	var od OfficeDossier
	err := q.QueryRow(ctx, `SELECT d.plan, p.code, p.name, d.number, d.rev, d.kind, d.title, d.reason, d.code, d.state, d.created, d.due,
		d.base_number, d.base_seal, d.open_base_seal, d.author, d.head
		FROM dossier d JOIN plan p ON p.uid = d.plan WHERE d.uid = $1`, uid).
		Scan(&b.PlanUID, &b.PlanCode, &b.PlanName, &od.Number, &od.Rev, &b.Kind, &b.Title, &b.Reason, &b.Code, &b.State, &b.Created, &b.Due,
			&b.BaseNumber, &b.BaseSeal, &b.OpenBaseSeal, &b.Author, &b.Head)
	if err != nil {
		return od, err
	}
	b.Number = od.Number
	if b.Changes, b.Bodies, err = readChanges(ctx, q, uid, true); err != nil {
		return od, err
	}
	rows, err := q.Query(ctx, `SELECT id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash
		FROM transition WHERE dossier = $1 ORDER BY id`, uid)
	if err != nil {
		return od, err
	}
	if b.Steps, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StepBundle, error) {
		var s store.StepBundle
		return s, r.Scan(&s.Ref, &s.From, &s.To, &s.At, &s.By, &s.DocNo, &s.DocDate, &s.Note, &s.Due, &s.Agency, &s.Signer, &s.Changes, &s.Made, &s.Prev, &s.Hash)
	}); err != nil {
		return od, err
	}
	rows, err = q.Query(ctx, "SELECT id, kind, name, added, size, sha256, data FROM attachment WHERE dossier = $1 ORDER BY id", uid)
	if err != nil {
		return od, err
	}
	if b.Attachments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AttachmentBundle, error) {
		var a store.AttachmentBundle
		return a, r.Scan(&a.Ref, &a.Kind, &a.Name, &a.Added, &a.Size, &a.Sum, &a.Data)
	}); err != nil {
		return od, err
	}
	if b.Links, err = readLinks(ctx, q, uid); err != nil {
		return od, err
	}
	od.Bundle = b
	return od, nil
}

// Dossiers reads every dossier changed after cursor since (0: all), in the
// order of their last change.
func (o *Office) Dossiers(ctx context.Context, since int64) ([]OfficeDossier, error) {
	tx, err := o.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return nil, o.fail("read dossiers", err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, "SELECT uid FROM change_log WHERE seq > $1 AND kind = 'dossier' GROUP BY uid ORDER BY max(seq)", since)
	if err != nil {
		return nil, o.fail("read dossiers", err)
	}
	uids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, o.fail("read dossiers", err)
	}
	out := make([]OfficeDossier, 0, len(uids))
	for _, uid := range uids {
		d, err := readDossier(ctx, tx, uid)
		if err != nil {
			return nil, o.fail("read dossier "+uid, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// nz is b, or an empty value for nil (a NULL to PostgreSQL).
func nz(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
