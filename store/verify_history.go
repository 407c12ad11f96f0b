package store

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"quyhoach/gis"
)

// link is one link of a plan's journal or a dossier's chain, as stored.
type link struct {
	seq                 int
	kind                string
	ref                 int64
	content, prev, hash []byte
	at                  string
}

// chainBreaks checks links' order and hashes; it returns the first link
// that does not follow from the ones before it (0: none).
func chainBreaks(links []link) int {
	prev := zeroHash
	for i, l := range links {
		if l.seq != i+1 || !sameHash(l.prev, prev) || !sameHash(linkHash(prev, l.kind, l.content, l.at), l.hash) {
			return i + 1
		}
		prev = l.hash
	}
	return 0
}

func (v *verifier) links(query string, id int64, withAt bool) ([]link, error) {
	return readLinks(v.ctx, v.s.db, query, id, withAt)
}

// plans checks each plan's journal, record, versions and current version.
func (v *verifier) plans() error {
	type planRow struct {
		id      int64
		code    string
		current sql.NullInt64
	}
	var plans []planRow
	err := v.rows("SELECT id, code, current_version FROM plan ORDER BY code", func(r *sql.Rows) error {
		var p planRow
		if err := r.Scan(&p.id, &p.code, &p.current); err != nil {
			return err
		}
		plans = append(plans, p)
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range plans {
		if err := v.plan(p.id, p.code, p.current.Int64); err != nil {
			v.add(Finding{Check: "plan", Plan: p.code, Problem: "the check could not run: " + err.Error()})
		}
	}
	return nil
}

func (v *verifier) plan(planID int64, code string, current int64) error {
	bad := func(version int, problem, expected string) {
		v.add(Finding{Check: "plan", Plan: code, Version: version, Problem: problem, Expected: expected})
	}
	journal, err := v.links("SELECT seq, kind, ref, content, prev, hash, at FROM plan_link WHERE plan_id = ? ORDER BY seq", planID, true)
	if err != nil {
		return err
	}
	if n := chainBreaks(journal); n != 0 {
		bad(0, fmt.Sprintf("its journal does not follow from event %d of %d on (an event was altered, removed or inserted)", n, len(journal)), "each event hashed over the one before it")
	}
	record, _, err := planRecord(v.ctx, v.s.db, planID)
	if err != nil {
		return err
	}
	if len(journal) == 0 || journal[0].kind != "plan" || !sameHash(journal[0].content, record) {
		bad(0, "its record (code, name, level, scale, CRS, area, note) is not the one its journal sealed", "the record as first journaled")
	}
	type ver struct {
		id     int64
		number int
		seal   []byte
		state  []byte
	}
	var versions []ver
	err = v.rows("SELECT id, number, coalesce(seal, x''), coalesce(items_hash, x'') FROM version WHERE plan_id = ? ORDER BY number", func(r *sql.Rows) error {
		var x ver
		if err := r.Scan(&x.id, &x.number, &x.seal, &x.state); err != nil {
			return err
		}
		versions = append(versions, x)
		return nil
	}, planID)
	if err != nil {
		return err
	}
	journaled := map[int64][]byte{} // version → the seal its journal event holds
	var lastVersion int64
	for _, l := range journal {
		if l.kind == "version" {
			journaled[l.ref], lastVersion = l.content, l.ref
		}
	}
	for _, x := range versions {
		if err := v.version(planID, code, x.id, x.number, x.seal, x.state); err != nil {
			bad(x.number, "the check could not run: "+err.Error(), "")
		}
		switch j, ok := journaled[x.id]; {
		case !ok:
			bad(x.number, "the version is not in its plan's journal (added outside quyhoach)", "")
		case !sameHash(j, x.seal):
			bad(x.number, "its seal is not the one its plan's journal holds", "seal "+short(j))
		}
	}
	if len(versions) > 0 {
		newest := versions[len(versions)-1]
		if current != newest.id {
			bad(0, fmt.Sprintf("its current version is %s", v.versionName(current)), fmt.Sprintf("version %d, the newest", newest.number))
		}
		if lastVersion != newest.id {
			bad(0, "the newest version is not the last one its journal holds (versions removed or added outside quyhoach)", "")
		}
	} else if current != 0 {
		bad(0, "a current version is set on a plan without versions", "none")
	}
	return v.journaledDossiers(planID, code, journal)
}

// version recomputes a version's items state and seal.
func (v *verifier) version(planID int64, code string, verID int64, number int, seal, stored []byte) error {
	bad := func(problem, expected string) {
		v.add(Finding{Check: "version", Plan: code, Version: number, Problem: problem, Expected: expected})
	}
	state, items, err := v.stateOfItems(verID)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.layer == "" || len(it.body) == 0 {
			v.add(Finding{Check: "version", Plan: code, Version: number, Feature: it.feature, Problem: "an item lost its layer or its body"})
		}
	}
	counts, err := layerCounts(v.ctx, v.s.db, verID)
	if err != nil {
		return err
	}
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.layer
	}
	if diff := layerCountsDiffer(counts, names); diff != "" {
		bad("its layer counts are not its items': "+diff, "")
	}
	if diff, err := v.layerSchemasDiffer(verID, items); err != nil {
		return err
	} else if diff != "" {
		bad("its layer "+diff, "the kinds of its items' properties and geometries")
	}
	if name, err := layerOutOfOrder(v.ctx, v.s.db, verID); err != nil {
		return err
	} else if name != "" {
		bad("its layer "+name+" says its items come in their order by id; they do not", "")
	}
	itemsOK := sameHashState(stored, state.Bytes())
	if !itemsOK {
		bad("its items are not the ones it was sealed with (a lot added, removed, swapped, re-layered or its body changed)", "")
		v.localize(planID, code, verID, number, items)
	}
	lin, err := lineageDigest(v.ctx, v.s.db, verID)
	if err != nil {
		return err
	}
	sum := state.Sum()
	want, err := versionSeal(v.ctx, v.s.db, verID, sum[:], lin)
	if err != nil {
		return err
	}
	if !sameHash(want, seal) {
		if itemsOK {
			bad("its record (number, parent, date, decision, maThongTinQH, dossier) or lineage is not the one it was sealed with", "seal "+short(seal))
		} else {
			bad("its seal does not cover its present items", "seal "+short(seal))
		}
	}
	return nil
}

