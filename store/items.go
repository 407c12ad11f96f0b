package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A plan's items are kept as a history (migration 0014): a row of item
// holds a feature's layer, body and order from version number since of its
// plan until the first version without it (NULL while the newest has it).
// The rows whose until is NULL — the live rows — are the items of the
// plan's newest version, and a version being written starts from them:
// it closes the rows of the features it changes or removes (until = its
// number) and adds rows since its number. Readers read the view
// version_item, or item through itemsAt where SQLite cannot flatten the
// view.

// itemsAt is where a version's items are in its plan's history.
type itemsAt struct{ plan, number int64 }

// versionAt reads where version verID's items are.
func versionAt(ctx context.Context, q querier, verID int64) (itemsAt, error) {
	var a itemsAt
	err := q.QueryRowContext(ctx, "SELECT plan_id, number FROM version WHERE id = ?", verID).Scan(&a.plan, &a.number)
	return a, err
}

// on is the condition that row alias of item is one of the version's
// items, for the right side of a LEFT JOIN — there SQLite would build the
// view version_item for every version before joining it — and of a CROSS
// JOIN from a change set: without statistics SQLite would walk the plan's
// whole history and look each row up in the change set. The numbers are
// the store's own integers, written into the text.
func (a itemsAt) on(alias string) string {
	return fmt.Sprintf("%[1]s.plan_id = %[2]d AND %[1]s.since <= %[3]d AND (%[1]s.until IS NULL OR %[1]s.until > %[3]d)", alias, a.plan, a.number)
}

// openItems checks that version verID, just written as version number of
// plan planID after parentID (0: none), follows the plan's newest version:
// the live rows it starts from are then its parent's items. The writers
// make a new version after the current one, which is the newest; a store
// where it is not would have its new version built on other items.
func openItems(ctx context.Context, tx *sql.Tx, planID, verID, parentID int64) (itemsAt, error) {
	var newest, parent, number int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT max(number) FROM version WHERE plan_id = ?1 AND id <> ?2), 0),
		coalesce((SELECT number FROM version WHERE id = ?3), 0), (SELECT number FROM version WHERE id = ?2)`, planID, verID, parentID).Scan(&newest, &parent, &number)
	if err != nil {
		return itemsAt{}, err
	}
	if parent != newest || number <= newest {
		return itemsAt{}, fmt.Errorf("version %d is written after version %d, but the plan's newest is version %d; run quyhoach verify", number, parent, newest)
	}
	return itemsAt{planID, number}, nil
}

// closing is the statement that closes, at version a, the plan's live
// rows that also meet and (SQL after WHERE …; "" for all of them).
func (a itemsAt) closing(and string) string {
	return fmt.Sprintf("UPDATE item SET until = %[2]d WHERE plan_id = %[1]d AND until IS NULL AND since < %[2]d ", a.plan, a.number) + and
}

// close closes, at version a, the live rows of the features that query
// (one column of feature ids, its arguments args) names.
func (a itemsAt) close(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	_, err := tx.ExecContext(ctx, a.closing("AND feature_id IN ("+query+")"), args...)
	return err
}

// closeAll closes, at version a, every live row of the plan.
func (a itemsAt) closeAll(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, a.closing(""))
	return err
}

// insert is the multi-row statement adding n rows since version a, each
// given as (feature, layer, body, seq).
func (a itemsAt) insert(n int) string {
	row := fmt.Sprintf("(%d,?,%d,?,?,?)", a.plan, a.number)
	return "INSERT INTO item (plan_id, feature_id, since, layer_id, body_id, seq) VALUES " + strings.TrimSuffix(strings.Repeat(row+",", n), ",")
}
