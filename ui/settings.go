package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// settingsPanel chooses the language, the screen's resolution and the
// snapping tolerance of editing, remembered in the preferences.
type settingsPanel struct {
	widget.BaseWidget
	Language *widget.Select
	DPI      *escEntry // the screen's real resolution, for a true 1:N
	Snap     *escEntry // snapping tolerance of the edit tools, pixels
	prefs    fyne.Preferences
	// OnLanguage is called with "vi" or "en" when the language changes;
	// OnDPI with the resolution (0: automatic).
	OnLanguage func(code string)
	OnDPI      func(dpi float64)
	OnSnap     func(px float64) // the snapping tolerance changed (0: no snapping)
}

func newSettingsPanel(prefs fyne.Preferences) *settingsPanel {
	s := &settingsPanel{prefs: prefs, Language: widget.NewSelect([]string{"Tiếng Việt", "English"}, nil), DPI: newEntry()}
	if prefs.StringWithFallback(prefLanguage, "vi") == "en" {
		s.Language.SetSelectedIndex(1)
	} else {
		s.Language.SetSelectedIndex(0)
	}
	s.Language.OnChanged = func(string) {
		code := "vi"
		if s.Language.SelectedIndex() == 1 {
			code = "en"
		}
		if code != prefs.StringWithFallback(prefLanguage, "vi") {
			prefs.SetString(prefLanguage, code)
			if s.OnLanguage != nil {
				s.OnLanguage(code)
			}
		}
	}
	s.DPI.SetPlaceHolder(tr("automatic (96 dpi × Fyne scale)"))
	if d := prefs.Float(prefDPI); d > 0 {
		s.DPI.SetText(strconv.FormatFloat(d, 'f', -1, 64))
	}
	s.DPI.OnChanged = func(text string) {
		d, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(text), ",", "."), 64)
		if err != nil || d < 30 || d > 1200 {
			d = 0
		}
		prefs.SetFloat(prefDPI, d)
		if s.OnDPI != nil {
			s.OnDPI(d)
		}
	}
	s.Snap = newEntry()
	s.Snap.SetText(strconv.FormatFloat(prefs.FloatWithFallback(prefSnap, 10), 'f', -1, 64))
	s.Snap.OnChanged = func(text string) {
		if px, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(text), ",", "."), 64); err == nil && px >= 0 && px <= 100 {
			prefs.SetFloat(prefSnap, px)
			if s.OnSnap != nil {
				s.OnSnap(px)
			}
		}
	}
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer implements fyne.Widget.
func (s *settingsPanel) CreateRenderer() fyne.WidgetRenderer {
	bold := fyne.TextStyle{Bold: true}
	return widget.NewSimpleRenderer(container.NewVBox(
		widget.NewLabelWithStyle(tr("Language"), fyne.TextAlignLeading, bold), s.Language,
		widget.NewLabelWithStyle(tr("Screen resolution (dpi), for the scale 1:N"), fyne.TextAlignLeading, bold), s.DPI,
		wrapped(widget.NewLabelWithStyle(tr("Snapping while editing, in pixels (0: none)"), fyne.TextAlignLeading, bold)), s.Snap))
}

// DPIValue is the remembered screen resolution, 0 for automatic.
func (s *settingsPanel) DPIValue() float64 { return s.prefs.Float(prefDPI) }

// wrapped makes a label wrap at the panel's width instead of widening it.
func wrapped(l *widget.Label) *widget.Label {
	l.Wrapping = fyne.TextWrapWord
	return l
}
