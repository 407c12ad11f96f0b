package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quyhoach/gis"
)

// DossierSummary is a dossier as a list of every dossier shows it: its
// number, plan, kind, title, code, state and due date (the other fields
// of Dossier are left empty), its plan's name and its last step (its id,
// states, time, document and agency; zero before the first step).
type DossierSummary struct {
	Dossier
	PlanName string
	Last     Transition
}

// DossierSummaries lists every dossier of every plan with its last step,
// in one query (the dashboard's: BenchmarkDossierSummaries10k).
func (s *Store) DossierSummaries(ctx context.Context) ([]DossierSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, p.code, p.name, d.kind, d.title, d.code, d.state, d.due,
		coalesce(t.id, 0), coalesce(t.from_state, ''), coalesce(t.to_state, ''), coalesce(t.at, ''),
		coalesce(t.doc_no, ''), coalesce(t.doc_date, ''), coalesce(t.agency, '')
		FROM dossier d JOIN plan p ON p.id = d.plan_id
		LEFT JOIN transition t ON t.id = (SELECT max(id) FROM transition x WHERE x.dossier_id = d.id)
		ORDER BY d.id`)
	if err != nil {
		return nil, wrap("dossier summaries", err)
	}
	defer rows.Close()
	today := s.Now().Format(time.DateOnly)
	var out []DossierSummary
	for rows.Next() {
		var x DossierSummary
		var at string
		t := &x.Last
		err := rows.Scan(&x.ID, &x.Plan, &x.PlanName, &x.Kind, &x.Title, &x.Code, &x.State, &x.Due,
			&t.ID, &t.From, &t.To, &at, &t.DocNo, &t.DocDate, &t.Agency)
		if err != nil {
			return nil, wrap("dossier summaries", err)
		}
		t.At = parseTime(at)
		x.Overdue = x.Due != "" && x.Due < today
		out = append(out, x)
	}
	return out, rows.Err()
}

// DossierHistories lists every dossier with every step it took (not its
// changes or documents), by id: what a report of a period reads.
func (s *Store) DossierHistories(ctx context.Context) ([]Dossier, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, wrap("dossier histories", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+dossierColumns+` FROM dossier d JOIN plan p ON p.id = d.plan_id ORDER BY d.id`)
	if err != nil {
		return nil, wrap("dossier histories", err)
	}
	var out []Dossier
	at := map[int64]int{}
	for rows.Next() {
		d, err := s.scanDossier(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("dossier histories", err)
		}
		at[d.ID] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("dossier histories", err)
	}
	trs, err := tx.QueryContext(ctx, `SELECT dossier_id, id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer
		FROM transition ORDER BY dossier_id, id`)
	if err != nil {
		return nil, wrap("dossier histories", err)
	}
	defer trs.Close()
	for trs.Next() {
		var id int64
		var t Transition
		var when string
		if err := trs.Scan(&id, &t.ID, &t.From, &t.To, &when, &t.By, &t.DocNo, &t.DocDate, &t.Note, &t.Due, &t.Agency, &t.Signer); err != nil {
			return nil, wrap("dossier histories", err)
		}
		t.At = parseTime(when)
		if i, ok := at[id]; ok {
			out[i].Transitions = append(out[i].Transitions, t)
		}
	}
	if err := trs.Err(); err != nil {
		return nil, wrap("dossier histories", err)
	}
	return out, nil
}

// ApprovalDelta is what a dossier's approval changed in its plan: the
// features it changed as they were in the version before the approval
// and as they are in the version it made, by layer (WGS84). Every other
// feature is the same in both versions.
type ApprovalDelta struct {
	Plan          string
	Version       int // the version the approval made
	Parent        int // the version before it
	Before, After []gis.Layer
}

// ApprovalDelta reads what an approved dossier's approval changed, its
// bodies checked against their sha256. It reads only the change set,
// whatever the plan's size.
func (s *Store) ApprovalDelta(ctx context.Context, dossier int64) (ApprovalDelta, error) {
	var out ApprovalDelta
	var verID, parentID sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT p.code, d.approved_version_id, v.parent_id, coalesce(v.number, 0), coalesce(pv.number, 0)
		FROM dossier d JOIN plan p ON p.id = d.plan_id LEFT JOIN version v ON v.id = d.approved_version_id
		LEFT JOIN version pv ON pv.id = v.parent_id WHERE d.id = ?`, dossier).Scan(&out.Plan, &verID, &parentID, &out.Version, &out.Parent)
	if err == sql.ErrNoRows {
		return out, kindErr(ErrNotFound, "no dossier %d", dossier)
	}
	if err != nil {
		return out, wrap(fmt.Sprintf("approval of dossier %d", dossier), err)
	}
	if !verID.Valid {
		return out, kindErr(ErrNotFound, "dossier %d made no version (it is not approved)", dossier)
	}
	read := func(version sql.NullInt64) ([]gis.Layer, error) {
		if !version.Valid {
			return nil, nil
		}
		at, err := versionAt(ctx, s.db, version.Int64)
		if err != nil {
			return nil, err
		}
		rows, err := s.db.QueryContext(ctx, `SELECT i.feature_id, l.name, b.geojson, b.hash FROM dossier_change c
			CROSS JOIN item i ON `+at.on("i")+` AND i.feature_id = c.feature_id
			JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id
			WHERE c.dossier_id = ? ORDER BY l.name, i.seq`, dossier)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var layers []gis.Layer
		for rows.Next() {
			var id, layer string
			var text, hash []byte
			if err := rows.Scan(&id, &layer, &text, &hash); err != nil {
				return nil, err
			}
			if err := checkBody(id, text, hash); err != nil {
				return nil, err
			}
			f, err := parseBody(id, text)
			if err != nil {
				return nil, err
			}
			if n := len(layers); n == 0 || layers[n-1].Name != layer {
				layers = append(layers, gis.Layer{Name: layer})
			}
			layers[len(layers)-1].Features = append(layers[len(layers)-1].Features, f)
		}
		return layers, rows.Err()
	}
	if out.Before, err = read(parentID); err != nil {
		return out, wrap(fmt.Sprintf("approval of dossier %d", dossier), err)
	}
	if out.After, err = read(verID); err != nil {
		return out, wrap(fmt.Sprintf("approval of dossier %d", dossier), err)
	}
	return out, nil
}

