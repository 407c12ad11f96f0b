package ui

import (
	"context"
	"fmt"
	"image"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/sheet"
)

// PrintRequest is what the print dialog asks for: the same choices as
// `quyhoach print`, for the plan state shown in the window.
type PrintRequest struct {
	Plan      string
	Version   int   // 0: the current version
	Dossier   int64 // print a dossier's proposal instead
	Paper     string
	Landscape bool
	Scale     float64 // 0: the largest standard scale that fits
	Adjusted  bool    // fit the dossier's adjusted area
	Atlas     bool    // tile the plan at 1/500 (or Scale) with an index sheet
	Compare   bool    // approved base and adjustment on two pages
	Balance   bool    // add the land-use balance table
	Title     string
	DrawingNo string
}

// Printer builds the sheets of a request; main gives the window the one
// the print command uses, so both print the same sheet.
type Printer func(ctx context.Context, r PrintRequest) (*sheet.Document, error)

// printDialog holds the dialog's widgets, so tests can drive it.
type printDialog struct {
	w         *Window
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
	gen       int // refreshes started; an older one finishing late is dropped
	// Previewed is called (UI goroutine) when a preview is shown or fails.
	Previewed func(error)
}

// ShowPrint opens the print dialog for what the window shows.
func (w *Window) ShowPrint() *printDialog {
	code, num, dossier := cutNode(w.node)
	if code == "" || w.Printer == nil {
		dialog.ShowInformation(tr("Print"), tr("Choose a plan"), w.Window)
		return nil
	}
	p := &printDialog{w: w}
	p.Paper = widget.NewSelect([]string{"A0", "A1", "A2", "A3", "A4"}, nil)
	p.Paper.SetSelected("A3")
	p.Landscape = widget.NewCheck(tr("Landscape"), nil)
	p.Scale = widget.NewEntry()
	p.Scale.SetPlaceHolder(tr("automatic"))
	p.Adjusted = widget.NewCheck(tr("Fit the adjusted area"), nil)
	p.Atlas = widget.NewCheck(tr("Atlas of 1/500 sheets with an index"), nil)
	p.Compare = widget.NewCheck(tr("Approved and adjusted on two pages"), nil)
	p.Balance = widget.NewCheck(tr("Land-use balance table"), nil)
	if dossier == 0 {
		p.Adjusted.Disable()
		p.Compare.Disable()
	}
	p.Title = widget.NewEntry()
	p.Title.SetPlaceHolder("Bản đồ quy hoạch tổng mặt bằng sử dụng đất")
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
	p.Scale.OnSubmitted = func(string) { p.refresh() }
	p.Paper.OnChanged = func(string) { p.refresh() }
	for _, c := range []*widget.Check{p.Landscape, p.Adjusted, p.Atlas, p.Compare, p.Balance} {
		c.OnChanged = func(bool) { p.refresh() }
	}

	form := widget.NewForm(
		widget.NewFormItem(tr("Paper"), container.NewHBox(p.Paper, p.Landscape)),
		widget.NewFormItem(tr("Scale 1/"), p.Scale),
		widget.NewFormItem("", container.NewVBox(p.Adjusted, p.Atlas, p.Compare, p.Balance)),
		widget.NewFormItem(tr("Drawing name"), p.Title),
		widget.NewFormItem(tr("Drawing number"), p.DrawingNo),
	)
	save := widget.NewButton(tr("Save PDF…"), func() { p.save(code, num, dossier) })
	save.Importance = widget.HighImportance
	buttons := container.NewHBox(widget.NewButton(tr("Preview"), p.refresh), save)
	left := container.NewBorder(nil, container.NewVBox(p.Info, p.Progress, buttons), nil, nil, form)
	content := container.NewHSplit(left, p.Preview)
	p.dlg = dialog.NewCustom(tr("Print map sheets"), tr("Close"), content, w.Window)
	p.dlg.Resize(fyne.NewSize(860, 560))
	p.dlg.Show()
	p.refresh()
	return p
}

// request reads the dialog's choices.
func (p *printDialog) request() (PrintRequest, error) {
	code, num, dossier := cutNode(p.w.node)
	r := PrintRequest{Plan: code, Version: num, Dossier: dossier, Paper: p.Paper.Selected, Landscape: p.Landscape.Checked,
		Adjusted: p.Adjusted.Checked, Atlas: p.Atlas.Checked, Compare: p.Compare.Checked, Balance: p.Balance.Checked,
		Title: strings.TrimSpace(p.Title.Text), DrawingNo: strings.TrimSpace(p.DrawingNo.Text)}
	if s := strings.TrimSpace(strings.TrimPrefix(p.Scale.Text, "1/")); s != "" {
		n, err := strconv.ParseFloat(strings.ReplaceAll(s, ".", ""), 64)
		if err != nil || n <= 0 {
			return r, fmt.Errorf("%s: %q", tr("Scale 1/"), p.Scale.Text)
		}
		r.Scale = n
	}
	return r, nil
}

// refresh builds the sheets off the UI goroutine and previews the first page.
func (p *printDialog) refresh() {
	p.gen++
	gen := p.gen
	r, err := p.request()
	if err != nil {
		p.failed(err)
		return
	}
	p.Info.SetText(tr("Preparing the sheets…"))
	go func() {
		doc, err := p.w.Printer(context.Background(), r)
		var img image.Image
		if err == nil {
			img, err = doc.Sheets[0].Preview(doc.Catalogue, doc.Fonts, 40)
		}
		fyne.Do(func() {
			if gen != p.gen {
				return // the choices changed meanwhile
			}
			if err != nil {
				p.failed(err)
				return
			}
			p.doc = doc
			p.Preview.Image = img
			p.Preview.Refresh()
			l := doc.Sheets[len(doc.Sheets)-1].Layout
			p.Info.SetText(tr("{{.N}} sheet(s), {{.Paper}}, {{.Scale}}", map[string]any{"N": len(doc.Sheets), "Paper": l.Paper.Name, "Scale": l.ScaleText()}))
			if p.Previewed != nil {
				p.Previewed(nil)
			}
		})
	}()
}

func (p *printDialog) failed(err error) {
	p.doc = nil
	p.Info.SetText(tr("Error: {{.Err}}", map[string]any{"Err": strings.TrimPrefix(err.Error(), "quyhoach: ")}))
	if p.Previewed != nil {
		p.Previewed(err)
	}
}

// save asks for a file and writes the PDF, the progress bar following the
// sheets of an atlas.
func (p *printDialog) save(code string, num int, dossier int64) {
	if p.doc == nil {
		return
	}
	doc := p.doc
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		p.Progress.SetValue(0)
		p.Progress.Show()
		doc.Progress = func(done, total int) {
			fyne.Do(func() { p.Progress.SetValue(float64(done) / float64(total)) })
		}
		go func() {
			err := doc.Write(wc)
			if cerr := wc.Close(); err == nil {
				err = cerr
			}
			fyne.Do(func() {
				p.Progress.Hide()
				if err != nil {
					p.failed(err)
					return
				}
				p.Info.SetText(tr("Saved {{.File}}", map[string]any{"File": wc.URI().Name()}))
			})
		}()
	}, p.w.Window)
	name := code
	if dossier != 0 {
		name += "-hs" + strconv.FormatInt(dossier, 10)
	} else if num != 0 {
		name += "-v" + strconv.Itoa(num)
	}
	d.SetFileName(name + ".pdf")
	d.Show()
}
