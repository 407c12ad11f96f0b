package store

// Sealed history, as git seals a commit.
//
// A version's seal is a SHA-256 over its record (plan, number, parent's
// seal, date, source, dossier, decision, maThongTinQH), the digest of its
// items and the digest of its lineage. The items' digest comes from an
// LtHash (package lthash) of every (feature id, layer name, body hash): a
// multiset hash that an import or an approval updates in proportion to
// what it changes, so sealing stays cheap on a plan of a million lots.
//
// A dossier has its own chain (dossier_link), so it can travel between
// stores: an opening link over its record and base version's seal, then a
// link per step (the transition row, the digest of its change set at that
// step, and for approve and rebase the seal of the version it made or moved
// onto) and per document attached (its sha256).
//
// A plan has a journal (plan_link) of every event of its history in order:
// its record, each version's seal, each new head of its dossiers' chains.
// The journal's head is the plan's seal: printed on sheets, it anchors the
// whole history of the plan at that moment. verify recomputes all of it
// from the rows; see verify.go.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"quyhoach/lthash"
)

// digestOf hashes a record given as a list of JSON values.
func digestOf(fields ...any) []byte {
	b, _ := json.Marshal(fields) // strings, numbers and hex: never fails
	s := sha256.Sum256(b)
	return s[:]
}

// linkHash chains a link to the one before it.
func linkHash(prev []byte, kind string, content []byte, at string) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(content)
	h.Write([]byte(at))
	return h.Sum(nil)
}

// zeroHash is the "previous link" of a chain's first link.
var zeroHash = make([]byte, 32)

// itemElement is one version item as the items' LtHash holds it.
func itemElement(featureID, layer string, bodyHash []byte) []byte {
	b := make([]byte, 0, len(featureID)+len(layer)+2+len(bodyHash))
	b = append(append(append(append(b, featureID...), 0), layer...), 0)
	return append(b, bodyHash...)
}

// item is one (feature, layer, body) of a version.
type item struct {
	feature, layer string
	body           []byte // the body's hash
}

// addItems adds (or with remove, removes) items to h, on every core.
func addItems(h *lthash.Hash, items []item, remove bool) {
	addElements(h, len(items), func(i int) []byte { return itemElement(items[i].feature, items[i].layer, items[i].body) }, remove)
}

// AddVersionItems adds (or with remove, removes) a bundle's items to the
// LtHash of a version's items, as the store seals them: the office keeps
// the same state of its versions.
func AddVersionItems(h *lthash.Hash, items []VersionItem, remove bool) {
	addElements(h, len(items), func(i int) []byte { return itemElement(items[i].Feature, items[i].Layer, items[i].Body) }, remove)
}

// addElements adds (or removes) n elements to h, on every core.
func addElements(h *lthash.Hash, n int, element func(i int) []byte, remove bool) {
	workers := min(runtime.GOMAXPROCS(0), 1+n/2000)
	parts := make([]lthash.Hash, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				parts[w].Insert(element(i))
			}
		}()
	}
	wg.Wait()
	for i := range parts {
		if remove {
			h.Subtract(&parts[i])
		} else {
			h.Combine(&parts[i])
		}
	}
}

// planRecord is the digest of what a plan is; the journal's first link.
func planRecord(ctx context.Context, q querier, planID int64) (content []byte, created string, err error) {
	var uid, code, name, level, area, note string
	var scale, crs int
	err = q.QueryRowContext(ctx, "SELECT coalesce(uid, ''), code, name, level, scale, crs, area, note, created FROM plan WHERE id = ?", planID).
		Scan(&uid, &code, &name, &level, &scale, &crs, &area, &note, &created)
	return digestOf("quyhoach plan", uid, code, name, level, scale, crs, area, note, created), created, err
}

// versionSeal recomputes the seal of version verID from its record, its
// parent's stored seal and the given digests of its items and lineage.
func versionSeal(ctx context.Context, q querier, verID int64, items, lineage []byte) ([]byte, error) {
	var v VersionBundle
	var parentSeal []byte
	err := q.QueryRowContext(ctx, `SELECT coalesce(v.uid, ''), coalesce(p.uid, ''), v.number, coalesce(pv.seal, x''), v.created, v.source, v.message,
		coalesce(d.uid, ''), v.decision_no, v.decision_date, v.ma_thong_tin_qh
		FROM version v JOIN plan p ON p.id = v.plan_id LEFT JOIN version pv ON pv.id = v.parent_id LEFT JOIN dossier d ON d.id = v.dossier_id
		WHERE v.id = ?`, verID).Scan(&v.UID, &v.PlanUID, &v.Number, &parentSeal, &v.Created, &v.Source, &v.Message, &v.Dossier,
		&v.DecisionNo, &v.DecisionDate, &v.MaThongTinQH)
	if err != nil {
		return nil, err
	}
	return VersionSeal(&v, parentSeal, items, lineage), nil
}

