-- The undo history of a dossier's change set (issue 10).
--
-- Every gesture of an officer (one apply: a vertex moved, a lot split, an
-- attribute set on many lots) is an edit. For each feature it touched an
-- edit keeps the change-set entry before and after it (NULL op: no entry),
-- so undo puts the befores back and redo the afters, in any number, across
-- restarts. Triggers on dossier_change keep the journal while an edit is
-- open (dossier_edit_open, a row only inside the edit's transaction); a
-- change of the change set outside any edit, undo or redo (a rebase) drops
-- the dossier's history, which no longer describes it.
CREATE TABLE dossier_edit (
    dossier_id INTEGER NOT NULL REFERENCES dossier (id),
    seq        INTEGER NOT NULL CHECK (seq > 0),
    label      TEXT NOT NULL,              -- what the gesture was, for the history list
    at         TEXT NOT NULL,              -- RFC 3339, UTC
    undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
    PRIMARY KEY (dossier_id, seq)
) WITHOUT ROWID;

CREATE TABLE dossier_edit_change (
    dossier_id     INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    feature_id     TEXT NOT NULL,
    before_layer   INTEGER,
    before_op      TEXT,
    before_body    INTEGER,
    before_parents TEXT,
    after_layer    INTEGER,
    after_op       TEXT,
    after_body     INTEGER,
    after_parents  TEXT,
    PRIMARY KEY (dossier_id, seq, feature_id),
    FOREIGN KEY (dossier_id, seq) REFERENCES dossier_edit (dossier_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;

-- mode: 'edit' journals changes into edit seq; 'undo' and 'redo' replay one
CREATE TABLE dossier_edit_open (
    dossier_id INTEGER PRIMARY KEY,
    seq        INTEGER NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('edit', 'undo', 'redo'))
);

CREATE TRIGGER dossier_edit_journal_ins AFTER INSERT ON dossier_change
WHEN EXISTS (SELECT 1 FROM dossier_edit_open o WHERE o.dossier_id = NEW.dossier_id AND o.mode = 'edit')
BEGIN
    INSERT INTO dossier_edit_change (dossier_id, seq, feature_id, after_layer, after_op, after_body, after_parents)
    SELECT NEW.dossier_id, o.seq, NEW.feature_id, NEW.layer_id, NEW.op, NEW.body_id, NEW.parents
    FROM dossier_edit_open o WHERE o.dossier_id = NEW.dossier_id
    ON CONFLICT (dossier_id, seq, feature_id) DO UPDATE SET after_layer = excluded.after_layer,
        after_op = excluded.after_op, after_body = excluded.after_body, after_parents = excluded.after_parents;
END;

CREATE TRIGGER dossier_edit_journal_upd AFTER UPDATE ON dossier_change
WHEN EXISTS (SELECT 1 FROM dossier_edit_open o WHERE o.dossier_id = NEW.dossier_id AND o.mode = 'edit')
BEGIN
    INSERT INTO dossier_edit_change (dossier_id, seq, feature_id, before_layer, before_op, before_body, before_parents,
        after_layer, after_op, after_body, after_parents)
    SELECT NEW.dossier_id, o.seq, NEW.feature_id, OLD.layer_id, OLD.op, OLD.body_id, OLD.parents,
        NEW.layer_id, NEW.op, NEW.body_id, NEW.parents
    FROM dossier_edit_open o WHERE o.dossier_id = NEW.dossier_id
    ON CONFLICT (dossier_id, seq, feature_id) DO UPDATE SET after_layer = excluded.after_layer,
        after_op = excluded.after_op, after_body = excluded.after_body, after_parents = excluded.after_parents;
END;

CREATE TRIGGER dossier_edit_journal_del AFTER DELETE ON dossier_change
WHEN EXISTS (SELECT 1 FROM dossier_edit_open o WHERE o.dossier_id = OLD.dossier_id AND o.mode = 'edit')
BEGIN
    INSERT INTO dossier_edit_change (dossier_id, seq, feature_id, before_layer, before_op, before_body, before_parents)
    SELECT OLD.dossier_id, o.seq, OLD.feature_id, OLD.layer_id, OLD.op, OLD.body_id, OLD.parents
    FROM dossier_edit_open o WHERE o.dossier_id = OLD.dossier_id
    ON CONFLICT (dossier_id, seq, feature_id) DO UPDATE SET after_layer = NULL,
        after_op = NULL, after_body = NULL, after_parents = NULL;
END;

CREATE TRIGGER dossier_edit_forget_ins AFTER INSERT ON dossier_change
WHEN NOT EXISTS (SELECT 1 FROM dossier_edit_open o WHERE o.dossier_id = NEW.dossier_id)
BEGIN DELETE FROM dossier_edit WHERE dossier_id = NEW.dossier_id; END;
CREATE TRIGGER dossier_edit_forget_upd AFTER UPDATE ON dossier_change
WHEN NOT EXISTS (SELECT 1 FROM dossier_edit_open o WHERE o.dossier_id = NEW.dossier_id)
BEGIN DELETE FROM dossier_edit WHERE dossier_id = NEW.dossier_id; END;
CREATE TRIGGER dossier_edit_forget_del AFTER DELETE ON dossier_change
WHEN NOT EXISTS (SELECT 1 FROM dossier_edit_open o WHERE o.dossier_id = OLD.dossier_id)
BEGIN DELETE FROM dossier_edit WHERE dossier_id = OLD.dossier_id; END;
