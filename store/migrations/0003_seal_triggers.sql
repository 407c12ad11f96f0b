-- History sealed by 0002 never changes. A version's record is fixed when it
-- is written; its items and seal are written once, before it is sealed.
CREATE TRIGGER version_record_fixed BEFORE UPDATE OF id, uid, plan_id, number, parent_id, created, source, message,
    dossier_id, decision_no, decision_date, ma_thong_tin_qh ON version
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER version_sealed_once BEFORE UPDATE OF items_hash, seal ON version
WHEN OLD.seal IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
-- content may only be added to the newest version while it is being written
-- (before it is sealed and becomes its plan's current version)
CREATE TRIGGER version_item_only_newest BEFORE INSERT ON version_item
WHEN NEW.version_id <> (SELECT max(id) FROM version)
  OR (SELECT seal FROM version WHERE id = NEW.version_id) IS NOT NULL
  OR EXISTS (SELECT 1 FROM plan WHERE current_version = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
-- approved and published dossiers never change again (the dossier's global
-- id was given once, by 0002)
CREATE TRIGGER dossier_final BEFORE UPDATE ON dossier
WHEN OLD.state IN ('approved', 'published', 'withdrawn') AND NOT (OLD.state = 'approved' AND NEW.state = 'published')
BEGIN SELECT RAISE(ABORT, 'an approved, published or withdrawn dossier cannot change'); END;
CREATE TRIGGER transition_no_update BEFORE UPDATE ON transition
BEGIN SELECT RAISE(ABORT, 'approval history is append-only'); END;
CREATE TRIGGER dossier_link_no_update BEFORE UPDATE ON dossier_link
BEGIN SELECT RAISE(ABORT, 'approval history is append-only'); END;
CREATE TRIGGER dossier_link_no_delete BEFORE DELETE ON dossier_link
BEGIN SELECT RAISE(ABORT, 'approval history is append-only'); END;
CREATE TRIGGER plan_link_no_update BEFORE UPDATE ON plan_link
BEGIN SELECT RAISE(ABORT, 'plan history is append-only'); END;
CREATE TRIGGER plan_link_no_delete BEFORE DELETE ON plan_link
BEGIN SELECT RAISE(ABORT, 'plan history is append-only'); END;
CREATE TRIGGER integrity_note_no_update BEFORE UPDATE ON integrity_note
BEGIN SELECT RAISE(ABORT, 'integrity notes are append-only'); END;
CREATE TRIGGER integrity_note_no_delete BEFORE DELETE ON integrity_note
BEGIN SELECT RAISE(ABORT, 'integrity notes are append-only'); END;
-- a plan's record (what its seal covers) never changes
CREATE TRIGGER plan_record_fixed BEFORE UPDATE OF uid, code, name, level, scale, crs, area, note, created ON plan
WHEN OLD.uid IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a plan''s record is sealed'); END;
CREATE TRIGGER dossier_uid_fixed BEFORE UPDATE OF uid ON dossier
WHEN OLD.uid IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a dossier''s id is fixed'); END;
CREATE UNIQUE INDEX plan_uid ON plan (uid);
CREATE UNIQUE INDEX version_uid ON version (uid);
CREATE UNIQUE INDEX dossier_uid ON dossier (uid);