// VersionSeal is the seal of version v's record (its uid, plan, number,
// date, source, message, dossier, decision and maThongTinQH) over its
// parent's seal and the digests of its items (LtHash state) and lineage
// (LineageDigest): the one rule the store and the office seal by.
func VersionSeal(v *VersionBundle, parentSeal, items, lineage []byte) []byte {
	return digestOf("quyhoach version", v.UID, v.PlanUID, v.Number, hex.EncodeToString(parentSeal), v.Created, v.Source, v.Message,
		v.Dossier, v.DecisionNo, v.DecisionDate, v.MaThongTinQH, hex.EncodeToString(items), hex.EncodeToString(lineage))
}

// versionItems reads a version's items.
func versionItems(ctx context.Context, q querier, verID int64) ([]item, error) {
	return queryItems(ctx, q, `SELECT i.feature_id, coalesce(l.name, ''), coalesce(b.hash, x'')
		FROM version_item i LEFT JOIN layer l ON l.id = i.layer_id LEFT JOIN body b ON b.id = i.body_id
		WHERE i.version_id = ?`, verID)
}

// queryItems reads (feature id, layer name, body hash) rows.
func queryItems(ctx context.Context, q querier, query string, args ...any) ([]item, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.feature, &it.layer, &it.body); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// lineageDigest is the digest of a version's lineage rows.
func lineageDigest(ctx context.Context, q querier, verID int64) ([]byte, error) {
	rows, err := q.QueryContext(ctx, "SELECT feature_id, parent_id FROM lineage WHERE version_id = ?", verID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ls []LineageBundle
	for rows.Next() {
		var l LineageBundle
		if err := rows.Scan(&l.Feature, &l.Parent); err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	return LineageDigest(ls), rows.Err()
}

// LineageDigest is the digest of a version's lineage, in (feature, parent)
// order whatever order it is given in.
func LineageDigest(lineage []LineageBundle) []byte {
	ls := slices.Clone(lineage)
	slices.SortFunc(ls, func(a, b LineageBundle) int {
		if c := strings.Compare(a.Feature, b.Feature); c != 0 {
			return c
		}
		return strings.Compare(a.Parent, b.Parent)
	})
	h := sha256.New()
	for _, l := range ls {
		fmt.Fprintf(h, "%s\x00%s\n", l.Feature, l.Parent)
	}
	return h.Sum(nil)
}

// sealVersion stores a new version's items state and seal and journals it.
// items is the LtHash of its items (made incrementally by the writer).
func sealVersion(ctx context.Context, tx *sql.Tx, planID, verID int64, items *lthash.Hash, at string) ([]byte, error) {
	lin, err := lineageDigest(ctx, tx, verID)
	if err != nil {
		return nil, err
	}
	sum := items.Sum()
	seal, err := versionSeal(ctx, tx, verID, sum[:], lin)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE version SET items_hash = ?, seal = ? WHERE id = ?", items.Bytes(), seal, verID); err != nil {
		return nil, err
	}
	_, err = appendPlanLink(ctx, tx, planID, "version", verID, seal, at)
	return seal, err
}

// itemsState reads a version's stored LtHash state (the empty set for none).
func itemsState(ctx context.Context, q querier, verID int64) (*lthash.Hash, error) {
	if verID == 0 {
		return new(lthash.Hash), nil
	}
	var b []byte
	if err := q.QueryRowContext(ctx, "SELECT coalesce(items_hash, x'') FROM version WHERE id = ?", verID).Scan(&b); err != nil {
		return nil, err
	}
	h, err := lthash.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("version %d: stored items state: %w", verID, err)
	}
	return h, nil
}

