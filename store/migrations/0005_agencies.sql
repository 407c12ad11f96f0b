-- Agencies of a plan and of a dossier's steps (issue 11).
--
-- A plan's approving authority, appraising agency, proposing (organising)
-- agency and consultant are not part of its sealed record: they may change
-- (a new consultant, an appraisal moved to the Ministry). Each change is a
-- new row, with who made it and when; the newest row is the plan's
-- agencies, the rows before it their history. A plan without a row has the
-- zone's defaults (store.DefaultAgencies).
CREATE TABLE plan_agencies (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plan (id),
    approver   TEXT NOT NULL CHECK (length(trim(approver)) > 0),  -- cơ quan phê duyệt
    appraiser  TEXT NOT NULL CHECK (length(trim(appraiser)) > 0), -- cơ quan thẩm định
    proposer   TEXT NOT NULL CHECK (length(trim(proposer)) > 0),  -- cơ quan tổ chức lập
    consultant TEXT NOT NULL DEFAULT '',                          -- đơn vị tư vấn
    at         TEXT NOT NULL,                                     -- RFC 3339, UTC
    by         TEXT NOT NULL DEFAULT ''                           -- who changed them
);

CREATE INDEX plan_agencies_plan ON plan_agencies (plan_id, id);

-- The history of a plan's agencies is kept as it was written.
CREATE TRIGGER plan_agencies_no_update BEFORE UPDATE ON plan_agencies
BEGIN SELECT RAISE(ABORT, 'agency history is append-only'); END;
CREATE TRIGGER plan_agencies_no_delete BEFORE DELETE ON plan_agencies
BEGIN SELECT RAISE(ABORT, 'agency history is append-only'); END;

-- The agency whose document a step records (picked from the plan's
-- agencies), and for an approval who signed the decision. Both are sealed
-- in the step's link when set (store/seal.go stepDigest).
ALTER TABLE transition ADD COLUMN agency TEXT NOT NULL DEFAULT '';
ALTER TABLE transition ADD COLUMN signer TEXT NOT NULL DEFAULT '';
