package store

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
)

// Bundles: a plan, a version or a dossier as it travels between stores —
// a replica and the office store on PostgreSQL (package office), or a
// dossier package file — named by global ids (uid) and seals, never by a
// store's row numbers. A bundle carries exactly the rows its seals cover,
// so the receiver recomputes every seal and link before it keeps anything.
//
// What is not shared: each store's plan journal (plan_link) is its own
// log of the events in the order it learned them, as git's reflog is; two
// stores holding the same history have the same plans, version seals,
// dossier chains, change sets and documents (ContentHash), not the same
// journal.

// Body is one canonical feature body: its GeoJSON text (WGS84) and its
// sha256, the address every version item and change names it by.
type Body struct {
	Hash    []byte
	GeoJSON []byte
}

// PlanBundle is a plan's record and layers, and the history of its
// agencies (append-only).
type PlanBundle struct {
	UID, Code, Name, Level string
	Scale, CRS             int
	Area, Note, Created    string
	Layers                 []LayerBundle
	Agencies               []AgenciesBundle
	// Current is the uid of the plan's current version ("" before its first).
	Current string
}

// LayerBundle is one layer of a plan.
type LayerBundle struct {
	Name, Kind string
}

// AgenciesBundle is one row of a plan's agency history.
type AgenciesBundle struct {
	Approver, Appraiser, Proposer, Consultant, At, By string
}

// VersionBundle is one sealed version. Its items come whole (Parent "" or
// not held by the receiver) or as a delta from its parent (Delta true: Put
// holds the items added or changed, Drop the feature ids removed); either
// way the receiver rebuilds the items, recomputes ItemsHash and Seal, and
// refuses a version whose seal does not come out.
type VersionBundle struct {
	UID, PlanUID                           string
	Number                                 int
	Parent                                 string // the parent version's uid, "" for a plan's first
	Created, Source, Message               string
	Dossier                                string // the uid of the dossier whose approval made it, ""
	DecisionNo, DecisionDate, MaThongTinQH string
	// ItemsHash is the items' LtHash state as stored (version.items_hash,
	// lthash.Hash.Bytes); the seal covers its sha256.
	ItemsHash, Seal []byte

	Delta bool
	Put   []VersionItem // every item (Delta false), or those added or changed
	Drop  []string      // feature ids removed from the parent (Delta true)

	Lineage []LineageBundle
	Bodies  []Body // the bodies Put names (the receiver may hold some already)
}

// VersionItem is one (feature, layer, body) of a version, in file order.
type VersionItem struct {
	Feature, Layer string
	Body           []byte // the body's hash
	Seq            int
}

// LineageBundle is one parent link of a version: a split lot names its
// parent, a merged lot its parents.
type LineageBundle struct {
	Feature, Parent string
}

// DossierBundle is a dossier with everything its chain seals: its record,
// its change set with lineage and the bodies it names, its steps, the
// links of its chain and its documents with their bytes — what a package
// file holds (package.go writes it as GeoPackage tables).
type DossierBundle struct {
	UID, PlanUID, PlanCode, PlanName string
	Number                           int64 // its short number where it was read
	// Rev is the office's revision of the dossier when the office read it
	// (package office), 0 elsewhere: a pull records it (TakeOptions.Synced).
	Rev                       int64
	Kind, Title, Reason, Code string
	State, Created, Due       string
	// BaseSeal is the seal of its base version; OpenBaseSeal the seal of the
	// version it was opened on (its base, or what its first rebase moved it
	// from), which its opening link covers.
	BaseNumber             int
	BaseSeal, OpenBaseSeal []byte
	Author                 string
	Head                   []byte // its chain's last link

	Changes     []ChangeBundle
	Bodies      []Body
	Steps       []StepBundle
	Links       []LinkBundle
	Attachments []AttachmentBundle
}

// ChangeBundle is one change of a dossier's change set.
type ChangeBundle struct {
	Feature, Layer, Op string
	Body               []byte // the body's hash; nil for a deletion
	Parents            string // JSON array of parent feature ids
}

// StepBundle is one recorded step (transition) of a dossier. Ref is its
// row id where it was read: the links name steps by it.
type StepBundle struct {
	Ref                                                         int64
	From, To, At, By, DocNo, DocDate, Note, Due, Agency, Signer string
	Changes, Made, Prev, Hash                                   []byte
}

// LinkBundle is one link of a dossier's hash chain. Ref names the step or
// attachment (their Ref) it seals.
type LinkBundle struct {
	Seq                 int
	Kind                string
	Ref                 int64
	Content, Prev, Hash []byte
}

// AttachmentBundle is one document of a dossier with its bytes. Ref is its
// row id where it was read.
type AttachmentBundle struct {
	Ref               int64
	Kind, Name, Added string
	Size              int64
	Sum, Data         []byte
}

// Check holds a dossier bundle to itself: every body and document to its
// sha256, the change set to the bodies it names, and its chain link by
// link: each link hashed over the one before it, each step and document
// link sealing the row the bundle carries, every step sealed, the head the
// last link, the opening link over the bundle's record. What it names in
// a store (plan, base version, approved version) and its change set
// against its last step are checked where it is taken in (TakeBatch,
// UnpackDossier). The office calls it on every pushed dossier.
func (b *DossierBundle) Check() error {
	if err := b.check(); err != nil {
		return err
	}
	return nil
}