// appendPlanLink adds an event to a plan's journal and returns its hash,
// the plan's new seal.
func appendPlanLink(ctx context.Context, tx *sql.Tx, planID int64, kind string, ref int64, content []byte, at string) ([]byte, error) {
	seq, prev, err := lastLink(ctx, tx, "SELECT seq, hash FROM plan_link WHERE plan_id = ? ORDER BY seq DESC LIMIT 1", planID)
	if err != nil {
		return nil, err
	}
	h := linkHash(prev, kind, content, at)
	_, err = tx.ExecContext(ctx, "INSERT INTO plan_link (plan_id, seq, kind, ref, content, at, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		planID, seq+1, kind, nullID(ref), content, at, prev, h)
	return h, err
}

// appendDossierLink adds a link to a dossier's chain and journals the
// chain's new head in its plan's journal. ref is the transition or the
// attachment recorded (0 for the opening link).
func appendDossierLink(ctx context.Context, tx *sql.Tx, dossierID int64, kind string, ref int64, content []byte, at string) ([]byte, error) {
	seq, prev, err := lastLink(ctx, tx, "SELECT seq, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq DESC LIMIT 1", dossierID)
	if err != nil {
		return nil, err
	}
	h := linkHash(prev, kind, content, "")
	if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_link (dossier_id, seq, kind, ref, content, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
		dossierID, seq+1, kind, nullID(ref), content, prev, h); err != nil {
		return nil, err
	}
	var planID int64
	if err := tx.QueryRowContext(ctx, "SELECT plan_id FROM dossier WHERE id = ?", dossierID).Scan(&planID); err != nil {
		return nil, err
	}
	_, err = appendPlanLink(ctx, tx, planID, "dossier", dossierID, h, at)
	return h, err
}

// dossierHead is the hash of a dossier chain's last link (zeroHash for none).
func dossierHead(ctx context.Context, q querier, dossierID int64) ([]byte, error) {
	_, h, err := lastLink(ctx, q, "SELECT seq, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq DESC LIMIT 1", dossierID)
	return h, err
}

func lastLink(ctx context.Context, q querier, query string, id int64) (int, []byte, error) {
	var seq int
	var h []byte
	err := q.QueryRowContext(ctx, query, id).Scan(&seq, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, zeroHash, nil
	}
	return seq, h, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// openDigest is the digest of a dossier's record when it was opened.
func openDigest(uid, planUID, kind string, baseSeal []byte, title, reason, code, created string) []byte {
	return digestOf("quyhoach dossier", uid, planUID, kind, hex.EncodeToString(baseSeal), title, reason, code, created)
}

// stepDigest is the digest of a step: the transition, the change set's
// digest at that step and the seal of the version it made or moved onto.
// The step's agency and signer (schema 5) are sealed when either is set,
// so the links of steps recorded without them keep their digests.
func stepDigest(t Transition, at string, changes, versionSeal []byte) []byte {
	fields := []any{"step", t.From, t.To, at, t.By, t.DocNo, t.DocDate, t.Note, t.Due,
		hex.EncodeToString(changes), hex.EncodeToString(versionSeal)}
	if t.Agency != "" || t.Signer != "" {
		fields = append(fields, t.Agency, t.Signer)
	}
	return digestOf(fields...)
}

// attachDigest is the digest of a document attached to a dossier.
func attachDigest(kind, name string, size int64, sum []byte, added string) []byte {
	return digestOf("attach", kind, name, size, hex.EncodeToString(sum), added)
}

// changesDigest is the digest of a dossier's change set as it stands.
func changesDigest(ctx context.Context, q querier, dossierID int64) ([]byte, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id, coalesce(l.name, ''), c.op, coalesce(b.hash, x''), c.parents
		FROM dossier_change c LEFT JOIN layer l ON l.id = c.layer_id LEFT JOIN body b ON b.id = c.body_id
		WHERE c.dossier_id = ? ORDER BY c.feature_id`, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var id, layer, op, parents string
		var body []byte
		if err := rows.Scan(&id, &layer, &op, &body, &parents); err != nil {
			return nil, err
		}
		line, _ := json.Marshal([]string{id, layer, op, hex.EncodeToString(body), parents})
		h.Write(append(line, '\n'))
	}
	return h.Sum(nil), rows.Err()
}

// versionSealByID reads a version's stored seal.
func versionSealByID(ctx context.Context, q querier, verID int64) ([]byte, error) {
	var s []byte
	err := q.QueryRowContext(ctx, "SELECT coalesce(seal, x'') FROM version WHERE id = ?", verID).Scan(&s)
	return s, err
}

// sameHash compares two stored hashes.
func sameHash(a, b []byte) bool { return bytes.Equal(a, b) }
