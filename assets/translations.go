package assets

import "embed"

// Translations holds the Fyne translations of the window (translations/vi.json,
// translations/en.json, and parts of the window in their own files named
// AREA.vi.json, AREA.en.json), keyed by the English source text; load them
// with lang.AddTranslationsFS(Translations, "translations").
//
//go:embed translations
var Translations embed.FS
