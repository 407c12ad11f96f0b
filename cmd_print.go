package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/atomicfile"
	"quyhoach/gis/render"
	"quyhoach/plan"
)

func init() {
	register(command{"print", "print --plan CODE [--version N | --dossier ID] [--scale N] [--paper A0..A4] [--landscape] [--center LON,LAT | --fit] [--atlas] [--compare] [--lang vi|en] -o FILE.pdf: map sheets as vector PDF (Vietnamese, or English on request)", cmdPrint})
}

// fonts are the embedded fonts of printed sheets.
var fonts = render.Fonts{Regular: assets.FontRegular, Bold: assets.FontBold}

func cmdPrint(ctx context.Context, c *cli, args []string) error {
	const usage = "print --plan CODE [--version N | --dossier ID] [--scale N] [--paper A0|A1|A2|A3|A4] [--landscape] [--center LON,LAT | --fit | --adjusted | --lots CODES] [--atlas] [--compare] [--balance] [--title TEXT] [--drawing-no TEXT] [--lang vi|en] -o FILE.pdf"
	fs := c.flags(usage)
	var r plan.PrintRequest
	fs.StringVar(&r.Plan, "plan", "", "plan code")
	fs.IntVar(&r.Ref.Version, "version", 0, "version (default: current)")
	fs.Int64Var(&r.Ref.Dossier, "dossier", 0, "print a dossier's proposal, its adjusted area highlighted")
	fs.Float64Var(&r.Scale, "scale", 0, "scale denominator N of 1/N (default: the largest standard scale that fits; 1/500 for --atlas)")
	fs.StringVar(&r.Paper, "paper", "A3", "paper: A0, A1, A2, A3 or A4")
	fs.BoolVar(&r.Landscape, "landscape", false, "landscape sheet")
	center := fs.String("center", "", "centre the map on LON,LAT (WGS84) at --scale (default: the plan's scale)")
	fit := fs.Bool("fit", false, "fit the whole plan (the default)")
	fs.BoolVar(&r.Adjusted, "adjusted", false, "fit the dossier's adjusted area")
	lots := fs.String("lots", "", "fit a selection: lot codes (maDoiTuong), comma-separated")
	fs.BoolVar(&r.Atlas, "atlas", false, "tile the plan over as many sheets as needed, with an index sheet")
	fs.BoolVar(&r.Compare, "compare", false, "two pages: the approved base and the dossier's adjustment")
	fs.BoolVar(&r.Balance, "balance", false, "add the land-use balance table")
	fs.BoolVar(&r.NoLabels, "no-labels", false, "leave lots unlabelled")
	fs.StringVar(&r.DrawingName, "title", "", "drawing name (default: "+plan.DefaultDrawingName+")")
	fs.StringVar(&r.DrawingNo, "drawing-no", "QH-01", "drawing number")
	fs.StringVar(&r.Date, "date", "", "date in the title block, dd/mm/yyyy (default: today)")
	fs.StringVar(&r.Consultant, "consultant", "", "consultant (đơn vị tư vấn)")
	fs.StringVar(&r.Lead, "lead", "", "project lead (chủ nhiệm đồ án)")
	fs.StringVar(&r.Designer, "designer", "", "designer (thiết kế)")
	fs.StringVar(&r.Checker, "checker", "", "checker (kiểm tra)")
	fs.StringVar(&r.Lang, "lang", "vi", "language of the sheet's words and numbers: vi (official) or en")
	out := fs.String("o", "", "output PDF file")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case r.Plan == "":
		return usageErr("need --plan")
	case *out == "":
		return usageErr("need -o FILE.pdf")
	case set["version"] && set["dossier"]:
		return usageErr("--version and --dossier exclude each other")
	case set["scale"] && !(r.Scale > 0):
		return usageErr("--scale %g: want a denominator greater than 0 (1/N)", r.Scale)
	case *center != "" && *fit:
		return usageErr("--center and --fit exclude each other")
	}
	if *center != "" {
		p, err := parseCenter(*center)
		if err != nil {
			return err
		}
		r.Center = &p
	}
	if *lots != "" {
		r.Lots = strings.Split(*lots, ",")
	}
	cat, err := catalogue()
	if err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	doc, err := plan.Sheets(ctx, st, cat, fonts, r)
	var re *plan.RequestError
	if errors.As(err, &re) {
		return usageErr("%s", re.Text(func(o string) string { return "--" + o }))
	}
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, func(f *os.File) error { return doc.Write(f) }); err != nil {
		return err
	}
	l := doc.Sheets[len(doc.Sheets)-1].Layout
	orient := "portrait"
	if l.Landscape {
		orient = "landscape"
	}
	fmt.Fprintf(c.stdout, "%s: %d sheet(s), %s %s, %s\n", *out, len(doc.Sheets), l.Paper.Name, orient, l.ScaleTextIn(r.Lang))
	return nil
}

// parseCenter reads LON,LAT in degrees (WGS84).
func parseCenter(s string) (orb.Point, error) {
	a, b, ok := strings.Cut(s, ",")
	lon, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lat, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil {
		return orb.Point{}, usageErr("--center %q: want LON,LAT in degrees (WGS84), e.g. 106.71083,21.97111", s)
	}
	return orb.Point{lon, lat}, nil
}