// layerSchemasDiffer recounts the kinds of each layer of version verID
// whose kinds are stored (version_layer.schema) from its items' bodies,
// and says how the first that differs does ("" when none does). A layer
// with a body verify could not read is left to that body's finding.
func (v *verifier) layerSchemasDiffer(verID int64, items []item) (string, error) {
	stored := map[string]string{}
	err := v.rows(`SELECT l.name, s.schema FROM version_layer s JOIN layer l ON l.id = s.layer_id
		WHERE s.version_id = ? AND s.schema IS NOT NULL`, func(r *sql.Rows) error {
		var name, text string
		if err := r.Scan(&name, &text); err != nil {
			return err
		}
		stored[name] = text
		return nil
	}, verID)
	if err != nil || len(stored) == 0 {
		return "", err
	}
	lists := map[string]map[int32]int{} // layer → its items' kinds (v.lists) → items
	unread := map[string]bool{}
	for _, it := range items {
		if _, ok := stored[it.layer]; !ok {
			continue
		}
		if len(it.body) != 32 { // a lost body: its own finding
			unread[it.layer] = true
			continue
		}
		k, ok := v.kinds[[32]byte(it.body)]
		if !ok {
			unread[it.layer] = true
			continue
		}
		if lists[it.layer] == nil {
			lists[it.layer] = map[int32]int{}
		}
		lists[it.layer][k]++
	}
	counted := map[string]*layerSchema{}
	for layer, byList := range lists {
		counted[layer] = newLayerSchema()
		for k, n := range byList {
			counted[layer].addList(v.lists[k], n)
		}
	}
	for _, name := range sortedKeys(stored) {
		if unread[name] {
			continue
		}
		want := newLayerSchema()
		if c := counted[name]; c != nil {
			want = c
		}
		if got := stored[name]; got != want.encode() {
			return fmt.Sprintf("%s: its stored kinds of properties and geometries are not its items' (%s)", name, oneLineSchema(got)), nil
		}
	}
	return "", nil
}

// oneLineSchema is a stored schema shortened for a finding.
func oneLineSchema(text string) string {
	if r := []rune(gis.OneLine(text)); len(r) > 120 {
		return string(r[:117]) + "…"
	}
	return gis.OneLine(text)
}

func sameHashState(stored, now []byte) bool { return len(stored) > 0 && sameHash(stored, now) }

