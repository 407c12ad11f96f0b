package store

// Replica bookkeeping (issue 15): a store cloned from the office remembers
// where from, and what the office held when they last met, so it knows
// what it has to push (Pending) without asking the office. The sync itself
// (clone, pull, push) reads and takes bundles (bundle_read.go,
// bundle_take.go); this file keeps its notes (migration 0010).

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Remote is the office a replica was cloned from.
type Remote struct {
	URL        string    `json:"url"`        // postgres://user@host/db, never with a password
	OfficeUID  string    `json:"office_uid"` // the office store's global id
	Cloned     time.Time `json:"cloned"`
	LastPull   time.Time `json:"last_pull"` // zero before the first pull
	PullCursor int64     `json:"pull_cursor"`
}

// passwordParam finds a password in a key=value connection string.
var passwordParam = regexp.MustCompile(`(?i)(^|[\s?&])password\s*=`)

// checkRemoteURL refuses an address that would put a password in the
// store file.
func checkRemoteURL(raw string) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return errors.New("store: the office's address is empty")
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return errors.New("store: the office's address holds a password; give the address without it (the password comes from PGPASSFILE, PGPASSWORD or a prompt)")
		}
	}
	if passwordParam.MatchString(raw) {
		return errors.New("store: the office's address holds a password parameter; give the address without it (the password comes from PGPASSFILE, PGPASSWORD or a prompt)")
	}
	return nil
}

// Remote returns the office the store was cloned from; false when it was
// never cloned.
func (s *Store) Remote(ctx context.Context) (Remote, bool, error) {
	var r Remote
	var cloned, pulled string
	err := s.db.QueryRowContext(ctx, "SELECT url, office_uid, cloned, last_pull, pull_cursor FROM remote WHERE id = 1").
		Scan(&r.URL, &r.OfficeUID, &cloned, &pulled, &r.PullCursor)
	if errors.Is(err, sql.ErrNoRows) {
		return Remote{}, false, nil
	}
	if err != nil {
		return Remote{}, false, wrap("remote", err)
	}
	r.Cloned, r.LastPull = parseTime(cloned), parseTime(pulled)
	return r, true, nil
}

// SetRemote records the office (its URL without a password).
func (s *Store) SetRemote(ctx context.Context, r Remote) error {
	if err := checkRemoteURL(r.URL); err != nil {
		return err
	}
	text := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return timeText(t)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO remote (id, url, office_uid, cloned, last_pull, pull_cursor) VALUES (1, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET url = excluded.url, office_uid = excluded.office_uid, cloned = excluded.cloned,
			last_pull = excluded.last_pull, pull_cursor = excluded.pull_cursor`,
			strings.TrimSpace(r.URL), r.OfficeUID, text(r.Cloned), text(r.LastPull), r.PullCursor)
		return err
	})
	return wrapNil("set remote", err)
}

// SetPullCursor records a pull: the office's change counter it reached,
// at the store's clock.
func (s *Store) SetPullCursor(ctx context.Context, n int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, "UPDATE remote SET pull_cursor = ?, last_pull = ? WHERE id = 1", n, timeText(s.Now()))
		if err != nil {
			return err
		}
		if k, _ := r.RowsAffected(); k == 0 {
			return kindErr(ErrNotFound, "the store has no remote: it was not cloned from an office")
		}
		return nil
	})
	return wrapNil("set pull cursor", err)
}

// MarkDossierSynced records that the office holds dossier uid as it
// stands here now (its chain head and change set), at revision rev with
// its short number there.
func (s *Store) MarkDossierSynced(ctx context.Context, uid string, rev, number int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		id, err := dossierByUID(ctx, tx, uid)
		if err != nil {
			return err
		}
		head, err := dossierHead(ctx, tx, id)
		if err != nil {
			return err
		}
		changes, err := changesDigest(ctx, tx, id)
		if err != nil {
			return err
		}
		return markDossier(ctx, tx, id, rev, number, head, changes)
	})
	return wrapNil("mark dossier "+uid+" synced", err)
}

// dossierByUID is the number here of the dossier of global id uid.
func dossierByUID(ctx context.Context, q querier, uid string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM dossier WHERE uid = ?", uid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, kindErr(ErrNotFound, "no dossier of id %s", uid)
	}
	return id, err
}

func markDossier(ctx context.Context, tx *sql.Tx, id, rev, number int64, head, changes []byte) error {
	var num any
	if number != 0 {
		num = number
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_dossier (dossier_id, office_rev, office_number, head, changes) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (dossier_id) DO UPDATE SET office_rev = excluded.office_rev, office_number = coalesce(excluded.office_number, office_number),
		head = excluded.head, changes = excluded.changes`, id, rev, num, head, changes)
	return err
}

