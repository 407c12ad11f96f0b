package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Replaying a replica's own links after the office's (TakeOptions.Replay,
// `quyhoach pull --replay`). When a dossier's chain moved on both at the
// office and here since they last met, a pull refuses it (*DivergedError);
// asked to replay, it sets aside the links only this store holds — never
// pushed, so no one else's history — takes the office's, then records the
// set-aside steps and documents again in their order, as if they had been
// recorded after the office's: each step must still be one the dossier
// may take from where the office left it, else nothing is taken.

// asideLink is a link set aside: a step or a document with its bytes.
type asideLink struct {
	kind string
	step Transition
	at   time.Time
	att  AttachmentBundle
}

// setAside removes the links of dossier id after the first keep (and the
// steps and documents they seal), returning them in order. The links it
// removes must all be later than what the office held at the last sync.
func (t *taking) setAside(ctx context.Context, id int64, keep int, code string) ([]asideLink, error) {
	var synced []byte
	err := t.tx.QueryRowContext(ctx, "SELECT coalesce(head, x'') FROM sync_dossier WHERE dossier_id = ?", id).Scan(&synced)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	links, err := readLinks(ctx, t.tx, "SELECT seq, kind, ref, content, prev, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq", id, false)
	if err != nil {
		return nil, err
	}
	for _, l := range links[keep:] {
		if sameHash(l.hash, synced) {
			return nil, fmt.Errorf("dossier %d of plan %s: the office held link %d, which its chain there lacks now: its history was rewritten there", id, code, l.seq)
		}
	}
	steps, err := readSteps(ctx, t.tx, id)
	if err != nil {
		return nil, err
	}
	var out []asideLink
	for _, l := range links[keep:] {
		switch l.kind {
		case "step":
			st := steps[l.ref]
			if st.From == st.To || st.To == Approved {
				return nil, fmt.Errorf("dossier %d of plan %s: its %s → %s step here cannot be recorded again after the office's (it made or moved onto a version); pull without --replay and settle it by hand",
					id, code, st.From, st.To)
			}
			out = append(out, asideLink{kind: "step", step: st.Transition, at: st.At})
		case "attach":
			var a AttachmentBundle
			if err := t.tx.QueryRowContext(ctx, "SELECT kind, name, size, sha256, data, added FROM attachment WHERE id = ?", l.ref).
				Scan(&a.Kind, &a.Name, &a.Size, &a.Sum, &a.Data, &a.Added); err != nil {
				return nil, err
			}
			out = append(out, asideLink{kind: "attach", att: a})
		default:
			return nil, fmt.Errorf("dossier %d of plan %s: link %d (%s) cannot be recorded again", id, code, l.seq, l.kind)
		}
	}
	if _, err := t.tx.ExecContext(ctx, "INSERT INTO replay_open (dossier_id, keep) VALUES (?, ?)", id, keep); err != nil {
		return nil, err
	}
	for _, q := range []string{
		"DELETE FROM transition WHERE id IN (SELECT ref FROM dossier_link WHERE dossier_id = ?1 AND kind = 'step' AND seq > ?2)",
		"DELETE FROM attachment WHERE id IN (SELECT ref FROM dossier_link WHERE dossier_id = ?1 AND kind = 'attach' AND seq > ?2)",
		"DELETE FROM dossier_link WHERE dossier_id = ?1 AND seq > ?2",
		"DELETE FROM replay_open WHERE dossier_id = ?1",
	} {
		if _, err := t.tx.ExecContext(ctx, q, id, keep); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// replay records the set-aside links again on dossier id, after what it
// took from the office: each step through the store's own rules.
func (t *taking) replay(ctx context.Context, id int64, aside []asideLink) error {
	for _, a := range aside {
		switch a.kind {
		case "attach":
			added := parseTime(a.att.Added)
			if added.IsZero() {
				added = t.s.Now()
			}
			if _, err := attachTx(ctx, t.tx, id, a.att.Kind, a.att.Name, a.att.Data, added); err != nil {
				return err
			}
		case "step":
			action := ""
			for _, name := range Actions {
				if steps[name].to == a.step.To {
					action = name
				}
			}
			st := Step{Action: action, DocNo: a.step.DocNo, DocDate: a.step.DocDate, By: a.step.By, Note: a.step.Note,
				Agency: a.step.Agency, Signer: a.step.Signer, AckWarnings: true}
			if err := t.s.advanceTx(ctx, t.tx, id, st, a.at); err != nil {
				return fmt.Errorf("your step %s → %s cannot follow the office's: %w", a.step.From, a.step.To, err)
			}
		}
	}
	return nil
}
