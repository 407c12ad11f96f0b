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
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
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
	// Err is the typed error behind Reason, when there is one (a
	// *DivergedError: the dossier moved on both sides).
	Err error
}

func (e *PackageError) Unwrap() error { return e.Err }

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
	// Replayed counts this store's own steps and documents recorded again
	// after the other store's (a pull with TakeOptions.Replay).
	Replayed int `json:"replayed,omitempty"`
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

// PackDossier writes dossier id as a package at path (whole or not at
// all). A dossier whose chain does not verify here is not packed.
func (s *Store) PackDossier(ctx context.Context, id int64, path string, opt PackOptions) (PackResult, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return PackResult{}, err
	}
	defer tx.Rollback()
	b, layers, res, err := s.readDossierPackage(ctx, tx, id, opt)
	if err != nil {
		return res, wrapPack(fmt.Sprintf("pack dossier %d", id), err)
	}
	tx.Rollback() // everything is read: the file is written without holding the store
	srs, err := gpkg.SRSOf(crs.TM3LangSon)
	if err != nil {
		return res, err
	}
	meta := packageMeta(b, timeText(s.Now()))
	err = atomicfile.Write(path, func(f *os.File) error {
		if err := writeGPKG(ctx, f.Name(), layers, srs); err != nil {
			return err
		}
		return writePackageTables(ctx, f.Name(), meta, b)
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
func (s *Store) readDossierPackage(ctx context.Context, tx *sql.Tx, id int64, opt PackOptions) (*DossierBundle, []gis.Layer, PackResult, error) {
	var res PackResult
	b, err := s.readDossierBundle(ctx, tx, id)
	if err != nil {
		return nil, nil, res, err
	}
	b.Author = opt.Author
	var baseID int64
	if err := tx.QueryRowContext(ctx, "SELECT base_version_id FROM dossier WHERE id = ?", id).Scan(&baseID); err != nil {
		return nil, nil, res, err
	}
	layers, err := proposedLots(ctx, tx, id, baseID)
	if err != nil {
		return nil, nil, res, err
	}
	res = PackResult{Dossier: id, UID: b.UID, Plan: b.PlanCode, State: b.State, Changes: len(b.Changes), Steps: len(b.Steps),
		Attachments: len(b.Attachments), Head: hex.EncodeToString(b.Head)}
	for _, l := range layers {
		res.Layers = append(res.Layers, l.Name)
	}
	return b, layers, res, nil
}

// packageMeta is a package's record (its quyhoach_package table).
func packageMeta(b *DossierBundle, packedAt string) map[string]string {
	return map[string]string{
		"format": PackageFormat, "format_version": strconv.Itoa(packageVersion),
		"dossier_uid": b.UID, "dossier_number": strconv.FormatInt(b.Number, 10),
		"plan_uid": b.PlanUID, "plan_code": b.PlanCode, "plan_name": b.PlanName,
		"base_number": strconv.Itoa(b.BaseNumber), "base_seal": hex.EncodeToString(b.BaseSeal), "open_base_seal": hex.EncodeToString(b.OpenBaseSeal),
		"kind": b.Kind, "title": b.Title, "reason": b.Reason, "code": b.Code, "state": b.State, "created": b.Created, "due": b.Due,
		"author": b.Author, "packed_at": packedAt, "head": hex.EncodeToString(b.Head),
	}
}

// bundleOfMeta fills a bundle's record from a package's.
func bundleOfMeta(m map[string]string) *DossierBundle {
	unhex := func(s string) []byte {
		if b, err := hex.DecodeString(s); err == nil {
			return b
		}
		return []byte("\x00bad hex") // matches no hash: the checks name it
	}
	b := &DossierBundle{UID: m["dossier_uid"], PlanUID: m["plan_uid"], PlanCode: m["plan_code"], PlanName: m["plan_name"],
		Kind: m["kind"], Title: m["title"], Reason: m["reason"], Code: m["code"], State: m["state"], Created: m["created"], Due: m["due"],
		BaseSeal: unhex(m["base_seal"]), OpenBaseSeal: unhex(m["open_base_seal"]), Author: m["author"], Head: unhex(m["head"])}
	b.Number, _ = strconv.ParseInt(m["dossier_number"], 10, 64)
	b.BaseNumber, _ = strconv.Atoi(m["base_number"])
	return b
}

// proposedLots are the feature tables of a package: per layer the dossier
// changes, its additions and modifications as proposed and its deletions
// as the base holds them, in the grid, with change_kind and change_parents.
func proposedLots(ctx context.Context, q querier, id, baseID int64) ([]gis.Layer, error) {
	base, err := versionAt(ctx, q, baseID)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT c.feature_id, l.name, c.op, c.parents, coalesce(b.geojson, ob.geojson), coalesce(b.hash, ob.hash),
		CASE WHEN c.body_id IS NULL THEN og.geom ELSE g.geom END
		FROM dossier_change c JOIN layer l ON l.id = c.layer_id
		LEFT JOIN body b ON b.id = c.body_id LEFT JOIN body_geom g ON g.body_id = c.body_id
		LEFT JOIN item o ON c.body_id IS NULL AND `+base.on("o")+` AND o.feature_id = c.feature_id
		LEFT JOIN body ob ON ob.id = o.body_id LEFT JOIN body_geom og ON og.body_id = o.body_id
		WHERE c.dossier_id = ? ORDER BY l.name, CASE c.op WHEN 'add' THEN 0 WHEN 'modify' THEN 1 ELSE 2 END, c.feature_id`, id)
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
func writePackageTables(ctx context.Context, path string, meta map[string]string, p *DossierBundle) error {
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
	for _, k := range sortedKeys(meta) {
		exec("INSERT INTO quyhoach_package (key, value) VALUES (?, ?)", k, meta[k])
	}
	for _, b := range p.Bodies {
		exec("INSERT INTO quyhoach_body (hash, geojson) VALUES (?, ?)", hex.EncodeToString(b.Hash), string(b.GeoJSON))
	}
	for _, c := range p.Changes {
		exec("INSERT INTO quyhoach_change (feature_id, layer, op, body_hash, parents) VALUES (?, ?, ?, ?, ?)", c.Feature, c.Layer, c.Op, hex.EncodeToString(c.Body), c.Parents)
	}
	for _, s := range p.Steps {
		exec(`INSERT INTO quyhoach_step (ref, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.Ref, s.From, s.To, s.At, s.By, s.DocNo, s.DocDate, s.Note, s.Due, s.Agency, s.Signer,
			hex.EncodeToString(s.Changes), hex.EncodeToString(s.Made), hex.EncodeToString(s.Prev), hex.EncodeToString(s.Hash))
	}
	for _, l := range p.Links {
		exec("INSERT INTO quyhoach_link (seq, kind, ref, content, prev, hash) VALUES (?, ?, ?, ?, ?, ?)", l.Seq, l.Kind, nullID(l.Ref),
			hex.EncodeToString(l.Content), hex.EncodeToString(l.Prev), hex.EncodeToString(l.Hash))
	}
	for _, a := range p.Attachments {
		exec("INSERT INTO quyhoach_attachment (ref, kind, name, size, sha256, added, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
			a.Ref, a.Kind, a.Name, a.Size, hex.EncodeToString(a.Sum), a.Added, nonNilBytes(a.Data))
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

// ReadPackageInfo reads a package's record (format, dossier, plan, base
// version, author, …) without taking it in: what a dialog shows first.
func ReadPackageInfo(ctx context.Context, path string) (map[string]string, error) {
	_, meta, err := readPackage(ctx, path)
	return meta, err
}

// readPackage reads a package file and checks what it can by itself: its
// format, every body and document against its hash, and its chain link by
// link against the rows it seals.
func readPackage(ctx context.Context, path string) (*DossierBundle, map[string]string, error) {
	name := baseName(path)
	notPackage := func(why string) error {
		return packageErr(name, "not a dossier package ({{.Why}})", map[string]any{"Why": why})
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, packageErr(name, "no such file", nil)
		}
		return nil, nil, err
	}
	if fi.IsDir() {
		return nil, nil, notPackage("a folder")
	}
	head := make([]byte, 16)
	if f, err := os.Open(path); err == nil {
		n, _ := f.Read(head)
		f.Close()
		head = head[:n]
	}
	if !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return nil, nil, notPackage("not a GeoPackage")
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	db, err := sql.Open("sqlite", fileURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'quyhoach_package' AND type = 'table'").Scan(&n); err != nil {
		return nil, nil, notPackage("not a GeoPackage")
	}
	if n == 0 {
		var app int64
		if db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&app); app != 0x47504B47 { // "GPKG"
			return nil, nil, notPackage("not a GeoPackage")
		}
		return nil, nil, notPackage("a GeoPackage without a quyhoach dossier in it")
	}
	meta := map[string]string{}
	p, err := readPackageRows(ctx, db, meta)
	if err != nil {
		return nil, nil, packageErr(name, "the package is damaged ({{.Err}})", map[string]any{"Err": err.Error()})
	}
	if meta["format"] != PackageFormat {
		return nil, nil, notPackage("a GeoPackage without a quyhoach dossier in it")
	}
	if v, err := strconv.Atoi(meta["format_version"]); err != nil || v > packageVersion {
		return nil, nil, packageErr(name, "written by a newer quyhoach (package format {{.Version}}); update quyhoach to read it", map[string]any{"Version": meta["format_version"]})
	}
	if err := p.check(); err != nil {
		err.File = name
		return nil, nil, err
	}
	return p, meta, nil
}

// readPackageRows reads the attribute tables of a package.
func readPackageRows(ctx context.Context, db *sql.DB, meta map[string]string) (*DossierBundle, error) {
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
		meta[k] = v
		return err
	})
	if err != nil {
		return nil, err
	}
	p := bundleOfMeta(meta)
	if err := read("SELECT hash, CAST(geojson AS BLOB) FROM quyhoach_body ORDER BY id", func(r *sql.Rows) error {
		var b Body
		var h string
		err := r.Scan(&h, &b.GeoJSON)
		unhex(h, &b.Hash)
		p.Bodies = append(p.Bodies, b)
		return err
	}); err != nil {
		return nil, err
	}
	if err := read("SELECT feature_id, layer, op, body_hash, parents FROM quyhoach_change ORDER BY id", func(r *sql.Rows) error {
		var c ChangeBundle
		var h string
		err := r.Scan(&c.Feature, &c.Layer, &c.Op, &h, &c.Parents)
		if h != "" {
			unhex(h, &c.Body)
		}
		p.Changes = append(p.Changes, c)
		return err
	}); err != nil {
		return nil, err
	}
	if err := read(`SELECT ref, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash
		FROM quyhoach_step ORDER BY id`, func(r *sql.Rows) error {
		var s StepBundle
		var ch, made, prev, h string
		err := r.Scan(&s.Ref, &s.From, &s.To, &s.At, &s.By, &s.DocNo, &s.DocDate, &s.Note, &s.Due, &s.Agency, &s.Signer, &ch, &made, &prev, &h)
		unhex(ch, &s.Changes)
		unhex(made, &s.Made)
		unhex(prev, &s.Prev)
		unhex(h, &s.Hash)
		p.Steps = append(p.Steps, s)
		return err
	}); err != nil {
		return nil, err
	}
	if err := read("SELECT seq, kind, coalesce(ref, 0), content, prev, hash FROM quyhoach_link ORDER BY seq", func(r *sql.Rows) error {
		var l LinkBundle
		var content, prev, h string
		err := r.Scan(&l.Seq, &l.Kind, &l.Ref, &content, &prev, &h)
		unhex(content, &l.Content)
		unhex(prev, &l.Prev)
		unhex(h, &l.Hash)
		p.Links = append(p.Links, l)
		return err
	}); err != nil {
		return nil, err
	}
	return p, read("SELECT ref, kind, name, size, sha256, added, data FROM quyhoach_attachment ORDER BY id", func(r *sql.Rows) error {
		var a AttachmentBundle
		var sum string
		err := r.Scan(&a.Ref, &a.Kind, &a.Name, &a.Size, &sum, &a.Added, &a.Data)
		unhex(sum, &a.Sum)
		p.Attachments = append(p.Attachments, a)
		return err
	})
}

// UnpackDossier takes the dossier of the package at path into the store,
// in one transaction: all of it, or nothing with the reason.
func (s *Store) UnpackDossier(ctx context.Context, path string) (UnpackResult, error) {
	p, _, err := readPackage(ctx, path)
	if err != nil {
		return UnpackResult{}, err
	}
	var res UnpackResult
	err = s.tx(ctx, func(tx *sql.Tx) error {
		t := &taking{s: s, tx: tx, now: timeText(s.Now())}
		if err := t.dossierRecord(ctx, p); err != nil {
			return err
		}
		res, err = t.dossier(ctx, p)
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

// jsonLine is one line of a change set's digest (see changesDigest).
func jsonLine(fields ...string) []byte {
	b, _ := json.Marshal(fields)
	return append(b, '\n')
}

func jsonUnmarshalStrings(s string, into *[]string) error { return json.Unmarshal([]byte(s), into) }
