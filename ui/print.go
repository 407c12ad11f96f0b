package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"slices"
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
// It remembers the last choices per plan; when what it prints does not fit
// the sheet at the scale asked it says so over the preview and offers the
// scale that fits and the atlas, one click each.
type printDialog struct {
	dlg       dialog.Dialog
	Paper     *widget.Select
	Landscape *widget.Check
	Scale     *escEntry
	Adjusted  *widget.Check
	Atlas     *widget.Check
	Compare   *widget.Check
	Balance   *widget.Check
	Lang      *widget.Select // the sheet's words: Vietnamese (official, the default) or English
	Title     *escEntry
	DrawingNo *escEntry
	Preview   *canvas.Image
	Info      *widget.Label
	Progress  *widget.ProgressBar
	// Cropped says over the preview that the map is cut off; Warning says
	// why beside the choices, with the ways out: FitScale prints at the
	// scale that fits, UseAtlas prints the atlas at the scale asked.
	Cropped  *fyne.Container
	Warning  *widget.Label
	FitScale *widget.Button
	UseAtlas *widget.Button
	Fit      plan.Fit // of the sheets previewed
	doc      *sheet.Document
	prefs    fyne.Preferences
	saved    func(path string)
	src      plan.Source
	cat      *landuse.Catalogue
	code     string
	ref      plan.Ref
	tasks    runner // builds the sheets; a new choice replaces the build under way
	save     saver
}

// saver asks where to save a file called name, writes it off the UI
// goroutine and reports (UI goroutine) where it went or why it did not.
type saver func(name string, write func(io.Writer) error, done func(path string, err error))

// newPrintDialog builds the dialog for state ref of plan code, with the
// choices last made for the plan (prefs). save asks for a file and writes
// it, saved (may be nil) hears where a PDF went; previewed (tests) is
// called when a preview is shown or fails.
func newPrintDialog(parent fyne.Window, src plan.Source, cat *landuse.Catalogue, code string, ref plan.Ref, sync bool,
	save saver, previewed func(error), prefs fyne.Preferences, saved func(path string)) *printDialog {
	p := &printDialog{src: src, cat: cat, code: code, ref: ref, save: save, prefs: prefs, saved: saved}
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
	p.Scale = newEntry()
	p.Scale.SetPlaceHolder(tr("automatic"))
	p.Adjusted = widget.NewCheck(tr("Fit the adjusted area"), nil)
	p.Atlas = widget.NewCheck(tr("Atlas of sheets at the scale (1/500 when none) with an index"), nil)
	p.Compare = widget.NewCheck(tr("Approved and adjusted on two pages"), nil)
	p.Balance = widget.NewCheck(tr("Land-use balance table"), nil)
	p.Lang = newSelect([]string{tr("Vietnamese (official)"), tr("English")}, nil)
	p.Lang.SetSelectedIndex(0)
	if ref.Dossier == 0 {
		p.Adjusted.Disable()
		p.Compare.Disable()
	}
	p.Title = newEntry()
	p.Title.SetPlaceHolder(plan.DefaultDrawingName)
	p.DrawingNo = newEntry()
	p.DrawingNo.SetText("QH-01")
	p.Preview = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	p.Preview.FillMode = canvas.ImageFillContain
	p.Preview.SetMinSize(fyne.NewSize(300, 300))
	p.Info = widget.NewLabel("")
	p.Info.Wrapping = fyne.TextWrapWord
	p.Progress = widget.NewProgressBar()
	p.Progress.Hide()
	p.Warning = widget.NewLabel("")
	p.Warning.Wrapping = fyne.TextWrapWord
	p.Warning.Importance = widget.DangerImportance
	p.FitScale = widget.NewButton("", func() {
		p.Scale.SetText(strconv.FormatFloat(p.Fit.FitScale, 'f', -1, 64))
		p.Refresh()
	})
	p.UseAtlas = widget.NewButton("", func() { p.Atlas.SetChecked(true) })
	cropped := canvas.NewText(tr("Cut off: the map does not fit the sheet"), color.White)
	cropped.TextStyle.Bold = true
	p.Cropped = container.NewVBox(container.NewStack(canvas.NewRectangle(color.NRGBA{0xc6, 0x28, 0x28, 0xe0}), container.NewCenter(cropped)))
	p.restore()
	p.showFit()
	// Each choice refreshes the preview (set once every widget exists).
	p.Scale.OnSubmitted = func(string) { p.Refresh() }
	p.Paper.OnChanged = func(string) { p.Refresh() }
	p.Lang.OnChanged = func(string) {
		r, _ := p.Request()
		p.Title.SetPlaceHolder(plan.DefaultDrawingNameIn(r.Lang))
		p.Refresh()
	}
	for _, c := range []*widget.Check{p.Landscape, p.Adjusted, p.Atlas, p.Compare, p.Balance} {
		c.OnChanged = func(bool) { p.Refresh() }
	}
	form := widget.NewForm(
		widget.NewFormItem(tr("Paper"), container.NewHBox(p.Paper, p.Landscape)),
		widget.NewFormItem(tr("Scale 1/"), p.Scale),
		widget.NewFormItem("", container.NewVBox(p.Adjusted, p.Atlas, p.Compare, p.Balance)),
		widget.NewFormItem(tr("Drawing name"), p.Title),
		widget.NewFormItem(tr("Drawing number"), p.DrawingNo),
		widget.NewFormItem(tr("Sheet language"), p.Lang),
	)
	saveBtn := widget.NewButton(tr("Save PDF…"), p.savePDF)
	saveBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(widget.NewButton(tr("Preview"), p.Refresh), saveBtn)
	ways := container.NewVBox(p.Warning, p.FitScale, p.UseAtlas)
	left := container.NewBorder(nil, container.NewVBox(ways, p.Info, p.Progress, buttons), nil, nil, container.NewVScroll(form))
	preview := container.NewStack(p.Preview, container.NewVBox(p.Cropped))
	p.dlg = dialog.NewCustom(tr("Print map sheets"), tr("Close"), container.NewHSplit(left, preview), parent)
	p.dlg.SetOnClosed(p.tasks.Cancel)
	p.dlg.Resize(fyne.NewSize(1000, 680))
	return p
}

