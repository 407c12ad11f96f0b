package store

// Dossier packages (issue 15): one file that carries a dossier from one
// store to another — an officer's laptop to the board's reviewer — with
// no server between them.
//
// The file is a GeoPackage, so a reviewer without quyhoach opens it in
// QGIS: one feature table per layer the dossier changes, holding the lots
// it adds, modifies (as proposed) and deletes (as they were), in EPSG:9215
// with their properties and a change_kind column. What quyhoach needs to
// take the dossier in goes in attribute tables beside them (registered as
// 'attributes' in gpkg_contents): its record, the canonical bodies byte
// for byte, the change set with lineage, the steps, the links of its hash
// chain and the documents with their bytes.
//
// Unpacking checks all of it before anything is kept: the plan and the
// base version must be known here (by global id and seal), every body and
// document must match its hash, the chain must follow link by link and
// seal exactly the rows it carries. A dossier already here (by uid) takes
// the links it lacks, when its chain is a prefix of the package's; the
// same package again changes nothing.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/gis/gpkg"
)

// PackageFormat names a dossier package in its quyhoach_package table;
// packageVersion is the version of the layout this code writes and reads.
const (
	PackageFormat  = "quyhoach dossier package"
	packageVersion = 1
)

// ChangeKindColumn and ChangeParentsColumn are the columns a package's
// feature tables add to each lot's properties: add | modify | delete, and
// the ids of the lots it was split or merged from.
const (
	ChangeKindColumn    = "change_kind"
	ChangeParentsColumn = "change_parents"
)

// PackageError is a package refused, or a dossier that cannot be packed:
// Reason says why in one line. Key is Reason's English template and Data
// its values, for a face that says it in another language.
type PackageError struct {
	File   string
	Reason string
	Key    string
	Data   map[string]any
}

func (e *PackageError) Error() string {
	if e.File == "" {
		return e.Reason
	}
	return e.File + ": " + e.Reason
}

func packageErr(file, key string, data map[string]any) *PackageError {
	return &PackageError{File: file, Reason: fillTemplate(key, data), Key: key, Data: data}
}

// PackOptions tune PackDossier.
type PackOptions struct {
	Author string // who sends the dossier (the login by default, in the CLI and the window)
}

// PackResult is what a package holds.
type PackResult struct {
	Dossier     int64    `json:"dossier"`
	UID         string   `json:"uid"`
	Plan        string   `json:"plan"`
	State       string   `json:"state"`
	Changes     int      `json:"changes"`
	Steps       int      `json:"steps"`
	Attachments int      `json:"attachments"`
	Layers      []string `json:"layers"` // the feature tables, one per layer changed
	Head        string   `json:"head"`   // the chain's last link, hex
}

// UnpackResult is what unpacking did.
type UnpackResult struct {
	Dossier int64  `json:"dossier"` // its number in this store
	UID     string `json:"uid"`
	Plan    string `json:"plan"`
	Title   string `json:"title"`
	State   string `json:"state"`
	Author  string `json:"author,omitempty"`
	// Status: "new" (the dossier was not here), "appended" (new links
	// added), "updated" (a draft's change set replaced), "up to date"
	// (nothing to do: the same package again, or an older one).
	Status      string `json:"status"`
	Steps       int    `json:"steps"`           // steps added
	Attachments int    `json:"attachments"`     // documents added
	Changes     int    `json:"changes"`         // the change set's size
	Ahead       int    `json:"ahead,omitempty"` // links this store has that the package lacks
	// Base and Current are version numbers: when the plan moved on since
	// the dossier's base, it needs a rebase (Conflicts lists the lots both
	// changed), through the conflict flow of every dossier.
	Base      int        `json:"base"`
	Current   int        `json:"current"`
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

// Status values of UnpackResult.
const (
	UnpackNew      = "new"
	UnpackAppended = "appended"
	UnpackUpdated  = "updated"
	UnpackUpToDate = "up to date"
)

// NeedsRebase reports whether the plan moved on since the dossier's base.
func (r UnpackResult) NeedsRebase() bool {
	return r.Base != r.Current && r.State != Approved && r.State != Published && r.State != Withdrawn
}

// dossierPackage is a package in memory.
type dossierPackage struct {
	meta    map[string]string
	bodies  []pkgBody
	changes []pkgChange
	steps   []pkgStep
	links   []pkgLink
	atts    []pkgAttachment
}

type pkgBody struct {
	hash []byte
	text []byte
}

type pkgChange struct {
	feature, layer, op, parents string
	body                        []byte // the body's hash; nil for a deletion
}

type pkgStep struct {
	ref                                                         int64 // its id in the store it came from: links name it
	from, to, at, by, docNo, docDate, note, due, agency, signer string
	changes, made, prev, hash                                   []byte
}

type pkgLink struct {
	seq                 int
	kind                string
	ref                 int64
	content, prev, hash []byte
}

type pkgAttachment struct {
	ref               int64
	kind, name, added string
	size              int64
	sum, data         []byte
}

// PackDossier writes dossier id as a package at path (whole or not at
// all). A dossier whose chain does not verify here is not packed.
func (s *Store) PackDossier(ctx context.Context, id int64, path string, opt PackOptions) (PackResult, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return PackResult{}, err
	}
	defer tx.Rollback()
	p, layers, res, err := s.readDossierPackage(ctx, tx, id, opt)
	if err != nil {
		return res, wrapPack(fmt.Sprintf("pack dossier %d", id), err)
	}
	tx.Rollback() // everything is read: the file is written without holding the store
	srs, err := gpkg.SRSOf(crs.TM3LangSon)
	if err != nil {
		return res, err
	}
	err = atomicfile.Write(path, func(f *os.File) error {
		if err := writeGPKG(ctx, f.Name(), layers, srs); err != nil {
			return err
		}
		return writePackageTables(ctx, f.Name(), p)
	})
	if err != nil {
		return res, fmt.Errorf("store: pack dossier %d: %s: %w", id, path, err)
	}
	return res, nil
}

