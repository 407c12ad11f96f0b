package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"quyhoach/gis"
)

// Edits are the undo history of a draft dossier's change set: each gesture
// (one Apply) is an edit, and undo and redo move along them, unlimited and
// across restarts. The journal itself is kept by triggers on dossier_change
// (migrations/0006_edits.sql) while an edit is open, so every path that
// writes the change set inside an edit is journaled whatever it does.

// Edit is one step of a dossier's undo history.
type Edit struct {
	Seq      int       `json:"seq"`
	Label    string    `json:"label"` // what the gesture was
	At       time.Time `json:"at"`
	Undone   bool      `json:"undone,omitempty"` // undone, and so the next redo
	Features int       `json:"features"`         // how many features it touched
	// IDs are the features an undo or redo touched (not filled by Edits).
	IDs []string `json:"-"`
}

// ErrNothingToUndo and ErrNothingToRedo are undo and redo at either end of
// the history.
var (
	ErrNothingToUndo = errors.New("nothing to undo")
	ErrNothingToRedo = errors.New("nothing to redo")
)

// Edits lists a dossier's undo history, oldest first; the undone edits
// (the redo stack) come last.
func (s *Store) Edits(ctx context.Context, dossier int64) ([]Edit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.seq, e.label, e.at, e.undone,
		(SELECT count(*) FROM dossier_edit_change c WHERE c.dossier_id = e.dossier_id AND c.seq = e.seq)
		FROM dossier_edit e WHERE e.dossier_id = ? ORDER BY e.seq`, dossier)
	if err != nil {
		return nil, wrap("edits", err)
	}
	defer rows.Close()
	var out []Edit
	for rows.Next() {
		var e Edit
		var at string
		if err := rows.Scan(&e.Seq, &e.Label, &at, &e.Undone, &e.Features); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// openEdit starts recording an edit of dossier in tx; closeEdit ends it.
func openEdit(ctx context.Context, tx *sql.Tx, dossier int64, label string, now time.Time) (int, error) {
	var seq int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) + 1 FROM dossier_edit WHERE dossier_id = ?", dossier).Scan(&seq); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_edit (dossier_id, seq, label, at) VALUES (?, ?, ?, ?)", dossier, seq, label, timeText(now)); err != nil {
		return 0, err
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO dossier_edit_open (dossier_id, seq, mode) VALUES (?, ?, 'edit')", dossier, seq)
	return seq, err
}

// closeEdit ends edit seq: entries it left as they were are not part of
// it; an edit that changed nothing is dropped (and leaves the redo stack),
// one that changed something drops the undone edits, which can no longer
// be redone on top of it.
func closeEdit(ctx context.Context, tx *sql.Tx, dossier int64, seq int) (kept bool, err error) {
	if _, err := tx.ExecContext(ctx, "DELETE FROM dossier_edit_open WHERE dossier_id = ?", dossier); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dossier_edit_change WHERE dossier_id = ? AND seq = ?
		AND before_layer IS after_layer AND before_op IS after_op AND before_body IS after_body AND before_parents IS after_parents`, dossier, seq); err != nil {
		return false, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossier_edit_change WHERE dossier_id = ? AND seq = ?", dossier, seq).Scan(&n); err != nil {
		return false, err
	}
	if n == 0 {
		_, err := tx.ExecContext(ctx, "DELETE FROM dossier_edit WHERE dossier_id = ? AND seq = ?", dossier, seq)
		return false, err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM dossier_edit WHERE dossier_id = ? AND undone = 1", dossier)
	return true, err
}

// Undo takes back the dossier's last edit not undone and returns it.
func (s *Store) Undo(ctx context.Context, dossier int64) (Edit, error) {
	return s.replay(ctx, dossier, "undo")
}

// Redo does again the edit undone last and returns it.
func (s *Store) Redo(ctx context.Context, dossier int64) (Edit, error) {
	return s.replay(ctx, dossier, "redo")
}

// replay puts back the befores (undo) or the afters (redo) of one edit.
func (s *Store) replay(ctx context.Context, dossier int64, mode string) (Edit, error) {
	var e Edit
	err := s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.dossierTx(ctx, tx, dossier)
		if err != nil {
			return err
		}
		if d.State != Draft {
			return &StepError{Action: mode, Reason: fmt.Sprintf("dossier %d is %s; only a draft can be edited", d.ID, d.State)}
		}
		pick := "SELECT seq, label, at FROM dossier_edit WHERE dossier_id = ? AND undone = 0 ORDER BY seq DESC LIMIT 1"
		if mode == "redo" {
			pick = "SELECT seq, label, at FROM dossier_edit WHERE dossier_id = ? AND undone = 1 ORDER BY seq LIMIT 1"
		}
		var at string
		switch err := tx.QueryRowContext(ctx, pick, dossier).Scan(&e.Seq, &e.Label, &at); {
		case errors.Is(err, sql.ErrNoRows) && mode == "undo":
			return ErrNothingToUndo
		case errors.Is(err, sql.ErrNoRows):
			return ErrNothingToRedo
		case err != nil:
			return err
		}
		e.At = parseTime(at)
		if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_edit_open (dossier_id, seq, mode) VALUES (?, ?, ?)", dossier, e.Seq, mode); err != nil {
			return err
		}
		if e.IDs, err = replayEntries(ctx, tx, dossier, e.Seq, mode == "undo"); err != nil {
			return err
		}
		e.Features = len(e.IDs)
		e.Undone = mode == "undo"
		if _, err := tx.ExecContext(ctx, "UPDATE dossier_edit SET undone = ? WHERE dossier_id = ? AND seq = ?", e.Undone, dossier, e.Seq); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM dossier_edit_open WHERE dossier_id = ?", dossier)
		return err
	})
	if err != nil && !errors.Is(err, ErrNothingToUndo) && !errors.Is(err, ErrNothingToRedo) {
		return Edit{}, wrap(fmt.Sprintf("%s in dossier %d", mode, dossier), err)
	}
	return e, err
}

