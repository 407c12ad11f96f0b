package main

import (
	"context"
	"fmt"
	"strings"

	"quyhoach/gis"
	"quyhoach/plan"
	"quyhoach/store"
)

// dossier pack and dossier unpack: a dossier carried to another store in
// one file (plan/package.go, store/package.go).

func init() {
	dossierCommands["pack"] = dossierPack
	dossierCommands["unpack"] = dossierUnpack
}

func dossierPack(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	out := fs.String("o", "", "the package file to write (a GeoPackage)")
	by := fs.String("by", currentUser(), "who sends the dossier (recorded in the package)")
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
	res, path, err := plan.SendDossier(ctx, st, *fs.id, *out, *by)
	if err != nil {
		return err
	}
	if *fs.asJSON {
		return writeJSON(c, res)
	}
	fmt.Fprintf(c.stdout, "dossier %d (%s, %s, %s): %s, %s, %s → %s\n", res.Dossier, res.Plan, res.State, res.UID,
		plural(res.Changes, "change"), plural(res.Steps, "step"), plural(res.Attachments, "document"), path)
	return nil
}

func dossierUnpack(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	files, err := fs.parse(args, false)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageErr("need one FILE (a dossier package)")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := plan.ReceiveDossier(ctx, st, files[0])
	if err != nil {
		return err
	}
	if *fs.asJSON {
		return writeJSON(c, res)
	}
	for _, line := range unpackLines(res) {
		fmt.Fprintln(c.stdout, line)
	}
	return nil
}

// unpackLines says what an unpack did, and what to do when the plan moved on.
func unpackLines(r store.UnpackResult) []string {
	var out []string
	switch r.Status {
	case store.UnpackNew:
		line := fmt.Sprintf("dossier %d received (%s, %s, %s): %s, %s, %s", r.Dossier, r.Plan, r.State, r.UID,
			plural(r.Changes, "change"), plural(r.Steps, "step"), plural(r.Attachments, "document"))
		if r.Author != "" {
			line += "; sent by " + gis.OneLine(r.Author)
		}
		out = append(out, line)
	case store.UnpackAppended:
		out = append(out, fmt.Sprintf("dossier %d (%s): %s and %s added; it is now %s", r.Dossier, r.UID,
			plural(r.Steps, "new step"), plural(r.Attachments, "new document"), r.State))
	case store.UnpackUpdated:
		out = append(out, fmt.Sprintf("dossier %d (%s): its draft change set updated (%s)", r.Dossier, r.UID, plural(r.Changes, "change")))
	default:
		line := fmt.Sprintf("dossier %d (%s) is already up to date", r.Dossier, r.UID)
		if r.Ahead > 0 {
			line += fmt.Sprintf(" (this store has %s the package lacks)", plural(r.Ahead, "later link"))
		}
		out = append(out, line)
	}
	if r.NeedsRebase() {
		line := fmt.Sprintf("needs rebase: it is based on version %d; plan %s is at version %d", r.Base, r.Plan, r.Current)
		if len(r.Conflicts) > 0 {
			var lots []string
			for _, c := range r.Conflicts {
				lots = append(lots, strings.TrimSpace(c.Feature+" "+paren(c.Code)))
			}
			line += fmt.Sprintf("; %s changed on both sides: %s", plural(len(r.Conflicts), "lot"), strings.Join(lots, ", "))
		}
		out = append(out, line+fmt.Sprintf(" (quyhoach dossier rebase --dossier %d --take ours|theirs)", r.Dossier))
	}
	return out
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}
