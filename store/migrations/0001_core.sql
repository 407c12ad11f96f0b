-- Core schema: plans, layers, content-addressed feature bodies, immutable
-- versions, and the tables of adjustment dossiers (filled by later code).

CREATE TABLE plan (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    name            TEXT NOT NULL,
    level           TEXT NOT NULL CHECK (level IN ('general', 'zoning', 'detailed')),
    scale           INTEGER NOT NULL CHECK (scale > 0),
    crs             INTEGER NOT NULL DEFAULT 9215,
    area            TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    created         TEXT NOT NULL,
    -- the one current version; a pointer, so there is exactly one (or none before the first import)
    current_version INTEGER REFERENCES version (id)
);

CREATE TABLE layer (
    id      INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('area', 'line', 'point', 'mixed')),
    UNIQUE (plan_id, name)
);

-- A feature body is one canonical GeoJSON Feature (WGS84, without its id),
-- stored once and shared by every version and dossier that holds it.
CREATE TABLE body (
    id      INTEGER PRIMARY KEY,
    hash    BLOB NOT NULL UNIQUE, -- sha256 of geojson
    geojson TEXT NOT NULL
);

CREATE VIRTUAL TABLE body_bbox USING rtree (id, min_lon, max_lon, min_lat, max_lat);

CREATE TABLE version (
    id              INTEGER PRIMARY KEY,
    plan_id         INTEGER NOT NULL REFERENCES plan (id),
    number          INTEGER NOT NULL CHECK (number > 0),
    parent_id       INTEGER REFERENCES version (id),
    created         TEXT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('import', 'sample', 'dossier')),
    message         TEXT NOT NULL DEFAULT '',
    dossier_id      INTEGER REFERENCES dossier (id),
    decision_no     TEXT NOT NULL DEFAULT '',
    decision_date   TEXT NOT NULL DEFAULT '',
    ma_thong_tin_qh TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, number)
);

-- The content of a version: which body each feature id has.
CREATE TABLE version_item (
    version_id INTEGER NOT NULL REFERENCES version (id),
    feature_id TEXT NOT NULL,
    layer_id   INTEGER NOT NULL REFERENCES layer (id),
    body_id    INTEGER NOT NULL REFERENCES body (id),
    seq        INTEGER NOT NULL, -- the order features came in (file order)
    PRIMARY KEY (version_id, feature_id)
) WITHOUT ROWID;

CREATE INDEX version_item_body ON version_item (body_id);

-- Lineage recorded with a version: a split lot names its parent, a merged lot its parents.
CREATE TABLE lineage (
    version_id INTEGER NOT NULL REFERENCES version (id),
    feature_id TEXT NOT NULL,
    parent_id  TEXT NOT NULL,
    PRIMARY KEY (version_id, feature_id, parent_id)
) WITHOUT ROWID;

CREATE TABLE dossier (
    id              INTEGER PRIMARY KEY,
    plan_id         INTEGER NOT NULL REFERENCES plan (id),
    kind            TEXT NOT NULL CHECK (kind IN ('local', 'overall')),
    base_version_id INTEGER NOT NULL REFERENCES version (id),
    title           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    code            TEXT NOT NULL DEFAULT '', -- maHoSoQH
    state           TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'submitted', 'appraising', 'appraised', 'approved', 'published', 'withdrawn')),
    created         TEXT NOT NULL,
    due             TEXT NOT NULL DEFAULT '', -- date the current step is due, YYYY-MM-DD
    approved_version_id INTEGER REFERENCES version (id)
);

-- A dossier's change set: per feature id, added / modified (new body) / deleted.
CREATE TABLE dossier_change (
    dossier_id INTEGER NOT NULL REFERENCES dossier (id),
    feature_id TEXT NOT NULL,
    layer_id   INTEGER NOT NULL REFERENCES layer (id),
    op         TEXT NOT NULL CHECK (op IN ('add', 'modify', 'delete')),
    body_id    INTEGER REFERENCES body (id) CHECK ((op = 'delete') = (body_id IS NULL)),
    parents    TEXT NOT NULL DEFAULT '[]', -- JSON array of parent feature ids
    PRIMARY KEY (dossier_id, feature_id)
) WITHOUT ROWID;

