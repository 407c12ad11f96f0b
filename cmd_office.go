package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"quyhoach/office"
	"quyhoach/store"
)

const officeUsage = `usage: quyhoach office init URL [--from FILE]     make the office store in an empty PostgreSQL database (and load a store file into it)
       quyhoach office user add URL --name NAME --role officer|reviewer|approver|admin
                                                  a login; its password from QUYHOACH_NEW_PASSWORD or asked twice on the terminal
       quyhoach office info URL                   plans, versions, dossiers and users of the office store
URL is postgres://USER@HOST:PORT/DATABASE, never with a password: it comes from PGPASSFILE (~/.pgpass), PGPASSWORD or the prompt.`

func init() {
	register(command{name: "office", summary: "office init URL [--from FILE] | office user add URL --name N --role R | office info URL: the office store on PostgreSQL/PostGIS", run: runOffice})
}

func runOffice(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usageErr("%s", officeUsage)
	}
	switch args[0] {
	case "init":
		return officeInit(ctx, c, args[1:])
	case "user":
		if len(args) < 2 || args[1] != "add" {
			return usageErr("office user: say office user add URL --name NAME --role ROLE")
		}
		return officeUserAdd(ctx, c, args[2:])
	case "info":
		return officeInfo(ctx, c, args[1:])
	}
	return usageErr("office: unknown subcommand %q (init, user add, info)", args[0])
}

// officeArgs parses the flags of a subcommand around its one URL.
func officeArgs(c *cli, fs *flag.FlagSet, args []string) (string, error) {
	var url string
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") && url == "" {
			url = a
			continue
		}
		rest = append(rest, a)
		if strings.HasPrefix(a, "-") && !strings.Contains(a, "=") && i+1 < len(args) && fs.Lookup(strings.TrimLeft(a, "-")) != nil {
			if _, isBool := fs.Lookup(strings.TrimLeft(a, "-")).Value.(interface{ IsBoolFlag() bool }); !isBool {
				rest = append(rest, args[i+1])
				i++
			}
		}
	}
	if err := fs.Parse(rest); err != nil {
		return "", usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return "", usageErr("unexpected %q", fs.Arg(0))
	}
	if url == "" {
		return "", usageErr("give the office's address: postgres://USER@HOST:PORT/DATABASE")
	}
	if err := office.CheckAddress(url); err != nil {
		return "", &exitError{2, err}
	}
	return url, nil
}

func officeInit(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("office init URL [--from FILE]")
	from := fs.String("from", "", "a store file to load into the new office store")
	url, err := officeArgs(c, fs, args)
	if err != nil {
		return err
	}
	var st *store.Store
	if *from != "" {
		if _, err := os.Stat(*from); err != nil {
			return usageErr("--from %s: no such store file", *from)
		}
		if st, err = store.Open(ctx, *from, store.Options{ReadOnly: true}); err != nil {
			return &exitError{2, err}
		}
		defer st.Close()
	}
	if err := office.Init(ctx, url); err != nil {
		return err
	}
	o, err := office.Open(ctx, url)
	if err != nil {
		return err
	}
	defer o.Close()
	if st != nil {
		last := -1
		if err := o.Load(ctx, st, func(done, total int) {
			if pct := 100 * done / max(total, 1); pct/10 != last/10 {
				last = pct
				fmt.Fprintf(c.stderr, "\rloading %s: %d%%", *from, pct)
			}
		}); err != nil {
			fmt.Fprintln(c.stderr)
			return fmt.Errorf("%w (the office store was made, and holds nothing of %s)", err, *from)
		}
		fmt.Fprintln(c.stderr)
	}
	fmt.Fprintf(c.stdout, "made the office store at %s\n", o.Where())
	return officeSummary(ctx, c, o)
}

func officeUserAdd(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("office user add URL --name NAME --role officer|reviewer|approver|admin")
	name := fs.String("name", "", "the login's name")
	role := fs.String("role", "", "officer, reviewer, approver or admin")
	url, err := officeArgs(c, fs, args)
	if err != nil {
		return err
	}
	if *name == "" || *role == "" {
		return usageErr("user add: give --name and --role")
	}
	pw := os.Getenv("QUYHOACH_NEW_PASSWORD")
	if pw == "" {
		if pw, err = office.ReadPassword("New password for " + *name + ": "); err != nil {
			return usageErr("user add: %v (or set QUYHOACH_NEW_PASSWORD)", err)
		}
		again, err := office.ReadPassword("Again: ")
		if err != nil {
			return usageErr("user add: %v", err)
		}
		if again != pw {
			return usageErr("user add: the two passwords differ")
		}
	}
	o, err := office.Open(ctx, url)
	if err != nil {
		return err
	}
	defer o.Close()
	if err := o.AddUser(ctx, *name, *role, pw); err != nil {
		return &exitError{2, err}
	}
	fmt.Fprintf(c.stdout, "added %s (%s) to the office store at %s\n", *name, *role, o.Where())
	return nil
}

func officeInfo(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("office info URL")
	url, err := officeArgs(c, fs, args)
	if err != nil {
		return err
	}
	o, err := office.Open(ctx, url)
	if err != nil {
		return err
	}
	defer o.Close()
	fmt.Fprintf(c.stdout, "office store at %s\n", o.Where())
	return officeSummary(ctx, c, o)
}

// officeSummary prints the plans with their versions, the dossiers by
// state and the users.
func officeSummary(ctx context.Context, c *cli, o *office.Office) error {
	plans, err := o.Plans(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%-16s %8s  %s\n", "PLAN", "VERSIONS", "NAME")
	for _, p := range plans {
		n, err := o.VersionCount(ctx, p.UID)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%-16s %8d  %s\n", p.Code, n, p.Name)
	}
	ds, err := o.Dossiers(ctx, 0)
	if err != nil {
		return err
	}
	states := map[string]int{}
	for _, d := range ds {
		states[d.Bundle.State]++
	}
	var parts []string
	for _, s := range []string{"draft", "submitted", "appraising", "appraised", "approved", "published", "withdrawn"} {
		if states[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", states[s], s))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(c.stdout, "dossiers: %d (%s)\n", len(ds), strings.Join(parts, ", "))
	} else {
		fmt.Fprintln(c.stdout, "dossiers: none")
	}
	users, err := o.Users(ctx)
	if err != nil {
		return err
	}
	var us []string
	for _, u := range users {
		us = append(us, u.Name+" ("+u.Role+")")
	}
	if len(us) == 0 {
		us = []string{"none yet (office user add)"}
	}
	fmt.Fprintf(c.stdout, "users: %s\n", strings.Join(us, ", "))
	cur, err := o.Cursor(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "change log head: %d\n", cur)
	return nil
}
