package store

import "fmt"

// Matching decides which stored feature an incoming feature is: an import
// matches a layer against the current version's, a dossier's apply matches
// its features against the base version and the dossier's own additions.
// The rules live in match alone, so the two cannot drift apart; what each
// caller makes of the answer (a version, a change set) stays with it.

// incoming is what matching needs of a feature coming in.
type incoming struct {
	id      string   // its own id; "" when it has none
	key     string   // its key property as text; "" without one or without a key
	hash    [32]byte // its body's hash, for matching by identical body
	parents []string // lineage: the ids (or keys) of the features it comes from
}

// matchRules are the ways an import and an apply differ.
type matchRules struct {
	// key names the property matched first ("" to match by id); the key
	// fields of incoming and stored features hold its values.
	key string
	// ownIDs lets a feature no key matched be matched by its own id, and
	// parents be named by id. Off for an apply by key: the file's ids come
	// from elsewhere and name nothing here.
	ownIDs bool
	// sameBody lets a feature still unmatched take the first unmatched
	// stored feature with an identical body (an import without ids).
	sameBody bool
	// oneEach refuses two incoming features that name the same id (one
	// stored feature found for both, or one own id): a change set holds one
	// entry per feature (apply). Without it, two features with the same key
	// are refused and a feature whose stored match is taken looks further
	// (import).
	oneEach bool
	// keysChecked says the caller refuses repeated incoming keys itself
	// (an import, on the goroutine reading its file: the map was a tenth
	// of the writing goroutine's time at 100 000 lots).
	keysChecked bool
	// from names the stored features in messages ("the current version").
	from string
}

// matched is what match decided.
type matched struct {
	stored  []int   // per incoming feature: the index of its stored feature, -1 when it is new
	parents [][]int // per incoming feature: the stored features named as its parents
	left    []int   // the stored features no incoming feature matched, in order
}

// match decides, for each incoming feature in order, which stored feature
// it is: the one with its key (when a key is used and the feature has a
// value), else the one with its own id (rules.ownIDs), else the first with
// an identical body (rules.sameBody); a stored feature is matched at most
// once. Parents are found by key, else by id (rules.ownIDs); a dossier's
// addition is never a parent. It is pure: no SQL, no clock.
func match(in []incoming, stored []storedFeature, rules matchRules) (matched, error) {
	m := newMatcher(stored, rules)
	out := matched{stored: make([]int, len(in)), parents: make([][]int, len(in))}
	for i, f := range in {
		s, err := m.find(i, f)
		if err != nil {
			return matched{}, err
		}
		out.stored[i] = s
		if s >= 0 {
			m.taken[s] = true
		}
		if out.parents[i], err = m.parentsOf(i, f); err != nil {
			return matched{}, err
		}
	}
	for s, taken := range m.taken {
		if !taken {
			out.left = append(out.left, s)
		}
	}
	return out, nil
}

// matcher holds match's indexes and what it has decided so far.
type matcher struct {
	matchRules
	stored      []storedFeature
	byKey, byID map[string]int
	byBody      map[[32]byte][]int
	taken       []bool
	keys        keysSeen
	named       map[string]int // a named id → the first feature with it
}

// keysSeen refuses an incoming key that an earlier feature has: two
// features of a file with the same key would be one lot.
type keysSeen struct {
	name  string         // the key property
	first map[string]int // a key → the first feature with it
}

func newKeysSeen(name string) keysSeen { return keysSeen{name, map[string]int{}} }

// add notes feature i's key, or refuses it as a repeat.
func (k keysSeen) add(i int, key string) error {
	if prev, dup := k.first[key]; dup {
		return fmt.Errorf("feature %d: %s %q repeats feature %d's", i, k.name, key, prev)
	}
	k.first[key] = i
	return nil
}

func newMatcher(stored []storedFeature, rules matchRules) *matcher {
	m := &matcher{matchRules: rules, stored: stored, byKey: map[string]int{},
		taken: make([]bool, len(stored)), keys: newKeysSeen(rules.key), named: map[string]int{}}
	for i, s := range stored {
		if s.key != "" {
			m.index(m.byKey, s.key, i)
		}
	}
	return m
}

// ids is the index of the stored features by id, and bodies by body hash,
// each made the first time it is asked: an import by key whose every
// feature its key finds needs neither (at a million lots, 150 MB).
func (m *matcher) ids() map[string]int {
	if m.byID == nil {
		m.byID = make(map[string]int, len(m.stored))
		for i, s := range m.stored {
			m.index(m.byID, s.id, i)
		}
	}
	return m.byID
}

func (m *matcher) bodies() map[[32]byte][]int {
	if m.byBody == nil {
		m.byBody = make(map[[32]byte][]int, len(m.stored))
		for i, s := range m.stored {
			if !s.added {
				m.byBody[s.hash] = append(m.byBody[s.hash], i)
			}
		}
	}
	return m.byBody
}

// index files stored feature i under name k. When a name repeats, the
// later feature holds it (stored keys need not be unique), except that a
// dossier's addition never takes a name from a base feature.
func (m *matcher) index(idx map[string]int, k string, i int) {
	if j, ok := idx[k]; ok && m.stored[i].added && !m.stored[j].added {
		return
	}
	idx[k] = i
}

// find returns the stored feature incoming feature i is, or -1.
func (m *matcher) find(i int, f incoming) (int, error) {
	s := -1
	if m.key != "" && f.key != "" {
		if !m.oneEach && !m.keysChecked {
			if err := m.keys.add(i, f.key); err != nil {
				return -1, err
			}
		}
		s = m.free(m.byKey, f.key)
	}
	if s < 0 && m.ownIDs && f.id != "" {
		s = m.free(m.ids(), f.id)
	}
	if s < 0 && m.sameBody {
		for _, c := range m.bodies()[f.hash] {
			if !m.taken[c] {
				s = c
				break
			}
		}
	}
	if m.oneEach {
		return s, m.name(i, f, s)
	}
	return s, nil
}

// free returns the stored feature filed under k, or -1; a taken one counts
// as none, except under oneEach, where name refuses it.
func (m *matcher) free(idx map[string]int, k string) int {
	if s, ok := idx[k]; ok && (m.oneEach || !m.taken[s]) {
		return s
	}
	return -1
}

// name records the id incoming feature i names (its stored feature's, else
// its own) and refuses one an earlier feature named.
func (m *matcher) name(i int, f incoming, s int) error {
	id := ""
	if s >= 0 {
		id = m.stored[s].id
	} else if m.ownIDs {
		id = f.id
	}
	if id == "" {
		return nil
	}
	if prev, dup := m.named[id]; dup {
		return fmt.Errorf("feature %d: id %s repeats feature %d's", i, id, prev)
	}
	m.named[id] = i
	return nil
}

// parentsOf finds the stored features incoming feature i names as parents.
func (m *matcher) parentsOf(i int, f incoming) ([]int, error) {
	var out []int
	for _, p := range f.parents {
		s, ok := -1, false
		if m.key != "" {
			s, ok = m.byKey[p]
		}
		if !ok && m.ownIDs {
			s, ok = m.ids()[p]
		}
		if !ok || m.stored[s].added {
			return nil, fmt.Errorf("feature %d: parent %q is not a feature of %s", i, p, m.from)
		}
		out = append(out, s)
	}
	return out, nil
}
