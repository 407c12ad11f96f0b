-- A replica's own steps and documents recorded again after the office's
-- (issue 15: `pull --replay`). When a dossier's chain moved on both at the
-- office and here since they last met, the links only this replica holds
-- were never anyone else's history: they are set aside and recorded again,
-- in their order, after the office's links. replay_open names the dossier
-- and how many links it keeps while that transaction sets them aside; the
-- append-only rules let go of exactly those rows and no others.
CREATE TABLE replay_open (
    dossier_id INTEGER PRIMARY KEY REFERENCES dossier (id),
    keep       INTEGER NOT NULL CHECK (keep >= 1)
);

DROP TRIGGER transition_no_delete;
CREATE TRIGGER transition_no_delete BEFORE DELETE ON transition
WHEN NOT EXISTS (SELECT 1 FROM replay_open o JOIN dossier_link l ON l.dossier_id = o.dossier_id
    WHERE o.dossier_id = OLD.dossier_id AND l.kind = 'step' AND l.ref = OLD.id AND l.seq > o.keep)
BEGIN SELECT RAISE(ABORT, 'approval history is append-only'); END;

DROP TRIGGER attachment_no_delete;
CREATE TRIGGER attachment_no_delete BEFORE DELETE ON attachment
WHEN NOT EXISTS (SELECT 1 FROM replay_open o JOIN dossier_link l ON l.dossier_id = o.dossier_id
    WHERE o.dossier_id = OLD.dossier_id AND l.kind = 'attach' AND l.ref = OLD.id AND l.seq > o.keep)
BEGIN SELECT RAISE(ABORT, 'attachments are immutable'); END;

DROP TRIGGER dossier_link_no_delete;
CREATE TRIGGER dossier_link_no_delete BEFORE DELETE ON dossier_link
WHEN NOT EXISTS (SELECT 1 FROM replay_open o WHERE o.dossier_id = OLD.dossier_id AND OLD.seq > o.keep)
BEGIN SELECT RAISE(ABORT, 'approval history is append-only'); END;
