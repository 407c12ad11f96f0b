-- Each body's properties beside its grid geometry (issue 16: reads in the
-- grid): the body's properties object, byte for byte as the body holds it,
-- then a CRC-32C of it (store/gridprops.go). A read in the grid (check,
-- the window, print, the GeoPackage export) takes geometry and properties
-- from body_geom alone, never the body's text, which is mostly coordinates
-- the grid form already has. Derived from the body, written with it, never
-- changed once written; verify recomputes it. NULL for a body whose text is
-- not canonical: reads take its properties from the body. Go code
-- (fillGridProps) fills it for the rows already in the file, in this
-- migration's transaction: the trigger lets a NULL be filled, nothing else.
ALTER TABLE body_geom ADD COLUMN props BLOB;

DROP TRIGGER body_geom_no_update;
CREATE TRIGGER body_geom_no_update BEFORE UPDATE ON body_geom
WHEN NEW.body_id IS NOT OLD.body_id OR NEW.geom IS NOT OLD.geom OR OLD.props IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'derived geometry is immutable'); END;
