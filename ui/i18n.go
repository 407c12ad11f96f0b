package ui

import (
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
)

// The language of the screen. Fyne has no call that sets its language: it
// matches its translations against the POSIX locale variables each time a
// translation file is added. So SetLanguage sets $LANGUAGE and adds a file
// (our translations the first time, an empty one after) to make Fyne look
// again. Fyne's own strings (dialog buttons, the entry's menu) are
// translated from assets/translations/fyne.*.json like ours; the ones it
// never passes through its translator are replaced here (newSelect's
// placeholder) or by widgets of our own (filedialog.go).
var (
	langMu   sync.RWMutex // guards current and Fyne's localizer, which tr reads off the UI goroutine
	current  = "vi"
	loadOnce sync.Once
)

// SetLanguage makes the screen speak code ("vi" or "en"; anything else is
// "vi", the default): our strings and Fyne's. Widgets built afterwards use
// it; the window rebuilds its parts after a change.
func SetLanguage(code string) {
	if code != "en" {
		code = "vi"
	}
	langMu.Lock()
	defer langMu.Unlock()
	current = code
	os.Setenv("LANGUAGE", code)
	// Fyne's locale lookup ignores LANGUAGE under a "C" locale.
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if s == "C" || s == "POSIX" {
				os.Setenv(v, "en_US.UTF-8")
			}
			break
		}
	}
	first := false
	loadOnce.Do(func() {
		first = true
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			fyne.LogError("loading the translations", err)
		}
	})
	if !first {
		_ = lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale(code))
	}
}

// Lang returns the language in use, "vi" or "en".
func Lang() string {
	langMu.RLock()
	defer langMu.RUnlock()
	return current
}

// tr translates an English source string; data fills its {{.Field}}s.
// Every literal passed to it has its translation in both languages
// (TestTranslationsComplete).
func tr(s string, data ...any) string {
	langMu.RLock()
	defer langMu.RUnlock()
	return lang.L(s, data...)
}

// newSelect is widget.NewSelect with its placeholder in the chosen
// language: Fyne writes "(Select one)" whatever the language.
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = tr("(Select one)")
	return s
}
