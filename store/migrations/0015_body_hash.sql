-- A body's hash in a table of its own (issue 16: the import).
--
-- The hash is how an import, a change or a take finds a body the file
-- already holds. It was body's UNIQUE column, so each new body went into
-- that index at a random place: sha256 keys land anywhere, and a random
-- B-tree insert was a fifth of an import's writing (0.3 of 1.4 s at 100 000
-- lots; 3.4 of 19 s at 1 000 000, where the index outgrows the page cache).
-- body_hash holds the same pairs, keyed by hash; a large import fills it
-- once at its end in key order, page after page (store/import.go). The
-- hash stays in body, the body's own: verify recomputes it from the text
-- and holds the two tables to each other.
CREATE TABLE body_hash (
    hash    BLOB PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body (id)
) WITHOUT ROWID;
INSERT INTO body_hash (hash, body_id) SELECT hash, id FROM body ORDER BY hash;

-- body again without its UNIQUE constraint, ids kept (SQLite's way to
-- change a table: a new one, the rows copied, the old dropped, the new
-- renamed; migrations run with foreign keys off, so the references to body
-- are left as they are and point at the new table by name).
CREATE TABLE body_new (
    id      INTEGER PRIMARY KEY,
    hash    BLOB NOT NULL, -- sha256 of geojson; found by body_hash
    geojson TEXT NOT NULL
);
INSERT INTO body_new (id, hash, geojson) SELECT id, hash, geojson FROM body ORDER BY id;
DROP TABLE body;
ALTER TABLE body_new RENAME TO body;

-- History never changes (0001), and neither does its index.
CREATE TRIGGER body_no_update BEFORE UPDATE ON body
BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END;
CREATE TRIGGER body_no_delete BEFORE DELETE ON body
BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END;
CREATE TRIGGER body_hash_no_update BEFORE UPDATE ON body_hash
BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END;
CREATE TRIGGER body_hash_no_delete BEFORE DELETE ON body_hash
BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END;
