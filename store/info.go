package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kinds of issued document.
const (
	InfoIssue    = "info"    // planning information for a site (cung cấp thông tin quy hoạch)
	ConformIssue = "conform" // a project's conformity with the plan (kiểm tra sự phù hợp)
)

// Issue is a numbered document the board issued from a plan version: who
// asked, when, which version answered, the site asked about and the
// answer. Numbers run per kind and calendar year of issue, from 1.
type Issue struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Year      int       `json:"year"`
	Number    int       `json:"number"`
	Plan      string    `json:"plan"`
	Version   int       `json:"version"` // the version that answered
	Requester string    `json:"requester"`
	Address   string    `json:"address,omitempty"`
	Purpose   string    `json:"purpose,omitempty"`
	Requested string    `json:"requested,omitempty"` // date of the request, YYYY-MM-DD
	Issued    time.Time `json:"issued"`
	By        string    `json:"by,omitempty"`
	Site      string    `json:"site"`   // GeoJSON geometry (WGS84) or the lot codes asked about
	Answer    string    `json:"answer"` // the answer as JSON
	Size      int64     `json:"size"`   // bytes of the document
	SHA256    string    `json:"sha256"`
}

// NewIssue is what RecordIssue records.
type NewIssue struct {
	Kind      string
	Plan      string
	Version   int // the version that answers; 0: the current one
	Requester string
	Address   string
	Purpose   string
	Requested string // YYYY-MM-DD, or ""
	By        string
	Site      string
	Answer    string
}

// IssueFilter narrows Issues; zero fields match everything.
type IssueFilter struct {
	Plan string
	Kind string
	Year int
}

// RecordIssue numbers and records a document in one transaction: it takes
// the next number of the kind in the year of issue (the store's clock),
// calls write with the issue as it will be recorded, so the document can
// carry its number and date, and stores the bytes write returns with their
// sha256. When write fails nothing is recorded and no number is used.
func (s *Store) RecordIssue(ctx context.Context, n NewIssue, write func(Issue) ([]byte, error)) (Issue, error) {
	if n.Kind != InfoIssue && n.Kind != ConformIssue {
		return Issue{}, &StepError{Action: "record", Reason: fmt.Sprintf("kind %q must be %s or %s", n.Kind, InfoIssue, ConformIssue)}
	}
	if strings.TrimSpace(n.Requester) == "" {
		return Issue{}, &StepError{Action: "record", Reason: "who asked is required"}
	}
	if n.Requested != "" {
		if _, err := time.Parse(time.DateOnly, n.Requested); err != nil {
			return Issue{}, &StepError{Action: "record", Reason: fmt.Sprintf("request date %q: want YYYY-MM-DD", n.Requested)}
		}
	}
	now := s.Now().UTC().Truncate(time.Second)
	var is Issue
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var planID, verID int64
		var number int
		q := `SELECT p.id, v.id, v.number FROM plan p JOIN version v ON v.plan_id = p.id
			WHERE p.code = ? AND (v.number = ? OR ? = 0 AND v.id = p.current_version)`
		err := tx.QueryRowContext(ctx, q, n.Plan, n.Version, n.Version).Scan(&planID, &verID, &number)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := planByCode(ctx, tx, n.Plan); err != nil {
				return err
			}
			if n.Version == 0 {
				return kindErr(ErrNotFound, "plan %s has no version yet", n.Plan)
			}
			return kindErr(ErrNotFound, "plan %s has no version %d", n.Plan, n.Version)
		}
		if err != nil {
			return err
		}
		is = Issue{Kind: n.Kind, Year: now.Year(), Plan: n.Plan, Version: number, Requester: strings.TrimSpace(n.Requester),
			Address: n.Address, Purpose: n.Purpose, Requested: n.Requested, Issued: now, By: n.By, Site: n.Site, Answer: n.Answer}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM issue WHERE kind = ? AND year = ?`,
			is.Kind, is.Year).Scan(&is.Number); err != nil {
			return err
		}
		doc, err := write(is)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(doc)
		is.Size, is.SHA256 = int64(len(doc)), hex.EncodeToString(sum[:])
		res, err := tx.ExecContext(ctx, `INSERT INTO issue (kind, year, number, plan_id, version_id, requester, address, purpose,
			requested, issued, by, site, answer, document, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			is.Kind, is.Year, is.Number, planID, verID, is.Requester, is.Address, is.Purpose, is.Requested, timeText(now),
			is.By, is.Site, is.Answer, doc, sum[:])
		if err != nil {
			return err
		}
		is.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return Issue{}, wrap("record issue", err)
	}
	return is, nil
}

const issueColumns = `i.id, i.kind, i.year, i.number, p.code, v.number, i.requester, i.address, i.purpose, i.requested,
	i.issued, i.by, i.site, i.answer, length(i.document), i.sha256`

// scanIssue scans issueColumns, then extra columns into extra.
func scanIssue(sc interface{ Scan(...any) error }, extra ...any) (Issue, error) {
	var is Issue
	var issued string
	var sum []byte
	err := sc.Scan(append([]any{&is.ID, &is.Kind, &is.Year, &is.Number, &is.Plan, &is.Version, &is.Requester, &is.Address, &is.Purpose,
		&is.Requested, &issued, &is.By, &is.Site, &is.Answer, &is.Size, &sum}, extra...)...)
	is.Issued, is.SHA256 = parseTime(issued), hex.EncodeToString(sum)
	return is, err
}

// Issues lists the documents issued, newest first.
func (s *Store) Issues(ctx context.Context, f IssueFilter) ([]Issue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+issueColumns+` FROM issue i JOIN plan p ON p.id = i.plan_id
		JOIN version v ON v.id = i.version_id
		WHERE (? = '' OR p.code = ?) AND (? = '' OR i.kind = ?) AND (? = 0 OR i.year = ?)
		ORDER BY i.issued DESC, i.id DESC`, f.Plan, f.Plan, f.Kind, f.Kind, f.Year, f.Year)
	if err != nil {
		return nil, wrap("issues", err)
	}
	defer rows.Close()
	var out []Issue
	for rows.Next() {
		is, err := scanIssue(rows)
		if err != nil {
			return nil, wrap("issues", err)
		}
		out = append(out, is)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("issues", err)
	}
	if f.Plan != "" && len(out) == 0 {
		if _, err := s.Plan(ctx, f.Plan); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// IssuedDocument returns the document of kind issued as number in year,
// with its bytes checked against the sha256 recorded.
func (s *Store) IssuedDocument(ctx context.Context, kind string, year, number int) (Issue, []byte, error) {
	var doc []byte
	row := s.db.QueryRowContext(ctx, `SELECT `+issueColumns+`, i.document FROM issue i JOIN plan p ON p.id = i.plan_id
		JOIN version v ON v.id = i.version_id WHERE i.kind = ? AND i.year = ? AND i.number = ?`, kind, year, number)
	is, err := scanIssue(row, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return Issue{}, nil, kindErr(ErrNotFound, "no %s document number %d of %d", kind, number, year)
	}
	if err != nil {
		return Issue{}, nil, wrap("issued document", err)
	}
	if got := sha256.Sum256(doc); hex.EncodeToString(got[:]) != is.SHA256 {
		return is, nil, fmt.Errorf("store: issued document %d/%d is damaged (sha256 mismatch)", number, year)
	}
	return is, doc, nil
}
