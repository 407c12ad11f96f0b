-- Each body's geometry ready to use (issue 16): in the plan's grid,
-- VN-2000 / TM-3 107-15 (EPSG:9215), in gis/geombin's binary form (float64
-- coordinates, a CRC-32C of its own). Derived from the body (the projection
-- of the body's stored coordinates, bit for bit), written with it, never
-- changed; verify recomputes it. Reads of a version take geometry from here
-- and only the properties from the body. Go code (fillGeometry) derives it
-- for the bodies already in the file, in this migration's transaction.
CREATE TABLE body_geom (
    body_id INTEGER PRIMARY KEY REFERENCES body (id),
    geom    BLOB NOT NULL
);

CREATE TRIGGER body_geom_no_update BEFORE UPDATE ON body_geom
BEGIN SELECT RAISE(ABORT, 'derived geometry is immutable'); END;
CREATE TRIGGER body_geom_no_delete BEFORE DELETE ON body_geom
BEGIN SELECT RAISE(ABORT, 'derived geometry is immutable'); END;