func (b *DossierBundle) check() *PackageError {
	altered := func(key string, data map[string]any) *PackageError {
		return packageErr("", key, data)
	}
	bodies := map[string]bool{}
	for _, x := range b.Bodies {
		if sum := sha256.Sum256(x.GeoJSON); !sameHash(sum[:], x.Hash) {
			id := ""
			for _, c := range b.Changes {
				if sameHash(c.Body, x.Hash) {
					id = c.Feature
				}
			}
			return altered("the body of feature {{.Feature}} does not match its sha256: the package was altered", map[string]any{"Feature": id})
		}
		bodies[string(x.Hash)] = true
	}
	for _, c := range b.Changes {
		switch {
		case !slices.Contains([]string{"add", "modify", "delete"}, c.Op):
			return altered("feature {{.Feature}}: unknown change {{.Op}}", map[string]any{"Feature": c.Feature, "Op": c.Op})
		case (c.Op == "delete") != (c.Body == nil):
			return altered("feature {{.Feature}}: a {{.Op}} with the wrong body", map[string]any{"Feature": c.Feature, "Op": c.Op})
		case c.Body != nil && !bodies[string(c.Body)]:
			return altered("feature {{.Feature}}: its body is not in the package", map[string]any{"Feature": c.Feature})
		}
	}
	atts := map[int64]AttachmentBundle{}
	for _, a := range b.Attachments {
		if sum := sha256.Sum256(a.Data); !sameHash(sum[:], a.Sum) || a.Size != int64(len(a.Data)) {
			return altered("document {{.Name}} does not match its sha256: the package was altered", map[string]any{"Name": a.Name})
		}
		if !slices.Contains(AttachmentKinds, a.Kind) {
			return altered("document {{.Name}} is of an unknown kind {{.Kind}}", map[string]any{"Name": a.Name, "Kind": a.Kind})
		}
		atts[a.Ref] = a
	}
	steps := map[int64]StepBundle{}
	for _, s := range b.Steps {
		steps[s.Ref] = s
	}
	broken := func(seq int) *PackageError {
		return altered("the dossier's chain does not verify at link {{.Seq}} of {{.N}}: the package was altered", map[string]any{"Seq": seq, "N": len(b.Links)})
	}
	if len(b.Links) == 0 || b.Links[0].Kind != "open" {
		return altered("the dossier's chain has no opening link: the package was altered", nil)
	}
	prev := zeroHash
	sealed := map[int64]bool{}
	for i, l := range b.Links {
		if l.Seq != i+1 || !sameHash(l.Prev, prev) || !sameHash(linkHash(prev, l.Kind, l.Content, ""), l.Hash) {
			return broken(i + 1)
		}
		prev = l.Hash
		switch l.Kind {
		case "open":
			if i != 0 {
				return broken(i + 1)
			}
		case "step":
			s, ok := steps[l.Ref]
			if !ok || sealed[l.Ref] {
				return broken(i + 1)
			}
			sealed[l.Ref] = true
			if !sameHash(stepDigest(s.transition(), s.At, s.Changes, s.Made), l.Content) || !sameHash(s.Prev, l.Prev) || !sameHash(s.Hash, l.Hash) {
				return altered("step {{.From}} → {{.To}} of {{.At}} was altered after it was sealed: the package was altered",
					map[string]any{"From": s.From, "To": s.To, "At": s.At})
			}
		case "attach":
			a, ok := atts[l.Ref]
			if !ok || !sameHash(attachDigest(a.Kind, a.Name, a.Size, a.Sum, a.Added), l.Content) {
				return broken(i + 1)
			}
		default:
			return broken(i + 1)
		}
	}
	if len(sealed) != len(b.Steps) {
		return altered("the package carries a step its chain does not seal: the package was altered", nil)
	}
	if !sameHash(prev, b.Head) {
		return broken(len(b.Links))
	}
	if !sameHash(openDigest(b.UID, b.PlanUID, b.Kind, b.OpenBaseSeal, b.Title, b.Reason, b.Code, b.Created), b.Links[0].Content) {
		return altered("the dossier's record (title, reason, kind, code, base version) is not the one its chain opened with: the package was altered", nil)
	}
	return nil
}

// transition is the step as the store's Transition (what its digest covers).
func (s StepBundle) transition() Transition {
	return Transition{From: s.From, To: s.To, By: s.By, DocNo: s.DocNo, DocDate: s.DocDate, Note: s.Note, Due: s.Due, Agency: s.Agency, Signer: s.Signer}
}

// StepState is where the bundle's last step left the dossier, and its due
// date (draft and "" before any step).
func (b *DossierBundle) StepState() (state, due string) {
	state = Draft
	steps := map[int64]StepBundle{}
	for _, s := range b.Steps {
		steps[s.Ref] = s
	}
	for _, l := range b.Links {
		if s, ok := steps[l.Ref]; ok && l.Kind == "step" {
			state, due = s.To, s.Due
		}
	}
	return state, due
}

// changesDigest is the digest of the bundle's change set.
func (b *DossierBundle) changesDigest() []byte { return ChangesDigest(b.Changes) }

// ChangesDigest is the digest of a change set as a dossier's chain seals
// it (the store's changesDigest makes the same of a dossier's rows): the
// office compares change sets by it.
func ChangesDigest(changes []ChangeBundle) []byte {
	cs := slices.Clone(changes)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Feature < cs[j].Feature })
	h := sha256.New()
	for _, c := range cs {
		h.Write(jsonLine(c.Feature, c.Layer, c.Op, hex.EncodeToString(c.Body), c.Parents))
	}
	return h.Sum(nil)
}
