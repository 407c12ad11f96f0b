package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Attach stores a document in a dossier. A withdrawn dossier takes no more
// documents; the size limit is the setting attachment.max_bytes.
func (s *Store) Attach(ctx context.Context, dossier int64, kind, name string, data []byte) (Attachment, error) {
	var a Attachment
	if !slices.Contains(AttachmentKinds, kind) {
		return a, refuse("attach", "kind", `kind "{{.Kind}}" is not one of {{.Kinds}}`, map[string]any{"Kind": kind, "Kinds": strings.Join(AttachmentKinds, ", ")})
	}
	name = baseName(name)
	if name == "." || name == "/" || name == "" {
		return a, refuse("attach", "name", "file name required", nil)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		d, err := s.dossierTx(ctx, tx, dossier)
		if err != nil {
			return err
		}
		if d.State == Withdrawn || d.State == Published {
			return refuse("attach", "", "dossier {{.ID}} is {{.State}}; nothing more can happen to it", map[string]any{"ID": dossier, "State": d.State})
		}
		limit, err := settingInt(ctx, tx, SettingAttachmentMax)
		if err != nil {
			return err
		}
		if len(data) > limit {
			return refuse("attach", "", "{{.Name}} is {{.Size}} bytes; the limit is {{.Limit}} bytes (setting {{.Setting}})",
				map[string]any{"Name": name, "Size": len(data), "Limit": limit, "Setting": SettingAttachmentMax})
		}
		now := s.Now()
		id, err := attachTx(ctx, tx, dossier, kind, name, data, now)
		sum := sha256.Sum256(data)
		a = Attachment{ID: id, Kind: kind, Name: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Added: now}
		return err
	})
	if err != nil {
		return a, wrap(fmt.Sprintf("attach to dossier %d", dossier), err)
	}
	return a, nil
}

// attachTx stores a document and seals it in the dossier's chain.
func attachTx(ctx context.Context, tx *sql.Tx, dossier int64, kind, name string, data []byte, now time.Time) (int64, error) {
	sum := sha256.Sum256(data)
	added := timeText(now)
	r, err := tx.ExecContext(ctx, `INSERT INTO attachment (dossier_id, kind, name, size, sha256, data, added)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, dossier, kind, name, len(data), sum[:], data, added)
	if err != nil {
		return 0, err
	}
	id, _ := r.LastInsertId()
	_, err = appendDossierLink(ctx, tx, dossier, "attach", id, attachDigest(kind, name, int64(len(data)), sum[:], added), added)
	return id, err
}

// Extract returns an attachment and its bytes, checked against its sha256.
func (s *Store) Extract(ctx context.Context, dossier, attachment int64) (Attachment, []byte, error) {
	var a Attachment
	var sum []byte
	var data []byte
	var added string
	err := s.db.QueryRowContext(ctx, `SELECT id, kind, name, size, sha256, data, added FROM attachment WHERE dossier_id = ? AND id = ?`,
		dossier, attachment).Scan(&a.ID, &a.Kind, &a.Name, &a.Size, &sum, &data, &added)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, kindErr(ErrNotFound, "dossier %d has no attachment %d", dossier, attachment)
	}
	if err != nil {
		return a, nil, fmt.Errorf("store: extract: %w", err)
	}
	a.SHA256, a.Added = hex.EncodeToString(sum), parseTime(added)
	if got := sha256.Sum256(data); string(got[:]) != string(sum) {
		return a, nil, fmt.Errorf("store: extract: attachment %d is damaged (sha256 mismatch)", attachment)
	}
	return a, data, nil
}

func loadAttachments(ctx context.Context, q querier, dossier int64) ([]Attachment, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, kind, name, size, sha256, added FROM attachment WHERE dossier_id = ? ORDER BY id", dossier)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var sum []byte
		var added string
		if err := rows.Scan(&a.ID, &a.Kind, &a.Name, &a.Size, &sum, &added); err != nil {
			return nil, err
		}
		a.SHA256, a.Added = hex.EncodeToString(sum), parseTime(added)
		out = append(out, a)
	}
	return out, rows.Err()
}

func baseName(p string) string { return filepath.Base(p) }
