package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"quyhoach/gis"
	"quyhoach/store"
)

// The undo history of a draft dossier, as the window keeps it: each apply
// (from a file or a gesture in the window) is one edit.
func init() {
	dossierCommands["history"] = dossierHistory
	dossierCommands["undo"] = dossierUndo
	dossierCommands["redo"] = dossierUndo
	dossierCommands["check"] = dossierCheck
}

// dossierHistory lists a dossier's edits, oldest first.
func dossierHistory(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	st, err := fs.open(ctx, c, args)
	if err != nil {
		return err
	}
	defer st.Close()
	edits, err := st.Edits(ctx, *fs.id)
	if err != nil {
		return err
	}
	if *fs.asJSON {
		return writeJSON(c, nonNil(edits))
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tFEATURES\tEDIT")
	for _, e := range edits {
		label := gis.OneLine(e.Label)
		if e.Undone {
			label = "(undone) " + label
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", e.Seq, e.At.Local().Format(time.DateTime), e.Features, label)
	}
	return tw.Flush()
}

// dossierUndo undoes the last edit (undo) or does the undone one again (redo).
func dossierUndo(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	st, err := fs.open(ctx, c, args)
	if err != nil {
		return err
	}
	defer st.Close()
	var e store.Edit
	if c.name == "redo" {
		e, err = st.Redo(ctx, *fs.id)
	} else {
		e, err = st.Undo(ctx, *fs.id)
	}
	if errors.Is(err, store.ErrNothingToUndo) || errors.Is(err, store.ErrNothingToRedo) {
		return usageErr("dossier %d: %v", *fs.id, err)
	}
	if err != nil {
		return err
	}
	verb := "undone"
	if c.name == "redo" {
		verb = "redone"
	}
	fmt.Fprintf(c.stdout, "%s: %s (%d features)\n", verb, gis.OneLine(e.Label), e.Features)
	return nil
}

// dossierCheck checks what a dossier's changes do to the plan's lots: the
// same check submit makes.
func dossierCheck(ctx context.Context, c *cli, args []string) error {
	fs := c.dossierFlags()
	st, err := fs.open(ctx, c, args)
	if err != nil {
		return err
	}
	defer st.Close()
	chk, err := st.CheckProposal(ctx, *fs.id)
	if err != nil {
		return err
	}
	errs, warns := chk.Errors(), chk.Warnings()
	if *fs.asJSON {
		type finding struct {
			Kind    string   `json:"kind"`
			Error   bool     `json:"error"`
			IDs     []string `json:"ids"`
			AreaM2  float64  `json:"area_m2,omitempty"`
			Message string   `json:"message"`
		}
		out := []finding{}
		for _, f := range chk.Introduced {
			out = append(out, finding{f.Kind, f.IsError(), f.IDs, f.AreaM2, f.Message})
		}
		if err := writeJSON(c, out); err != nil {
			return err
		}
	} else {
		for _, f := range chk.Introduced {
			what := "warning"
			if f.IsError() {
				what = "error"
			}
			fmt.Fprintf(c.stdout, "%s\t%s\t%s\n", what, f.Kind, gis.OneLine(f.Message))
		}
		fmt.Fprintf(c.stdout, "dossier %d introduces %d errors and %d warnings\n", *fs.id, len(errs), len(warns))
	}
	if len(errs) > 0 {
		return &exitError{1, fmt.Errorf("dossier %d introduces %s: submit would refuse it", *fs.id, plural(len(errs), "error"))}
	}
	return nil
}
