-- Each body's land-use measure (issue 16): the text of its class property
-- (phanLoai, as gis.Feature.String reads it: '' when absent) and the planar
-- area of its grid geometry (gis.Area of body_geom's form, m² in
-- EPSG:9215; 0 without geometry). A land-use balance reads these instead
-- of the bodies, one column per lot: the area (float64, little-endian), the
-- class's UTF-8 bytes, and a CRC-32C (little-endian) of the body id (int64,
-- little-endian), area and class, which every read checks. Derived from the
-- body alone, written with it, never changed; verify recomputes it. Go code
-- (fillMeasures) derives it for the bodies already in the file, in this
-- migration's transaction.
CREATE TABLE body_measure (
    body_id INTEGER PRIMARY KEY REFERENCES body (id),
    measure BLOB NOT NULL
);

CREATE TRIGGER body_measure_no_update BEFORE UPDATE ON body_measure
BEGIN SELECT RAISE(ABORT, 'derived measure is immutable'); END;
CREATE TRIGGER body_measure_no_delete BEFORE DELETE ON body_measure
BEGIN SELECT RAISE(ABORT, 'derived measure is immutable'); END;
