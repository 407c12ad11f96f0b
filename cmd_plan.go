package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"quyhoach/gis"
	"quyhoach/store"
)

// planCommands are the plan subcommands beside create (cmd_store.go).
var planCommands = map[string]func(ctx context.Context, c *cli, args []string) error{
	"set": planSet, "show": planShow,
}

const planSetUsage = "plan set --plan CODE [--approver T] [--appraiser T] [--proposer T] [--consultant T] [--by NAME]"

// planSet records a plan's agencies; a flag not given keeps its value.
func planSet(ctx context.Context, c *cli, args []string) error {
	c.name = "plan set"
	fs := c.flags(planSetUsage)
	code := fs.String("plan", "", "plan code")
	fields := map[string]*string{}
	for _, f := range []struct{ name, usage string }{
		{"approver", "approving authority (cơ quan phê duyệt)"}, {"appraiser", "appraising agency (cơ quan thẩm định)"},
		{"proposer", "proposing, organising agency (cơ quan tổ chức lập)"}, {"consultant", "consultant (đơn vị tư vấn); \"\" clears it"},
	} {
		fields[f.name] = fs.String(f.name, "", f.usage)
	}
	by := fs.String("by", currentUser(), "who changes them")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *code == "" {
		return usageErr("need --plan (usage: quyhoach %s)", planSetUsage)
	}
	if !set["approver"] && !set["appraiser"] && !set["proposer"] && !set["consultant"] {
		return usageErr("nothing to set: give --approver, --appraiser, --proposer or --consultant")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := st.Agencies(ctx, *code)
	if err != nil {
		return err
	}
	for name, v := range fields {
		if !set[name] {
			continue
		}
		switch name {
		case "approver":
			a.Approver = *v
		case "appraiser":
			a.Appraiser = *v
		case "proposer":
			a.Proposer = *v
		case "consultant":
			a.Consultant = *v
		}
	}
	if a, err = st.SetAgencies(ctx, *code, a, *by); err != nil {
		return err
	}
	printAgencies(c, a)
	return nil
}

// planShow prints a plan's record, its agencies and their history.
func planShow(ctx context.Context, c *cli, args []string) error {
	c.name = "plan show"
	fs := c.flags("plan show --plan CODE [--json]")
	code := fs.String("plan", "", "plan code")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *code == "" {
		return usageErr("need --plan")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := st.Plan(ctx, *code)
	if err != nil {
		return err
	}
	a, err := st.Agencies(ctx, *code)
	if err != nil {
		return err
	}
	hist, err := st.AgencyHistory(ctx, *code)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c, map[string]any{"plan": p, "agencies": a, "agency_history": nonNil(hist)})
	}
	fmt.Fprintf(c.stdout, "%s  %s (%s, 1/%d), version %d\n", p.Code, gis.OneLine(p.Name), p.Level, p.Scale, p.CurrentVersion)
	printAgencies(c, a)
	if len(hist) > 0 {
		fmt.Fprintf(c.stdout, "\nchanges of the agencies (%d):\n", len(hist))
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		for _, h := range hist {
			fmt.Fprintf(tw, "  %s\t%s\t%s | %s | %s | %s\n", h.At.Local().Format(time.DateTime), gis.OneLine(h.By),
				gis.OneLine(h.Approver), gis.OneLine(h.Appraiser), gis.OneLine(h.Proposer), gis.OneLine(h.Consultant))
		}
		tw.Flush()
	}
	return nil
}

func printAgencies(c *cli, a store.Agencies) {
	w := c.stdout
	fmt.Fprintf(w, "approver:   %s\nappraiser:  %s\nproposer:   %s\nconsultant: %s\n", gis.OneLine(a.Approver), gis.OneLine(a.Appraiser),
		gis.OneLine(a.Proposer), gis.OneLine(a.Consultant))
	if a.Default {
		fmt.Fprintln(w, "(the zone's defaults: never set)")
	} else {
		fmt.Fprintf(w, "(set %s by %s)\n", a.At.Local().Format(time.DateTime), gis.OneLine(a.By))
	}
}