// localize names the lots that differ in a version made by a dossier: its
// items must be its parent's with the dossier's change set applied.
func (v *verifier) localize(planID int64, code string, verID int64, number int, items []item) {
	var parent, dossier sql.NullInt64
	if err := v.s.db.QueryRowContext(v.ctx, "SELECT parent_id, dossier_id FROM version WHERE id = ?", verID).Scan(&parent, &dossier); err != nil || !parent.Valid || !dossier.Valid {
		return
	}
	want := map[string]item{}
	base, err := versionItems(v.ctx, v.s.db, parent.Int64)
	if err != nil {
		return
	}
	for _, it := range base {
		want[it.feature] = it
	}
	changes, err := queryItems(v.ctx, v.s.db, `SELECT c.feature_id, l.name, coalesce(b.hash, x'') FROM dossier_change c
		JOIN layer l ON l.id = c.layer_id LEFT JOIN body b ON b.id = c.body_id WHERE c.dossier_id = ?`, dossier.Int64)
	if err != nil {
		return
	}
	for _, c := range changes {
		if len(c.body) == 0 {
			delete(want, c.feature)
		} else {
			want[c.feature] = c
		}
	}
	var odd []Finding
	for _, it := range items {
		w, ok := want[it.feature]
		switch {
		case !ok:
			odd = append(odd, Finding{Feature: it.feature, Problem: "a lot the approval did not make is in the version"})
		case w.layer != it.layer:
			odd = append(odd, Finding{Feature: it.feature, Problem: "the lot is in layer " + it.layer, Expected: "layer " + w.layer})
		case !sameHash(w.body, it.body):
			odd = append(odd, Finding{Feature: it.feature, Problem: "the lot's body is not the approved one", Expected: "body sha256 " + short(w.body)})
		}
		delete(want, it.feature)
	}
	for id := range want {
		odd = append(odd, Finding{Feature: id, Problem: "an approved lot is missing from the version"})
	}
	codes, _ := v.lotCodes(odd)
	for _, f := range odd {
		f.Check, f.Plan, f.Version, f.Lot = "version", code, number, codes[f.Feature]
		v.add(f)
	}
}

func (v *verifier) versionName(id int64) string {
	var n int
	if id == 0 || v.s.db.QueryRowContext(v.ctx, "SELECT number FROM version WHERE id = ?", id).Scan(&n) != nil {
		return "none"
	}
	return "version " + strconv.Itoa(n)
}

// journaledDossiers checks that each dossier's chain head is the last one
// its plan's journal holds for it.
func (v *verifier) journaledDossiers(planID int64, code string, journal []link) error {
	last := map[int64][]byte{}
	for _, l := range journal {
		if l.kind == "dossier" {
			last[l.ref] = l.content
		}
	}
	ids, err := queryIDs(v.ctx, v.s.db, "SELECT id FROM dossier WHERE plan_id = ? ORDER BY id", planID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		head, err := dossierHead(v.ctx, v.s.db, id)
		if err != nil {
			return err
		}
		if j, ok := last[id]; !ok || !sameHash(j, head) {
			v.add(Finding{Check: "plan", Plan: code, Dossier: id, Problem: "the dossier's chain is not the one its plan's journal last recorded (steps or documents added or removed outside quyhoach)"})
		}
	}
	return nil
}

// dossiers checks each dossier's chain and what it derives.
func (v *verifier) dossiers() error {
	type row struct {
		id                   int64
		code, state, due     string
		base, approved, plan int64
	}
	var ds []row
	err := v.rows(`SELECT d.id, p.code, d.state, d.due, d.base_version_id, coalesce(d.approved_version_id, 0), d.plan_id
		FROM dossier d JOIN plan p ON p.id = d.plan_id ORDER BY d.id`, func(r *sql.Rows) error {
		var x row
		if err := r.Scan(&x.id, &x.code, &x.state, &x.due, &x.base, &x.approved, &x.plan); err != nil {
			return err
		}
		ds = append(ds, x)
		return nil
	})
	if err != nil {
		return err
	}
	for _, d := range ds {
		if err := v.dossier(d.id, d.code, d.state, d.due, d.base, d.approved); err != nil {
			v.add(Finding{Check: "dossier", Plan: d.code, Dossier: d.id, Problem: "the check could not run: " + err.Error()})
		}
	}
	// a version made by approval must be one its dossier's chain sealed
	return v.rows(`SELECT p.code, v.number, v.dossier_id, coalesce(d.approved_version_id, 0) = v.id FROM version v JOIN plan p ON p.id = v.plan_id
		LEFT JOIN dossier d ON d.id = v.dossier_id WHERE v.source = 'dossier'`, func(r *sql.Rows) error {
		var code string
		var number int
		var dossier sql.NullInt64
		var ok bool
		if err := r.Scan(&code, &number, &dossier, &ok); err != nil {
			return err
		}
		if !ok {
			v.add(Finding{Check: "version", Plan: code, Version: number, Dossier: dossier.Int64, Problem: "the version says a dossier's approval made it, but that dossier approved no such version"})
		}
		return nil
	})
}