// wrapPack is wrap, keeping a PackageError's message as it is.
func wrapPack(op string, err error) error {
	var pe *PackageError
	if errors.As(err, &pe) {
		return err
	}
	return wrap(op, err)
}

// readDossierPackage reads everything a package of dossier id holds, and
// the feature tables that show its lots (EPSG:9215).
func (s *Store) readDossierPackage(ctx context.Context, tx *sql.Tx, id int64, opt PackOptions) (*dossierPackage, []gis.Layer, PackResult, error) {
	var res PackResult
	d, err := s.dossierTx(ctx, tx, id)
	if err != nil {
		return nil, nil, res, err
	}
	c, err := checkChain(ctx, tx, id)
	if err != nil {
		return nil, nil, res, err
	}
	if problem := chainProblem(c); problem != "" {
		return nil, nil, res, packageErr("", "dossier {{.ID}}: its chain does not verify here ({{.Problem}}); run quyhoach verify",
			map[string]any{"ID": id, "Problem": problem})
	}
	var planUID, planName, baseSeal, openSeal string
	var planID, baseID int64
	err = tx.QueryRowContext(ctx, `SELECT p.id, coalesce(p.uid, ''), p.name, d.base_version_id, hex(coalesce(v.seal, x'')) FROM dossier d
		JOIN plan p ON p.id = d.plan_id JOIN version v ON v.id = d.base_version_id WHERE d.id = ?`, id).Scan(&planID, &planUID, &planName, &baseID, &baseSeal)
	if err != nil {
		return nil, nil, res, err
	}
	if openSeal, err = openBaseSeal(ctx, tx, id, c.steps); err != nil {
		return nil, nil, res, err
	}
	var created string
	if err := tx.QueryRowContext(ctx, "SELECT created FROM dossier WHERE id = ?", id).Scan(&created); err != nil {
		return nil, nil, res, err
	}
	head, err := dossierHead(ctx, tx, id)
	if err != nil {
		return nil, nil, res, err
	}
	p := &dossierPackage{meta: map[string]string{
		"format": PackageFormat, "format_version": strconv.Itoa(packageVersion),
		"dossier_uid": d.UID, "dossier_number": strconv.FormatInt(d.ID, 10),
		"plan_uid": planUID, "plan_code": d.Plan, "plan_name": planName,
		"base_number": strconv.Itoa(d.Base), "base_seal": strings.ToLower(baseSeal), "open_base_seal": openSeal,
		"kind": d.Kind, "title": d.Title, "reason": d.Reason, "code": d.Code, "state": d.State, "created": created, "due": d.Due,
		"author": opt.Author, "packed_at": timeText(s.Now()), "head": hex.EncodeToString(head),
	}}
	if p.changes, p.bodies, err = packChanges(ctx, tx, id); err != nil {
		return nil, nil, res, err
	}
	if p.steps, err = packSteps(ctx, tx, id); err != nil {
		return nil, nil, res, err
	}
	for _, l := range c.links {
		p.links = append(p.links, pkgLink{seq: l.seq, kind: l.kind, ref: l.ref, content: l.content, prev: l.prev, hash: l.hash})
	}
	if p.atts, err = packAttachments(ctx, tx, id); err != nil {
		return nil, nil, res, err
	}
	layers, err := proposedLots(ctx, tx, id, baseID)
	if err != nil {
		return nil, nil, res, err
	}
	res = PackResult{Dossier: id, UID: d.UID, Plan: d.Plan, State: d.State, Changes: len(p.changes), Steps: len(p.steps),
		Attachments: len(p.atts), Head: hex.EncodeToString(head)}
	for _, l := range layers {
		res.Layers = append(res.Layers, l.Name)
	}
	return p, layers, res, nil
}

// chainProblem is the first thing wrong with a dossier's chain, "" when
// every link holds and every step is sealed.
func chainProblem(c chainCheck) string {
	if c.broken != 0 {
		p, _ := c.brokenProblem()
		return p
	}
	for _, l := range c.checks {
		if !l.OK {
			return l.Problem
		}
	}
	if len(c.unsealed) > 0 {
		return unsealedProblem(c.unsealed[0])
	}
	if len(c.links) == 0 || c.links[0].kind != "open" {
		return "its chain has no opening link"
	}
	return ""
}

