package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
	"quyhoach/lthash"
)

// Finding is one problem Verify found, naming where it is.
type Finding struct {
	Check    string `json:"check"`             // sqlite, schema, note, item, body, bbox, geometry, measure, attachment, plan, version, dossier, anchor
	Plan     string `json:"plan,omitempty"`    // plan code
	Version  int    `json:"version,omitempty"` // version number
	Dossier  int64  `json:"dossier,omitempty"` // dossier number
	Lot      string `json:"lot,omitempty"`     // lot code (maDoiTuong)
	Feature  string `json:"feature,omitempty"` // feature id
	Problem  string `json:"problem"`
	Expected string `json:"expected,omitempty"`
}

// String is the finding on one line: where, what is wrong, what was expected.
func (f Finding) String() string {
	var where []string
	if f.Plan != "" {
		where = append(where, "plan "+f.Plan)
	}
	if f.Version != 0 {
		where = append(where, fmt.Sprintf("version %d", f.Version))
	}
	if f.Dossier != 0 {
		where = append(where, fmt.Sprintf("dossier %d", f.Dossier))
	}
	if f.Lot != "" {
		where = append(where, "lot "+f.Lot)
	}
	if f.Feature != "" {
		where = append(where, "feature "+f.Feature)
	}
	s := f.Check + ": "
	if len(where) > 0 {
		s += strings.Join(where, ", ") + ": "
	}
	s += f.Problem
	if f.Expected != "" {
		s += " (expected " + f.Expected + ")"
	}
	return gis.OneLine(s)
}

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Anchor is a plan seal kept elsewhere (printed on a sheet, held by the
	// office): the history must contain it, or it was rewritten.
	Anchor string
}

// Verification is what Verify found.
type Verification struct {
	Findings []Finding
	// Anchored says where the anchor was found: "plan CODE, event N of M, at TIME".
	Anchored string
}

// Verify checks the whole file and reports every problem; it stops at none.
// It runs SQLite's integrity, foreign-key and R*Tree checks, holds the
// schema's triggers to the ones the migrations make, recomputes every
// body's hash and bounding box, every attachment's sha256, every version's
// seal from its items, each dossier's chain and each plan's journal, and
// checks the plans' current versions, the dossiers' states, bases, change
// sets and approved versions against them. An error means the file could
// not be read at all.
func (s *Store) Verify(ctx context.Context, opt VerifyOptions) (Verification, error) {
	v := &verifier{s: s, ctx: ctx}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"sqlite", v.sqlite}, {"schema", v.schema}, {"note", v.notes}, {"item", v.itemHistory}, {"body", v.bodies},
		{"attachment", v.attachments}, {"plan", v.plans}, {"dossier", v.dossiers},
	} {
		if err := ctx.Err(); err != nil {
			return Verification{}, err
		}
		if err := c.run(); err != nil {
			v.add(Finding{Check: c.name, Problem: "the check could not run: " + err.Error()})
		}
	}
	var anchored string
	if opt.Anchor != "" {
		anchored = v.anchor(opt.Anchor)
	}
	return Verification{Findings: v.found, Anchored: anchored}, nil
}

type verifier struct {
	s     *Store
	ctx   context.Context
	found []Finding
	// kinds are the sound bodies' kinds by hash (an index in lists, the
	// few distinct bodyKindLists), for recounting the versions' stored
	// layer schemas
	kinds  map[[32]byte]int32
	lists  []string
	listOf map[string]int32
}

// kindList is the index of a body's kinds in v.lists.
func (v *verifier) kindList(list []byte) int32 {
	k, ok := v.listOf[string(list)]
	if !ok {
		k = int32(len(v.lists))
		v.lists = append(v.lists, string(list))
		v.listOf[string(list)] = k
	}
	return k
}

func (v *verifier) add(f Finding) { v.found = append(v.found, f) }

