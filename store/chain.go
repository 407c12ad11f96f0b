package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
)

// LinkCheck is what checking one link of a dossier's chain found: whether
// it follows from the links before it, and whether the row it seals (the
// opening record, a step, a document) is still what it sealed.
type LinkCheck struct {
	Seq      int    `json:"seq"`
	Kind     string `json:"kind"`          // open | step | attach
	Ref      int64  `json:"ref,omitempty"` // the transition or attachment sealed
	OK       bool   `json:"ok"`
	Broken   bool   `json:"broken,omitempty"` // the link does not follow from the links before it
	Problem  string `json:"problem,omitempty"`
	Expected string `json:"expected,omitempty"`
}

// Seals is a dossier's chain checked link by link, with what each step
// and document is sealed by.
type Seals struct {
	Links []LinkCheck
	// Steps and Attachments map a transition's or an attachment's id to
	// the check of its link; a step no link seals is not OK.
	Steps       map[int64]LinkCheck
	Attachments map[int64]LinkCheck
}

// Verified reports whether every link holds.
func (s Seals) Verified() bool {
	for _, l := range s.Links {
		if !l.OK {
			return false
		}
	}
	for _, l := range s.Steps {
		if !l.OK {
			return false
		}
	}
	return true
}

// DossierSeals checks a dossier's chain, as Verify does, link by link: the
// window shows beside each step and document whether its seal holds.
func (s *Store) DossierSeals(ctx context.Context, id int64) (Seals, error) {
	if _, err := s.dossierTx(ctx, s.db, id); err != nil {
		return Seals{}, err
	}
	c, err := checkChain(ctx, s.db, id)
	if err != nil {
		return Seals{}, wrap(fmt.Sprintf("seals of dossier %d", id), err)
	}
	out := Seals{Steps: map[int64]LinkCheck{}, Attachments: map[int64]LinkCheck{}}
	for _, l := range c.checks {
		if l.Broken && l.Problem == "" {
			l.Problem, l.Expected = c.brokenProblem()
		}
		out.Links = append(out.Links, l)
		switch l.Kind {
		case "step":
			out.Steps[l.Ref] = l
		case "attach":
			out.Attachments[l.Ref] = l
		}
	}
	for _, st := range c.unsealed {
		out.Steps[st.ID] = LinkCheck{Kind: "step", Ref: st.ID, Problem: unsealedProblem(st)}
	}
	return out, nil
}

// chainCheck is a dossier's chain checked against its rows.
type chainCheck struct {
	links    []link
	steps    map[int64]stepRow
	broken   int         // the first link that does not follow from those before it (0: none)
	checks   []LinkCheck // one a link; Problem is what its row says, Broken whether it follows
	unsealed []stepRow   // steps no link seals, in id order
}

// brokenProblem says where a chain stops following from its start.
func (c chainCheck) brokenProblem() (problem, expected string) {
	return fmt.Sprintf("its chain does not follow from link %d of %d on (a link altered, removed or inserted)", c.broken, len(c.links)),
		"each link hashed over the one before it"
}

func unsealedProblem(st stepRow) string {
	return fmt.Sprintf("step %s → %s of %s is not in its chain (added outside quyhoach)", st.From, st.To, st.at)
}

