package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/store"
)

func init() {
	register(command{"dossier", "adjustment dossiers: create, apply, submit … approve, rebase, attach, extract, show, list, pack, unpack", cmdDossier})
}

const dossierUsage = `usage:
  quyhoach dossier create --plan CODE --title T --kind local|overall [--base N] [--reason T]
  quyhoach dossier apply --dossier ID [--layer NAME] [--key FIELD] [--full] [--repair] [--crs SYSTEM] [--encoding ENC] [--cad-map FILE] [--partial] FILE
  quyhoach dossier submit|appraise|appraised|approve|publish|return|withdraw --dossier ID [--doc NO] [--date YYYY-MM-DD] [--agency T] [--by NAME] [--note T] [--signer NAME] [--ma CODE] [--ack-warnings]
  quyhoach dossier check|history|undo|redo --dossier ID [--json]     (submit refuses what check finds: errors always, warnings without --ack-warnings)
  quyhoach dossier rebase --dossier ID [--take ours|theirs] [--feature ID ...] [--ours ID ...] [--theirs ID ...]
  quyhoach dossier attach --dossier ID --kind KIND FILE
  quyhoach dossier extract --dossier ID --attachment N -o FILE
  quyhoach dossier show --dossier ID [--json]
  quyhoach dossier list [--plan CODE] [--overdue] [--json]
  quyhoach dossier pack --dossier ID -o FILE [--by NAME] [--json]     (the dossier as one file for another store; a GeoPackage)
  quyhoach dossier unpack FILE [--json]                               (take a package in: new dossier, new steps, or up to date)`

// strList is a repeatable string flag.
type strList []string

func (s *strList) String() string     { return strings.Join(*s, ",") }
func (s *strList) Set(v string) error { *s = append(*s, v); return nil }

// dossierCommands are the dossier subcommands; each parses its own flags.
var dossierCommands = map[string]func(ctx context.Context, c *cli, args []string) error{
	"create": dossierCreate, "apply": dossierApply, "rebase": dossierRebase, "attach": dossierAttach,
	"extract": dossierExtract, "show": dossierShow, "list": dossierList,
	"submit": dossierStep, "appraise": dossierStep, "appraised": dossierStep, "approve": dossierStep,
	"publish": dossierStep, "return": dossierStep, "withdraw": dossierStep,
}

func cmdDossier(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usageErr("%s", dossierUsage)
	}
	run, ok := dossierCommands[args[0]]
	if !ok {
		return usageErr("unknown dossier command %q\n%s", args[0], dossierUsage)
	}
	c.name = args[0] // errors read "quyhoach: approve: decision number required"
	return run(ctx, c, args[1:])
}

// dossierFlags is the flag set of a dossier subcommand, with --dossier
// (and --json where the subcommand prints it).
type dossierFlags struct {
	*flag.FlagSet
	id     *int64
	asJSON *bool
}

func (c *cli) dossierFlags() dossierFlags {
	fs := c.flags("")
	fs.Usage = func() { fmt.Fprintln(c.stderr, dossierUsage) }
	return dossierFlags{fs, fs.Int64("dossier", 0, "dossier id"), fs.Bool("json", false, "print JSON")}
}

// open parses the arguments of a subcommand that takes only flags, with
// --dossier, and opens the store.
func (fs dossierFlags) open(ctx context.Context, c *cli, args []string) (*store.Store, error) {
	if _, err := fs.parse(args, true); err != nil {
		return nil, err
	}
	return c.open(ctx)
}

// parse parses the arguments; needID refuses a missing --dossier.
func (fs dossierFlags) parse(args []string, needID bool) ([]string, error) {
	files, err := parse(fs.FlagSet, args)
	if err == nil && needID && *fs.id == 0 {
		err = usageErr("need --dossier ID")
	}
	return files, err
}

