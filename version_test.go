package main

import (
	"runtime"
	"strings"
	"testing"
)

// TestVersion: --version (and version) print the program's version and
// what it was built with; -ldflags "-X main.Version=…" sets it.
func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version"} {
		out, errOut, code := quyhoach(t, "", arg)
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "quyhoach dev") || !strings.Contains(out, runtime.Version()) {
			t.Errorf("%s: %q %q %d", arg, out, errOut, code)
		}
	}
	defer func(v string) { Version = v }(Version)
	Version = "1.4.0"
	if out, _, _ := quyhoach(t, "", "--version"); !strings.HasPrefix(out, "quyhoach 1.4.0 (") {
		t.Errorf("set at build time: %q", out)
	}
	if version() != "1.4.0" {
		t.Errorf("the window's version %q", version())
	}
}