// printChoices are the choices the dialog remembers per plan.
type printChoices struct {
	Paper     string `json:"paper"`
	Landscape bool   `json:"landscape"`
	Scale     string `json:"scale"`
	Adjusted  bool   `json:"adjusted"`
	Atlas     bool   `json:"atlas"`
	Compare   bool   `json:"compare"`
	Balance   bool   `json:"balance"`
	Title     string `json:"title"`
	DrawingNo string `json:"drawingNo"`
	Lang      string `json:"lang"` // of the sheet: "" Vietnamese, "en"
}

// prefPrint + a plan's code keeps the print choices last made for it.
const prefPrint = "print."

// restore sets the choices last made for the plan.
func (p *printDialog) restore() {
	if p.prefs == nil {
		return
	}
	var c printChoices
	if json.Unmarshal([]byte(p.prefs.String(prefPrint+p.code)), &c) != nil {
		return
	}
	if slices.Contains(p.Paper.Options, c.Paper) {
		p.Paper.SetSelected(c.Paper)
	}
	p.Landscape.SetChecked(c.Landscape)
	p.Scale.SetText(c.Scale)
	p.Atlas.SetChecked(c.Atlas)
	p.Balance.SetChecked(c.Balance)
	if p.ref.Dossier != 0 {
		p.Adjusted.SetChecked(c.Adjusted)
		p.Compare.SetChecked(c.Compare)
	}
	p.Title.SetText(c.Title)
	if c.DrawingNo != "" {
		p.DrawingNo.SetText(c.DrawingNo)
	}
	if c.Lang == "en" {
		p.Lang.SetSelectedIndex(1)
		p.Title.SetPlaceHolder(plan.DefaultDrawingNameIn(c.Lang))
	}
}

