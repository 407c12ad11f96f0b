package ui

import (
	"context"
	"errors"
	"image"
	"io"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"quyhoach/plan"
)

// reportDialog makes the board's report of a period (a year, or any two
// days), shows its summary and first page, and saves it as PDF or CSV —
// the same report as `quyhoach report`.
type reportDialog struct {
	Year    *widget.Select
	From    *escEntry // dd/mm/yyyy
	To      *escEntry
	Make    *widget.Button
	Summary *widget.Label
	Preview *canvas.Image
	SavePDF *widget.Button
	SaveCSV *widget.Button
	Report  *plan.Report
	dlg     *dialog.CustomDialog
	tasks   runner
}

// ShowReport opens the report dialog on the year before this one (the
// board reports on a closed year); it returns the dialog (tests drive it).
func (w *Window) ShowReport() *reportDialog {
	dw := w.dossiers
	src, ok := w.src.(plan.ReportSource)
	if !ok {
		dialog.ShowError(errors.New(tr("This store cannot make the report")), w.Window)
		return nil
	}
	d := &reportDialog{Summary: widget.NewLabel(tr("Choose a period.")), From: newEntry(), To: newEntry()}
	d.tasks = runner{sync: w.opts.Sync, slow: func() { d.Summary.SetText(tr("Making the report…")) }, done: func(_ string, err error) {
		if err != nil && !errors.Is(err, context.Canceled) {
			d.Summary.SetText(tr("Error: {{.Err}}", map[string]any{"Err": errText(err)}))
		}
	}}
	d.Summary.Wrapping = fyne.TextWrapWord
	d.From.SetPlaceHolder("dd/mm/yyyy")
	d.To.SetPlaceHolder("dd/mm/yyyy")
	year := dw.now().Year()
	var years []string
	for y := year; y >= year-9; y-- {
		years = append(years, strconv.Itoa(y))
	}
	d.Year = newSelect(years, func(s string) {
		y, _ := strconv.Atoi(s)
		p := plan.YearPeriod(y)
		d.From.SetText(dateText(p.From))
		d.To.SetText(dateText(p.To))
		w.makeReport(d, src)
	})
	d.Make = widget.NewButton(tr("Make the report"), func() { w.makeReport(d, src) })
	d.Preview = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	d.Preview.FillMode = canvas.ImageFillContain
	d.Preview.SetMinSize(fyne.NewSize(300, 420))
	d.SavePDF = widget.NewButton(tr("Save PDF…"), func() { w.saveReport(d, "pdf") })
	d.SavePDF.Importance = widget.HighImportance
	d.SaveCSV = widget.NewButton(tr("Save CSV…"), func() { w.saveReport(d, "csv") })
	d.SavePDF.Disable()
	d.SaveCSV.Disable()
	form := widget.NewForm(widget.NewFormItem(tr("Year"), d.Year), widget.NewFormItem(tr("From"), d.From), widget.NewFormItem(tr("To"), d.To))
	left := container.NewBorder(container.NewVBox(form, d.Make), container.NewHBox(d.SavePDF, d.SaveCSV), nil, nil, container.NewVScroll(d.Summary))
	d.dlg = dialog.NewCustom(tr("The board's report on adjustment dossiers"), tr("Close"), container.NewHSplit(left, d.Preview), w.Window)
	d.dlg.SetOnClosed(d.tasks.Cancel)
	d.dlg.Resize(fyne.NewSize(900, 620))
	showDialog(d.dlg, w.Window)
	d.Year.SetSelectedIndex(1) // last year
	return d
}

// Period reads the period the dialog asks for.
func (d *reportDialog) Period() (plan.Period, error) {
	from, err := parseDate(d.From.Text)
	if err != nil {
		return plan.Period{}, err
	}
	to, err := parseDate(d.To.Text)
	if err != nil {
		return plan.Period{}, err
	}
	p := plan.Period{From: from, To: to}
	return p, p.Check()
}

// makeReport makes the report of the period in the background and shows
// its summary and its first page.
func (w *Window) makeReport(d *reportDialog, src plan.ReportSource) {
	p, err := d.Period()
	if err != nil {
		d.Report = nil
		d.SavePDF.Disable()
		d.SaveCSV.Disable()
		d.Summary.SetText(tr("Error: {{.Err}}", map[string]any{"Err": errText(err)}))
		return
	}
	now := w.dossiers.now()
	d.tasks.Run("report", func(ctx context.Context) (func(), error) {
		r, err := plan.MakeReport(ctx, src, p, w.cat, now)
		if err != nil {
			return nil, err
		}
		pages, err := r.Document(fonts, w.cat).Preview(60)
		if err != nil {
			return nil, err
		}
		return func() {
			d.Report = r
			d.Summary.SetText(reportSummary(r))
			d.Preview.Image = pages[0]
			d.Preview.Refresh()
			d.SavePDF.Enable()
			d.SaveCSV.Enable()
		}, nil
	})
}

// reportSummary counts what the report lists.
func reportSummary(r *plan.Report) string {
	received, appraised, approved, published, returned, open, overdue := r.Counts()
	return tr("From {{.From}} to {{.To}}: {{.Received}} received, {{.Appraised}} appraised, {{.Approved}} approved, {{.Published}} published, {{.Returned}} returned; {{.Open}} still open at the end, {{.Overdue}} of them overdue. The approvals changed the land use of {{.Ha}} ha ({{.Classes}} classes changed).",
		map[string]any{"From": dateText(r.Period.From), "To": dateText(r.Period.To), "Received": received, "Appraised": appraised, "Approved": approved,
			"Published": published, "Returned": returned, "Open": open, "Overdue": overdue, "Ha": num(r.ChangedHa(), 2), "Classes": len(r.Classes)})
}

// saveReport saves the report made as PDF or CSV.
func (w *Window) saveReport(d *reportDialog, ext string) {
	r := d.Report
	if r == nil {
		return
	}
	name := "bao-cao-dieu-chinh-quy-hoach-" + r.Period.From + "-" + r.Period.To + "." + ext
	w.saveFile(name, func(out io.Writer) error {
		if ext == "csv" {
			return r.WriteCSV(out)
		}
		return r.Document(fonts, w.cat).Write(out)
	}, func(path string, err error) {
		if err != nil {
			d.Summary.SetText(tr("Error: {{.Err}}", map[string]any{"Err": errText(err)}))
			return
		}
		w.saved(path, nil)
		d.Summary.SetText(reportSummary(r) + "\n" + tr("Saved {{.File}}", map[string]any{"File": path}))
	})
}
