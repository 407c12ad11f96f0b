-- Documents the board issues from an approved plan version (store/info.go):
-- planning information for a site (cung cấp thông tin quy hoạch) and
-- conformity reports of projects. Numbered per kind and year, with who asked,
-- when, the version that answered, the site asked about, the answer and the
-- document's bytes, so the board can show later what it told whom.

CREATE TABLE issue (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('info', 'conform')),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    number     INTEGER NOT NULL CHECK (number > 0),
    plan_id    INTEGER NOT NULL REFERENCES plan (id),
    version_id INTEGER NOT NULL REFERENCES version (id),
    requester  TEXT NOT NULL CHECK (length(trim(requester)) > 0), -- who asked
    address    TEXT NOT NULL DEFAULT '',
    purpose    TEXT NOT NULL DEFAULT '',
    requested  TEXT NOT NULL DEFAULT '', -- date of the request, YYYY-MM-DD
    issued     TEXT NOT NULL,            -- RFC 3339, UTC
    by         TEXT NOT NULL DEFAULT '', -- who answered
    site       TEXT NOT NULL,            -- the site asked about (GeoJSON geometry, WGS84, or lot codes)
    answer     TEXT NOT NULL,            -- the answer (JSON)
    document   BLOB NOT NULL,            -- the document issued (PDF)
    sha256     BLOB NOT NULL,
    UNIQUE (kind, year, number)
);

CREATE INDEX issue_plan ON issue (plan_id);

-- What was told to whom never changes.
CREATE TRIGGER issue_no_update BEFORE UPDATE ON issue
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER issue_no_delete BEFORE DELETE ON issue
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
