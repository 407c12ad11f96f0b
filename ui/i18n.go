package ui

import (
	"os"
	"sync"

	"fyne.io/fyne/v2/lang"

	"quyhoach/assets"
)

var (
	langMu  sync.Mutex
	current = "vi"
)

// SetLanguage makes Fyne translate into code ("vi" or "en") from the
// program's translations (assets/translations). Vietnamese is the default.
// Widgets built afterwards use it.
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
	_ = lang.AddTranslationsFS(assets.Translations, "translations")
}

// Lang returns the language in use, "vi" or "en".
func Lang() string {
	langMu.Lock()
	defer langMu.Unlock()
	return current
}

// tr translates an English source string; data fills its {{.Field}}s.
func tr(s string, data ...any) string { return lang.L(s, data...) }