// Conflict is a lot changed both by a dossier and in its plan since the
// dossier's base: the approval of another dossier got there first.
type Conflict struct {
	Feature string `json:"feature"`
	Code    string `json:"code,omitempty"` // its lot code, where it has one
}

// Conflicts lists the lots a dossier changes that also changed between its
// base and the plan's current version: what its approval would refuse
// until a rebase settles them. Empty when it is based on the current
// version (or, once approved, never).
func (s *Store) Conflicts(ctx context.Context, dossier int64) ([]Conflict, error) {
	d, err := s.dossierTx(ctx, s.db, dossier)
	if err != nil {
		return nil, err
	}
	if d.State == Approved || d.State == Published || d.State == Withdrawn {
		return nil, nil
	}
	_, baseID, err := versionID(ctx, s.db, d.Plan, d.Base)
	if err != nil {
		return nil, err
	}
	_, curID, err := versionID(ctx, s.db, d.Plan, 0)
	if err != nil {
		return nil, err
	}
	ids, codes, err := conflicts(ctx, s.db, dossier, baseID, curID)
	if err != nil {
		return nil, wrap(fmt.Sprintf("conflicts of dossier %d", dossier), err)
	}
	out := make([]Conflict, len(ids))
	for i := range ids {
		out[i] = Conflict{Feature: ids[i], Code: codes[i]}
	}
	return out, nil
}