// openBaseSeal is the seal (hex) of the version a dossier was opened on:
// its base, or the version its first rebase moved it from.
func openBaseSeal(ctx context.Context, q querier, id int64, steps map[int64]stepRow) (string, error) {
	var first *stepRow
	for _, s := range steps {
		if s.From == s.To && rebaseNote.MatchString(s.Note) && (first == nil || s.ID < first.ID) {
			first = &s
		}
	}
	var seal []byte
	var err error
	if first == nil {
		err = q.QueryRowContext(ctx, "SELECT coalesce(v.seal, x'') FROM dossier d JOIN version v ON v.id = d.base_version_id WHERE d.id = ?", id).Scan(&seal)
	} else {
		n, _ := strconv.Atoi(rebaseNote.FindStringSubmatch(first.Note)[1])
		err = q.QueryRowContext(ctx, "SELECT coalesce(v.seal, x'') FROM version v JOIN dossier d ON d.plan_id = v.plan_id WHERE d.id = ? AND v.number = ?", id, n).Scan(&seal)
	}
	return hex.EncodeToString(seal), err
}

// packChanges reads a dossier's change set and the bodies it names.
func packChanges(ctx context.Context, q querier, id int64) ([]pkgChange, []pkgBody, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id, l.name, c.op, c.parents, b.hash, b.geojson
		FROM dossier_change c JOIN layer l ON l.id = c.layer_id LEFT JOIN body b ON b.id = c.body_id
		WHERE c.dossier_id = ? ORDER BY c.feature_id`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var cs []pkgChange
	var bs []pkgBody
	seen := map[string]bool{}
	for rows.Next() {
		var c pkgChange
		var text []byte
		if err := rows.Scan(&c.feature, &c.layer, &c.op, &c.parents, &c.body, &text); err != nil {
			return nil, nil, err
		}
		if c.body != nil {
			if err := checkBody(c.feature, text, c.body); err != nil {
				return nil, nil, err
			}
			if !seen[string(c.body)] {
				seen[string(c.body)] = true
				bs = append(bs, pkgBody{hash: c.body, text: text})
			}
		}
		cs = append(cs, c)
	}
	return cs, bs, rows.Err()
}

// packSteps reads a dossier's transitions in order, as stored.
func packSteps(ctx context.Context, q querier, id int64) ([]pkgStep, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash
		FROM transition WHERE dossier_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pkgStep
	for rows.Next() {
		var s pkgStep
		if err := rows.Scan(&s.ref, &s.from, &s.to, &s.at, &s.by, &s.docNo, &s.docDate, &s.note, &s.due, &s.agency, &s.signer,
			&s.changes, &s.made, &s.prev, &s.hash); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// packAttachments reads a dossier's documents with their bytes, checked.
func packAttachments(ctx context.Context, q querier, id int64) ([]pkgAttachment, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, kind, name, size, sha256, added, data FROM attachment WHERE dossier_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pkgAttachment
	for rows.Next() {
		var a pkgAttachment
		if err := rows.Scan(&a.ref, &a.kind, &a.name, &a.size, &a.sum, &a.added, &a.data); err != nil {
			return nil, err
		}
		if sum := sha256.Sum256(a.data); !sameHash(sum[:], a.sum) {
			return nil, fmt.Errorf("attachment %d %q is damaged (sha256 mismatch); run quyhoach verify", a.ref, a.name)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// proposedLots are the feature tables of a package: per layer the dossier
// changes, its additions and modifications as proposed and its deletions
// as the base holds them, in the grid, with change_kind and change_parents.
func proposedLots(ctx context.Context, q querier, id, baseID int64) ([]gis.Layer, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id, l.name, c.op, c.parents, coalesce(b.geojson, ob.geojson), coalesce(b.hash, ob.hash),
		CASE WHEN c.body_id IS NULL THEN og.geom ELSE g.geom END
		FROM dossier_change c JOIN layer l ON l.id = c.layer_id
		LEFT JOIN body b ON b.id = c.body_id LEFT JOIN body_geom g ON g.body_id = c.body_id
		LEFT JOIN version_item o ON c.body_id IS NULL AND o.version_id = ? AND o.feature_id = c.feature_id
		LEFT JOIN body ob ON ob.id = o.body_id LEFT JOIN body_geom og ON og.body_id = o.body_id
		WHERE c.dossier_id = ? ORDER BY l.name, CASE c.op WHEN 'add' THEN 0 WHEN 'modify' THEN 1 ELSE 2 END, c.feature_id`, baseID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gis.Layer
	for rows.Next() {
		var fid, layer, op, parents string
		var text, hash, bin []byte
		if err := rows.Scan(&fid, &layer, &op, &parents, &text, &hash, &bin); err != nil {
			return nil, err
		}
		if text == nil {
			continue // a deletion of a lot the base lacks: nothing to show
		}
		if err := checkBody(fid, text, hash); err != nil {
			return nil, err
		}
		f, err := decodeGrid(fid, text, bin)
		if err != nil {
			return nil, err
		}
		if f.Properties == nil {
			f.Properties = map[string]any{}
		}
		f.Properties[ChangeKindColumn] = op
		var ps []string
		if err := jsonUnmarshalStrings(parents, &ps); err == nil && len(ps) > 0 {
			f.Properties[ChangeParentsColumn] = strings.Join(ps, ", ")
		}
		if len(out) == 0 || out[len(out)-1].Name != layer {
			out = append(out, gis.Layer{Name: layer})
		}
		out[len(out)-1].Features = append(out[len(out)-1].Features, f)
	}
	return out, rows.Err()
}

