package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
)

// Verify checks the file: SQLite's integrity check, foreign keys, that every
// version's bodies are present and unaltered (their hash matches), and that
// every plan with versions has a current one. It returns the problems found;
// none means the file is sound.
func (s *Store) Verify(ctx context.Context) ([]string, error) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, fmt.Errorf("store: verify: %w", err)
	}
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: verify: %w", err)
		}
		if msg != "ok" {
			add("integrity: %s", msg)
		}
	}
	rows.Close()

	var rt string
	if err := s.db.QueryRowContext(ctx, "SELECT rtreecheck('body_bbox')").Scan(&rt); err != nil {
		return nil, fmt.Errorf("store: verify: %w", err)
	}
	if rt != "ok" {
		add("bounding-box index: %s", strings.ReplaceAll(rt, "\n", "; "))
	}
	checks := []struct{ what, query string }{
		{"version item without its body", `SELECT v.number || ' of plan ' || p.code || ': feature ' || i.feature_id
			FROM version_item i JOIN version v ON v.id = i.version_id JOIN plan p ON p.id = v.plan_id
			LEFT JOIN body b ON b.id = i.body_id WHERE b.id IS NULL LIMIT 100`},
		{"version item without its layer", `SELECT v.number || ' of plan ' || p.code || ': feature ' || i.feature_id
			FROM version_item i JOIN version v ON v.id = i.version_id JOIN plan p ON p.id = v.plan_id
			LEFT JOIN layer l ON l.id = i.layer_id WHERE l.id IS NULL LIMIT 100`},
		{"plan with versions but no current version", `SELECT p.code FROM plan p
			WHERE p.current_version IS NULL AND EXISTS (SELECT 1 FROM version v WHERE v.plan_id = p.id)`},
		{"body without its bounding box", `SELECT b.id FROM body b WHERE NOT EXISTS (SELECT 1 FROM body_bbox_rowid r WHERE r.rowid = b.id)
			AND json_extract(b.geojson, '$.geometry') IS NOT NULL LIMIT 100`},
		{"empty version", `SELECT v.number || ' of plan ' || p.code FROM version v JOIN plan p ON p.id = v.plan_id
			WHERE NOT EXISTS (SELECT 1 FROM version_item i WHERE i.version_id = v.id)`},
		{"dossier change without its body", `SELECT d.dossier_id || ': feature ' || d.feature_id FROM dossier_change d
			LEFT JOIN body b ON b.id = d.body_id WHERE d.body_id IS NOT NULL AND b.id IS NULL LIMIT 100`},
	}
	for _, c := range checks {
		rows, err := s.db.QueryContext(ctx, c.query)
		if err != nil {
			return nil, fmt.Errorf("store: verify: %s: %w", c.what, err)
		}
		for rows.Next() {
			var where string
			if err := rows.Scan(&where); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: verify: %w", err)
			}
			add("%s: %s", c.what, where)
		}
		rows.Close()
	}

	// Content addressing: each body's hash is the sha256 of its text.
	rows, err = s.db.QueryContext(ctx, "SELECT id, hash, geojson FROM body")
	if err != nil {
		return nil, fmt.Errorf("store: verify: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var hash, text []byte
		if err := rows.Scan(&id, &hash, &text); err != nil {
			return nil, fmt.Errorf("store: verify: %w", err)
		}
		if sum := sha256.Sum256(text); string(sum[:]) != string(hash) {
			add("body %d: content does not match its hash (altered)", id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: verify: %w", err)
	}
	att, err := s.db.QueryContext(ctx, "SELECT id, dossier_id, sha256, data FROM attachment")
	if err != nil {
		return nil, fmt.Errorf("store: verify: %w", err)
	}
	for att.Next() {
		var id, dossier int64
		var sum, data []byte
		if err := att.Scan(&id, &dossier, &sum, &data); err != nil {
			att.Close()
			return nil, fmt.Errorf("store: verify: %w", err)
		}
		if got := sha256.Sum256(data); string(got[:]) != string(sum) {
			add("attachment %d of dossier %d: content does not match its sha256 (altered)", id, dossier)
		}
	}
	att.Close()
	if broken, err := s.VerifyChain(ctx); err != nil {
		return nil, err
	} else if broken != 0 {
		add("approval history: transition %d does not match the hash chain (altered, or a row before it removed)", broken)
	}
	return problems, nil
}
