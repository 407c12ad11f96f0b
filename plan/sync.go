package plan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"quyhoach/office"
	"quyhoach/store"
)

// The office and its replicas (issue 15): an officer clones the office
// store to a laptop, works offline, then pushes the dossiers changed and
// pulls what the others did. The CLI (clone, pull, push, remote) and the
// window's Pull and Push both come through here; package office speaks to
// PostgreSQL, package store keeps the replica and checks every seal and
// chain of what it takes.
//
// Nothing is merged by accident: a push of a dossier the office changed
// since this replica last saw it is refused whole (pull, then push again),
// and a pull that finds a dossier changed on both sides leaves it as it is
// here and says so.

// SyncProgress hears what a clone, pull or push is doing: a step and how
// far along it is (total 0 when unknown).
type SyncProgress func(step string, done, total int)

func (p SyncProgress) say(step string, done, total int) {
	if p != nil {
		p(step, done, total)
	}
}

// CloneResult is what a clone made.
type CloneResult struct {
	Path     string `json:"path"`
	Office   string `json:"office"` // the address, without a password
	Plans    int    `json:"plans"`
	Versions int    `json:"versions"`
	Dossiers int    `json:"dossiers"`
	Cursor   int64  `json:"cursor"`
	// Unverified are the office's dossiers left out: they do not verify.
	Unverified []Unverified `json:"unverified,omitempty"`
}

// Clone makes a new store at path holding everything the office at addr
// holds, and remembering it as its remote. The file appears whole or not
// at all: a clone cut short leaves nothing behind.
func Clone(ctx context.Context, addr, path string, progress SyncProgress) (CloneResult, error) {
	res := CloneResult{Path: path, Office: office.Redact(addr)}
	if _, err := os.Stat(path); err == nil {
		return res, fmt.Errorf("clone: %s exists already; a clone makes a new store file (pull updates one)", path)
	}
	progress.say("connect", 0, 0)
	o, err := office.Open(ctx, addr)
	if err != nil {
		return res, err
	}
	defer o.Close()
	uid, err := o.UID(ctx)
	if err != nil {
		return res, err
	}
	// the cursor first: what changes while the rest is read comes again
	// with the next pull (taking it twice changes nothing)
	if res.Cursor, err = o.Cursor(ctx); err != nil {
		return res, err
	}
	b, err := officeBatch(ctx, o, nil, 0, &res.Unverified, progress)
	if err != nil {
		return res, err
	}
	res.Plans, res.Versions, res.Dossiers = len(b.Plans), len(b.Versions), len(b.Dossiers)

	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".clone")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix) // a killed clone's leftovers
	}
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}()
	s, err := store.Open(ctx, tmp, store.Options{Create: true})
	if err != nil {
		return res, err
	}
	progress.say("write", 0, len(b.Versions)+len(b.Dossiers))
	_, err = s.TakeBatch(ctx, b, store.TakeOptions{Synced: true})
	if err == nil {
		err = s.SetRemote(ctx, store.Remote{URL: addr, OfficeUID: uid, Cloned: time.Now().UTC()})
	}
	if err == nil {
		err = s.SetPullCursor(ctx, res.Cursor)
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, err
	}
	if _, err := os.Stat(path); err == nil {
		return res, fmt.Errorf("clone: %s appeared while cloning; the clone was not kept", path)
	}
	return res, os.Rename(tmp, path)
}

// officeBatch reads what a replica lacks: every plan, the versions after
// the ones it holds (have: plan uid → its versions' count), and the
// dossiers changed after cursor since.
func officeBatch(ctx context.Context, o *office.Office, have map[string]int, since int64, bad *[]Unverified, progress SyncProgress) (store.Batch, error) {
	var b store.Batch
	progress.say("plans", 0, 0)
	plans, err := o.Plans(ctx)
	if err != nil {
		return b, err
	}
	b.Plans = plans
	for i, p := range plans {
		progress.say("versions", i, len(plans))
		vs, err := o.Versions(ctx, p.UID, have[p.UID])
		if err != nil {
			return b, err
		}
		b.Versions = append(b.Versions, vs...)
	}
	progress.say("dossiers", 0, 0)
	ds, err := o.Dossiers(ctx, since)
	if err != nil {
		return b, err
	}
	for _, d := range ds {
		d.Bundle.Rev, d.Bundle.Number = d.Rev, d.Number
		if err := d.Bundle.Check(); err != nil {
			// written at the office around its checks (by SQL): not taken,
			// and it does not hold up the rest
			*bad = append(*bad, Unverified{Number: d.Number, UID: d.Bundle.UID, Title: d.Bundle.Title, Reason: err.Error()})
			continue
		}
		b.Dossiers = append(b.Dossiers, d.Bundle)
	}
	return b, nil
}