// packageTables are the attribute tables of a package, in the order they
// are written.
var packageTables = []struct{ name, columns, description string }{
	{"quyhoach_package", "key TEXT NOT NULL UNIQUE, value TEXT NOT NULL", "quyhoach: the dossier's record, its plan and base version's seal, who sent it"},
	{"quyhoach_body", "hash TEXT NOT NULL UNIQUE, geojson TEXT NOT NULL", "quyhoach: the canonical feature bodies (GeoJSON, WGS84) and their sha256"},
	{"quyhoach_change", "feature_id TEXT NOT NULL, layer TEXT NOT NULL, op TEXT NOT NULL, body_hash TEXT NOT NULL, parents TEXT NOT NULL", "quyhoach: the change set with lineage"},
	{"quyhoach_step", "ref INTEGER NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, doc_no TEXT NOT NULL, " +
		"doc_date TEXT NOT NULL, note TEXT NOT NULL, due TEXT NOT NULL, agency TEXT NOT NULL, signer TEXT NOT NULL, changes TEXT NOT NULL, " +
		"version_seal TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL", "quyhoach: the timeline, step by step"},
	{"quyhoach_link", "seq INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL, ref INTEGER, content TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL", "quyhoach: the dossier's hash chain"},
	{"quyhoach_attachment", "ref INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, added TEXT NOT NULL, data BLOB NOT NULL", "quyhoach: the documents, bytes and metadata"},
}