func (v *verifier) dossier(id int64, code, state, due string, base, approved int64) error {
	bad := func(problem, expected string) {
		v.add(Finding{Check: "dossier", Plan: code, Dossier: id, Problem: problem, Expected: expected})
	}
	c, err := checkChain(v.ctx, v.s.db, id)
	if err != nil {
		return err
	}
	if c.broken != 0 {
		bad(c.brokenProblem())
	}
	var last *stepRow
	baseSeal := []byte(nil)
	var madeSeal []byte
	for i, l := range c.links {
		if lc := c.checks[i]; lc.Problem != "" {
			bad(lc.Problem, lc.Expected)
		}
		st, ok := c.steps[l.ref]
		if l.kind != "step" || !ok {
			continue
		}
		last = &st
		if st.From == st.To && len(st.made) > 0 { // a rebase: the new base
			baseSeal = st.made
		}
		if st.To == Approved && st.From != Approved {
			madeSeal = st.made
		}
	}
	for _, st := range c.unsealed {
		bad(unsealedProblem(st), "")
	}
	if len(c.links) == 0 || c.links[0].kind != "open" {
		bad("its chain has no opening link", "")
	}
	wantState, wantDue := Draft, ""
	if last != nil {
		wantState, wantDue = last.To, last.Due
	}
	if state != wantState {
		bad("its state is "+state, wantState+", where its last sealed step left it")
	}
	if due != wantDue {
		bad("its due date is "+quoteOrNone(due), quoteOrNone(wantDue)+", as its last sealed step set it")
	}
	if err := v.dossierBase(id, code, base, baseSeal); err != nil {
		return err
	}
	if last != nil && state != Draft && len(last.changes) > 0 {
		now, err := changesDigest(v.ctx, v.s.db, id)
		if err != nil {
			return err
		}
		if !sameHash(now, last.changes) {
			bad("its change set is not the one sealed at its last step ("+last.To+")", "no change after leaving the draft")
		}
	}
	return v.dossierApproval(id, code, approved, madeSeal)
}

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// dossierBase checks a rebased dossier's base against its last rebase.
func (v *verifier) dossierBase(id int64, code string, base int64, rebasedOnto []byte) error {
	if rebasedOnto == nil {
		return nil // the opening link covers the base
	}
	seal, err := versionSealByID(v.ctx, v.s.db, base)
	if err != nil {
		return err
	}
	if !sameHash(seal, rebasedOnto) {
		v.add(Finding{Check: "dossier", Plan: code, Dossier: id, Problem: "its base is " + v.versionName(base), Expected: "the version its last rebase moved it onto"})
	}
	return nil
}

// dossierApproval checks the version an approval made against its seal.
func (v *verifier) dossierApproval(id int64, code string, approved int64, made []byte) error {
	switch {
	case made == nil && approved == 0:
		return nil
	case made == nil:
		v.add(Finding{Check: "dossier", Plan: code, Dossier: id, Problem: "it names " + v.versionName(approved) + " as the version it approved, but its chain seals no approval"})
		return nil
	}
	seal, err := versionSealByID(v.ctx, v.s.db, approved)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if approved == 0 || !sameHash(seal, made) {
		v.add(Finding{Check: "dossier", Plan: code, Dossier: id, Problem: "the version it approved is " + v.versionName(approved), Expected: "the version of seal " + short(made) + " its approval sealed"})
	}
	return nil
}

// anchor finds a seal kept elsewhere in the plans' journals.
func (v *verifier) anchor(seal string) string {
	want := strings.ToLower(strings.Join(strings.Fields(seal), "")) // as printed: "99dc 7b2d 0851 5d46"
	if len(want) < 12 {
		v.add(Finding{Check: "anchor", Problem: fmt.Sprintf("anchor %q is too short to identify a seal", seal), Expected: "at least 12 hex digits"})
		return ""
	}
	var where string
	err := v.rows(`SELECT p.code, l.seq, (SELECT count(*) FROM plan_link m WHERE m.plan_id = l.plan_id), l.at, l.hash
		FROM plan_link l JOIN plan p ON p.id = l.plan_id`, func(r *sql.Rows) error {
		var code, at string
		var seq, n int
		var h []byte
		if err := r.Scan(&code, &seq, &n, &at, &h); err != nil {
			return err
		}
		if strings.HasPrefix(hex.EncodeToString(h), want) {
			where = fmt.Sprintf("plan %s, event %d of %d, at %s", code, seq, n, at)
		}
		return nil
	})
	if err != nil {
		v.add(Finding{Check: "anchor", Problem: "the check could not run: " + err.Error()})
		return ""
	}
	if where == "" {
		v.add(Finding{Check: "anchor", Problem: "seal " + want + " is not in the history of any plan: the history was rewritten, or the seal belongs to another store"})
	}
	return where
}
