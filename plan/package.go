package plan

import (
	"context"
	"path/filepath"
	"strings"

	"quyhoach/store"
)

// Dossier packages: sending a dossier to another store as one file, and
// receiving one (store/package.go holds the format and its checks). The
// CLI (dossier pack, dossier unpack) and the window's "Send dossier…" and
// "Receive dossier…" both come through here.

// Packer is what sending and receiving needs; *store.Store satisfies it.
type Packer interface {
	Dossier(ctx context.Context, id int64) (store.Dossier, error)
	PackDossier(ctx context.Context, id int64, path string, opt store.PackOptions) (store.PackResult, error)
	UnpackDossier(ctx context.Context, path string) (store.UnpackResult, error)
}

// PackageExt is the extension of a package: it is a GeoPackage.
const PackageExt = ".gpkg"

// PackageName is the file name a package of d is offered under: its
// maHoSoQH and plan, "HS2026-000412-chi-ma.gpkg".
func PackageName(d store.Dossier) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) || r < ' ' {
			return '-'
		}
		return r
	}, strings.TrimSpace(d.Code))
	if name == "" {
		name = "dossier"
	}
	return name + "-" + d.Plan + PackageExt
}

// SendDossier writes dossier id as a package at path; author is who sends
// it (recorded in the package). A path without an extension gets .gpkg.
func SendDossier(ctx context.Context, p Packer, id int64, path, author string) (store.PackResult, string, error) {
	if filepath.Ext(path) == "" {
		path += PackageExt
	}
	if _, err := p.Dossier(ctx, id); err != nil {
		return store.PackResult{}, path, err
	}
	res, err := p.PackDossier(ctx, id, path, store.PackOptions{Author: author})
	return res, path, err
}

// ReceiveDossier takes the dossier of the package at path into the store:
// a new dossier, new steps of one already here, or nothing when it is up
// to date; refused whole, with the reason, when it does not verify.
func ReceiveDossier(ctx context.Context, p Packer, path string) (store.UnpackResult, error) {
	return p.UnpackDossier(ctx, path)
}
