-- How many features each layer of a version holds (issue 16): what a
-- version's record tells (its feature count, its layers) and what a walk
-- of it starts from. Counting them from the items read every item and
-- looked up its layer — 0.75 s before the first lot of a million-lot
-- version was read. Derived from the items, written with them before the
-- version is sealed, never changed; verify counts the items again.
CREATE TABLE version_layer (
    version_id INTEGER NOT NULL REFERENCES version (id),
    layer_id   INTEGER NOT NULL REFERENCES layer (id),
    features   INTEGER NOT NULL CHECK (features > 0),
    PRIMARY KEY (version_id, layer_id)
) WITHOUT ROWID;

INSERT INTO version_layer (version_id, layer_id, features)
    SELECT version_id, layer_id, count(*) FROM version_item GROUP BY version_id, layer_id;

CREATE TRIGGER version_layer_only_newest BEFORE INSERT ON version_layer
WHEN NOT EXISTS (SELECT 1 FROM version_open WHERE version_id = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER version_layer_no_update BEFORE UPDATE ON version_layer
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER version_layer_no_delete BEFORE DELETE ON version_layer
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
-- A version is sealed with its layer counts: a writer that forgot them
-- fails, instead of leaving a version that says it is empty.
CREATE TRIGGER version_sealed_with_layers BEFORE UPDATE OF seal ON version
WHEN NEW.seal IS NOT NULL
AND NOT EXISTS (SELECT 1 FROM version_layer WHERE version_id = NEW.id)
AND EXISTS (SELECT 1 FROM version_item WHERE version_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'a version is sealed with its layer counts'); END;