// rows runs a query and calls fn for each row, stopping at no row's error.
func (v *verifier) rows(query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := v.s.db.QueryContext(v.ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sqlite runs SQLite's own checks.
func (v *verifier) sqlite() error {
	err := v.rows("PRAGMA integrity_check", func(r *sql.Rows) error {
		var msg string
		if err := r.Scan(&msg); err != nil {
			return err
		}
		if msg != "ok" {
			v.add(Finding{Check: "sqlite", Problem: "integrity check: " + msg})
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = v.rows("PRAGMA foreign_key_check", func(r *sql.Rows) error {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := r.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		v.add(Finding{Check: "sqlite", Problem: fmt.Sprintf("row %d of %s refers to a missing row of %s", rowid.Int64, table, parent)})
		return nil
	})
	if err != nil {
		return err
	}
	var rt string
	if err := v.s.db.QueryRowContext(v.ctx, "SELECT rtreecheck('body_bbox')").Scan(&rt); err != nil {
		return err
	}
	if rt != "ok" {
		v.add(Finding{Check: "sqlite", Problem: "bounding-box index: " + strings.ReplaceAll(rt, "\n", "; ")})
	}
	return nil
}

// guardedSchema are the kinds of schema object verify holds to the
// migrations': the view version_item is how every reader reads a version.
const guardedSchema = "('trigger', 'index', 'view')"

// schema holds the file's triggers, indexes and views to those the migrations
// make on an empty store: a trigger dropped (or changed) is found even
// when nothing was altered yet.
func (v *verifier) schema() error {
	want, err := expectedSchema(v.ctx)
	if err != nil {
		return err
	}
	have := map[string]string{}
	err = v.rows("SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE type IN "+guardedSchema, func(r *sql.Rows) error {
		var typ, name, text string
		if err := r.Scan(&typ, &name, &text); err != nil {
			return err
		}
		have[typ+" "+name] = text
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range sortedKeys(want) {
		switch text, ok := have[k]; {
		case !ok:
			v.add(Finding{Check: "schema", Problem: k + " is missing: the history it protects can be rewritten", Expected: "the " + k + " of schema migrations"})
		case text != want[k]:
			v.add(Finding{Check: "schema", Problem: k + " was changed", Expected: gis.OneLine(want[k])})
		}
	}
	for _, k := range sortedKeys(have) {
		if _, ok := want[k]; !ok && strings.HasPrefix(k, "trigger ") {
			v.add(Finding{Check: "schema", Problem: k + " is not one of quyhoach's"})
		}
	}
	return nil
}

// expectedSchema migrates an empty in-memory store and returns its
// triggers and indexes ("trigger NAME" → SQL).
func expectedSchema(ctx context.Context) (map[string]string, error) {
	db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	mem := &Store{db: db, path: ":memory:", Now: time.Now}
	if err := mem.migrate(ctx); err != nil {
		return nil, err
	}
	out := map[string]string{}
	rows, err := db.QueryContext(ctx, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE type IN "+guardedSchema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, err
		}
		out[typ+" "+name] = text
	}
	return out, rows.Err()
}

// itemHistory checks the plans' item histories (items.go): a feature has
// one item in a version, so its rows' runs of versions do not overlap, and
// a row is held by a version of its plan.
func (v *verifier) itemHistory() error {
	for _, c := range []struct{ query, problem string }{
		{`SELECT p.code, i.feature_id, i.since FROM (
			SELECT plan_id, feature_id, since, lag(coalesce(until, 9223372036854775807)) OVER (PARTITION BY plan_id, feature_id ORDER BY since) AS prev FROM item) i
		JOIN plan p ON p.id = i.plan_id WHERE i.prev > i.since ORDER BY 1, 2`,
			"two items of the feature from this version on: the history says two things of it"},
		{`SELECT p.code, i.feature_id, i.since FROM item i JOIN plan p ON p.id = i.plan_id
		WHERE NOT EXISTS (SELECT 1 FROM version w WHERE w.plan_id = i.plan_id AND w.number >= i.since AND (i.until IS NULL OR w.number < i.until)) ORDER BY 1, 2`,
			"an item from this version on that no version of the plan holds"},
	} {
		err := v.rows(c.query, func(r *sql.Rows) error {
			f := Finding{Check: "item", Problem: c.problem}
			if err := r.Scan(&f.Plan, &f.Feature, &f.Version); err != nil {
				return err
			}
			v.add(f)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// notes reports what migrations found wrong before they sealed the history.
func (v *verifier) notes() error {
	return v.rows("SELECT at, note FROM integrity_note ORDER BY id", func(r *sql.Rows) error {
		var at, note string
		if err := r.Scan(&at, &note); err != nil {
			return err
		}
		v.add(Finding{Check: "note", Problem: note + " (recorded " + at + ")"})
		return nil
	})
}

// unfoundBodies are the bodies that body_hash does not find by their hash
// (0015_body_hash.sql). With each body found, a count of body_hash equal to
// body's leaves no row there that finds what is not: hash is its key.
func (v *verifier) unfoundBodies() (map[int64]bool, error) {
	unfound := map[int64]bool{}
	err := v.rows("SELECT id FROM body b WHERE NOT EXISTS (SELECT 1 FROM body_hash h WHERE h.hash = b.hash AND h.body_id = b.id)", func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		unfound[id] = true
		return err
	})
	if err != nil {
		return nil, err
	}
	var bodies, rows int
	if err := v.s.db.QueryRowContext(v.ctx, "SELECT (SELECT count(*) FROM body), (SELECT count(*) FROM body_hash)").Scan(&bodies, &rows); err != nil {
		return nil, err
	}
	if rows != bodies-len(unfound) {
		v.add(Finding{Check: "body", Problem: fmt.Sprintf("body_hash has %d rows for %d bodies found by their hash: a row finds a body of another hash, or none", rows, bodies-len(unfound)),
			Expected: "one row per body, its hash and id"})
	}
	return unfound, nil
}

// bodies recomputes every body's hash and bounding box and reads it.
func (v *verifier) bodies() error {
	v.kinds, v.listOf = map[[32]byte]int32{}, map[string]int32{}
	boxes := map[int64][4]float64{}
	err := v.rows("SELECT id, min_lon, max_lon, min_lat, max_lat FROM body_bbox", func(r *sql.Rows) error {
		var id int64
		var b [4]float64
		if err := r.Scan(&id, &b[0], &b[1], &b[2], &b[3]); err != nil {
			return err
		}
		boxes[id] = b
		return nil
	})
	if err != nil {
		return err
	}
	grids, props := map[int64][]byte{}, map[int64][]byte{}
	err = v.rows("SELECT body_id, geom, props FROM body_geom", func(r *sql.Rows) error {
		var id int64
		var g, p []byte
		if err := r.Scan(&id, &g, &p); err != nil {
			return err
		}
		grids[id] = g
		if p != nil {
			props[id] = p
		}
		return nil
	})
	if err != nil {
		return err
	}
	measures, err := v.measures()
	if err != nil {
		return err
	}
	unfound, err := v.unfoundBodies()
	if err != nil {
		return err
	}
	type bad struct{ problem, expected string }
	damaged := map[int64]bad{}
	err = v.rows("SELECT id, hash, geojson FROM body", func(r *sql.Rows) error {
		var id int64
		var hash, text []byte
		if err := r.Scan(&id, &hash, &text); err != nil {
			return err
		}
		if sum := sha256.Sum256(text); !sameHash(sum[:], hash) {
			damaged[id] = bad{"the stored body was altered: its content does not match its sha256", "sha256 " + short(hash)}
			return nil
		}
		f, err := geojson.ParseFeature(text)
		if err != nil {
			damaged[id] = bad{"the stored body is unreadable: " + err.Error(), ""}
			return nil
		}
		v.kinds[[32]byte(hash)] = v.kindList(sortedKinds(f)) // of the parsed body: apart from the writers' reading of the text
		box, has := boxes[id]
		switch {
		case unfound[id]:
			damaged[id] = bad{"the body is not found by its hash (body_hash): what brings it again would store it twice", "body_hash row " + short(hash) + " → " + fmt.Sprint(id)}
		case f.Geometry == nil && has:
			damaged[id] = bad{"a body without geometry has a bounding box", ""}
		case f.Geometry != nil && !has:
			damaged[id] = bad{"the body has no bounding box in the index", ""}
		case f.Geometry != nil && !boxHolds(box, f.Geometry.Bound()):
			damaged[id] = bad{fmt.Sprintf("the bounding box in the index (%g…%g, %g…%g) is stale", box[0], box[1], box[2], box[3]),
				fmt.Sprintf("%g…%g, %g…%g", f.Geometry.Bound().Min[0], f.Geometry.Bound().Max[0], f.Geometry.Bound().Min[1], f.Geometry.Bound().Max[1])}
		case !bytes.Equal(grids[id], gridForm(f.Geometry)):
			switch _, has := grids[id]; {
			case !has:
				damaged[id] = bad{"the body has no grid geometry", ""}
			case f.Geometry == nil:
				damaged[id] = bad{"a body without geometry has a grid geometry", ""}
			default:
				damaged[id] = bad{"the stored grid geometry differs from the body's (altered, or derived wrongly)", "the projection of the body's geometry"}
			}
		case f.Geometry != nil && !bytes.Equal(props[id], propsForm(text)):
			if props[id] == nil {
				damaged[id] = bad{"the body has no grid properties", "the body's properties object and its CRC-32C"}
			} else {
				damaged[id] = bad{"the stored grid properties differ from the body's (altered, or derived wrongly)", "the body's properties object and its CRC-32C"}
			}
		}
		if _, found := damaged[id]; !found {
			if p := measures.problem(id, text, f, grids[id]); p != "" {
				damaged[id] = bad{p, "the class and area of the body"}
			}
		}
		delete(grids, id)
		return nil
	})
	if err != nil {
		return err
	}
	for id := range grids { // left: a grid geometry of no body
		v.add(Finding{Check: "geometry", Feature: fmt.Sprintf("(body %d, which does not exist)", id), Problem: "a grid geometry without its body"})
	}
	for _, id := range sortedIDs(damaged) {
		check := "body"
		switch {
		case strings.Contains(damaged[id].problem, "bounding box"):
			check = "bbox"
		case strings.Contains(damaged[id].problem, "grid geometry"):
			check = "geometry"
		case strings.Contains(damaged[id].problem, "land-use measure"):
			check = "measure"
		}
		users, err := v.bodyUsers(id)
		if err != nil {
			return err
		}
		if len(users) == 0 {
			v.add(Finding{Check: check, Feature: fmt.Sprintf("(body %d, no longer used)", id), Problem: damaged[id].problem, Expected: damaged[id].expected})
		}
		for _, u := range users {
			u.Check, u.Problem, u.Expected = check, damaged[id].problem, damaged[id].expected
			v.add(u)
		}
	}
	return nil
}

// boxHolds reports whether a stored box (float32, rounded outward) holds b.
func boxHolds(box [4]float64, b orb.Bound) bool {
	const tol = 1e-6 // float32 rounding of degrees: ~1e-5 m
	return box[0] <= b.Min[0]+tol && box[1] >= b.Max[0]-tol && box[2] <= b.Min[1]+tol && box[3] >= b.Max[1]-tol &&
		math.Abs(box[0]-b.Min[0]) < 1e-4 && math.Abs(box[1]-b.Max[0]) < 1e-4 && math.Abs(box[2]-b.Min[1]) < 1e-4 && math.Abs(box[3]-b.Max[1]) < 1e-4
}

// bodyUsers names the version items and dossier changes that hold a body.
func (v *verifier) bodyUsers(bodyID int64) ([]Finding, error) {
	var out []Finding
	err := v.rows(`SELECT p.code, v.number, 0, i.feature_id FROM version_item i JOIN version v ON v.id = i.version_id JOIN plan p ON p.id = v.plan_id
		WHERE i.body_id = ?1
		UNION ALL SELECT p.code, 0, c.dossier_id, c.feature_id FROM dossier_change c JOIN dossier d ON d.id = c.dossier_id JOIN plan p ON p.id = d.plan_id
		WHERE c.body_id = ?1 ORDER BY 1, 2, 3, 4`, func(r *sql.Rows) error {
		var f Finding
		if err := r.Scan(&f.Plan, &f.Version, &f.Dossier, &f.Feature); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	}, bodyID)
	if err != nil {
		return nil, err
	}
	codes, err := v.lotCodes(out)
	for i := range out {
		out[i].Lot = codes[out[i].Feature]
	}
	return out, err
}

// lotCodes finds the lot codes of features from any readable body they have.
func (v *verifier) lotCodes(fs []Finding) (map[string]string, error) {
	codes := map[string]string{}
	for _, f := range fs {
		if _, ok := codes[f.Feature]; ok {
			continue
		}
		var code sql.NullString
		err := v.s.db.QueryRowContext(v.ctx, `SELECT json_extract(b.geojson, '$.properties.maDoiTuong') FROM version_item i JOIN body b ON b.id = i.body_id
			WHERE i.feature_id = ? AND json_valid(b.geojson) ORDER BY i.version_id DESC LIMIT 1`, f.Feature).Scan(&code)
		if err != nil && err != sql.ErrNoRows {
			return codes, err
		}
		codes[f.Feature] = code.String
	}
	return codes, nil
}

// attachments recomputes every document's sha256 and size.
func (v *verifier) attachments() error {
	return v.rows(`SELECT a.id, a.dossier_id, p.code, a.name, a.size, a.sha256, a.data FROM attachment a
		JOIN dossier d ON d.id = a.dossier_id JOIN plan p ON p.id = d.plan_id ORDER BY a.id`, func(r *sql.Rows) error {
		var id, dossier, size int64
		var code, name string
		var sum, data []byte
		if err := r.Scan(&id, &dossier, &code, &name, &size, &sum, &data); err != nil {
			return err
		}
		where := fmt.Sprintf("attachment %d %q", id, name)
		if got := sha256.Sum256(data); !sameHash(got[:], sum) {
			v.add(Finding{Check: "attachment", Plan: code, Dossier: dossier, Problem: where + " was altered: its content does not match its sha256", Expected: "sha256 " + short(sum)})
		}
		if int64(len(data)) != size {
			v.add(Finding{Check: "attachment", Plan: code, Dossier: dossier, Problem: fmt.Sprintf("%s holds %d bytes", where, len(data)), Expected: fmt.Sprintf("%d bytes", size)})
		}
		return nil
	})
}

func sortedIDs[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// short writes the first 16 hex digits of a hash, as people compare them.
func short(h []byte) string {
	s := hex.EncodeToString(h)
	if len(s) > 16 {
		return s[:16]
	}
	return s
}

// stateOfItems recomputes a version's items state from its rows.
func (v *verifier) stateOfItems(verID int64) (*lthash.Hash, []item, error) {
	items, err := versionItems(v.ctx, v.s.db, verID)
	if err != nil {
		return nil, nil, err
	}
	var h lthash.Hash
	addItems(&h, items, false)
	return &h, items, nil
}
