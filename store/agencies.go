package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"quyhoach/gis"
)

// Agencies are the bodies a plan names: who approves it, who appraises
// it, who proposes (organises) it and its consultant. They are not part of
// the plan's sealed record: each change is recorded with who made it and
// when, and the history is kept.
type Agencies struct {
	Approver   string    `json:"approver"`   // cơ quan phê duyệt
	Appraiser  string    `json:"appraiser"`  // cơ quan thẩm định
	Proposer   string    `json:"proposer"`   // cơ quan tổ chức lập (the board)
	Consultant string    `json:"consultant"` // đơn vị tư vấn
	At         time.Time `json:"at,omitzero"`
	By         string    `json:"by,omitempty"`
	// Default says no one set them yet: they are DefaultAgencies.
	Default bool `json:"default,omitempty"`
}

// The zone's agencies (DOMAIN.md "Agencies of the zone").
const (
	ProvinceAgency   = "UBND tỉnh Lạng Sơn"
	DepartmentAgency = "Sở Xây dựng tỉnh Lạng Sơn"
	BoardAgency      = "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn"
	PrimeMinister    = "Thủ tướng Chính phủ"
	MinistryAgency   = "Bộ Xây dựng"
)

// DefaultAgencies are a new plan's agencies: zoning and detailed plans in
// the zone are approved by the province and appraised by its Department of
// Construction; a general plan is approved by the Prime Minister and
// appraised by the Ministry of Construction. The board proposes; the
// consultant is per plan.
func DefaultAgencies(level string) Agencies {
	a := Agencies{Approver: ProvinceAgency, Appraiser: DepartmentAgency, Proposer: BoardAgency, Default: true}
	if level == "general" {
		a.Approver, a.Appraiser = PrimeMinister, MinistryAgency
	}
	return a
}

// List is the agencies a step may name, in order: approver, appraiser,
// proposer, consultant (the consultant when set).
func (a Agencies) List() []string {
	out := []string{a.Approver, a.Appraiser, a.Proposer}
	if a.Consultant != "" {
		out = append(out, a.Consultant)
	}
	return out
}

// ForAction is the agency whose document an approval step records: the
// proposer submits, publishes and withdraws, the appraiser appraises, the
// approver approves; a return comes from whoever holds the dossier, the
// appraiser.
func (a Agencies) ForAction(action string) string {
	switch action {
	case "appraise", "appraised", "return":
		return a.Appraiser
	case "approve":
		return a.Approver
	}
	return a.Proposer
}

// maxAgency is the longest agency name taken, in characters.
const maxAgency = 200

// Check refuses an approver, appraiser or proposer left empty, and any
// name longer than 200 characters or on more than one line.
func (a Agencies) Check() error {
	for _, f := range []struct{ field, name, value string }{
		{"approver", "approving authority", a.Approver}, {"appraiser", "appraising agency", a.Appraiser},
		{"proposer", "proposing agency", a.Proposer}, {"consultant", "consultant", a.Consultant},
	} {
		v := strings.TrimSpace(f.value)
		switch {
		case v == "" && f.field != "consultant":
			return refuse("agencies", f.field, "the {{.Name}} is required", map[string]any{"Name": f.name})
		case len([]rune(v)) > maxAgency:
			return refuse("agencies", f.field, "the {{.Name}} is longer than {{.Max}} characters", map[string]any{"Name": f.name, "Max": maxAgency})
		case strings.ContainsFunc(v, gis.IsControl):
			return refuse("agencies", f.field, "the {{.Name}} must be one line", map[string]any{"Name": f.name})
		}
	}
	return nil
}

func (a Agencies) trimmed() Agencies {
	a.Approver, a.Appraiser = strings.TrimSpace(a.Approver), strings.TrimSpace(a.Appraiser)
	a.Proposer, a.Consultant = strings.TrimSpace(a.Proposer), strings.TrimSpace(a.Consultant)
	return a
}

// Agencies returns a plan's agencies: the last ones set, or its defaults.
func (s *Store) Agencies(ctx context.Context, plan string) (Agencies, error) {
	var level string
	var planID int64
	err := s.db.QueryRowContext(ctx, "SELECT id, level FROM plan WHERE code = ?", plan).Scan(&planID, &level)
	if errors.Is(err, sql.ErrNoRows) {
		return Agencies{}, kindErr(ErrNotFound, "no plan %q", plan)
	}
	if err != nil {
		return Agencies{}, wrap("agencies of "+plan, err)
	}
	hist, err := agencyRows(ctx, s.db, planID, 1)
	if err != nil {
		return Agencies{}, wrap("agencies of "+plan, err)
	}
	if len(hist) == 0 {
		return DefaultAgencies(level), nil
	}
	return hist[0], nil
}

// AgencyHistory lists every change of a plan's agencies, newest first;
// empty when they are still the defaults.
func (s *Store) AgencyHistory(ctx context.Context, plan string) ([]Agencies, error) {
	planID, _, err := planIDs(ctx, s.db, plan)
	if err != nil {
		return nil, err
	}
	hist, err := agencyRows(ctx, s.db, planID, -1)
	if err != nil {
		return nil, wrap("agency history of "+plan, err)
	}
	return hist, nil
}

func agencyRows(ctx context.Context, q querier, planID int64, limit int) ([]Agencies, error) {
	rows, err := q.QueryContext(ctx, `SELECT approver, appraiser, proposer, consultant, at, by FROM plan_agencies
		WHERE plan_id = ? ORDER BY id DESC LIMIT ?`, planID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Agencies
	for rows.Next() {
		var a Agencies
		var at string
		if err := rows.Scan(&a.Approver, &a.Appraiser, &a.Proposer, &a.Consultant, &at, &a.By); err != nil {
			return nil, err
		}
		a.At = parseTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetAgencies records a plan's agencies, with who set them and when (the
// store's clock). Setting what is already recorded records nothing.
func (s *Store) SetAgencies(ctx context.Context, plan string, a Agencies, by string) (Agencies, error) {
	a = a.trimmed()
	if err := a.Check(); err != nil {
		return Agencies{}, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		planID, _, err := planIDs(ctx, tx, plan)
		if err != nil {
			return err
		}
		last, err := agencyRows(ctx, tx, planID, 1)
		if err != nil {
			return err
		}
		if len(last) == 1 && sameAgencies(last[0], a) {
			a = last[0]
			return nil
		}
		a.At, a.By, a.Default = s.Now().UTC().Truncate(time.Second), strings.TrimSpace(by), false
		_, err = tx.ExecContext(ctx, `INSERT INTO plan_agencies (plan_id, approver, appraiser, proposer, consultant, at, by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, planID, a.Approver, a.Appraiser, a.Proposer, a.Consultant, timeText(a.At), a.By)
		return err
	})
	if err != nil {
		return Agencies{}, wrap(fmt.Sprintf("set the agencies of %s", plan), err)
	}
	return a, nil
}

func sameAgencies(a, b Agencies) bool {
	return a.Approver == b.Approver && a.Appraiser == b.Appraiser && a.Proposer == b.Proposer && a.Consultant == b.Consultant
}
