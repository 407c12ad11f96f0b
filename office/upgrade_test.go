package office

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"quyhoach/office/pgtest"
)

// TestOpenUpgradesAnOlderOffice: an office made at schema 3, a plan and its
// published view in it, is brought up to date by the first Open: items
// keep an import's places (seq bigint) and the view is made again.
func TestOpenUpgradesAnOlderOffice(t *testing.T) {
	ctx := context.Background()
	addr := pgtest.DB(t)
	o, err := connect(ctx, addr, "")
	if err != nil {
		t.Fatal(err)
	}
	err = o.write(ctx, "make a schema 3 office", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "CREATE TABLE office_schema (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"); err != nil {
			return err
		}
		if err := migrate(ctx, tx, 0, 3); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO plan (uid, code, name, level, scale, created) VALUES ('p1', 'chi-ma', 'Chi Ma', 'zoning', 500, '2026-01-01T00:00:00Z')"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO layer (plan, name, kind) VALUES ('p1', 'ChucNangSuDungDat_A', 'area')")
		return err
	})
	o.Close()
	if err != nil {
		t.Fatal(err)
	}
	if o, err = Open(ctx, addr); err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	var v int
	var seqType, fidType string
	if err := o.pool.QueryRow(ctx, `SELECT (SELECT max(version) FROM office_schema),
		(SELECT data_type FROM information_schema.columns WHERE table_name = 'version_item' AND column_name = 'seq'),
		(SELECT data_type FROM information_schema.columns WHERE table_schema = 'published' AND table_name = 'chi_ma_chucnangsudungdat_a' AND column_name = 'fid')`).Scan(&v, &seqType, &fidType); err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion || seqType != "bigint" || fidType != "bigint" {
		t.Fatalf("after Open: schema %d, seq %s, the view's fid %s", v, seqType, fidType)
	}
}
