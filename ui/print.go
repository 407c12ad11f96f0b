package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/gis/sheet"
	"quyhoach/plan"
)

// fonts are the embedded fonts of printed sheets.
var fonts = render.Fonts{Regular: assets.FontRegular, Bold: assets.FontBold}

// printDialog asks for the sheets of the plan state shown — the same
// choices as `quyhoach print` — and previews the first one as they change.
type printDialog struct {
	dlg       dialog.Dialog
	Paper     *widget.Select
	Landscape *widget.Check
	Scale     *widget.Entry
	Adjusted  *widget.Check
	Atlas     *widget.Check
	Compare   *widget.Check
	Balance   *widget.Check
	Title     *widget.Entry
	DrawingNo *widget.Entry
	Preview   *canvas.Image
	Info      *widget.Label
	Progress  *widget.ProgressBar
	doc       *sheet.Document
	src       plan.Source
	cat       *landuse.Catalogue
	code      string
	ref       plan.Ref
	tasks     runner // builds the sheets; a new choice replaces the build under way
	save      saver
}

// saver asks where to save a file called name, writes it off the UI
// goroutine and reports (UI goroutine) where it went or why it did not.
type saver func(name string, write func(io.Writer) error, done func(path string, err error))

// newPrintDialog builds the dialog for state ref of plan code. save asks
// for a file and writes it; previewed (tests) is called when a preview is
// shown or fails.
func newPrintDialog(parent fyne.Window, src plan.Source, cat *landuse.Catalogue, code string, ref plan.Ref, sync bool,
	save saver, previewed func(error)) *printDialog {
	p := &printDialog{src: src, cat: cat, code: code, ref: ref, save: save}
	p.tasks = runner{sync: sync, done: func(_ string, err error) {
		if err != nil && !errors.Is(err, context.Canceled) {
			p.failed(err)
		}
		if previewed != nil && !errors.Is(err, context.Canceled) {
			previewed(err)
		}
	}}
	p.Paper = widget.NewSelect([]string{"A0", "A1", "A2", "A3", "A4"}, nil)
	p.Paper.SetSelected("A3")
	p.Landscape = widget.NewCheck(tr("Landscape"), nil)
	p.Scale = widget.NewEntry()
	p.Scale.SetPlaceHolder(tr("automatic"))
	p.Adjusted = widget.NewCheck(tr("Fit the adjusted area"), nil)
	p.Atlas = widget.NewCheck(tr("Atlas of 1/500 sheets with an index"), nil)
	p.Compare = widget.NewCheck(tr("Approved and adjusted on two pages"), nil)
	p.Balance = widget.NewCheck(tr("Land-use balance table"), nil)
	if ref.Dossier == 0 {
		p.Adjusted.Disable()
		p.Compare.Disable()
	}
	p.Title = widget.NewEntry()
	p.Title.SetPlaceHolder(plan.DefaultDrawingName)
	p.DrawingNo = widget.NewEntry()
	p.DrawingNo.SetText("QH-01")
	p.Preview = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	p.Preview.FillMode = canvas.ImageFillContain
	p.Preview.SetMinSize(fyne.NewSize(300, 300))
	p.Info = widget.NewLabel("")
	p.Info.Wrapping = fyne.TextWrapWord
	p.Progress = widget.NewProgressBar()
	p.Progress.Hide()
	// Each choice refreshes the preview (set once every widget exists).
	p.Scale.OnSubmitted = func(string) { p.Refresh() }
	p.Paper.OnChanged = func(string) { p.Refresh() }
	for _, c := range []*widget.Check{p.Landscape, p.Adjusted, p.Atlas, p.Compare, p.Balance} {
		c.OnChanged = func(bool) { p.Refresh() }
	}
	form := widget.NewForm(
		widget.NewFormItem(tr("Paper"), container.NewHBox(p.Paper, p.Landscape)),
		widget.NewFormItem(tr("Scale 1/"), p.Scale),
		widget.NewFormItem("", container.NewVBox(p.Adjusted, p.Atlas, p.Compare, p.Balance)),
		widget.NewFormItem(tr("Drawing name"), p.Title),
		widget.NewFormItem(tr("Drawing number"), p.DrawingNo),
	)
	saveBtn := widget.NewButton(tr("Save PDF…"), p.savePDF)
	saveBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(widget.NewButton(tr("Preview"), p.Refresh), saveBtn)
	left := container.NewBorder(nil, container.NewVBox(p.Info, p.Progress, buttons), nil, nil, form)
	p.dlg = dialog.NewCustom(tr("Print map sheets"), tr("Close"), container.NewHSplit(left, p.Preview), parent)
	p.dlg.SetOnClosed(p.tasks.Cancel)
	p.dlg.Resize(fyne.NewSize(860, 560))
	return p
}

