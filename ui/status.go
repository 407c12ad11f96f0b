package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// statusBar is the bottom line: what is shown (or what is being done), the
// cursor in VN-2000 and WGS84, the screen scale, and a progress bar with a
// Cancel button while a long task runs.
type statusBar struct {
	widget.BaseWidget
	Text     *widget.Label // what is shown: plan, version, lots, area
	Cursor   *widget.Label // X (N), Y (E), lat/lon under the mouse
	Scale    *widget.Label // 1:N
	Progress *widget.ProgressBarInfinite
	Cancel   *widget.Button
	Remote   *officeSegment // the office's state (ui/remote.go); hidden for a store with no office
	progress *fyne.Container
	back     orb.Projection // EPSG:9215 → WGS84
	// OnCancel is called when Cancel is tapped.
	OnCancel func()
}

func newStatusBar() *statusBar {
	s := &statusBar{Text: widget.NewLabel(tr("Choose a plan")), Cursor: widget.NewLabel(""), Scale: widget.NewLabel("")}
	s.Text.Truncation = fyne.TextTruncateEllipsis
	s.Progress = widget.NewProgressBarInfinite()
	s.Progress.Stop()
	s.Cancel = widget.NewButtonWithIcon(tr("Cancel"), theme.CancelIcon(), func() {
		s.Idle(tr("Cancelled"))
		if s.OnCancel != nil {
			s.OnCancel()
		}
	})
	s.progress = container.NewHBox(s.Progress, s.Cancel)
	s.progress.Hide()
	s.Remote = newOfficeSegment()
	s.back, _ = crs.New(crs.TM3LangSon, crs.WGS84)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer implements fyne.Widget.
func (s *statusBar) CreateRenderer() fyne.WidgetRenderer {
	right := container.NewHBox(s.Remote, s.Cursor, widget.NewSeparator(), s.Scale, s.progress)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, right, s.Text))
}

// Busy says what is being done.
func (s *statusBar) Busy(msg string) { s.Text.SetText(msg) }

// Slow shows the progress bar and its Cancel button.
func (s *statusBar) Slow() {
	s.progress.Show()
	s.Progress.Start()
}

// Idle hides the progress bar and shows text.
func (s *statusBar) Idle(text string) {
	s.Progress.Stop()
	s.progress.Hide()
	s.Text.SetText(text)
}

// ShowsProgress reports whether the progress bar shows.
func (s *statusBar) ShowsProgress() bool { return s.progress.Visible() }

// SetCursor writes a projected point in VN-2000 (X north, Y east) and WGS84.
func (s *statusBar) SetCursor(p orb.Point) {
	ll := s.back(p)
	s.Cursor.SetText(fmt.Sprintf("X (N) %s  Y (E) %s  ·  %s° N %s° E",
		num(p[1], 2), num(p[0], 2), num(ll[1], 6), num(ll[0], 6)))
}

// SetScale writes the scale of the screen, 1:N (N rounded to three
// significant digits); "" for no scale.
func (s *statusBar) SetScale(n float64) {
	if n <= 0 || n > 1e9 {
		s.Scale.SetText("")
		return
	}
	p := 1.0
	for n/p >= 1000 {
		p *= 10
	}
	s.Scale.SetText(tr("Scale") + " 1:" + num(float64(int64(n/p+0.5))*p, 0))
}

// num writes a number for the screen, in the chosen language's way.
func num(v float64, decimals int) string { return gis.Format(v, decimals, Lang()) }

// cellLabel is a label for a list, table or tree cell: cut short with an
// ellipsis rather than widening the column.
func cellLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
