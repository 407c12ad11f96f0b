package office

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"quyhoach/store"
)

// putPlan takes a plan's record, layers and agency history: a new plan is
// made (without a current version: its versions move it); a held one must
// have the same record, and gets the layers and agency rows it lacks.
func putPlan(ctx context.Context, tx pgx.Tx, p *store.PlanBundle) (bool, error) {
	var code, name, level, area, note, created string
	var scale, crsCode int
	err := tx.QueryRow(ctx, "SELECT code, name, level, scale, crs, area, note, created FROM plan WHERE uid = $1", p.UID).
		Scan(&code, &name, &level, &scale, &crsCode, &area, &note, &created)
	isNew := errors.Is(err, pgx.ErrNoRows)
	switch {
	case isNew:
		if _, err := tx.Exec(ctx, "INSERT INTO plan (uid, code, name, level, scale, crs, area, note, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			p.UID, p.Code, p.Name, p.Level, p.Scale, p.CRS, p.Area, p.Note, p.Created); err != nil {
			return false, during("add plan "+p.Code, err)
		}
		if err := logChange(ctx, tx, "plan", p.UID); err != nil {
			return false, err
		}
	case err != nil:
		return false, err
	case code != p.Code || name != p.Name || level != p.Level || scale != p.Scale || crsCode != p.CRS || area != p.Area || note != p.Note || created != p.Created:
		return false, refuse("plan %s is at the office with another record (code, name, level, scale, area or date): refused", p.Code)
	}
	layers, err := planLayers(ctx, tx, p.UID)
	if err != nil {
		return false, err
	}
	for _, l := range p.Layers {
		if !layers[l.Name] {
			if _, err := tx.Exec(ctx, "INSERT INTO layer (plan, name, kind) VALUES ($1, $2, $3)", p.UID, l.Name, l.Kind); err != nil {
				return false, during(fmt.Sprintf("add layer %s to plan %s", l.Name, p.Code), err)
			}
		}
	}
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM agencies WHERE plan = $1", p.UID).Scan(&n); err != nil {
		return false, err
	}
	for i, a := range p.Agencies {
		if i < n {
			continue // the history is append-only on both sides: the office holds the first n rows
		}
		if _, err := tx.Exec(ctx, "INSERT INTO agencies (plan, seq, approver, appraiser, proposer, consultant, at, by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			p.UID, i+1, a.Approver, a.Appraiser, a.Proposer, a.Consultant, a.At, a.By); err != nil {
			return false, during("add agencies to plan "+p.Code, err)
		}
	}
	return isNew, nil
}

// Plans reads every plan with its layers, agency history and current
// version's uid, in code order.
func (o *Office) Plans(ctx context.Context) ([]*store.PlanBundle, error) {
	tx, err := o.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return nil, o.fail("read plans", err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, "SELECT uid, code, name, level, scale, crs, area, note, created, coalesce(current, '') FROM plan ORDER BY code")
	if err != nil {
		return nil, o.fail("read plans", err)
	}
	plans, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*store.PlanBundle, error) {
		p := &store.PlanBundle{}
		return p, r.Scan(&p.UID, &p.Code, &p.Name, &p.Level, &p.Scale, &p.CRS, &p.Area, &p.Note, &p.Created, &p.Current)
	})
	if err != nil {
		return nil, o.fail("read plans", err)
	}
	for _, p := range plans {
		rows, err := tx.Query(ctx, "SELECT name, kind FROM layer WHERE plan = $1 ORDER BY name", p.UID)
		if err == nil {
			p.Layers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.LayerBundle, error) {
				var l store.LayerBundle
				return l, r.Scan(&l.Name, &l.Kind)
			})
		}
		if err != nil {
			return nil, o.fail("read plans", err)
		}
		rows, err = tx.Query(ctx, "SELECT approver, appraiser, proposer, consultant, at, by FROM agencies WHERE plan = $1 ORDER BY seq", p.UID)
		if err == nil {
			p.Agencies, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AgenciesBundle, error) {
				var a store.AgenciesBundle
				return a, r.Scan(&a.Approver, &a.Appraiser, &a.Proposer, &a.Consultant, &a.At, &a.By)
			})
		}
		if err != nil {
			return nil, o.fail("read plans", err)
		}
	}
	return plans, nil
}

// Cursor is the head of the office's change log: a pull gives it back to
// Dossiers to get only what changed after it.
func (o *Office) Cursor(ctx context.Context) (int64, error) {
	var n int64
	if err := o.pool.QueryRow(ctx, "SELECT coalesce(max(seq), 0) FROM change_log").Scan(&n); err != nil {
		return 0, o.fail("read the change log", err)
	}
	return n, nil
}

// VersionCount is the number of versions of a plan the office holds.
func (o *Office) VersionCount(ctx context.Context, planUID string) (int, error) {
	var n int
	if err := o.pool.QueryRow(ctx, "SELECT count(*) FROM version WHERE plan = $1", planUID).Scan(&n); err != nil {
		return 0, o.fail("count versions", err)
	}
	return n, nil
}
