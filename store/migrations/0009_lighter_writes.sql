-- Lighter version writes (issue 16: approving 1 000 changes on a 100 000-lot
-- plan writes the 99 000 unchanged items again).
--
-- 1. The index of version items by body (0001) was read by no query: a
-- version's items are found by version and feature id (the primary key), a
-- body by its id or hash. Every item written went into it at a random
-- place. Bodies are never deleted (body_no_delete), so the foreign key
-- never has to find an item by its body either.
DROP INDEX IF EXISTS version_item_body;

-- 2. The rule of 0003 stays — items may be added only to the newest
-- version, while it is being written: before it is sealed and before it is
-- its plan's current version — but each item asked it with three lookups.
-- The version being written is now kept in version_open, one row, kept by
-- triggers on version and plan, and each item asks it once.
CREATE TABLE version_open (version_id INTEGER PRIMARY KEY REFERENCES version (id));
INSERT INTO version_open
    SELECT id FROM version WHERE id = (SELECT max(id) FROM version) AND seal IS NULL
    AND NOT EXISTS (SELECT 1 FROM plan WHERE current_version = version.id);
CREATE TRIGGER version_opens AFTER INSERT ON version
BEGIN
    DELETE FROM version_open;
    INSERT INTO version_open VALUES (NEW.id);
END;
CREATE TRIGGER version_closes_sealed AFTER UPDATE OF seal ON version WHEN NEW.seal IS NOT NULL
BEGIN DELETE FROM version_open WHERE version_id = NEW.id; END;
CREATE TRIGGER version_closes_current AFTER UPDATE OF current_version ON plan
BEGIN DELETE FROM version_open WHERE version_id = NEW.current_version; END;
DROP TRIGGER version_item_only_newest;
CREATE TRIGGER version_item_only_newest BEFORE INSERT ON version_item
WHEN NOT EXISTS (SELECT 1 FROM version_open WHERE version_id = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
