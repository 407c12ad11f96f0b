package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"hash/crc32"

	"quyhoach/gis"
)

// A body's properties beside its grid geometry (body_geom.props, migration
// 0018): a read in the grid takes geometry and properties from body_geom
// alone, without the body's text (at 100 000 lots 60 of the file's 116 MB,
// mostly coordinates the grid form already holds). The form is the body's
// properties object as the body holds it, byte for byte, then a CRC-32C of
// it: derived from the body alone, so verify recomputes and compares it,
// and every read checks its checksum, as the grid geometry's.

// errPropsDamaged is a grid properties form that fails its checksum.
var errPropsDamaged = errors.New("they do not match their checksum")

// propsForm is the grid properties form of a body's text; nil for a body
// that is not canonical (its reads parse the body).
func propsForm(text []byte) []byte {
	_, props, ok := canonicalParts(text)
	if !ok {
		return nil
	}
	out := make([]byte, 0, len(props)+4)
	out = append(out, props...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(props, castagnoli))
}

// propsOfForm is the properties object a form holds; ok is false when the
// form fails its checksum.
func propsOfForm(form []byte) (props []byte, ok bool) {
	if len(form) < 4 {
		return nil, false
	}
	n := len(form) - 4
	return form[:n], binary.LittleEndian.Uint32(form[n:]) == crc32.Checksum(form[:n], castagnoli)
}

// decodeGridProps is a feature read from its grid forms alone: properties
// parsed as withoutGeometry gives them for the body, geometry from the
// grid form. scratch holds the text parsed.
func decodeGridProps(id string, props, bin []byte, scratch *[]byte) (gis.Feature, error) {
	obj, ok := propsOfForm(props)
	if !ok {
		return gis.Feature{}, &GeometryError{Feature: id, Lot: textLot(nullGeometryBody(obj, scratch)), Err: errPropsDamaged}
	}
	return decodeGrid(id, nullGeometryBody(obj, scratch), bin)
}

// fillGridProps derives the grid properties of every grid geometry already
// in a file (migration 0018), on all cores, a batch at a time. A body that
// no longer matches its sha256 gets none: its reads go on parsing it, and
// refusing it.
func fillGridProps(ctx context.Context, tx *sql.Tx, _ string) error {
	return deriveBodies(ctx, tx, `SELECT g.body_id, b.geojson, b.hash FROM body_geom g JOIN body b ON b.id = g.body_id
		WHERE g.body_id > ? ORDER BY g.body_id LIMIT ?`,
		func(_ int64, text, hash []byte) []byte {
			if sum := sha256.Sum256(text); !sameHash(sum[:], hash) {
				return nil
			}
			return propsForm(text)
		},
		func(rs []derived) error {
			stmt, err := tx.PrepareContext(ctx, "UPDATE body_geom SET props = ? WHERE body_id = ?")
			if err != nil {
				return err
			}
			defer stmt.Close()
			for _, r := range rs {
				if r.form == nil {
					continue
				}
				if _, err := stmt.ExecContext(ctx, r.form, r.id); err != nil {
					return err
				}
			}
			return nil
		})
}
