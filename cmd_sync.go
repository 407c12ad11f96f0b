package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"quyhoach/office"
	"quyhoach/plan"
	"quyhoach/store"
)

// clone, pull, push and remote: a replica of the office store, worked on
// offline (plan/sync.go).

func init() {
	register(command{"clone", "clone URL --db FILE: a new store holding the office's plans, versions and dossiers, to work on offline", cmdClone})
	register(command{"pull", "pull --db FILE [--replay] [--json]: bring what changed at the office since the last pull", cmdPull})
	register(command{"push", "push --db FILE [--json]: send the dossiers changed here (changes, steps, documents) and the versions approved here", cmdPush})
	register(command{"remote", "remote --db FILE [--set URL] [--json]: the office this store syncs with, and how far apart they are", cmdRemote})
}

// progressLine writes a clone's, pull's or push's steps to stderr, once per
// step.
func progressLine(c *cli) plan.SyncProgress {
	last := ""
	return func(step string, done, total int) {
		if step != last {
			last = step
			fmt.Fprintf(c.stderr, "quyhoach: %s: %s…\n", c.name, step)
		}
	}
}

func cmdClone(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("clone URL --db FILE")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	quiet := fs.Bool("q", false, "say nothing while cloning")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("need the office's address (postgres://user@host:port/db, without a password)")
	}
	if c.db == "" {
		return usageErr("need --db FILE: the new store file the clone makes")
	}
	if err := office.CheckAddress(pos[0]); err != nil {
		return &exitError{2, err}
	}
	var progress plan.SyncProgress
	if !*quiet && !*asJSON {
		progress = progressLine(c)
	}
	start := time.Now()
	res, err := plan.Clone(ctx, pos[0], c.db, progress)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c, res)
	}
	fmt.Fprintf(c.stdout, "cloned %s into %s: %s, %s, %s (%.1f s)\n", res.Office, res.Path, plural(res.Plans, "plan"),
		plural(res.Versions, "version"), plural(res.Dossiers, "dossier"), time.Since(start).Seconds())
	for _, d := range res.Unverified {
		fmt.Fprintf(c.stdout, "dossier %q (number %d at the office): not taken, it does not verify at the office: %s\n", d.Title, d.Number, d.Reason)
	}
	return nil
}

// syncStore parses a pull's or push's flags and opens its store; its
// steps go to stderr unless the result is asked as JSON.
func (c *cli) syncStore(ctx context.Context, fs *flag.FlagSet, args []string, asJSON bool) (*store.Store, plan.SyncProgress, error) {
	if err := parseNone(fs, args); err != nil {
		return nil, nil, err
	}
	st, err := c.open(ctx)
	if err != nil || asJSON {
		return st, nil, err
	}
	return st, progressLine(c), nil
}

func cmdPull(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("pull --db FILE [--replay] [--json]")
	asJSON := fs.Bool("json", false, "print what the pull brought as JSON")
	replay := fs.Bool("replay", false, "for a dossier whose steps or documents moved on both here and at the office: record this store's again after the office's")
	st, progress, err := c.syncStore(ctx, fs, args, *asJSON)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := plan.PullWith(ctx, st, plan.PullOptions{Replay: *replay}, progress)
	if err != nil {
		return syncErr(err)
	}
	if *asJSON {
		return writeJSON(c, res)
	}
	for _, line := range pullLines(res) {
		fmt.Fprintln(c.stdout, line)
	}
	if len(res.Unverified) > 0 {
		return &exitError{1, fmt.Errorf("dossiers not taken, as they do not verify at the office: %d (ask the office to mend them)", len(res.Unverified))}
	}
	if len(res.Diverged) > 0 {
		return &exitError{1, fmt.Errorf("%s changed both here and at the office since the last pull", plural(len(res.Diverged), "dossier or plan"))}
	}
	return nil
}