-- Approval steps, append-only and hash-chained.
CREATE TABLE transition (
    id         INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossier (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    at         TEXT NOT NULL,
    by         TEXT NOT NULL DEFAULT '',
    doc_no     TEXT NOT NULL DEFAULT '',
    doc_date   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    due        TEXT NOT NULL DEFAULT '',
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL
);

CREATE TABLE attachment (
    id         INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossier (id),
    kind       TEXT NOT NULL CHECK (kind IN ('to_trinh', 'thuyet_minh', 'ban_ve', 'du_thao_quyet_dinh',
                                             'quy_dinh_quan_ly', 'y_kien', 'bao_cao_tham_dinh', 'quyet_dinh')),
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     BLOB NOT NULL,
    data       BLOB NOT NULL,
    added      TEXT NOT NULL
);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- History never changes: even a bug cannot rewrite it.
CREATE TRIGGER body_no_update BEFORE UPDATE ON body
BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END;
CREATE TRIGGER body_no_delete BEFORE DELETE ON body
BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END;
CREATE TRIGGER version_no_update BEFORE UPDATE ON version
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER version_no_delete BEFORE DELETE ON version
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER version_item_no_update BEFORE UPDATE ON version_item
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER version_item_no_delete BEFORE DELETE ON version_item
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
-- content may only be added to the newest version, while it is being written
-- (before it becomes its plan's current version)
CREATE TRIGGER version_item_only_newest BEFORE INSERT ON version_item
WHEN NEW.version_id <> (SELECT max(id) FROM version)
  OR EXISTS (SELECT 1 FROM plan WHERE current_version = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER lineage_no_update BEFORE UPDATE ON lineage
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER lineage_no_delete BEFORE DELETE ON lineage
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER transition_no_update BEFORE UPDATE ON transition
BEGIN SELECT RAISE(ABORT, 'approval history is append-only'); END;
CREATE TRIGGER transition_no_delete BEFORE DELETE ON transition
BEGIN SELECT RAISE(ABORT, 'approval history is append-only'); END;
CREATE TRIGGER plan_current_own BEFORE UPDATE OF current_version ON plan
WHEN NEW.current_version IS NOT NULL
 AND (SELECT plan_id FROM version WHERE id = NEW.current_version) IS NOT NEW.id
BEGIN SELECT RAISE(ABORT, 'current version belongs to another plan'); END;

-- Deadlines of the approval steps (days), and the attachment size limit.
INSERT INTO setting (key, value) VALUES
    ('deadline.comments_days', '15'),
    ('deadline.appraisal_days', '20'),
    ('deadline.publication_days', '15'),
    ('attachment.max_bytes', '52428800');
CREATE INDEX dossier_plan ON dossier (plan_id, state);
CREATE INDEX transition_dossier ON transition (dossier_id, id);
-- Approved and published dossiers never change again.
CREATE TRIGGER dossier_final BEFORE UPDATE ON dossier
WHEN OLD.state IN ('approved', 'published', 'withdrawn') AND NOT (OLD.state = 'approved' AND NEW.state = 'published')
BEGIN SELECT RAISE(ABORT, 'an approved, published or withdrawn dossier cannot change'); END;
CREATE TRIGGER dossier_change_draft_ins BEFORE INSERT ON dossier_change
WHEN (SELECT state FROM dossier WHERE id = NEW.dossier_id) NOT IN ('draft', 'submitted', 'appraising', 'appraised')
BEGIN SELECT RAISE(ABORT, 'the change set of an approved dossier cannot change'); END;
CREATE TRIGGER dossier_change_final_upd BEFORE UPDATE ON dossier_change
WHEN (SELECT state FROM dossier WHERE id = OLD.dossier_id) NOT IN ('draft', 'submitted', 'appraising', 'appraised')
BEGIN SELECT RAISE(ABORT, 'the change set of an approved dossier cannot change'); END;
CREATE TRIGGER dossier_change_final_del BEFORE DELETE ON dossier_change
WHEN (SELECT state FROM dossier WHERE id = OLD.dossier_id) NOT IN ('draft', 'submitted', 'appraising', 'appraised')
BEGIN SELECT RAISE(ABORT, 'the change set of an approved dossier cannot change'); END;
-- Documents once attached stay as they were (a new document is a new row).
CREATE TRIGGER attachment_no_update BEFORE UPDATE ON attachment
BEGIN SELECT RAISE(ABORT, 'attachments are immutable'); END;
CREATE TRIGGER attachment_no_delete BEFORE DELETE ON attachment
BEGIN SELECT RAISE(ABORT, 'attachments are immutable'); END;
