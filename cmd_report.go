package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"quyhoach/atomicfile"
	"quyhoach/plan"
)

func init() {
	register(command{"report", "report --from DATE --to DATE -o report.pdf|report.csv: the board's report on adjustment dossiers over a period", cmdReport})
}

// cmdReport writes the board's report on the dossiers of a period: PDF
// (A4, Vietnamese) or CSV, by the output's extension.
func cmdReport(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("report --from YYYY-MM-DD --to YYYY-MM-DD -o FILE.pdf|FILE.csv (or --year YYYY)")
	var p plan.Period
	fs.StringVar(&p.From, "from", "", "first day of the period, YYYY-MM-DD")
	fs.StringVar(&p.To, "to", "", "last day of the period, YYYY-MM-DD")
	year := fs.Int("year", 0, "a calendar year instead of --from and --to")
	out := fs.String("o", "", "output file: .pdf or .csv")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	switch {
	case *year != 0 && (p.From != "" || p.To != ""):
		return usageErr("--year excludes --from and --to")
	case *year != 0:
		p = plan.YearPeriod(*year)
	case p.From == "" || p.To == "":
		return usageErr("need --from and --to (or --year)")
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if *out == "" || ext != ".pdf" && ext != ".csv" {
		return usageErr("need -o FILE.pdf or -o FILE.csv")
	}
	if err := p.Check(); err != nil {
		return requestErr(err)
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cat, err := catalogue()
	if err != nil {
		return err
	}
	r, err := plan.MakeReport(ctx, st, p, cat, st.Now())
	if err != nil {
		return requestErr(err)
	}
	var buf bytes.Buffer
	if ext == ".csv" {
		err = r.WriteCSV(&buf)
	} else {
		err = r.Document(fonts, cat).Write(&buf)
	}
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, func(f *os.File) error { _, err := f.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	received, appraised, approved, published, returned, open, overdue := r.Counts()
	fmt.Fprintf(c.stdout, "%s: %s – %s: %d received, %d appraised, %d approved, %d published, %d returned; %d open (%d overdue)\n",
		*out, p.From, p.To, received, appraised, approved, published, returned, open, overdue)
	return nil
}

// requestErr makes a request the plan layer refuses a usage error naming
// its flags.
func requestErr(err error) error {
	var re *plan.RequestError
	if errors.As(err, &re) {
		return usageErr("%s", re.Text(func(o string) string { return "--" + o }))
	}
	return err
}
