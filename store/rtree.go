package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Bulk loading of the body_bbox R*Tree.
//
// Inserting a box into SQLite's R*Tree costs about 10 µs in the pure-Go
// SQLite, a third of a large import. When an import brings many new bodies
// (bulkMin, and at least as many as the tree holds), the tree is instead
// rebuilt whole by Sort-Tile-Recursive packing and its nodes written straight
// into the shadow tables, in the same transaction. The layout follows
// SQLite's rtree.c: node 1 is the root and starts with the tree depth; each
// node holds a 2-byte cell count then cells of an 8-byte id and four
// big-endian float32 coordinates (min x, max x, min y, max y), minima rounded
// down and maxima up; every node blob has the size of the root's. Tests hold
// the result against SQLite's own rtreecheck().

// bulkMin is the number of new boxes from which bulk loading pays.
const bulkMin = 20000

// rtreeCell is one entry of a node: a body id (leaf) or child node number.
type rtreeCell struct {
	id                     int64
	minX, maxX, minY, maxY float32
}

// float32Down and float32Up round outward, as rtree.c does, so a stored
// box always contains the exact one.
func float32Down(v float64) float32 {
	f := float32(v)
	if float64(f) > v {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func float32Up(v float64) float32 {
	f := float32(v)
	if float64(f) < v {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

// rtreeCells reads body_bbox's boxes, appends them to extra, and returns
// them with the size of a node.
func rtreeCells(ctx context.Context, tx *sql.Tx, extra []rtreeCell) ([]rtreeCell, int, error) {
	var nodeSize int
	if err := tx.QueryRowContext(ctx, "SELECT length(data) FROM body_bbox_node WHERE nodeno = 1").Scan(&nodeSize); err != nil {
		return nil, 0, fmt.Errorf("r*tree node size: %w", err)
	}
	if (nodeSize-4)/cellBytes < 4 {
		return nil, 0, fmt.Errorf("r*tree node of %d bytes", nodeSize)
	}
	cells := extra
	rows, err := tx.QueryContext(ctx, "SELECT id, min_lon, max_lon, min_lat, max_lat FROM body_bbox")
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var c rtreeCell
		if err := rows.Scan(&c.id, &c.minX, &c.maxX, &c.minY, &c.maxY); err != nil {
			return nil, 0, err
		}
		cells = append(cells, c)
	}
	return cells, nodeSize, rows.Err()
}

// cellBytes is the size of a node's cell: an id and four float32.
const cellBytes = 8 + 4*4

// packedRTree is a tree's shadow rows, each table's in key order.
type packedRTree struct {
	rowids, parents [][2]int64 // (body id, leaf) and (node, parent)
	nodes           [][2]any   // (node number, blob), in number order but the root
}

// packRTree packs cells into nodes of nodeSize bytes (pure computation: an
// import runs it beside its other writes).
func packRTree(cells []rtreeCell, nodeSize int) packedRTree {
	perNode := (nodeSize - 4) / cellBytes
	type node struct {
		no    int64
		cells []rtreeCell
	}
	var levels [][]node // levels[0] are the leaves
	next := int64(2)
	level := cells
	for {
		packed := strPack(level, perNode)
		nodes := make([]node, len(packed))
		for i, p := range packed {
			nodes[i] = node{cells: p}
		}
		levels = append(levels, nodes)
		if len(nodes) == 1 {
			nodes[0].no = 1
			levels[len(levels)-1] = nodes
			break
		}
		level = make([]rtreeCell, len(nodes))
		for i := range nodes {
			nodes[i].no = next
			next++
			level[i] = cover(nodes[i].no, nodes[i].cells)
		}
	}
	depth := len(levels) - 1
	// The shadow tables are written in key order, so that each insert
	// appends to its B-tree instead of splitting pages all over it.
	var t packedRTree
	for li, level := range levels {
		for _, n := range level {
			blob := make([]byte, nodeSize)
			if n.no == 1 {
				binary.BigEndian.PutUint16(blob[0:], uint16(depth))
			}
			binary.BigEndian.PutUint16(blob[2:], uint16(len(n.cells)))
			for i, c := range n.cells {
				o := 4 + i*cellBytes
				binary.BigEndian.PutUint64(blob[o:], uint64(c.id))
				for j, v := range []float32{c.minX, c.maxX, c.minY, c.maxY} {
					binary.BigEndian.PutUint32(blob[o+8+4*j:], math.Float32bits(v))
				}
				if li == 0 {
					t.rowids = append(t.rowids, [2]int64{c.id, n.no})
				} else {
					t.parents = append(t.parents, [2]int64{c.id, n.no})
				}
			}
			t.nodes = append(t.nodes, [2]any{n.no, blob})
		}
	}
	byKey := func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) }
	slices.SortFunc(t.rowids, byKey)
	slices.SortFunc(t.parents, byKey)
	return t
}

// writeRTree replaces body_bbox's shadow rows by t's.
func writeRTree(ctx context.Context, tx *sql.Tx, t packedRTree) error {
	for _, name := range []string{"body_bbox_node", "body_bbox_rowid", "body_bbox_parent"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+name); err != nil {
			return err
		}
	}
	w := newRowBatcher(ctx, tx)
	defer w.close()
	for _, r := range t.rowids {
		if err := w.add("body_bbox_rowid (rowid, nodeno)", r[0], r[1]); err != nil {
			return err
		}
	}
	for _, r := range t.parents {
		if err := w.add("body_bbox_parent (nodeno, parentnode)", r[0], r[1]); err != nil {
			return err
		}
	}
	for _, r := range t.nodes {
		if err := w.add("body_bbox_node (nodeno, data)", r[0], r[1]); err != nil {
			return err
		}
	}
	return w.flush()
}

