package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"quyhoach/lthash"
)

// migrationSteps are Go steps run after the SQL migration of the same
// number, in its transaction.
var migrationSteps = map[int]func(ctx context.Context, tx *sql.Tx, now string) error{
	2:  sealHistory,
	7:  fillGeometry,
	8:  fillMeasures,
	18: fillGridProps,
}

// sealHistory gives the history already in a file its global ids and seals
// (migration 0002). The old single transition chain is checked first: a
// break is written to integrity_note, which verify reports for ever, so
// sealing does not launder an earlier alteration.
func sealHistory(ctx context.Context, tx *sql.Tx, now string) error {
	if broken, err := legacyChainBreak(ctx, tx); err != nil {
		return err
	} else if broken != 0 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO integrity_note (at, note) VALUES (?, ?)", now,
			fmt.Sprintf("before sealing (schema 2) the approval history did not verify from transition %d on: it had been altered", broken)); err != nil {
			return err
		}
	}
	for _, table := range []string{"plan", "version", "dossier"} {
		ids, err := queryIDs(ctx, tx, "SELECT id FROM "+table+" WHERE uid IS NULL ORDER BY id")
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET uid = ? WHERE id = ?", newID(), id); err != nil {
				return err
			}
		}
	}
	plans, err := queryIDs(ctx, tx, "SELECT id FROM plan ORDER BY id")
	if err != nil {
		return err
	}
	for _, p := range plans {
		if err := sealPlanHistory(ctx, tx, p); err != nil {
			return fmt.Errorf("plan %d: %w", p, err)
		}
	}
	return nil
}