// remember keeps the choices for the plan.
func (p *printDialog) remember() {
	if p.prefs == nil {
		return
	}
	c := printChoices{Paper: p.Paper.Selected, Landscape: p.Landscape.Checked, Scale: strings.TrimSpace(p.Scale.Text),
		Atlas: p.Atlas.Checked, Balance: p.Balance.Checked, Title: p.Title.Text, DrawingNo: p.DrawingNo.Text}
	if p.ref.Dossier != 0 {
		c.Adjusted, c.Compare = p.Adjusted.Checked, p.Compare.Checked
	}
	if p.Lang.SelectedIndex() == 1 {
		c.Lang = "en"
	}
	if b, err := json.Marshal(c); err == nil {
		p.prefs.SetString(prefPrint+p.code, string(b))
	}
}

// showFit says over the preview and beside the choices whether the map
// fits the sheet, with the ways out when it does not.
func (p *printDialog) showFit() {
	f := p.Fit
	if p.doc == nil || f.Fits {
		p.Cropped.Hide()
		p.Warning.Hide()
		p.FitScale.Hide()
		p.UseAtlas.Hide()
		return
	}
	r, _ := p.Request()
	what := "The plan ({{.W}} × {{.H}} m) does not fit a {{.Paper}} sheet at 1/{{.Scale}}: the map is cut off."
	switch {
	case r.Adjusted:
		what = "The adjusted area ({{.W}} × {{.H}} m) does not fit a {{.Paper}} sheet at 1/{{.Scale}}: the map is cut off."
	case len(r.Lots) > 0:
		what = "The lots ({{.W}} × {{.H}} m) do not fit a {{.Paper}} sheet at 1/{{.Scale}}: the map is cut off."
	}
	g := f.Ground
	p.Warning.SetText(tr(what, map[string]any{"W": num(g.Max[0]-g.Min[0], 0), "H": num(g.Max[1]-g.Min[1], 0),
		"Paper": r.Paper, "Scale": scaleText(f.Scale)}))
	p.Warning.Show()
	p.Cropped.Show()
	if f.FitScale > 0 {
		p.FitScale.SetText(tr("Print at 1/{{.Scale}}: one sheet", map[string]any{"Scale": scaleText(f.FitScale)}))
		p.FitScale.Show()
	} else {
		p.FitScale.Hide()
	}
	if f.AtlasSheets > 0 {
		p.UseAtlas.SetText(tr("Print an atlas: {{.N}} sheets at 1/{{.Scale}}", map[string]any{"N": f.AtlasSheets, "Scale": scaleText(f.Scale)}))
		p.UseAtlas.Show()
	} else {
		p.UseAtlas.Hide()
	}
}

// scaleText writes a denominator as drawings do: 1/2000, not 1/2.000.
func scaleText(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// Request reads the dialog's choices.
func (p *printDialog) Request() (plan.PrintRequest, error) {
	r := plan.PrintRequest{Plan: p.code, Ref: p.ref, Paper: p.Paper.Selected, Landscape: p.Landscape.Checked,
		Adjusted: p.Adjusted.Checked, Atlas: p.Atlas.Checked, Compare: p.Compare.Checked, Balance: p.Balance.Checked,
		DrawingName: strings.TrimSpace(p.Title.Text), DrawingNo: strings.TrimSpace(p.DrawingNo.Text)}
	if p.Lang.SelectedIndex() == 1 {
		r.Lang = "en"
	}
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
	p.remember()
	p.Info.SetText(tr("Preparing the sheets…"))
	p.tasks.Run("preview", func(ctx context.Context) (func(), error) {
		doc, fit, err := plan.SheetsFit(ctx, p.src, p.cat, fonts, r)
		if err != nil {
			return nil, err
		}
		img, err := doc.Sheets[0].Preview(doc.Catalogue, doc.Fonts, 40)
		if err != nil {
			return nil, err
		}
		return func() {
			p.doc, p.Fit = doc, fit
			p.Preview.Image = img
			p.Preview.Refresh()
			l := doc.Sheets[len(doc.Sheets)-1].Layout
			p.Info.SetText(tr("{{.N}} sheet(s), {{.Paper}}, scale 1/{{.Scale}}", map[string]any{"N": len(doc.Sheets), "Paper": l.Paper.Name, "Scale": scaleText(l.Scale)}))
			p.showFit()
		}, nil
	})
}

func (p *printDialog) failed(err error) {
	p.doc = nil
	p.showFit()
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
		if p.saved != nil {
			p.saved(path)
		}
	})
}