// Unverified is a dossier the office holds that does not verify (its
// chain, bodies or documents): a pull or clone leaves it out and says so.
type Unverified struct {
	Number int64  `json:"number"` // its number at the office
	UID    string `json:"uid"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

// Replica is what pull and push need of the local store; *store.Store
// satisfies it.
type Replica interface {
	Remote(ctx context.Context) (store.Remote, bool, error)
	SetRemote(ctx context.Context, r store.Remote) error
	SetPullCursor(ctx context.Context, n int64) error
	PlanBundles(ctx context.Context) ([]*store.PlanBundle, error)
	VersionUIDs(ctx context.Context, planUID string) ([]string, error)
	TakeBatch(ctx context.Context, b store.Batch, opt store.TakeOptions) (store.BatchResult, error)
	Pending(ctx context.Context) (store.Pending, error)
	ReadVersionBundle(ctx context.Context, uid string, delta bool) (*store.VersionBundle, error)
	ReadDossierBundle(ctx context.Context, uid string) (*store.DossierBundle, error)
	MarkBundleSynced(ctx context.Context, b *store.DossierBundle, rev, number int64) error
	MarkVersionsSynced(ctx context.Context, uids []string) error
}

// ErrNoRemote is a store that was never cloned from an office.
var ErrNoRemote = errors.New("this store has no office: it was not cloned from one (quyhoach clone URL --db FILE), or give it one with quyhoach remote --set URL")

// remoteOf is the replica's office, or ErrNoRemote.
func remoteOf(ctx context.Context, s Replica) (store.Remote, error) {
	r, ok, err := s.Remote(ctx)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, ErrNoRemote
	}
	return r, nil
}

// openOffice connects to the replica's office and makes sure it is the
// one the replica was cloned from: another office's change log and
// numbers mean nothing here.
func openOffice(ctx context.Context, r store.Remote) (*office.Office, error) {
	o, err := office.Open(ctx, r.URL)
	if err != nil {
		return nil, err
	}
	if r.OfficeUID == "" {
		return o, nil
	}
	uid, err := o.UID(ctx)
	if err == nil && uid != r.OfficeUID {
		err = fmt.Errorf("the office at %s is not the one this store was cloned from (office %s; this store's is %s): give the right address with quyhoach remote --set, or clone that office anew",
			office.Redact(r.URL), short8(uid), short8(r.OfficeUID))
	}
	if err != nil {
		o.Close()
		return nil, err
	}
	return o, nil
}

func short8(uid string) string { return uid[:min(8, len(uid))] }

// SetRemote points the replica at another address of its office (a new
// server name, port or login). The office there must be the one it was
// cloned from; a store that never had one takes the office found there.
func SetRemote(ctx context.Context, s Replica, addr string) error {
	if err := office.CheckAddress(addr); err != nil {
		return err
	}
	r, _, err := s.Remote(ctx)
	if err != nil {
		return err
	}
	r.URL = addr
	o, err := openOffice(ctx, r)
	if err != nil {
		return err
	}
	defer o.Close()
	if r.OfficeUID == "" {
		if r.OfficeUID, err = o.UID(ctx); err != nil {
			return err
		}
	}
	return s.SetRemote(ctx, r)
}

// Diverged is a dossier changed both here and at the office since this
// replica last pulled: a pull leaves it as it is here.
type Diverged struct {
	Dossier int64  `json:"dossier"`        // its number here; 0 for a plan
	Plan    string `json:"plan,omitempty"` // the plan's code, for a plan whose versions diverged
	UID     string `json:"uid"`
	Reason  string `json:"reason"`
	// Steps is true when steps or documents were recorded on both sides
	// (PullOptions.Replay records this store's again after the office's);
	// false when a draft's change set was edited on both sides.
	Steps bool `json:"steps"`
}

// PullOptions tune a pull.
type PullOptions struct {
	// Replay takes the dossiers whose steps or documents moved on both at
	// the office and here: this replica's own (never pushed) are recorded
	// again after the office's, each step still one the dossier may take.
	Replay bool
}

// PullResult is what a pull brought.
type PullResult struct {
	Office   string               `json:"office"`
	Plans    []store.TakeStatus   `json:"plans,omitempty"`
	Versions []store.TakeStatus   `json:"versions,omitempty"`
	Dossiers []store.UnpackResult `json:"dossiers,omitempty"`
	Diverged []Diverged           `json:"diverged,omitempty"`
	// Unverified are the office's dossiers not taken: they do not verify.
	Unverified []Unverified `json:"unverified,omitempty"`
	Cursor     int64        `json:"cursor"`
}

// Brought reports whether the pull took anything in.
func (r PullResult) Brought() bool {
	return store.BatchResult{Plans: r.Plans, Versions: r.Versions, Dossiers: r.Dossiers}.Changed()
}

// Pull brings what the office holds that the replica lacks: plans, new
// versions, dossiers with new steps, documents or change sets; in one
// transaction, each checked against its seals. A dossier changed on both
// sides stays as it is here (Diverged says which and why).
func Pull(ctx context.Context, s Replica, progress SyncProgress) (PullResult, error) {
	return PullWith(ctx, s, PullOptions{}, progress)
}

// PullWith is Pull with options.
func PullWith(ctx context.Context, s Replica, opt PullOptions, progress SyncProgress) (PullResult, error) {
	r, err := remoteOf(ctx, s)
	if err != nil {
		return PullResult{}, err
	}
	res := PullResult{Office: office.Redact(r.URL), Cursor: r.PullCursor}
	progress.say("connect", 0, 0)
	o, err := openOffice(ctx, r)
	if err != nil {
		return res, err
	}
	defer o.Close()
	cursor, err := o.Cursor(ctx)
	if err != nil {
		return res, err
	}
	if cursor == r.PullCursor {
		return res, s.SetPullCursor(ctx, cursor) // nothing new: only the time of the pull
	}
	// the versions asked for are those after the ones the office knows
	// this replica holds: one approved here and not pushed yet is not the
	// office's, which may have another in its place
	pend, err := s.Pending(ctx)
	if err != nil {
		return res, err
	}
	unsent := map[string]bool{}
	for _, uid := range pend.Versions {
		unsent[uid] = true
	}
	have := map[string]int{}
	local, err := s.PlanBundles(ctx)
	if err != nil {
		return res, err
	}
	for _, p := range local {
		uids, err := s.VersionUIDs(ctx, p.UID)
		if err != nil {
			return res, err
		}
		for _, uid := range uids {
			if unsent[uid] {
				break
			}
			have[p.UID]++
		}
	}
	b, err := officeBatch(ctx, o, have, r.PullCursor, &res.Unverified, progress)
	if err != nil {
		return res, err
	}
	progress.say("write", 0, len(b.Versions)+len(b.Dossiers))
	for {
		taken, err := s.TakeBatch(ctx, b, store.TakeOptions{Synced: true, Replay: opt.Replay})
		var div *store.DivergedError
		if errors.As(err, &div) && div.Dossier != 0 {
			// that dossier stays as it is here; the rest comes
			res.Diverged = append(res.Diverged, Diverged{Dossier: div.Dossier, UID: div.UID, Reason: div.Error(), Steps: div.Seq != 0})
			b.Dossiers = without(b.Dossiers, div.UID)
			continue
		}
		if errors.As(err, &div) && div.UID != "" {
			// a version approved here and another at the office on the same
			// parent: neither is taken over the other; the plan's new
			// versions and dossiers stay at the office, the rest comes
			res.Diverged = append(res.Diverged, Diverged{UID: div.UID, Plan: div.Plan,
				Reason: div.Error() + ": the version approved here cannot be pushed; the office decides which approval stands"})
			b = withoutPlan(b, div.UID)
			continue
		}
		if err != nil {
			return res, err
		}
		res.Plans, res.Versions, res.Dossiers = taken.Plans, taken.Versions, taken.Dossiers
		break
	}
	if len(res.Diverged) > 0 || len(res.Unverified) > 0 {
		// the cursor stays: the next pull brings those dossiers again,
		// once settled here or mended at the office
		return res, nil
	}
	res.Cursor = cursor
	return res, s.SetPullCursor(ctx, cursor)
}

// withoutPlan is b without plan uid's versions and dossiers.
func withoutPlan(b store.Batch, uid string) store.Batch {
	out := store.Batch{Plans: b.Plans}
	for _, v := range b.Versions {
		if v.PlanUID != uid {
			out.Versions = append(out.Versions, v)
		}
	}
	for _, d := range b.Dossiers {
		if d.PlanUID != uid {
			out.Dossiers = append(out.Dossiers, d)
		}
	}
	return out
}

func without(ds []*store.DossierBundle, uid string) []*store.DossierBundle {
	out := ds[:0:0]
	for _, d := range ds {
		if d.UID != uid {
			out = append(out, d)
		}
	}
	return out
}

// PushedDossier is one dossier a push sent.
type PushedDossier struct {
	Dossier int64  `json:"dossier"` // its number here
	Number  int64  `json:"number"`  // its number at the office
	UID     string `json:"uid"`
	Title   string `json:"title"`
	Plan    string `json:"plan"`
	State   string `json:"state"`
	Status  string `json:"status"` // new | updated | up to date
}

// PushResult is what a push sent.
type PushResult struct {
	Office   string                 `json:"office"`
	Versions []office.VersionResult `json:"versions,omitempty"`
	Dossiers []PushedDossier        `json:"dossiers,omitempty"`
}

// Push sends the replica's dossiers changed since the last pull or push
// (changes, steps, documents) and the versions its approvals made, in one
// transaction at the office: all of it or, refused, nothing.
func Push(ctx context.Context, s Replica, progress SyncProgress) (PushResult, error) {
	r, err := remoteOf(ctx, s)
	if err != nil {
		return PushResult{}, err
	}
	res := PushResult{Office: office.Redact(r.URL)}
	pend, err := s.Pending(ctx)
	if err != nil || pend.Empty() {
		return res, err
	}
	var req office.PushRequest
	n := len(pend.Versions) + len(pend.Dossiers)
	for i, uid := range pend.Versions {
		progress.say("read", i, n)
		v, err := s.ReadVersionBundle(ctx, uid, true)
		if err != nil {
			return res, err
		}
		req.Versions = append(req.Versions, v)
	}
	byUID := map[string]store.PendingDossier{}
	for i, d := range pend.Dossiers {
		progress.say("read", len(pend.Versions)+i, n)
		b, err := s.ReadDossierBundle(ctx, d.UID)
		if err != nil {
			return res, err
		}
		req.Dossiers = append(req.Dossiers, office.PushDossier{Bundle: b, BaseRev: d.Rev})
		byUID[d.UID] = d
	}
	progress.say("connect", 0, 0)
	o, err := openOffice(ctx, r)
	if err != nil {
		return res, err
	}
	defer o.Close()
	progress.say("send", 0, 0)
	sent, err := o.Push(ctx, req)
	if err != nil {
		return res, err
	}
	// marked with what was sent, not what the store holds now: an edit made
	// while the push ran is still to push
	res.Versions = sent.Versions
	uids := make([]string, 0, len(sent.Versions))
	for _, v := range sent.Versions {
		uids = append(uids, v.UID)
	}
	if err := s.MarkVersionsSynced(ctx, uids); err != nil {
		return res, err
	}
	for i, d := range sent.Dossiers {
		b := req.Dossiers[i].Bundle
		if err := s.MarkBundleSynced(ctx, b, d.Rev, d.Number); err != nil {
			return res, err
		}
		p := byUID[d.UID]
		res.Dossiers = append(res.Dossiers, PushedDossier{Dossier: p.ID, Number: d.Number, UID: d.UID, Title: p.Title, Plan: p.Plan,
			State: b.State, Status: d.State})
	}
	// The office's log now holds this push. When it grew by this push
	// alone (one entry per version or dossier that changed there; writes
	// there go one at a time), the replica holds everything up to its head
	// and takes it as its cursor: its own push is not "to pull".
	written := 0
	for _, v := range sent.Versions {
		if v.New {
			written++
		}
	}
	for _, d := range sent.Dossiers {
		if d.State != "up to date" {
			written++
		}
	}
	if written > 0 && r.PullCursor+int64(written) == sent.Cursor {
		if err := s.SetPullCursor(ctx, sent.Cursor); err != nil {
			return res, err
		}
	}
	return res, nil
}

// RemoteState is a replica's standing with its office, for the window's
// status and `quyhoach remote`.
type RemoteState struct {
	Office   string    `json:"office"` // the address, without a password
	LastPull time.Time `json:"last_pull"`
	ToPush   int       `json:"to_push"` // dossiers and versions the office lacks
	ToPull   int       `json:"to_pull"` // plans, versions and dossiers changed at the office since the last pull
	Offline  bool      `json:"offline"`
	Problem  string    `json:"problem,omitempty"` // why the office could not be asked
}

// UpToDate reports whether there is nothing to push or pull.
func (r RemoteState) UpToDate() bool { return !r.Offline && r.ToPush == 0 && r.ToPull == 0 }

// StateOf asks the office, within timeout, how far the replica is from it;
// an office out of reach makes the state offline, not an error.
func StateOf(ctx context.Context, s Replica, timeout time.Duration) (RemoteState, error) {
	r, err := remoteOf(ctx, s)
	if err != nil {
		return RemoteState{}, err
	}
	st := RemoteState{Office: office.Redact(r.URL), LastPull: r.LastPull}
	pend, err := s.Pending(ctx)
	if err != nil {
		return st, err
	}
	st.ToPush = len(pend.Dossiers) + len(pend.Versions)
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	o, err := openOffice(cctx, r)
	if err == nil {
		defer o.Close()
		st.ToPull, err = o.ChangesSince(cctx, r.PullCursor)
	}
	if err != nil {
		st.Offline, st.Problem = true, err.Error()
	}
	return st, nil
}