// legacyChainBreak checks the single transition chain of schema 1 and
// returns the first transition that does not match it (0: intact).
func legacyChainBreak(ctx context.Context, tx *sql.Tx) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, dossier_id, from_state, to_state, at, by, doc_no, doc_date, note, due, prev_hash, hash
		FROM transition ORDER BY id`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	prev := make([]byte, 32)
	for rows.Next() {
		var id, dossier int64
		var f [8]string
		var ph, h []byte
		if err := rows.Scan(&id, &dossier, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &ph, &h); err != nil {
			return 0, err
		}
		content, _ := json.Marshal(append([]string{strconv.FormatInt(dossier, 10)}, f[:]...))
		sum := sha256.New()
		sum.Write(prev)
		sum.Write(content)
		if !sameHash(ph, prev) || !sameHash(sum.Sum(nil), h) {
			return id, nil
		}
		prev = h
	}
	return 0, rows.Err()
}

// historyEvent is one event of a plan's history, for journaling it in order.
type historyEvent struct {
	at   string
	rank int // at the same moment: a dossier opens, takes documents, a version is written, a step is taken
	kind string
	id   int64 // version, dossier, attachment or transition
	of   int64 // the dossier of an attachment or a transition
}

// sealPlanHistory journals a plan's record, then seals its versions and
// chains its dossiers in the order things happened.
func sealPlanHistory(ctx context.Context, tx *sql.Tx, planID int64) error {
	content, created, err := planRecord(ctx, tx, planID)
	if err != nil {
		return err
	}
	if _, err := appendPlanLink(ctx, tx, planID, "plan", 0, content, created); err != nil {
		return err
	}
	events, err := planEvents(ctx, tx, planID)
	if err != nil {
		return err
	}
	for _, e := range events {
		var err error
		switch e.kind {
		case "version":
			err = sealOldVersion(ctx, tx, planID, e.id, e.at)
		case "open":
			err = openOldDossier(ctx, tx, e.id)
		case "attach":
			err = chainOldAttachment(ctx, tx, e.of, e.id)
		case "step":
			err = chainOldStep(ctx, tx, e.of, e.id)
		}
		if err != nil {
			return fmt.Errorf("%s %d: %w", e.kind, e.id, err)
		}
	}
	return nil
}

// planEvents lists a plan's versions, dossiers, documents and steps in time order.
func planEvents(ctx context.Context, tx *sql.Tx, planID int64) ([]historyEvent, error) {
	var out []historyEvent
	queries := []struct {
		kind  string
		rank  int
		query string
	}{
		{"open", 0, "SELECT created, id, id FROM dossier WHERE plan_id = ?"},
		{"attach", 1, "SELECT a.added, a.id, a.dossier_id FROM attachment a JOIN dossier d ON d.id = a.dossier_id WHERE d.plan_id = ?"},
		{"version", 2, "SELECT created, id, 0 FROM version WHERE plan_id = ?"},
		{"step", 3, "SELECT t.at, t.id, t.dossier_id FROM transition t JOIN dossier d ON d.id = t.dossier_id WHERE d.plan_id = ?"},
	}
	for _, q := range queries {
		rows, err := tx.QueryContext(ctx, q.query, planID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e := historyEvent{kind: q.kind, rank: q.rank}
			if err := rows.Scan(&e.at, &e.id, &e.of); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b historyEvent) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.rank, b.rank), cmp.Compare(a.id, b.id))
	})
	// A version's seal covers its parent's: versions keep the order they
	// were written in (their ids), whatever their dates say.
	var slots []int
	var versions []historyEvent
	for i, e := range out {
		if e.kind == "version" {
			slots, versions = append(slots, i), append(versions, e)
		}
	}
	slices.SortFunc(versions, func(a, b historyEvent) int { return cmp.Compare(a.id, b.id) })
	for i, slot := range slots {
		out[slot] = versions[i]
	}
	return out, nil
}

// sealOldVersion seals a version written before seals, from its items.
func sealOldVersion(ctx context.Context, tx *sql.Tx, planID, verID int64, at string) error {
	items, err := versionItems(ctx, tx, verID)
	if err != nil {
		return err
	}
	var state lthash.Hash
	addItems(&state, items, false)
	_, err = sealVersion(ctx, tx, planID, verID, &state, at)
	return err
}

// rebaseNote reads the versions a rebase step moved between.
var rebaseNote = regexp.MustCompile(`^rebased from version (\d+) onto version (\d+)`)

// openOldDossier opens the chain of a dossier made before seals, on the base
// it was created on (before any rebase).
func openOldDossier(ctx context.Context, tx *sql.Tx, id int64) error {
	var base int64
	var note string
	err := tx.QueryRowContext(ctx, "SELECT note FROM transition WHERE dossier_id = ? AND from_state = to_state AND note LIKE 'rebased from version %' ORDER BY id LIMIT 1", id).Scan(&note)
	if err == nil {
		if m := rebaseNote.FindStringSubmatch(note); m != nil {
			n, _ := strconv.Atoi(m[1])
			if err := tx.QueryRowContext(ctx, "SELECT v.id FROM version v JOIN dossier d ON d.plan_id = v.plan_id WHERE d.id = ? AND v.number = ?", id, n).Scan(&base); err != nil {
				return err
			}
		}
	} else if err != sql.ErrNoRows {
		return err
	}
	content, created, err := openRecord(ctx, tx, id, base)
	if err != nil {
		return err
	}
	_, err = appendDossierLink(ctx, tx, id, "open", 0, content, created)
	return err
}

func chainOldAttachment(ctx context.Context, tx *sql.Tx, dossier, id int64) error {
	var kind, name, added string
	var size int64
	var sum []byte
	if err := tx.QueryRowContext(ctx, "SELECT kind, name, size, sha256, added FROM attachment WHERE id = ?", id).Scan(&kind, &name, &size, &sum, &added); err != nil {
		return err
	}
	_, err := appendDossierLink(ctx, tx, dossier, "attach", id, attachDigest(kind, name, size, sum, added), added)
	return err
}

// chainOldStep chains a step taken before seals. What the change set was at
// that step is not known any more, except at the dossier's last step when
// it no longer is a draft: that step records the change set as it stands
// (the one verify then holds it to). Approve and rebase steps record the
// version they made or moved onto.
func chainOldStep(ctx context.Context, tx *sql.Tx, dossier, id int64) error {
	var t Transition
	var at string
	if err := tx.QueryRowContext(ctx, "SELECT from_state, to_state, at, by, doc_no, doc_date, note, due FROM transition WHERE id = ?", id).
		Scan(&t.From, &t.To, &at, &t.By, &t.DocNo, &t.DocDate, &t.Note, &t.Due); err != nil {
		return err
	}
	var last int64
	var state string
	if err := tx.QueryRowContext(ctx, "SELECT (SELECT max(id) FROM transition WHERE dossier_id = d.id), d.state FROM dossier d WHERE d.id = ?", dossier).Scan(&last, &state); err != nil {
		return err
	}
	var changes, made []byte
	var err error
	if id == last && state != Draft {
		if changes, err = changesDigest(ctx, tx, dossier); err != nil {
			return err
		}
	}
	switch {
	case t.To == Approved && t.From != Approved:
		err = tx.QueryRowContext(ctx, "SELECT coalesce(v.seal, x'') FROM dossier d JOIN version v ON v.id = d.approved_version_id WHERE d.id = ?", dossier).Scan(&made)
	case t.From == t.To && rebaseNote.MatchString(t.Note):
		n, _ := strconv.Atoi(rebaseNote.FindStringSubmatch(t.Note)[2])
		err = tx.QueryRowContext(ctx, "SELECT coalesce(v.seal, x'') FROM version v JOIN dossier d ON d.plan_id = v.plan_id WHERE d.id = ? AND v.number = ?", dossier, n).Scan(&made)
	}
	if err != nil {
		return err
	}
	prev, err := dossierHead(ctx, tx, dossier)
	if err != nil {
		return err
	}
	content := stepDigest(t, at, changes, made)
	h := linkHash(prev, "step", content, "")
	if _, err := tx.ExecContext(ctx, "UPDATE transition SET changes = ?, version_seal = ?, prev_hash = ?, hash = ? WHERE id = ?",
		nonNilBytes(changes), nonNilBytes(made), prev, h, id); err != nil {
		return err
	}
	_, err = appendDossierLink(ctx, tx, dossier, "step", id, content, at)
	return err
}

func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