func dossierCreate(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	var d store.NewDossier
	fs.StringVar(&d.Plan, "plan", "", "plan code")
	fs.StringVar(&d.Title, "title", "", "title")
	fs.StringVar(&d.Kind, "kind", "", "local or overall")
	fs.IntVar(&d.Base, "base", 0, "base version (default: current)")
	fs.StringVar(&d.Reason, "reason", "", "reason for the adjustment")
	fs.StringVar(&d.Code, "code", "", "maHoSoQH (default: generated)")
	if _, err := fs.parse(args, false); err != nil {
		return err
	}
	if d.Plan == "" {
		return usageErr("need --plan")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.CreateDossier(ctx, d)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, n)
	return nil
}

func dossierApply(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	var req store.ApplyRequest
	fs.StringVar(&req.Layer, "layer", store.DefaultLayer, "layer that receives added features (a drawing: its lots)")
	fs.StringVar(&req.Key, "key", "", "match features to the base by this property instead of by id")
	fs.BoolVar(&req.Full, "full", false, "FILE is the whole new layer: base features missing from it are deleted")
	fs.BoolVar(&req.Repair, "repair", false, "make invalid lots valid where it can be done without guessing (each repair is reported)")
	rf := addReadFlags(fs.FlagSet)
	files, err := fs.parse(args, true)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageErr("need one FILE")
	}
	o, err := rf.options(req.Layer)
	if err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := storedTable(ctx, st, &o); err != nil {
		return err
	}
	r, err := c.read(ctx, files[0], o)
	if err != nil {
		return err
	}
	req.Dossier, req.Features = *fs.id, r.Layers[0].Features
	req.Label = "apply " + filepath.Base(files[0])
	res, err := st.Apply(ctx, req)
	if err != nil {
		return err
	}
	for _, r := range res.Repaired {
		fmt.Fprintln(c.stdout, "repaired:", r)
	}
	fmt.Fprintf(c.stdout, "dossier %d: %d added, %d modified, %d deleted, %d unchanged\n", *fs.id, res.Added, res.Modified, res.Deleted, res.Unchanged)
	return nil
}

// dossierStep takes an approval step: submit, appraise, … withdraw.
func dossierStep(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	step := store.Step{Action: c.name}
	fs.StringVar(&step.DocNo, "doc", "", "document number (cover letter, appraisal report, decision)")
	fs.StringVar(&step.DocDate, "date", "", "document date YYYY-MM-DD")
	fs.StringVar(&step.By, "by", currentUser(), "who takes the step")
	fs.StringVar(&step.Note, "note", "", "note (the reason, for return and withdraw; where, for publish)")
	fs.StringVar(&step.Agency, "agency", "", "the agency whose document the step records (default: the plan's for the step: quyhoach plan show)")
	fs.StringVar(&step.Signer, "signer", "", "approve: who signed the decision")
	fs.StringVar(&step.MaThongTinQH, "ma", "", "approve: maThongTinQH of the new version (default: generated)")
	fs.BoolVar(&step.AckWarnings, "ack-warnings", false, "submit: acknowledge the warnings the changes introduce (errors are never acknowledged: dossier check lists them)")
	if _, err := fs.parse(args, true); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if step.Agency == "" { // the plan's agency for the step, never the login name
		if d, err := st.Dossier(ctx, *fs.id); err == nil {
			if a, err := st.Agencies(ctx, d.Plan); err == nil {
				step.Agency = a.ForAction(step.Action)
			}
		}
	}
	d, err := st.Advance(ctx, *fs.id, step)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("dossier %d: %s", d.ID, d.State)
	if d.Due != "" {
		msg += ", due " + d.Due
	}
	if step.Action == "approve" {
		msg += fmt.Sprintf("; plan %s version %d is now current", d.Plan, d.Approved)
	}
	fmt.Fprintln(c.stdout, msg)
	return nil
}