// MarkVersionsSynced records that the office holds the versions of these
// global ids.
func (s *Store) MarkVersionsSynced(ctx context.Context, uids []string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error { return markVersions(ctx, tx, uids) })
	return wrapNil("mark versions synced", err)
}

func markVersions(ctx context.Context, tx *sql.Tx, uids []string) error {
	for _, uid := range uids {
		r, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO sync_version (version_id) SELECT id FROM version WHERE uid = ?", uid)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			if held, err := (&taking{tx: tx}).holds(ctx, "SELECT count(*) FROM version WHERE uid = ?", uid); err != nil || !held {
				return cmpErr(err, kindErr(ErrNotFound, "no version of id %s", uid))
			}
		}
	}
	return nil
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// markSynced records a pulled batch as what the office holds.
func (t *taking) markSynced(ctx context.Context, b Batch) error {
	uids := make([]string, len(b.Versions))
	for i, v := range b.Versions {
		uids[i] = v.UID
	}
	if err := markVersions(ctx, t.tx, uids); err != nil {
		return err
	}
	for _, d := range b.Dossiers {
		var id int64
		if err := t.tx.QueryRowContext(ctx, "SELECT id FROM dossier WHERE uid = ?", d.UID).Scan(&id); err != nil {
			return err
		}
		if err := markDossier(ctx, t.tx, id, d.Rev, d.Number, d.Head, d.changesDigest()); err != nil {
			return err
		}
	}
	return nil
}

// PendingDossier is a dossier with work the office does not have.
type PendingDossier struct {
	UID    string `json:"uid"`
	ID     int64  `json:"id"` // its number here
	Plan   string `json:"plan"`
	Title  string `json:"title"`
	State  string `json:"state"`
	Rev    int64  `json:"rev"` // the office's revision at the last pull or push; 0: never pushed
	New    bool   `json:"new"` // the office has never had it
	Office int64  `json:"office_number,omitempty"`
}

// Pending is what a replica has to push.
type Pending struct {
	Dossiers []PendingDossier `json:"dossiers"`
	// Versions are the global ids of the versions the office does not
	// hold, per plan in number order.
	Versions []string `json:"versions"`
}

// Empty reports whether there is nothing to push.
func (p Pending) Empty() bool { return len(p.Dossiers) == 0 && len(p.Versions) == 0 }

// Pending lists what the office does not have: dossiers whose chain head
// or change set differ from what it held at the last pull or push (or that
// it never had), and versions it does not hold.
func (s *Store) Pending(ctx context.Context) (Pending, error) {
	var out Pending
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		type row struct {
			d      PendingDossier
			head   []byte
			digest []byte
			synced bool
		}
		rows, err := tx.QueryContext(ctx, `SELECT d.id, d.uid, p.code, d.title, d.state, s.dossier_id IS NOT NULL, coalesce(s.office_rev, 0),
			coalesce(s.office_number, 0), coalesce(s.head, x''), coalesce(s.changes, x'')
			FROM dossier d JOIN plan p ON p.id = d.plan_id LEFT JOIN sync_dossier s ON s.dossier_id = d.id ORDER BY p.code, d.id`)
		if err != nil {
			return err
		}
		var all []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.d.ID, &r.d.UID, &r.d.Plan, &r.d.Title, &r.d.State, &r.synced, &r.d.Rev, &r.d.Office, &r.head, &r.digest); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range all {
			r.d.New = !r.synced
			if r.synced {
				head, err := dossierHead(ctx, tx, r.d.ID)
				if err != nil {
					return err
				}
				digest, err := changesDigest(ctx, tx, r.d.ID)
				if err != nil {
					return err
				}
				if sameHash(head, r.head) && sameHash(digest, r.digest) {
					continue
				}
			}
			out.Dossiers = append(out.Dossiers, r.d)
		}
		out.Versions, err = queryStrings(ctx, tx, `SELECT v.uid FROM version v JOIN plan p ON p.id = v.plan_id
			WHERE NOT EXISTS (SELECT 1 FROM sync_version s WHERE s.version_id = v.id) ORDER BY p.code, v.number`)
		return err
	})
	if err != nil {
		return Pending{}, wrap("pending", err)
	}
	return out, nil
}

// wrapNil is wrap, keeping nil nil.
func wrapNil(op string, err error) error {
	if err == nil {
		return nil
	}
	return wrap(op, err)
}
