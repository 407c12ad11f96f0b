package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"sort"
)

// ContentHash is one sha256 over what two stores of one history share,
// whatever their row ids and the order things reached them: each plan's
// record, layers and agency history; every version's global id and seal
// (which covers its items, lineage and parent); every dossier's global
// id, state, chain head and change-set digest; every document's sha256.
// Each part is sorted by global id (and content). Not the plans' journals:
// each store logs the events in the order it learned them. Two stores
// with equal hashes (and clean verifies) hold the same history.
func (s *Store) ContentHash(ctx context.Context) ([]byte, error) {
	var lines []string
	add := func(fields ...any) { lines = append(lines, string(jsonLine(anyStrings(fields)...))) }
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		scan := func(query string, n int, each func(v []any) error) error {
			rows, err := tx.QueryContext(ctx, query)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				v := make([]any, n)
				ptrs := make([]any, n)
				for i := range v {
					ptrs[i] = &v[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				if err := each(v); err != nil {
					return err
				}
			}
			return rows.Err()
		}
		steps := []struct {
			query string
			n     int
		}{
			{"SELECT 'plan', coalesce(uid, ''), code, name, level, scale, crs, area, note, created FROM plan", 10},
			{"SELECT 'layer', coalesce(p.uid, ''), l.name, l.kind FROM layer l JOIN plan p ON p.id = l.plan_id", 4},
			{`SELECT 'agencies', coalesce(p.uid, ''), a.at, a.by, a.approver, a.appraiser, a.proposer, a.consultant
				FROM plan_agencies a JOIN plan p ON p.id = a.plan_id`, 8},
			{"SELECT 'version', coalesce(uid, ''), lower(hex(coalesce(seal, x''))) FROM version", 3},
			{"SELECT 'document', coalesce(d.uid, ''), lower(hex(a.sha256)) FROM attachment a JOIN dossier d ON d.id = a.dossier_id", 3},
		}
		for _, st := range steps {
			if err := scan(st.query, st.n, func(v []any) error { add(v...); return nil }); err != nil {
				return err
			}
		}
		return scan("SELECT id, coalesce(uid, ''), state FROM dossier", 3, func(v []any) error {
			id, _ := v[0].(int64)
			head, err := dossierHead(ctx, tx, id)
			if err != nil {
				return err
			}
			digest, err := changesDigest(ctx, tx, id)
			if err != nil {
				return err
			}
			add("dossier", v[1], v[2], hex.EncodeToString(head), hex.EncodeToString(digest))
			return nil
		})
	})
	if err != nil {
		return nil, wrap("content hash", err)
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
	}
	return h.Sum(nil), nil
}

// anyStrings writes scanned values as text.
func anyStrings(v []any) []string {
	out := make([]string, len(v))
	for i, x := range v {
		switch x := x.(type) {
		case []byte:
			out[i] = string(x)
		case nil:
		default:
			out[i] = sqlText(x)
		}
	}
	return out
}