func dossierRebase(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	take := fs.String("take", "", "settle conflicts with ours (the dossier's change) or theirs (the plan's): all of them, or those named by --feature")
	var features, ours, theirs strList
	fs.Var(&features, "feature", "a conflicting feature id that --take settles (repeatable)")
	fs.Var(&ours, "ours", "a conflicting feature id to settle with the dossier's change (repeatable)")
	fs.Var(&theirs, "theirs", "a conflicting feature id to settle with the plan's (repeatable)")
	by := fs.String("by", currentUser(), "who rebases")
	if _, err := fs.parse(args, true); err != nil {
		return err
	}
	if len(features) > 0 && *take == "" {
		return usageErr("--feature needs --take ours|theirs")
	}
	res := store.Resolution{Take: map[string]string{}}
	if len(features) == 0 {
		res.Default = *take
	}
	for _, f := range features {
		res.Take[f] = *take
	}
	for _, f := range ours {
		res.Take[f] = "ours"
	}
	for _, f := range theirs {
		res.Take[f] = "theirs"
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.Rebase(ctx, *fs.id, res, *by)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "dossier %d: based on version %d, %s\n", d.ID, d.Base, plural(len(d.Changes), "change"))
	for i := len(d.Transitions) - 1; i >= 0; i-- { // the rebase's steps: which conflicts were settled how, and a return to appraisal
		if t := d.Transitions[i]; store.ActionOf(t) == store.RebaseStep {
			for _, u := range d.Transitions[i:] {
				fmt.Fprintln(c.stdout, u.Note)
			}
			break
		}
	}
	return nil
}

func dossierAttach(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	kind := fs.String("kind", "", strings.Join(store.AttachmentKinds, ", "))
	files, err := fs.parse(args, true)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageErr("need one FILE")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := st.Attach(ctx, *fs.id, *kind, files[0], data)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "attachment %d: %s (%s, %d bytes, sha256 %s)\n", a.ID, gis.OneLine(a.Name), a.Kind, a.Size, a.SHA256)
	return nil
}