// Request reads the dialog's choices.
func (p *printDialog) Request() (plan.PrintRequest, error) {
	r := plan.PrintRequest{Plan: p.code, Ref: p.ref, Paper: p.Paper.Selected, Landscape: p.Landscape.Checked,
		Adjusted: p.Adjusted.Checked, Atlas: p.Atlas.Checked, Compare: p.Compare.Checked, Balance: p.Balance.Checked,
		DrawingName: strings.TrimSpace(p.Title.Text), DrawingNo: strings.TrimSpace(p.DrawingNo.Text)}
	if s := strings.TrimSpace(strings.TrimPrefix(p.Scale.Text, "1/")); s != "" {
		n, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ""), 64)
		if err != nil || !(n > 0) {
			return r, fmt.Errorf("%s %q", tr("Scale 1/"), p.Scale.Text)
		}
		r.Scale = n
	}
	return r, nil
}

// Refresh builds the sheets in the background and previews the first page.
func (p *printDialog) Refresh() {
	r, err := p.Request()
	if err != nil {
		p.tasks.Cancel()
		p.failed(err)
		p.tasks.done("preview", err)
		return
	}
	p.Info.SetText(tr("Preparing the sheets…"))
	p.tasks.Run("preview", func(ctx context.Context) (func(), error) {
		doc, err := plan.Sheets(ctx, p.src, p.cat, fonts, r)
		if err != nil {
			return nil, err
		}
		img, err := doc.Sheets[0].Preview(doc.Catalogue, doc.Fonts, 40)
		if err != nil {
			return nil, err
		}
		return func() {
			p.doc = doc
			p.Preview.Image = img
			p.Preview.Refresh()
			l := doc.Sheets[len(doc.Sheets)-1].Layout
			p.Info.SetText(tr("{{.N}} sheet(s), {{.Paper}}, {{.Scale}}", map[string]any{"N": len(doc.Sheets), "Paper": l.Paper.Name, "Scale": l.ScaleText()}))
		}, nil
	})
}

func (p *printDialog) failed(err error) {
	p.doc = nil
	var re *plan.RequestError
	msg := err.Error()
	if errors.As(err, &re) {
		msg = re.Text(func(o string) string { return o })
	}
	p.Info.SetText(tr("Error: {{.Err}}", map[string]any{"Err": msg}))
}

// savePDF asks for a file and writes the PDF, the progress bar following
// the sheets of an atlas.
func (p *printDialog) savePDF() {
	if p.doc == nil || p.save == nil {
		return
	}
	doc := p.doc
	name := p.code
	if p.ref.Dossier != 0 {
		name += "-hs" + strconv.FormatInt(p.ref.Dossier, 10)
	} else if p.ref.Version != 0 {
		name += "-v" + strconv.Itoa(p.ref.Version)
	}
	p.Progress.SetValue(0)
	doc.Progress = func(done, total int) {
		onUI(func() {
			p.Progress.Show()
			p.Progress.SetValue(float64(done) / float64(total))
		})
	}
	p.save(name+".pdf", doc.Write, func(path string, err error) {
		p.Progress.Hide()
		if err != nil {
			p.failed(err)
			return
		}
		p.Info.SetText(tr("Saved {{.File}}", map[string]any{"File": path}))
	})
}
