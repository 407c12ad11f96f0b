-- A plan's items kept as a history, not copied into every version (issue
-- 16): approving 1 000 changes on a 1 000 000-lot plan copied the 999 000
-- unchanged items into the new version (1.5 s of its 2.0–2.5 s). An item
-- row now says which body a feature has from one version of its plan
-- (since, a version number) to the first version that no longer has it
-- (until; NULL while the plan's newest version has it). Version n of a
-- plan holds the rows with since <= n < until. A new version closes the
-- rows of what it changes or removes and adds rows for what it changes or
-- adds: its cost follows its changes, whatever the plan's size.
--
-- version_item, read by every query that reads a version, is now a view
-- of the same columns. SQLite flattens it into a query that reads it, but
-- not where it is the right side of a LEFT JOIN (it would materialise
-- every version's items): such queries read item itself (itemsAt).
CREATE TABLE item (
    plan_id    INTEGER NOT NULL REFERENCES plan (id),
    feature_id TEXT NOT NULL,
    since      INTEGER NOT NULL,
    until      INTEGER CHECK (until > since),
    layer_id   INTEGER NOT NULL REFERENCES layer (id),
    body_id    INTEGER NOT NULL REFERENCES body (id),
    seq        INTEGER NOT NULL, -- the order features came in (file order)
    PRIMARY KEY (plan_id, feature_id, since)
) WITHOUT ROWID;

-- Each run of versions in which a feature has the same item becomes one
-- row (number - row_number() is constant along a run with no gap).
INSERT INTO item (plan_id, feature_id, since, until, layer_id, body_id, seq)
SELECT plan_id, feature_id, min(number),
    CASE WHEN max(number) = last THEN NULL ELSE max(number) + 1 END,
    layer_id, body_id, seq
FROM (
    SELECT v.plan_id, i.feature_id, v.number, i.layer_id, i.body_id, i.seq,
        v.number - row_number() OVER (PARTITION BY v.plan_id, i.feature_id, i.layer_id, i.body_id, i.seq ORDER BY v.number) AS run,
        (SELECT max(number) FROM version w WHERE w.plan_id = v.plan_id) AS last
    FROM version_item i JOIN version v ON v.id = i.version_id
)
GROUP BY plan_id, feature_id, layer_id, body_id, seq, run
ORDER BY plan_id, feature_id, min(number);

DROP TABLE version_item;

CREATE VIEW version_item (version_id, feature_id, layer_id, body_id, seq) AS
    SELECT v.id, i.feature_id, i.layer_id, i.body_id, i.seq FROM version v
    JOIN item i ON i.plan_id = v.plan_id AND i.since <= v.number AND (i.until IS NULL OR i.until > v.number);

-- The rule of 0009 stays: only the version being written (version_open,
-- the newest, before it is sealed or current) gains items. A row is added
-- since it, and a row the plan's newest version held is closed at it;
-- nothing else changes, nothing is deleted. A feature has one item in a
-- version (schema 13's primary key): a row is added only once the
-- feature's live row, if any, is closed.
CREATE TRIGGER item_only_newest BEFORE INSERT ON item
WHEN NEW.until IS NOT NULL OR NOT EXISTS (SELECT 1 FROM version_open o JOIN version v ON v.id = o.version_id
    WHERE v.plan_id = NEW.plan_id AND v.number = NEW.since)
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER item_one_per_version BEFORE INSERT ON item
WHEN EXISTS (SELECT 1 FROM item o WHERE o.plan_id = NEW.plan_id AND o.feature_id = NEW.feature_id AND o.since < NEW.since AND o.until IS NULL)
BEGIN SELECT RAISE(ABORT, 'a feature has one item in a version'); END;
CREATE TRIGGER item_closed_by_newest BEFORE UPDATE OF until ON item
WHEN OLD.until IS NOT NULL OR NOT EXISTS (SELECT 1 FROM version_open o JOIN version v ON v.id = o.version_id
    WHERE v.plan_id = OLD.plan_id AND v.number = NEW.until)
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER item_fixed BEFORE UPDATE OF plan_id, feature_id, since, layer_id, body_id, seq ON item
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER item_no_delete BEFORE DELETE ON item
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
