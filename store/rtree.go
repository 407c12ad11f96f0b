package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
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

// rebuildRTree replaces the content of body_bbox by a packed tree holding
// its current boxes plus extra.
func rebuildRTree(ctx context.Context, tx *sql.Tx, extra []rtreeCell) error {
	var nodeSize int
	if err := tx.QueryRowContext(ctx, "SELECT length(data) FROM body_bbox_node WHERE nodeno = 1").Scan(&nodeSize); err != nil {
		return fmt.Errorf("r*tree node size: %w", err)
	}
	const cellBytes = 8 + 4*4
	perNode := (nodeSize - 4) / cellBytes
	if perNode < 4 {
		return fmt.Errorf("r*tree node of %d bytes", nodeSize)
	}
	cells := extra
	rows, err := tx.QueryContext(ctx, "SELECT id, min_lon, max_lon, min_lat, max_lat FROM body_bbox")
	if err != nil {
		return err
	}
	for rows.Next() {
		var c rtreeCell
		if err := rows.Scan(&c.id, &c.minX, &c.maxX, &c.minY, &c.maxY); err != nil {
			rows.Close()
			return err
		}
		cells = append(cells, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range []string{"body_bbox_node", "body_bbox_rowid", "body_bbox_parent"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return err
		}
	}

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
	w := newRowBatcher(ctx, tx)
	for li, nodes := range levels {
		for _, n := range nodes {
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
					if err := w.add("body_bbox_rowid (rowid, nodeno)", c.id, n.no); err != nil {
						return err
					}
				} else if err := w.add("body_bbox_parent (nodeno, parentnode)", c.id, n.no); err != nil {
					return err
				}
			}
			if err := w.add("body_bbox_node (nodeno, data)", n.no, blob); err != nil {
				return err
			}
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

// rowBatcher inserts two-column rows into a few tables with multi-row statements.
type rowBatcher struct {
	ctx  context.Context
	tx   *sql.Tx
	rows map[string][]any
}

func newRowBatcher(ctx context.Context, tx *sql.Tx) *rowBatcher {
	return &rowBatcher{ctx: ctx, tx: tx, rows: map[string][]any{}}
}

func (b *rowBatcher) add(table string, a, c any) error {
	b.rows[table] = append(b.rows[table], a, c)
	if len(b.rows[table]) >= 2*500 {
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
	_, err := b.tx.ExecContext(b.ctx, "INSERT INTO "+table+" VALUES "+placeholders(len(args)/2, 2), args...)
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