// checkChain reads a dossier's chain and checks each link.
func checkChain(ctx context.Context, q querier, id int64) (chainCheck, error) {
	var c chainCheck
	var err error
	if c.links, err = readLinks(ctx, q, "SELECT seq, kind, ref, content, prev, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq", id, false); err != nil {
		return c, err
	}
	if c.steps, err = readSteps(ctx, q, id); err != nil {
		return c, err
	}
	c.broken = chainBreaks(c.links)
	seen := map[int64]bool{}
	for i, l := range c.links {
		lc := LinkCheck{Seq: l.seq, Kind: l.kind, Ref: l.ref}
		switch l.kind {
		case "open":
			if i != 0 {
				lc.Problem, lc.Expected = fmt.Sprintf("link %d opens the dossier again", l.seq), "one opening link, the first"
				break
			}
			content, err := openContent(ctx, q, id, c.steps)
			if err != nil {
				return c, err
			}
			if !sameHash(content, l.content) {
				lc.Problem = "its record (title, reason, kind, code, base version) is not the one its chain opened with"
			}
		case "step":
			st, ok := c.steps[l.ref]
			if !ok {
				lc.Problem = fmt.Sprintf("link %d seals a step that is gone (transition %d deleted)", l.seq, l.ref)
				break
			}
			seen[l.ref] = true
			switch {
			case !sameHash(stepDigest(st.Transition, st.at, st.changes, st.made), l.content):
				lc.Problem = fmt.Sprintf("step %s → %s of %s was altered after it was sealed", st.From, st.To, st.at)
			case !sameHash(st.prevHash, l.prev) || !sameHash(st.hash, l.hash):
				lc.Problem = fmt.Sprintf("step %s → %s of %s carries hashes that are not its link's", st.From, st.To, st.at)
			}
		case "attach":
			if lc.Problem, err = attachProblem(ctx, q, id, l); err != nil {
				return c, err
			}
		}
		lc.Broken = c.broken != 0 && i+1 >= c.broken
		lc.OK = lc.Problem == "" && !lc.Broken
		c.checks = append(c.checks, lc)
	}
	for tid, st := range c.steps {
		if !seen[tid] {
			c.unsealed = append(c.unsealed, st)
		}
	}
	sort.Slice(c.unsealed, func(i, j int) bool { return c.unsealed[i].ID < c.unsealed[j].ID })
	return c, nil
}

// readLinks reads the links of a plan's journal or a dossier's chain.
func readLinks(ctx context.Context, q querier, query string, id int64, withAt bool) ([]link, error) {
	rows, err := q.QueryContext(ctx, query, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []link
	for rows.Next() {
		var l link
		var ref sql.NullInt64
		dest := []any{&l.seq, &l.kind, &ref, &l.content, &l.prev, &l.hash}
		if withAt {
			dest = append(dest, &l.at)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		l.ref = ref.Int64
		out = append(out, l)
	}
	return out, rows.Err()
}

// stepRow is a transition with what verify compares.
type stepRow struct {
	Transition
	at                            string
	changes, made, prevHash, hash []byte
}

// readSteps reads a dossier's transitions by id.
func readSteps(ctx context.Context, q querier, dossier int64) (map[int64]stepRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash
		FROM transition WHERE dossier_id = ?`, dossier)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]stepRow{}
	for rows.Next() {
		var s stepRow
		if err := rows.Scan(&s.ID, &s.From, &s.To, &s.at, &s.By, &s.DocNo, &s.DocDate, &s.Note, &s.Due, &s.Agency, &s.Signer,
			&s.changes, &s.made, &s.prevHash, &s.hash); err != nil {
			return nil, err
		}
		out[s.ID] = s
	}
	return out, rows.Err()
}

// openContent recomputes a dossier's opening record: its base then is its
// present base, or the version its first rebase moved it from.
func openContent(ctx context.Context, q querier, id int64, steps map[int64]stepRow) ([]byte, error) {
	var first *stepRow
	for _, s := range steps {
		if s.From == s.To && rebaseNote.MatchString(s.Note) && (first == nil || s.ID < first.ID) {
			first = &s
		}
	}
	var base int64
	if first != nil {
		n, _ := strconv.Atoi(rebaseNote.FindStringSubmatch(first.Note)[1])
		if err := q.QueryRowContext(ctx, "SELECT v.id FROM version v JOIN dossier d ON d.plan_id = v.plan_id WHERE d.id = ? AND v.number = ?", id, n).Scan(&base); err != nil {
			return nil, err
		}
	}
	content, _, err := openRecord(ctx, q, id, base)
	return content, err
}

// attachProblem checks a document's link against its row: "" when it holds.
func attachProblem(ctx context.Context, q querier, dossier int64, l link) (string, error) {
	var kind, name, added string
	var size int64
	var sum []byte
	err := q.QueryRowContext(ctx, "SELECT kind, name, size, sha256, added FROM attachment WHERE id = ? AND dossier_id = ?", l.ref, dossier).Scan(&kind, &name, &size, &sum, &added)
	if err == sql.ErrNoRows {
		return fmt.Sprintf("link %d seals attachment %d, which is gone", l.seq, l.ref), nil
	}
	if err != nil {
		return "", err
	}
	if !sameHash(attachDigest(kind, name, size, sum, added), l.content) {
		return fmt.Sprintf("attachment %d %q is not the document its chain sealed (name, kind, size or sha256 changed)", l.ref, name), nil
	}
	return "", nil
}