// writePackageTables adds the attribute tables to the GeoPackage at path.
func writePackageTables(ctx context.Context, path string, p *dossierPackage) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range packageTables {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE "+t.name+" (id INTEGER PRIMARY KEY AUTOINCREMENT, "+t.columns+")"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)`,
			t.name, t.name, t.description); err != nil {
			return err
		}
	}
	exec := func(q string, args ...any) {
		if err == nil {
			_, err = tx.ExecContext(ctx, q, args...)
		}
	}
	for _, k := range sortedKeys(p.meta) {
		exec("INSERT INTO quyhoach_package (key, value) VALUES (?, ?)", k, p.meta[k])
	}
	for _, b := range p.bodies {
		exec("INSERT INTO quyhoach_body (hash, geojson) VALUES (?, ?)", hex.EncodeToString(b.hash), string(b.text))
	}
	for _, c := range p.changes {
		exec("INSERT INTO quyhoach_change (feature_id, layer, op, body_hash, parents) VALUES (?, ?, ?, ?, ?)", c.feature, c.layer, c.op, hex.EncodeToString(c.body), c.parents)
	}
	for _, s := range p.steps {
		exec(`INSERT INTO quyhoach_step (ref, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ref, s.from, s.to, s.at, s.by, s.docNo, s.docDate, s.note, s.due, s.agency, s.signer,
			hex.EncodeToString(s.changes), hex.EncodeToString(s.made), hex.EncodeToString(s.prev), hex.EncodeToString(s.hash))
	}
	for _, l := range p.links {
		exec("INSERT INTO quyhoach_link (seq, kind, ref, content, prev, hash) VALUES (?, ?, ?, ?, ?, ?)", l.seq, l.kind, nullID(l.ref),
			hex.EncodeToString(l.content), hex.EncodeToString(l.prev), hex.EncodeToString(l.hash))
	}
	for _, a := range p.atts {
		exec("INSERT INTO quyhoach_attachment (ref, kind, name, size, sha256, added, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
			a.ref, a.kind, a.name, a.size, hex.EncodeToString(a.sum), a.added, nonNilBytes(a.data))
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

// ReadPackageInfo reads a package's record (format, dossier, plan, base
// version, author, …) without taking it in: what a dialog shows first.
func ReadPackageInfo(ctx context.Context, path string) (map[string]string, error) {
	p, err := readPackage(ctx, path)
	if err != nil {
		return nil, err
	}
	return p.meta, nil
}

// readPackage reads a package file and checks what it can by itself: its
// format, every body and document against its hash, and its chain link by
// link against the rows it seals.
func readPackage(ctx context.Context, path string) (*dossierPackage, error) {
	name := baseName(path)
	notPackage := func(why string) error {
		return packageErr(name, "not a dossier package ({{.Why}})", map[string]any{"Why": why})
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, packageErr(name, "no such file", nil)
		}
		return nil, err
	}
	if fi.IsDir() {
		return nil, notPackage("a folder")
	}
	head := make([]byte, 16)
	if f, err := os.Open(path); err == nil {
		n, _ := f.Read(head)
		f.Close()
		head = head[:n]
	}
	if !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return nil, notPackage("not a GeoPackage")
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	db, err := sql.Open("sqlite", fileURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'quyhoach_package' AND type = 'table'").Scan(&n); err != nil {
		return nil, notPackage("not a GeoPackage")
	}
	if n == 0 {
		var app int64
		if db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); app != 0x47504B47 { // "GPKG"
			return nil, notPackage("not a GeoPackage")
		}
		return nil, notPackage("a GeoPackage without a quyhoach dossier in it")
	}
	p := &dossierPackage{meta: map[string]string{}}
	if err := readPackageRows(ctx, db, p); err != nil {
		return nil, packageErr(name, "the package is damaged ({{.Err}})", map[string]any{"Err": err.Error()})
	}
	if p.meta["format"] != PackageFormat {
		return nil, notPackage("a GeoPackage without a quyhoach dossier in it")
	}
	if v, err := strconv.Atoi(p.meta["format_version"]); err != nil || v > packageVersion {
		return nil, packageErr(name, "written by a newer quyhoach (package format {{.Version}}); update quyhoach to read it", map[string]any{"Version": p.meta["format_version"]})
	}
	if err := p.check(); err != nil {
		err.File = name
		return nil, err
	}
	return p, nil
}

// readPackageRows reads the attribute tables of a package.
func readPackageRows(ctx context.Context, db *sql.DB, p *dossierPackage) error {
	unhex := func(s string, into *[]byte) {
		if b, err := hex.DecodeString(s); err == nil {
			*into = b
		} else {
			*into = []byte("\x00bad hex") // matches no hash: the checks name it
		}
	}
	read := func(query string, scan func(r *sql.Rows) error) error {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := read("SELECT key, value FROM quyhoach_package", func(r *sql.Rows) error {
		var k, v string
		err := r.Scan(&k, &v)
		p.meta[k] = v
		return err
	})
	if err != nil {
		return err
	}
	if err := read("SELECT hash, CAST(geojson AS BLOB) FROM quyhoach_body ORDER BY id", func(r *sql.Rows) error {
		var b pkgBody
		var h string
		err := r.Scan(&h, &b.text)
		unhex(h, &b.hash)
		p.bodies = append(p.bodies, b)
		return err
	}); err != nil {
		return err
	}
	if err := read("SELECT feature_id, layer, op, body_hash, parents FROM quyhoach_change ORDER BY id", func(r *sql.Rows) error {
		var c pkgChange
		var h string
		err := r.Scan(&c.feature, &c.layer, &c.op, &h, &c.parents)
		if h != "" {
			unhex(h, &c.body)
		}
		p.changes = append(p.changes, c)
		return err
	}); err != nil {
		return err
	}
	if err := read(`SELECT ref, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash
		FROM quyhoach_step ORDER BY id`, func(r *sql.Rows) error {
		var s pkgStep
		var ch, made, prev, h string
		err := r.Scan(&s.ref, &s.from, &s.to, &s.at, &s.by, &s.docNo, &s.docDate, &s.note, &s.due, &s.agency, &s.signer, &ch, &made, &prev, &h)
		unhex(ch, &s.changes)
		unhex(made, &s.made)
		unhex(prev, &s.prev)
		unhex(h, &s.hash)
		p.steps = append(p.steps, s)
		return err
	}); err != nil {
		return err
	}
	if err := read("SELECT seq, kind, coalesce(ref, 0), content, prev, hash FROM quyhoach_link ORDER BY seq", func(r *sql.Rows) error {
		var l pkgLink
		var content, prev, h string
		err := r.Scan(&l.seq, &l.kind, &l.ref, &content, &prev, &h)
		unhex(content, &l.content)
		unhex(prev, &l.prev)
		unhex(h, &l.hash)
		p.links = append(p.links, l)
		return err
	}); err != nil {
		return err
	}
	return read("SELECT ref, kind, name, size, sha256, added, data FROM quyhoach_attachment ORDER BY id", func(r *sql.Rows) error {
		var a pkgAttachment
		var sum string
		err := r.Scan(&a.ref, &a.kind, &a.name, &a.size, &sum, &a.added, &a.data)
		unhex(sum, &a.sum)
		p.atts = append(p.atts, a)
		return err
	})
}

// check holds a package's bodies and documents to their hashes and its
// chain to itself: each link hashed over the one before it, each step and
// document link sealing the row the package carries. The opening link and
// the change set are checked against the store they arrive in (unpack).
func (p *dossierPackage) check() *PackageError {
	altered := func(key string, data map[string]any) *PackageError {
		return packageErr("", key, data)
	}
	bodies := map[string]bool{}
	for _, b := range p.bodies {
		if sum := sha256.Sum256(b.text); !sameHash(sum[:], b.hash) {
			id := ""
			for _, c := range p.changes {
				if sameHash(c.body, b.hash) {
					id = c.feature
				}
			}
			return altered("the body of feature {{.Feature}} does not match its sha256: the package was altered", map[string]any{"Feature": id})
		}
		bodies[string(b.hash)] = true
	}
	for _, c := range p.changes {
		switch {
		case !slices.Contains([]string{"add", "modify", "delete"}, c.op):
			return altered("feature {{.Feature}}: unknown change {{.Op}}", map[string]any{"Feature": c.feature, "Op": c.op})
		case (c.op == "delete") != (c.body == nil):
			return altered("feature {{.Feature}}: a {{.Op}} with the wrong body", map[string]any{"Feature": c.feature, "Op": c.op})
		case c.body != nil && !bodies[string(c.body)]:
			return altered("feature {{.Feature}}: its body is not in the package", map[string]any{"Feature": c.feature})
		}
	}
	atts := map[int64]pkgAttachment{}
	for _, a := range p.atts {
		if sum := sha256.Sum256(a.data); !sameHash(sum[:], a.sum) || a.size != int64(len(a.data)) {
			return altered("document {{.Name}} does not match its sha256: the package was altered", map[string]any{"Name": a.name})
		}
		if !slices.Contains(AttachmentKinds, a.kind) {
			return altered("document {{.Name}} is of an unknown kind {{.Kind}}", map[string]any{"Name": a.name, "Kind": a.kind})
		}
		atts[a.ref] = a
	}
	steps := map[int64]pkgStep{}
	for _, s := range p.steps {
		steps[s.ref] = s
	}
	broken := func(seq int) *PackageError {
		return altered("the dossier's chain does not verify at link {{.Seq}} of {{.N}}: the package was altered", map[string]any{"Seq": seq, "N": len(p.links)})
	}
	if len(p.links) == 0 || p.links[0].kind != "open" {
		return altered("the dossier's chain has no opening link: the package was altered", nil)
	}
	prev := zeroHash
	sealed := map[int64]bool{}
	for i, l := range p.links {
		if l.seq != i+1 || !sameHash(l.prev, prev) || !sameHash(linkHash(prev, l.kind, l.content, ""), l.hash) {
			return broken(i + 1)
		}
		prev = l.hash
		switch l.kind {
		case "open":
			if i != 0 {
				return broken(i + 1)
			}
		case "step":
			s, ok := steps[l.ref]
			if !ok || sealed[l.ref] {
				return broken(i + 1)
			}
			sealed[l.ref] = true
			t := Transition{From: s.from, To: s.to, By: s.by, DocNo: s.docNo, DocDate: s.docDate, Note: s.note, Due: s.due, Agency: s.agency, Signer: s.signer}
			if !sameHash(stepDigest(t, s.at, s.changes, s.made), l.content) || !sameHash(s.prev, l.prev) || !sameHash(s.hash, l.hash) {
				return altered("step {{.From}} → {{.To}} of {{.At}} was altered after it was sealed: the package was altered",
					map[string]any{"From": s.from, "To": s.to, "At": s.at})
			}
		case "attach":
			a, ok := atts[l.ref]
			if !ok || !sameHash(attachDigest(a.kind, a.name, a.size, a.sum, a.added), l.content) {
				return broken(i + 1)
			}
		default:
			return broken(i + 1)
		}
	}
	if len(sealed) != len(p.steps) {
		return altered("the package carries a step its chain does not seal: the package was altered", nil)
	}
	if hex.EncodeToString(prev) != p.meta["head"] {
		return broken(len(p.links))
	}
	t := p.meta
	base, _ := hex.DecodeString(t["open_base_seal"])
	if !sameHash(openDigest(t["dossier_uid"], t["plan_uid"], t["kind"], base, t["title"], t["reason"], t["code"], t["created"]), p.links[0].content) {
		return altered("the dossier's record (title, reason, kind, code, base version) is not the one its chain opened with: the package was altered", nil)
	}
	return nil
}

// state is where the package's last step left the dossier, and its due date.
func (p *dossierPackage) state() (state, due string) {
	state = Draft
	for _, l := range p.links {
		if l.kind != "step" {
			continue
		}
		for _, s := range p.steps {
			if s.ref == l.ref {
				state, due = s.to, s.due
			}
		}
	}
	return state, due
}

// UnpackDossier takes the dossier of the package at path into the store,
// in one transaction: all of it, or nothing with the reason.
func (s *Store) UnpackDossier(ctx context.Context, path string) (UnpackResult, error) {
	p, err := readPackage(ctx, path)
	if err != nil {
		return UnpackResult{}, err
	}
	var res UnpackResult
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.unpackTx(ctx, tx, p)
		return err
	})
	if err != nil {
		var pe *PackageError
		if errors.As(err, &pe) {
			pe.File = baseName(path)
			return UnpackResult{}, pe
		}
		return UnpackResult{}, wrap("unpack "+baseName(path), err)
	}
	return res, nil
}

func (s *Store) unpackTx(ctx context.Context, tx *sql.Tx, p *dossierPackage) (UnpackResult, error) {
	m := p.meta
	res := UnpackResult{UID: m["dossier_uid"], Title: m["title"], Author: m["author"], Changes: len(p.changes)}
	var planID int64
	err := tx.QueryRowContext(ctx, "SELECT id, code FROM plan WHERE uid = ?", m["plan_uid"]).Scan(&planID, &res.Plan)
	if errors.Is(err, sql.ErrNoRows) {
		return res, packageErr("", "its plan {{.Plan}} ({{.Name}}, id {{.UID}}) is not in this store", map[string]any{"Plan": m["plan_code"], "Name": m["plan_name"], "UID": m["plan_uid"]})
	}
	if err != nil {
		return res, err
	}
	baseSeal, _ := hex.DecodeString(m["base_seal"])
	var baseID int64
	err = tx.QueryRowContext(ctx, "SELECT id, number FROM version WHERE plan_id = ? AND seal = ?", planID, baseSeal).Scan(&baseID, &res.Base)
	if errors.Is(err, sql.ErrNoRows) {
		return res, packageErr("", "its base, version {{.Version}} of plan {{.Plan}} (seal {{.Seal}}), is not in this store: it holds another history of the plan",
			map[string]any{"Version": m["base_number"], "Plan": res.Plan, "Seal": short(baseSeal)})
	}
	if err != nil {
		return res, err
	}
	// An approval made a version where it was recorded; a package does not
	// carry versions, so the store must hold that one already.
	var approvedID int64
	for _, st := range p.steps {
		if st.to != Approved || st.from == Approved {
			continue
		}
		err := tx.QueryRowContext(ctx, "SELECT id FROM version WHERE plan_id = ? AND seal = ?", planID, st.made).Scan(&approvedID)
		if errors.Is(err, sql.ErrNoRows) {
			return res, packageErr("", "the dossier was approved in another store, as a version of plan {{.Plan}} (seal {{.Seal}}) this store does not hold",
				map[string]any{"Plan": res.Plan, "Seal": short(st.made)})
		}
		if err != nil {
			return res, err
		}
	}
	state, due := p.state()
	var id int64
	var localState string
	err = tx.QueryRowContext(ctx, "SELECT id, state FROM dossier WHERE uid = ?", res.UID).Scan(&id, &localState)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r, err := tx.ExecContext(ctx, `INSERT INTO dossier (uid, plan_id, kind, base_version_id, title, reason, code, state, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?)`, res.UID, planID, m["kind"], baseID, m["title"], m["reason"], m["code"], m["created"])
		if err != nil {
			return res, err
		}
		id, _ = r.LastInsertId()
		localState, res.Status = Draft, UnpackNew
	case err != nil:
		return res, err
	}
	res.Dossier = id
	local, err := readLinks(ctx, tx, "SELECT seq, kind, ref, content, prev, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq", id, false)
	if err != nil {
		return res, err
	}
	for i := range min(len(local), len(p.links)) {
		if !sameHash(local[i].hash, p.links[i].hash) {
			return res, packageErr("", "dossier {{.ID}} here and the package part at link {{.Seq}}: steps or documents were recorded on both sides since they last met",
				map[string]any{"ID": id, "Seq": i + 1})
		}
	}
	digest, err := changesDigest(ctx, tx, id)
	if err != nil {
		return res, err
	}
	sameChanges := sameHash(digest, p.changesDigest())
	if len(local) >= len(p.links) {
		res.Status, res.Ahead, res.State = UnpackUpToDate, len(local)-len(p.links), localState
		if localState == Draft && len(local) == len(p.links) && !sameChanges {
			// a draft the officer kept editing: its change set, unsealed, follows the package
			if err := s.replaceChanges(ctx, tx, id, planID, p); err != nil {
				return res, err
			}
			res.Status = UnpackUpdated
		}
		return s.unpackDone(ctx, tx, p, res, id, planID, baseID)
	}
	if res.Status == "" {
		res.Status = UnpackAppended
	}
	if !sameChanges {
		if err := s.replaceChanges(ctx, tx, id, planID, p); err != nil {
			return res, err
		}
	}
	steps := map[int64]pkgStep{}
	for _, st := range p.steps {
		steps[st.ref] = st
	}
	atts := map[int64]pkgAttachment{}
	for _, a := range p.atts {
		atts[a.ref] = a
	}
	for _, l := range p.links[len(local):] {
		var ref int64
		switch l.kind {
		case "step":
			st := steps[l.ref]
			r, err := tx.ExecContext(ctx, `INSERT INTO transition (dossier_id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, st.from, st.to, st.at, st.by, st.docNo, st.docDate, st.note, st.due, st.agency, st.signer,
				nonNilBytes(st.changes), nonNilBytes(st.made), st.prev, st.hash)
			if err != nil {
				return res, err
			}
			ref, _ = r.LastInsertId()
			res.Steps++
		case "attach":
			a := atts[l.ref]
			r, err := tx.ExecContext(ctx, `INSERT INTO attachment (dossier_id, kind, name, size, sha256, data, added) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, a.kind, a.name, a.size, a.sum, nonNilBytes(a.data), a.added)
			if err != nil {
				return res, err
			}
			ref, _ = r.LastInsertId()
			res.Attachments++
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_link (dossier_id, seq, kind, ref, content, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, l.seq, l.kind, nullID(ref), l.content, l.prev, l.hash); err != nil {
			return res, err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE dossier SET base_version_id = ?, state = ?, due = ?, approved_version_id = ? WHERE id = ?",
		baseID, state, due, nullID(approvedID), id); err != nil {
		return res, err
	}
	// the plan's journal records the dossier's new head, as each step does
	head := p.links[len(p.links)-1].hash
	if _, err := appendPlanLink(ctx, tx, planID, "dossier", id, head, timeText(s.Now())); err != nil {
		return res, err
	}
	res.State = state
	return s.unpackDone(ctx, tx, p, res, id, planID, baseID)
}

// unpackDone checks the dossier as it now stands here with the store's
// own rules — its chain link by link, its change set against the one its
// last step sealed — and says where it stands against the plan.
func (s *Store) unpackDone(ctx context.Context, tx *sql.Tx, p *dossierPackage, res UnpackResult, id, planID, baseID int64) (UnpackResult, error) {
	c, err := checkChain(ctx, tx, id)
	if err != nil {
		return res, err
	}
	if problem := chainProblem(c); problem != "" {
		return res, packageErr("", "the dossier's chain does not verify here ({{.Problem}})", map[string]any{"Problem": problem})
	}
	var last *stepRow
	for _, l := range c.links {
		if st, ok := c.steps[l.ref]; ok && l.kind == "step" {
			last = &st
		}
	}
	if last != nil && last.To != Draft && len(last.changes) > 0 {
		now, err := changesDigest(ctx, tx, id)
		if err != nil {
			return res, err
		}
		if !sameHash(now, last.changes) {
			return res, packageErr("", "its change set is not the one sealed at its last step ({{.State}}): the package was altered", map[string]any{"State": last.To})
		}
	}
	var curID int64
	if err := tx.QueryRowContext(ctx, "SELECT v.id, v.number FROM plan p JOIN version v ON v.id = p.current_version WHERE p.id = ?", planID).Scan(&curID, &res.Current); err != nil {
		return res, err
	}
	if err := tx.QueryRowContext(ctx, "SELECT v.number, d.state FROM dossier d JOIN version v ON v.id = d.base_version_id WHERE d.id = ?", id).Scan(&res.Base, &res.State); err != nil {
		return res, err
	}
	if res.NeedsRebase() {
		_, bID, err := versionID(ctx, tx, res.Plan, res.Base)
		if err != nil {
			return res, err
		}
		ids, codes, err := conflicts(ctx, tx, id, bID, curID)
		if err != nil {
			return res, err
		}
		for i := range ids {
			res.Conflicts = append(res.Conflicts, Conflict{Feature: ids[i], Code: codes[i]})
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dossier_change WHERE dossier_id = ?", id).Scan(&n); err != nil {
		return res, err
	}
	res.Changes = n
	return res, nil
}

// changesDigest is the digest of the package's change set, as the store's
// changesDigest makes it of a dossier's rows.
func (p *dossierPackage) changesDigest() []byte {
	cs := slices.Clone(p.changes)
	sort.Slice(cs, func(i, j int) bool { return cs[i].feature < cs[j].feature })
	h := sha256.New()
	for _, c := range cs {
		line := jsonLine(c.feature, c.layer, c.op, hex.EncodeToString(c.body), c.parents)
		h.Write(line)
	}
	return h.Sum(nil)
}

// replaceChanges makes a dossier's change set the package's: its bodies
// stored (once each, with their derived forms), its layers made.
func (s *Store) replaceChanges(ctx context.Context, tx *sql.Tx, id, planID int64, p *dossierPackage) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM dossier_change WHERE dossier_id = ?", id); err != nil {
		return err
	}
	w, err := newBodyWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	bodyIDs := map[string]int64{}
	for lo := 0; lo < len(p.bodies); lo += batchRows {
		hi := min(lo+batchRows, len(p.bodies))
		bs := make([]*body, hi-lo)
		errs := make([]error, hi-lo)
		parallel(hi-lo, func(i int) { bs[i], errs[i] = bodyOfText(p.bodies[lo+i].text) })
		for _, err := range errs {
			if err != nil {
				return packageErr("", "a body of the package cannot be read ({{.Err}})", map[string]any{"Err": err.Error()})
			}
		}
		ids, err := w.putMany(ctx, bs)
		if err != nil {
			return err
		}
		for i, b := range bs {
			bodyIDs[string(b.hash[:])] = ids[i]
		}
	}
	if err := w.finish(ctx); err != nil {
		return err
	}
	layers := map[string]int64{}
	for _, c := range p.changes {
		lid, ok := layers[c.layer]
		if !ok {
			if lid, err = ensureLayer(ctx, tx, planID, gis.Layer{Name: c.layer}); err != nil {
				return err
			}
			layers[c.layer] = lid
		}
		var b any
		if c.body != nil {
			b = bodyIDs[string(c.body)]
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO dossier_change (dossier_id, feature_id, layer_id, op, body_id, parents) VALUES (?, ?, ?, ?, ?, ?)",
			id, c.feature, lid, c.op, b, c.parents); err != nil {
			return err
		}
	}
	return nil
}

// bodyOfText is a stored body made of its canonical text, kept byte for
// byte, with what the store derives from it (box, grid form, measure).
func bodyOfText(text []byte) (*body, error) {
	f, err := geojson.ParseFeature(text)
	if err != nil {
		return nil, err
	}
	b := &body{text: text, hash: sha256.Sum256(text)}
	if f.Geometry != nil {
		b.bbox, b.geom = f.Geometry.Bound(), true
		b.grid = gridForm(f.Geometry)
	}
	b.meas, err = bodyMeasure(b.text, propsOf(f), b.grid)
	return b, err
}

// jsonLine is one line of a change set's digest (see changesDigest).
func jsonLine(fields ...string) []byte {
	b, _ := json.Marshal(fields)
	return append(b, '\n')
}

func jsonUnmarshalStrings(s string, into *[]string) error { return json.Unmarshal([]byte(s), into) }