func dossierExtract(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	att := fs.Int64("attachment", 0, "attachment number")
	out := fs.String("o", "", "output file")
	if _, err := fs.parse(args, true); err != nil {
		return err
	}
	if *out == "" {
		return usageErr("need -o FILE")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	_, data, err := st.Extract(ctx, *fs.id, *att)
	if err != nil {
		return err
	}
	return atomicfile.Write(*out, func(f *os.File) error { _, err := f.Write(data); return err })
}

func dossierShow(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	st, err := fs.open(ctx, c, args)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.Dossier(ctx, *fs.id)
	if err != nil {
		return err
	}
	if *fs.asJSON {
		return writeJSON(c, dossierJSON(d))
	}
	printDossier(c, d)
	return nil
}

func dossierList(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	var f store.DossierFilter
	fs.StringVar(&f.Plan, "plan", "", "plan code")
	fs.BoolVar(&f.Overdue, "overdue", false, "only dossiers past their due date")
	if _, err := fs.parse(args, false); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ds, err := st.Dossiers(ctx, f)
	if err != nil {
		return err
	}
	if *fs.asJSON {
		return writeJSON(c, nonNil(ds))
	}
	// a replica shows the office's short numbers beside its own ("-"
	// until a dossier's first push)
	office := false
	for _, d := range ds {
		office = office || d.OfficeNumber != 0
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	head := "ID\tPLAN\tKIND\tBASE\tSTATE\tDUE\tCODE\tTITLE"
	if office {
		head = "ID\tOFFICE\tPLAN\tKIND\tBASE\tSTATE\tDUE\tCODE\tTITLE"
	}
	fmt.Fprintln(tw, head)
	for _, d := range ds {
		due := d.Due
		if d.Overdue {
			due += " OVERDUE"
		}
		id := strconv.FormatInt(d.ID, 10)
		if office {
			no := "-"
			if d.OfficeNumber != 0 {
				no = strconv.FormatInt(d.OfficeNumber, 10)
			}
			id += "\t" + no
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", id, d.Plan, d.Kind, d.Base, d.State, due, gis.OneLine(d.Code), gis.OneLine(d.Title))
	}
	return tw.Flush()
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// dossierJSON is show --json: changes as id lists by kind, plus the details.
func dossierJSON(d store.Dossier) map[string]any {
	changes := map[string][]string{"added": {}, "modified": {}, "deleted": {}}
	lineage := map[string][]string{}
	names := map[string]string{"add": "added", "modify": "modified", "delete": "deleted"}
	for _, ch := range d.Changes {
		changes[names[ch.Op]] = append(changes[names[ch.Op]], ch.FeatureID)
		if len(ch.Parents) > 0 {
			lineage[ch.FeatureID] = ch.Parents
		}
	}
	return map[string]any{
		"id": d.ID, "plan": d.Plan, "kind": d.Kind, "base": d.Base, "title": d.Title, "reason": d.Reason,
		"code": d.Code, "state": d.State, "created": d.Created, "due": d.Due, "overdue": d.Overdue,
		"approved_version": d.Approved, "changes": changes, "lineage": lineage,
		"transitions": nonNil(d.Transitions), "attachments": nonNil(d.Attachments),
	}
}

func printDossier(c *cli, d store.Dossier) {
	w := c.stdout
	fmt.Fprintf(w, "dossier %d  %s  [%s]\n", d.ID, gis.OneLine(d.Title), d.State)
	fmt.Fprintf(w, "plan %s, %s adjustment on version %d, code %s\n", d.Plan, d.Kind, d.Base, gis.OneLine(d.Code))
	if d.Reason != "" {
		fmt.Fprintf(w, "reason: %s\n", gis.OneLine(d.Reason))
	}
	if d.Due != "" {
		over := ""
		if d.Overdue {
			over = " (OVERDUE)"
		}
		fmt.Fprintf(w, "due: %s%s\n", d.Due, over)
	}
	if d.Approved != 0 {
		fmt.Fprintf(w, "approved as version %d\n", d.Approved)
	}
	fmt.Fprintf(w, "\nchanges (%d):\n", len(d.Changes))
	for _, ch := range d.Changes {
		code := ""
		if ch.Feature != nil {
			code = gis.OneLine(ch.Feature.String("maDoiTuong"))
		}
		line := fmt.Sprintf("  %-6s %s %s %s", ch.Op, ch.FeatureID, ch.Layer, code)
		if len(ch.Parents) > 0 {
			line += " ← " + strings.Join(ch.Parents, ", ")
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintf(w, "\ntransitions (%d):\n", len(d.Transitions))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range d.Transitions {
		fmt.Fprintf(tw, "  %s\t%s → %s\t%s\t%s\t%s %s\t%s\n", t.At.Local().Format(time.DateTime), t.From, t.To, gis.OneLine(t.By), gis.OneLine(t.Agency), gis.OneLine(t.DocNo), t.DocDate, gis.OneLine(t.Note))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nattachments (%d):\n", len(d.Attachments))
	for _, a := range d.Attachments {
		fmt.Fprintf(w, "  %d  %-18s %s  %s bytes  sha256 %s\n", a.ID, a.Kind, gis.OneLine(a.Name), strconv.FormatInt(a.Size, 10), a.SHA256[:16])
	}
}

func init() {
	register(command{"settings", "settings [--set KEY=VALUE ...]: deadlines (days) and the attachment limit (bytes)", cmdSettings})
}

// cmdSettings shows or changes the file's settings.
func cmdSettings(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("settings [--set KEY=VALUE ...]")
	var sets strList
	fs.Var(&sets, "set", "KEY=VALUE, e.g. deadline.appraisal_days=30 (repeatable)")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	values := map[string]string{}
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return usageErr("--set %q: want KEY=VALUE", kv)
		}
		values[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if len(values) > 0 {
		if err := st.SetSettings(ctx, values); err != nil {
			return err
		}
	}
	for _, k := range store.Settings {
		v, err := st.Setting(ctx, k)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s=%s\n", k, v)
	}
	return nil
}