// cover is the cell of a node: its number and the union of its cells.
func cover(no int64, cells []rtreeCell) rtreeCell {
	c := rtreeCell{id: no, minX: cells[0].minX, maxX: cells[0].maxX, minY: cells[0].minY, maxY: cells[0].maxY}
	for _, d := range cells[1:] {
		c.minX, c.maxX = min(c.minX, d.minX), max(c.maxX, d.maxX)
		c.minY, c.maxY = min(c.minY, d.minY), max(c.maxY, d.maxY)
	}
	return c
}

// strPack groups cells into nodes of at most m by Sort-Tile-Recursive:
// vertical slices by x centre, then runs by y centre within each slice.
func strPack(cells []rtreeCell, m int) [][]rtreeCell {
	if len(cells) <= m {
		return [][]rtreeCell{cells}
	}
	pages := (len(cells) + m - 1) / m
	slices := int(math.Ceil(math.Sqrt(float64(pages))))
	sort.Slice(cells, func(i, j int) bool { return cells[i].minX+cells[i].maxX < cells[j].minX+cells[j].maxX })
	var out [][]rtreeCell
	per := slices * m
	for lo := 0; lo < len(cells); lo += per {
		s := cells[lo:min(lo+per, len(cells))]
		sort.Slice(s, func(i, j int) bool { return s[i].minY+s[i].maxY < s[j].minY+s[j].maxY })
		for k := 0; k < len(s); k += m {
			out = append(out, s[k:min(k+m, len(s))])
		}
	}
	return out
}

// rowBatcher inserts two-column rows into a few tables with multi-row
// statements, each prepared once.
type rowBatcher struct {
	ctx   context.Context
	tx    *sql.Tx
	rows  map[string][]any
	stmts map[string]*sql.Stmt // full batches, by table
}

// rowBatch is how many rows one statement of a rowBatcher writes.
const rowBatch = 500

func newRowBatcher(ctx context.Context, tx *sql.Tx) *rowBatcher {
	return &rowBatcher{ctx: ctx, tx: tx, rows: map[string][]any{}, stmts: map[string]*sql.Stmt{}}
}

func (b *rowBatcher) add(table string, a, c any) error {
	b.rows[table] = append(b.rows[table], a, c)
	if len(b.rows[table]) >= 2*rowBatch {
		return b.flushTable(table)
	}
	return nil
}

func (b *rowBatcher) flushTable(table string) error {
	args := b.rows[table]
	if len(args) == 0 {
		return nil
	}
	b.rows[table] = args[:0]
	q := "INSERT INTO " + table + " VALUES " + placeholders(len(args)/2, 2)
	if len(args) < 2*rowBatch {
		_, err := b.tx.ExecContext(b.ctx, q, args...)
		return err
	}
	st, ok := b.stmts[table]
	if !ok {
		var err error
		if st, err = b.tx.PrepareContext(b.ctx, q); err != nil {
			return err
		}
		b.stmts[table] = st
	}
	_, err := st.ExecContext(b.ctx, args...)
	return err
}

func (b *rowBatcher) flush() error {
	for t := range b.rows {
		if err := b.flushTable(t); err != nil {
			return err
		}
	}
	return nil
}

func (b *rowBatcher) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}
