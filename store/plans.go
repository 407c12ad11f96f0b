package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"quyhoach/gis"
	"slices"
	"strings"
)

// CreatePlan adds a plan with no version yet.
func (s *Store) CreatePlan(ctx context.Context, p Plan) error {
	if err := validatePlan(p); err != nil {
		return err
	}
	if p.CRS == 0 {
		p.CRS = 9215
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return createPlan(ctx, tx, p, timeText(s.Now())) })
}

func validatePlan(p Plan) error {
	switch {
	case strings.TrimSpace(p.Code) == "" || strings.ContainsFunc(p.Code, func(r rune) bool { return r <= ' ' || r == '/' || r == '\\' || gis.IsControl(r) }):
		return fmt.Errorf("store: plan code %q: must be non-empty without spaces, slashes or control characters", gis.OneLine(p.Code))
	case len(p.Code) > 64:
		return fmt.Errorf("store: plan code too long (%d > 64 characters)", len(p.Code))
	case strings.TrimSpace(p.Name) == "":
		return fmt.Errorf("store: plan %s: name required", p.Code)
	case !slices.Contains(Levels, p.Level):
		return fmt.Errorf("store: plan %s: level %q is not one of %s", p.Code, p.Level, strings.Join(Levels, ", "))
	case p.Scale <= 0:
		return fmt.Errorf("store: plan %s: scale must be a positive denominator (2000 for 1/2000), got %d", p.Code, p.Scale)
	}
	return nil
}

func createPlan(ctx context.Context, tx *sql.Tx, p Plan, now string) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM plan WHERE code = ?", p.Code).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return kindErr(ErrConflict, "plan %s already exists", p.Code)
	}
	if p.CRS == 0 {
		p.CRS = 9215
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO plan (uid, code, name, level, scale, crs, area, note, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, newID(), p.Code, p.Name, p.Level, p.Scale, p.CRS, p.Area, p.Note, now)
	if err != nil {
		return err
	}
	id, _ := r.LastInsertId()
	content, created, err := planRecord(ctx, tx, id)
	if err != nil {
		return err
	}
	_, err = appendPlanLink(ctx, tx, id, "plan", 0, content, created)
	return err
}

const planColumns = `coalesce(p.uid, ''), p.code, p.name, p.level, p.scale, p.crs, p.area, p.note, coalesce(v.number, 0),
	coalesce((SELECT lower(hex(hash)) FROM plan_link l WHERE l.plan_id = p.id ORDER BY seq DESC LIMIT 1), '')`

func scanPlan(sc interface{ Scan(...any) error }) (Plan, error) {
	var p Plan
	err := sc.Scan(&p.UID, &p.Code, &p.Name, &p.Level, &p.Scale, &p.CRS, &p.Area, &p.Note, &p.CurrentVersion, &p.Seal)
	return p, err
}

// Plans lists every plan by code.
func (s *Store) Plans(ctx context.Context) ([]Plan, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+planColumns+` FROM plan p
		LEFT JOIN version v ON v.id = p.current_version ORDER BY p.code`)
	if err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Plan returns one plan by code (ErrNotFound when there is none).
func (s *Store) Plan(ctx context.Context, code string) (Plan, error) {
	return planByCode(ctx, s.db, code)
}

func planByCode(ctx context.Context, q querier, code string) (Plan, error) {
	p, err := scanPlan(q.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plan p
		LEFT JOIN version v ON v.id = p.current_version WHERE p.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return p, kindErr(ErrNotFound, "no plan %q", code)
	}
	return p, err
}

// planIDs returns a plan's row id and current version row id (0 when none).
func planIDs(ctx context.Context, q querier, code string) (planID, currentID int64, err error) {
	var cur sql.NullInt64
	err = q.QueryRowContext(ctx, "SELECT id, current_version FROM plan WHERE code = ?", code).Scan(&planID, &cur)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, kindErr(ErrNotFound, "no plan %q", code)
	}
	return planID, cur.Int64, err
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Versions lists a plan's versions, oldest first.
func (s *Store) Versions(ctx context.Context, code string) ([]Version, error) {
	planID, cur, err := planIDs(ctx, s.db, code)
	if err != nil {
		return nil, wrap("versions", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.id, `+versionColumns+` FROM version v
		WHERE v.plan_id = ? ORDER BY v.number`, planID)
	if err != nil {
		return nil, wrap("versions", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var id int64
		v, err := scanVersion(rows, &id)
		if err != nil {
			return nil, wrap("versions", err)
		}
		v.Current = id == cur
		out = append(out, v)
	}
	return out, rows.Err()
}

const versionColumns = versionRecordColumns + `,
	(SELECT coalesce(sum(features), 0) FROM version_layer s WHERE s.version_id = v.id),
	(SELECT coalesce(group_concat(name, char(10)), '') FROM (SELECT l.name FROM version_layer s JOIN layer l ON l.id = s.layer_id WHERE s.version_id = v.id ORDER BY l.name))`

// versionRecordColumns are versionColumns but the two that count the
// version's items (a scan of them), for a caller that knows those.
const versionRecordColumns = `coalesce(v.uid, ''), lower(hex(coalesce(v.seal, x''))), v.number, v.created, v.source, v.message, coalesce((SELECT number FROM version p WHERE p.id = v.parent_id), 0),
	coalesce(v.dossier_id, 0), v.decision_no, v.decision_date, v.ma_thong_tin_qh`

func scanVersion(sc interface{ Scan(...any) error }, id *int64) (Version, error) {
	var v Version
	var created, layers string
	err := sc.Scan(id, &v.UID, &v.Seal, &v.Number, &created, &v.Source, &v.Message, &v.Parent, &v.Dossier,
		&v.DecisionNo, &v.DecisionDate, &v.MaThongTinQH, &v.Features, &layers)
	v.Created = parseTime(created)
	if layers != "" {
		v.LayerNames = strings.Split(layers, "\n")
	}
	return v, err
}

// versionID resolves a version number (0: the current one) of a plan.
func versionID(ctx context.Context, q querier, code string, number int) (planID, id int64, err error) {
	planID, cur, err := planIDs(ctx, q, code)
	if err != nil {
		return 0, 0, err
	}
	if number == 0 {
		if cur == 0 {
			return planID, 0, kindErr(ErrNotFound, "plan %s has no version yet (import a layer first)", code)
		}
		return planID, cur, nil
	}
	err = q.QueryRowContext(ctx, "SELECT id FROM version WHERE plan_id = ? AND number = ?", planID, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return planID, 0, kindErr(ErrNotFound, "plan %s has no version %d", code, number)
	}
	return planID, id, err
}
