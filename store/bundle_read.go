package store

// Reading bundles: a plan, a version or a dossier as it travels, each in a
// read-only transaction and checked as it is read (every body and document
// against its sha256, a dossier's chain link by link), so a store never
// sends what it could not itself verify.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"quyhoach/gis"
	"strconv"
)

// readTx runs fn in a read-only transaction.
func (s *Store) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// PlanBundles reads every plan's bundle, by code.
func (s *Store) PlanBundles(ctx context.Context) ([]*PlanBundle, error) {
	var out []*PlanBundle
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		uids, err := queryStrings(ctx, tx, "SELECT uid FROM plan WHERE uid IS NOT NULL ORDER BY code")
		if err != nil {
			return err
		}
		for _, uid := range uids {
			b, err := readPlanBundle(ctx, tx, uid)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("plan bundles", err)
	}
	return out, nil
}

// ReadPlanBundle reads the bundle of the plan of global id uid.
func (s *Store) ReadPlanBundle(ctx context.Context, uid string) (*PlanBundle, error) {
	var b *PlanBundle
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = readPlanBundle(ctx, tx, uid)
		return err
	})
	if err != nil {
		return nil, wrap("plan "+uid, err)
	}
	return b, nil
}

func readPlanBundle(ctx context.Context, q querier, uid string) (*PlanBundle, error) {
	b := &PlanBundle{UID: uid}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT p.id, p.code, p.name, p.level, p.scale, p.crs, p.area, p.note, p.created, coalesce(v.uid, '')
		FROM plan p LEFT JOIN version v ON v.id = p.current_version WHERE p.uid = ?`, uid).
		Scan(&id, &b.Code, &b.Name, &b.Level, &b.Scale, &b.CRS, &b.Area, &b.Note, &b.Created, &b.Current)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kindErr(ErrNotFound, "no plan of id %s", uid)
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT name, kind FROM layer WHERE plan_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var l LayerBundle
		if err := rows.Scan(&l.Name, &l.Kind); err != nil {
			rows.Close()
			return nil, err
		}
		b.Layers = append(b.Layers, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT approver, appraiser, proposer, consultant, at, by FROM plan_agencies WHERE plan_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a AgenciesBundle
		if err := rows.Scan(&a.Approver, &a.Appraiser, &a.Proposer, &a.Consultant, &a.At, &a.By); err != nil {
			return nil, err
		}
		b.Agencies = append(b.Agencies, a)
	}
	return b, rows.Err()
}

// VersionUIDs lists the global ids of a plan's versions in number order.
func (s *Store) VersionUIDs(ctx context.Context, planUID string) ([]string, error) {
	uids, err := queryStrings(ctx, s.db, `SELECT v.uid FROM version v JOIN plan p ON p.id = v.plan_id WHERE p.uid = ? ORDER BY v.number`, planUID)
	if err != nil {
		return nil, wrap("versions of plan "+planUID, err)
	}
	return uids, nil
}

// DossierUIDs lists the global ids of a plan's dossiers in the order they
// were made here.
func (s *Store) DossierUIDs(ctx context.Context, planUID string) ([]string, error) {
	uids, err := queryStrings(ctx, s.db, `SELECT d.uid FROM dossier d JOIN plan p ON p.id = d.plan_id WHERE p.uid = ? ORDER BY d.id`, planUID)
	if err != nil {
		return nil, wrap("dossiers of plan "+planUID, err)
	}
	return uids, nil
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ReadVersionBundle reads the version of global id uid. With delta, and
// when it has a parent, its items come as a delta from the parent's (Put:
// the items added or changed, Drop: the features removed); otherwise
// whole. Bodies holds the bodies Put names, each checked against its hash.
func (s *Store) ReadVersionBundle(ctx context.Context, uid string, delta bool) (*VersionBundle, error) {
	var b *VersionBundle
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = readVersionBundle(ctx, tx, uid, delta)
		return err
	})
	if err != nil {
		return nil, wrap("version "+uid, err)
	}
	return b, nil
}

func readVersionBundle(ctx context.Context, q querier, uid string, delta bool) (*VersionBundle, error) {
	b := &VersionBundle{UID: uid}
	var id int64
	var parent sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT v.id, p.uid, v.number, v.parent_id, coalesce(pv.uid, ''), v.created, v.source, v.message, coalesce(d.uid, ''),
		v.decision_no, v.decision_date, v.ma_thong_tin_qh, coalesce(v.items_hash, x''), coalesce(v.seal, x'')
		FROM version v JOIN plan p ON p.id = v.plan_id LEFT JOIN version pv ON pv.id = v.parent_id LEFT JOIN dossier d ON d.id = v.dossier_id
		WHERE v.uid = ?`, uid).Scan(&id, &b.PlanUID, &b.Number, &parent, &b.Parent, &b.Created, &b.Source, &b.Message, &b.Dossier,
		&b.DecisionNo, &b.DecisionDate, &b.MaThongTinQH, &b.ItemsHash, &b.Seal)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kindErr(ErrNotFound, "no version of id %s", uid)
	}
	if err != nil {
		return nil, err
	}
	if len(b.Seal) == 0 {
		return nil, fmt.Errorf("version %d is not sealed; run quyhoach verify", b.Number)
	}
	b.Delta = delta && parent.Valid
	query := `SELECT i.feature_id, l.name, b.hash, i.seq, b.geojson FROM version_item i JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id
		WHERE i.version_id = ? ORDER BY i.seq, i.feature_id`
	args := []any{id}
	if b.Delta {
		from, err := versionAt(ctx, q, parent.Int64)
		if err != nil {
			return nil, err
		}
		query = `SELECT i.feature_id, l.name, b.hash, i.seq, b.geojson FROM version_item i JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id
			LEFT JOIN item o ON ` + from.on("o") + ` AND o.feature_id = i.feature_id
			WHERE i.version_id = ? AND (o.feature_id IS NULL OR o.body_id <> i.body_id OR o.layer_id <> i.layer_id OR o.seq <> i.seq)
			ORDER BY i.seq, i.feature_id`
		args = []any{id}
		if b.Drop, err = queryStrings(ctx, q, `SELECT o.feature_id FROM version_item o WHERE o.version_id = ?
			AND NOT EXISTS (SELECT 1 FROM version_item i WHERE i.version_id = ? AND i.feature_id = o.feature_id) ORDER BY o.feature_id`, parent.Int64, id); err != nil {
			return nil, err
		}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var it VersionItem
		var text []byte
		if err := rows.Scan(&it.Feature, &it.Layer, &it.Body, &it.Seq, &text); err != nil {
			return nil, err
		}
		b.Put = append(b.Put, it)
		if !seen[string(it.Body)] {
			seen[string(it.Body)] = true
			b.Bodies = append(b.Bodies, Body{Hash: it.Body, GeoJSON: text})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	errs := make([]error, len(b.Bodies))
	gis.Parallel(len(b.Bodies), func(i int) {
		if sum := sha256.Sum256(b.Bodies[i].GeoJSON); !sameHash(sum[:], b.Bodies[i].Hash) {
			errs[i] = damagedBody(b.Put, b.Bodies[i])
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	lrows, err := q.QueryContext(ctx, "SELECT feature_id, parent_id FROM lineage WHERE version_id = ? ORDER BY feature_id, parent_id", id)
	if err != nil {
		return nil, err
	}
	defer lrows.Close()
	for lrows.Next() {
		var l LineageBundle
		if err := lrows.Scan(&l.Feature, &l.Parent); err != nil {
			return nil, err
		}
		b.Lineage = append(b.Lineage, l)
	}
	return b, lrows.Err()
}

// damagedBody names the feature of a body that does not match its hash.
func damagedBody(items []VersionItem, x Body) error {
	for _, it := range items {
		if sameHash(it.Body, x.Hash) {
			return checkBody(it.Feature, x.GeoJSON, x.Hash)
		}
	}
	return checkBody("", x.GeoJSON, x.Hash)
}

// ReadDossierBundle reads the dossier of global id uid with everything its
// chain seals; a dossier whose chain does not verify here is refused.
func (s *Store) ReadDossierBundle(ctx context.Context, uid string) (*DossierBundle, error) {
	var b *DossierBundle
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		id, err := dossierByUID(ctx, tx, uid)
		if err != nil {
			return err
		}
		b, err = s.readDossierBundle(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, wrapPack("dossier "+uid, err)
	}
	return b, nil
}

// readDossierBundle reads dossier id with everything its chain seals.
func (s *Store) readDossierBundle(ctx context.Context, q querier, id int64) (*DossierBundle, error) {
	d, err := s.dossierTx(ctx, q, id)
	if err != nil {
		return nil, err
	}
	c, err := checkChain(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if problem := chainProblem(c); problem != "" {
		return nil, packageErr("", "dossier {{.ID}}: its chain does not verify here ({{.Problem}}); run quyhoach verify",
			map[string]any{"ID": id, "Problem": problem})
	}
	b := &DossierBundle{UID: d.UID, PlanCode: d.Plan, Number: d.ID, Kind: d.Kind, Title: d.Title, Reason: d.Reason, Code: d.Code,
		State: d.State, Due: d.Due, BaseNumber: d.Base}
	err = q.QueryRowContext(ctx, `SELECT coalesce(p.uid, ''), p.name, coalesce(v.seal, x''), d.created FROM dossier d
		JOIN plan p ON p.id = d.plan_id JOIN version v ON v.id = d.base_version_id WHERE d.id = ?`, id).Scan(&b.PlanUID, &b.PlanName, &b.BaseSeal, &b.Created)
	if err != nil {
		return nil, err
	}
	open, err := openBaseSeal(ctx, q, id, c.steps)
	if err != nil {
		return nil, err
	}
	b.OpenBaseSeal, _ = hex.DecodeString(open)
	if b.Head, err = dossierHead(ctx, q, id); err != nil {
		return nil, err
	}
	if b.Changes, b.Bodies, err = bundleChanges(ctx, q, id); err != nil {
		return nil, err
	}
	if b.Steps, err = bundleSteps(ctx, q, id); err != nil {
		return nil, err
	}
	for _, l := range c.links {
		b.Links = append(b.Links, LinkBundle{Seq: l.seq, Kind: l.kind, Ref: l.ref, Content: l.content, Prev: l.prev, Hash: l.hash})
	}
	if b.Attachments, err = bundleAttachments(ctx, q, id); err != nil {
		return nil, err
	}
	return b, nil
}

// chainProblem is the first thing wrong with a dossier's chain, "" when
// every link holds and every step is sealed.
func chainProblem(c chainCheck) string {
	if c.broken != 0 {
		p, _ := c.brokenProblem()
		return p
	}
	for _, l := range c.checks {
		if !l.OK {
			return l.Problem
		}
	}
	if len(c.unsealed) > 0 {
		return unsealedProblem(c.unsealed[0])
	}
	if len(c.links) == 0 || c.links[0].kind != "open" {
		return "its chain has no opening link"
	}
	return ""
}

// openBaseSeal is the seal (hex) of the version a dossier was opened on:
// its base, or the version its first rebase moved it from.
func openBaseSeal(ctx context.Context, q querier, id int64, steps map[int64]stepRow) (string, error) {
	var first *stepRow
	for _, s := range steps {
		if s.From == s.To && rebaseNote.MatchString(s.Note) && (first == nil || s.ID < first.ID) {
			first = &s
		}
	}
	var seal []byte
	var err error
	if first == nil {
		err = q.QueryRowContext(ctx, "SELECT coalesce(v.seal, x'') FROM dossier d JOIN version v ON v.id = d.base_version_id WHERE d.id = ?", id).Scan(&seal)
	} else {
		n, _ := strconv.Atoi(rebaseNote.FindStringSubmatch(first.Note)[1])
		err = q.QueryRowContext(ctx, "SELECT coalesce(v.seal, x'') FROM version v JOIN dossier d ON d.plan_id = v.plan_id WHERE d.id = ? AND v.number = ?", id, n).Scan(&seal)
	}
	return hex.EncodeToString(seal), err
}

// bundleChanges reads a dossier's change set and the bodies it names.
func bundleChanges(ctx context.Context, q querier, id int64) ([]ChangeBundle, []Body, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id, l.name, c.op, c.parents, b.hash, b.geojson
		FROM dossier_change c JOIN layer l ON l.id = c.layer_id LEFT JOIN body b ON b.id = c.body_id
		WHERE c.dossier_id = ? ORDER BY c.feature_id`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var cs []ChangeBundle
	var bs []Body
	seen := map[string]bool{}
	for rows.Next() {
		var c ChangeBundle
		var text []byte
		if err := rows.Scan(&c.Feature, &c.Layer, &c.Op, &c.Parents, &c.Body, &text); err != nil {
			return nil, nil, err
		}
		if c.Body != nil {
			if err := checkBody(c.Feature, text, c.Body); err != nil {
				return nil, nil, err
			}
			if !seen[string(c.Body)] {
				seen[string(c.Body)] = true
				bs = append(bs, Body{Hash: c.Body, GeoJSON: text})
			}
		}
		cs = append(cs, c)
	}
	return cs, bs, rows.Err()
}

// bundleSteps reads a dossier's transitions in order, as stored.
func bundleSteps(ctx context.Context, q querier, id int64) ([]StepBundle, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash
		FROM transition WHERE dossier_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StepBundle
	for rows.Next() {
		var s StepBundle
		if err := rows.Scan(&s.Ref, &s.From, &s.To, &s.At, &s.By, &s.DocNo, &s.DocDate, &s.Note, &s.Due, &s.Agency, &s.Signer,
			&s.Changes, &s.Made, &s.Prev, &s.Hash); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// bundleAttachments reads a dossier's documents with their bytes, checked.
func bundleAttachments(ctx context.Context, q querier, id int64) ([]AttachmentBundle, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, kind, name, size, sha256, added, data FROM attachment WHERE dossier_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AttachmentBundle
	for rows.Next() {
		var a AttachmentBundle
		if err := rows.Scan(&a.Ref, &a.Kind, &a.Name, &a.Size, &a.Sum, &a.Added, &a.Data); err != nil {
			return nil, err
		}
		if sum := sha256.Sum256(a.Data); !sameHash(sum[:], a.Sum) {
			return nil, fmt.Errorf("attachment %d %q is damaged (sha256 mismatch); run quyhoach verify", a.Ref, a.Name)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
