// Package locale normalises the POSIX locale variables before Fyne reads
// them: Fyne's translation package parses $LANG in its init and logs an error
// for "C.UTF-8", the default of Debian containers, on every run of the CLI.
//
// Import it for its side effect from main. Go initialises packages in import
// path order as soon as their imports are ready; this one needs only os and
// strings, and Fyne's lang package waits for text/template, which sorts after
// "quyhoach/…", so this init always runs first.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			base, _, _ := strings.Cut(s, ".")
			if base == "C" || base == "POSIX" {
				os.Setenv(v, base) // plain "C" is understood as "no language"
			}
		}
	}
}
