-- A replica of the office store (issue 15): where it was cloned from and
-- what the office held when they last met. Local bookkeeping, not history:
-- no seal covers it, and a store that was never cloned has no rows.
--
-- remote: the office (one row). Its address never holds a password
-- (PGPASSFILE, the environment or a prompt give it).
CREATE TABLE remote (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    url         TEXT NOT NULL,
    office_uid  TEXT NOT NULL DEFAULT '',   -- the office store's global id
    cloned      TEXT NOT NULL DEFAULT '',   -- RFC 3339, UTC
    last_pull   TEXT NOT NULL DEFAULT '',   -- RFC 3339, UTC
    pull_cursor INTEGER NOT NULL DEFAULT 0  -- the office's change counter at the last pull
);

-- Per dossier: the office's revision of it, its short number there, and
-- its chain head and change-set digest as the office held them at the
-- last pull or push. A dossier whose head or digest differs has work to push.
CREATE TABLE sync_dossier (
    dossier_id    INTEGER PRIMARY KEY REFERENCES dossier (id),
    office_rev    INTEGER NOT NULL,
    office_number INTEGER,
    head          BLOB,
    changes       BLOB
);

-- The versions the office holds.
CREATE TABLE sync_version (
    version_id INTEGER PRIMARY KEY REFERENCES version (id)
);
