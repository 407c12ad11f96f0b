-- The kinds of a version's layer's properties and geometries, counted
-- (issue 16: the GeoPackage export). A GeoPackage table is made with its
-- columns before its first row, so the export read every body of a layer
-- once for its properties' kinds before reading them all again for the
-- rows: a third of the export at 100 000 lots. Written with the counts by
-- the writers that know it (an import counts what it writes; an approval
-- takes its parent's and counts what it replaces and writes); NULL where
-- not known (the export reads the bodies first, as before). verify
-- recounts it from the bodies; the export checks each row against it.
ALTER TABLE version_layer ADD COLUMN schema TEXT;