// entry is a change-set entry as the journal keeps it; a nil op is none.
type entry struct {
	layer   sql.NullInt64
	op      sql.NullString
	body    sql.NullInt64
	parents sql.NullString
}

// replayEntries sets each feature edit seq touched to its entry before the
// edit (back) or after it, checking first that the change set holds the
// other side: the journal and the change set never disagree silently.
func replayEntries(ctx context.Context, tx *sql.Tx, dossier int64, seq int, back bool) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT feature_id, before_layer, before_op, before_body, before_parents,
		after_layer, after_op, after_body, after_parents FROM dossier_edit_change WHERE dossier_id = ? AND seq = ?`, dossier, seq)
	if err != nil {
		return nil, err
	}
	type step struct {
		id       string
		from, to entry
	}
	var steps []step
	for rows.Next() {
		var st step
		var b, a entry
		if err := rows.Scan(&st.id, &b.layer, &b.op, &b.body, &b.parents, &a.layer, &a.op, &a.body, &a.parents); err != nil {
			rows.Close()
			return nil, err
		}
		st.from, st.to = a, b
		if !back {
			st.from, st.to = b, a
		}
		steps = append(steps, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, st := range steps {
		var now entry
		err := tx.QueryRowContext(ctx, "SELECT layer_id, op, body_id, parents FROM dossier_change WHERE dossier_id = ? AND feature_id = ?",
			dossier, st.id).Scan(&now.layer, &now.op, &now.body, &now.parents)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if now != st.from {
			return nil, fmt.Errorf("feature %s is not as the history left it: the history no longer describes the change set", st.id)
		}
		if !st.to.op.Valid {
			err = dropChange(ctx, tx, dossier, st.id)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO dossier_change (dossier_id, feature_id, layer_id, op, body_id, parents)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dossier_id, feature_id) DO UPDATE
				SET layer_id = excluded.layer_id, op = excluded.op, body_id = excluded.body_id, parents = excluded.parents`,
				dossier, st.id, st.to.layer, st.to.op, st.to.body, st.to.parents)
		}
		if err != nil {
			return nil, err
		}
	}
	ids := make([]string, len(steps))
	for i, st := range steps {
		ids[i] = st.id
	}
	return ids, nil
}

// ProposedFeature is a feature as a dossier proposes it.
type ProposedFeature struct {
	ID      string
	Layer   string       // its layer; "" when the dossier deletes it or it does not exist
	Feature *gis.Feature // WGS84; nil when deleted or absent
	Parents []string     // lineage the change set records for it
}

// ProposalFeatures reads features of a dossier's proposal by id: the
// change set's entry when it has one, else the base version's. An editor
// reads back what it just wrote (or what undo put back) this way instead
// of loading the whole proposal again.
func (s *Store) ProposalFeatures(ctx context.Context, dossier int64, ids []string) ([]ProposedFeature, error) {
	d, err := s.Dossier(ctx, dossier)
	if err != nil {
		return nil, err
	}
	_, baseID, err := versionID(ctx, s.db, d.Plan, d.Base)
	if err != nil {
		return nil, wrap("proposal features", err)
	}
	out := make([]ProposedFeature, len(ids))
	for i, id := range ids {
		pf := ProposedFeature{ID: id}
		var layer, op, parents string
		var text, hash []byte
		err := s.db.QueryRowContext(ctx, `SELECT l.name, c.op, c.parents, coalesce(b.geojson, ''), coalesce(b.hash, x'')
			FROM dossier_change c JOIN layer l ON l.id = c.layer_id LEFT JOIN body b ON b.id = c.body_id
			WHERE c.dossier_id = ? AND c.feature_id = ?`, dossier, id).Scan(&layer, &op, &parents, &text, &hash)
		switch {
		case err == nil:
			json.Unmarshal([]byte(parents), &pf.Parents)
			if op == "delete" {
				out[i] = pf
				continue
			}
		case errors.Is(err, sql.ErrNoRows):
			err = s.db.QueryRowContext(ctx, `SELECT l.name, b.geojson, b.hash FROM version_item i
				JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id
				WHERE i.version_id = ? AND i.feature_id = ?`, baseID, id).Scan(&layer, &text, &hash)
			if errors.Is(err, sql.ErrNoRows) {
				out[i] = pf
				continue
			}
			if err != nil {
				return nil, wrap("proposal features", err)
			}
		default:
			return nil, wrap("proposal features", err)
		}
		if err := checkBody(id, text, hash); err != nil {
			return nil, err
		}
		f, err := parseBody(id, text)
		if err != nil {
			return nil, err
		}
		pf.Layer, pf.Feature = layer, &f
		out[i] = pf
	}
	return out, nil
}
