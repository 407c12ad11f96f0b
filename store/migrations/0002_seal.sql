-- Global identities and sealed history (see store/seal.go).
--
-- Plans, versions and dossiers get ids unique across stores (uid); the short
-- numbers stay for people. A version is sealed: items_hash is the LtHash of
-- its items, seal a hash over its record, its items and its parent's seal.
-- Each dossier has its own hash chain (dossier_link: its opening record, its
-- steps, its documents), each plan a journal of every event of its history
-- (plan_link: its record, its versions, its dossiers' chain heads); the
-- journal's head is the plan's seal. Go code (sealHistory) fills all of it
-- for the history already in the file, in this migration's transaction.

-- opened for the Go step; 0003 closes them again (IF EXISTS: a file whose
-- triggers were dropped is still sealed, and verify then reports its history)
DROP TRIGGER IF EXISTS version_no_update;
DROP TRIGGER IF EXISTS transition_no_update;
DROP TRIGGER IF EXISTS version_item_only_newest;
DROP TRIGGER IF EXISTS dossier_final;

ALTER TABLE plan ADD COLUMN uid TEXT;
ALTER TABLE version ADD COLUMN uid TEXT;
ALTER TABLE version ADD COLUMN items_hash BLOB;
ALTER TABLE version ADD COLUMN seal BLOB;
ALTER TABLE dossier ADD COLUMN uid TEXT;
-- what a step sealed: the change set's digest, and for approve and rebase the
-- version it made or moved onto
ALTER TABLE transition ADD COLUMN changes BLOB NOT NULL DEFAULT x'';
ALTER TABLE transition ADD COLUMN version_seal BLOB NOT NULL DEFAULT x'';

CREATE TABLE dossier_link (
    dossier_id INTEGER NOT NULL REFERENCES dossier (id),
    seq        INTEGER NOT NULL CHECK (seq > 0),
    kind       TEXT NOT NULL CHECK (kind IN ('open', 'step', 'attach')),
    ref        INTEGER, -- the transition (step) or attachment (attach)
    content    BLOB NOT NULL,
    prev       BLOB NOT NULL,
    hash       BLOB NOT NULL,
    PRIMARY KEY (dossier_id, seq)
) WITHOUT ROWID;

CREATE TABLE plan_link (
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    seq     INTEGER NOT NULL CHECK (seq > 0),
    kind    TEXT NOT NULL CHECK (kind IN ('plan', 'version', 'dossier')),
    ref     INTEGER, -- the version or dossier
    content BLOB NOT NULL,
    at      TEXT NOT NULL,
    prev    BLOB NOT NULL,
    hash    BLOB NOT NULL,
    PRIMARY KEY (plan_id, seq)
) WITHOUT ROWID;

CREATE INDEX plan_link_hash ON plan_link (hash);

-- What the migration found wrong in the history it sealed: verify reports it
-- for ever, so sealing never launders an earlier alteration.
CREATE TABLE integrity_note (
    id   INTEGER PRIMARY KEY,
    at   TEXT NOT NULL,
    note TEXT NOT NULL
);