// pullLines says what a pull brought, one line each.
func pullLines(r plan.PullResult) []string {
	var out []string
	for _, p := range r.Plans {
		switch p.Status {
		case store.UnpackNew:
			out = append(out, fmt.Sprintf("plan %s: new", p.Plan))
		case store.UnpackAppended:
			out = append(out, fmt.Sprintf("plan %s: new layers or agencies", p.Plan))
		}
	}
	for _, v := range r.Versions {
		if v.Status != store.UnpackUpToDate {
			out = append(out, fmt.Sprintf("plan %s: version %d", v.Plan, v.Number))
		}
	}
	for _, d := range r.Dossiers {
		if d.Status != store.UnpackUpToDate {
			out = append(out, unpackLines(d)...)
		}
		if d.Replayed > 0 {
			out = append(out, fmt.Sprintf("dossier %d: %s of this store recorded again after the office's; it is now %s (push sends them)",
				d.Dossier, plural(d.Replayed, "step or document"), d.State))
		}
	}
	for _, d := range r.Diverged {
		if d.Dossier == 0 {
			out = append(out, fmt.Sprintf("plan %s: its new versions at the office not taken: %s", d.Plan, d.Reason))
			continue
		}
		line := fmt.Sprintf("dossier %d: left as it is here: %s", d.Dossier, d.Reason)
		if d.Steps {
			line += " (quyhoach pull --replay records this store's steps and documents again after the office's)"
		}
		out = append(out, line)
	}
	for _, d := range r.Unverified {
		out = append(out, fmt.Sprintf("dossier %q (number %d at the office): not taken, it does not verify at the office: %s", d.Title, d.Number, d.Reason))
	}
	if len(out) == 0 {
		out = append(out, "already up to date with "+r.Office)
	}
	return out
}

// syncErr is a refusal of the office with what to do next.
func syncErr(err error) error {
	var conflict *office.ConflictError
	var div *store.DivergedError
	switch {
	case errors.Is(err, plan.ErrNoRemote):
		return &exitError{2, err}
	case errors.As(err, &conflict):
		return &exitError{1, err} // it says what to do
	case errors.As(err, &div):
		return &exitError{1, err}
	}
	return err
}

func cmdPush(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("push --db FILE [--json]")
	asJSON := fs.Bool("json", false, "print what the push sent as JSON")
	st, progress, err := c.syncStore(ctx, fs, args, *asJSON)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := plan.Push(ctx, st, progress)
	if err != nil {
		return syncErr(err)
	}
	if *asJSON {
		return writeJSON(c, res)
	}
	if len(res.Versions) == 0 && len(res.Dossiers) == 0 {
		fmt.Fprintln(c.stdout, "nothing to push")
		return nil
	}
	for _, v := range res.Versions {
		fmt.Fprintf(c.stdout, "version %d sent (%s)\n", v.Number, v.UID)
	}
	for _, d := range res.Dossiers {
		fmt.Fprintf(c.stdout, "dossier %d (%s, %s): %s at the office as number %d\n", d.Dossier, d.Plan, d.State, d.Status, d.Number)
	}
	return nil
}

func cmdRemote(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("remote --db FILE [--set URL] [--json]")
	set := fs.String("set", "", "the office's new address (postgres://user@host:port/db, without a password)")
	asJSON := fs.Bool("json", false, "print as JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if *set != "" {
		if err := plan.SetRemote(ctx, st, *set); err != nil {
			return &exitError{2, err}
		}
	}
	state, err := plan.StateOf(ctx, st, 5*time.Second)
	if err != nil {
		return syncErr(err)
	}
	if *asJSON {
		return writeJSON(c, state)
	}
	fmt.Fprintln(c.stdout, "office:", state.Office)
	if !state.LastPull.IsZero() {
		fmt.Fprintln(c.stdout, "last pull:", state.LastPull.Local().Format("2006-01-02 15:04"))
	}
	switch {
	case state.Offline:
		fmt.Fprintf(c.stdout, "offline (%s); %s\n", state.Problem, plural(state.ToPush, "change")+" to push")
	case state.UpToDate():
		fmt.Fprintln(c.stdout, "up to date")
	default:
		fmt.Fprintf(c.stdout, "%s to push, %s to pull\n", plural(state.ToPush, "change"), plural(state.ToPull, "change"))
	}
	return nil
}
