-- Whether a version's layer, read by feature id (its items' key), comes in
-- its items' order (seq), as an import's items do (issue 16): a walk then
-- reads the layer in key order and SQLite sorts nothing. Finding it out
-- took a scan of every item before the first lot was read (0.3 s at a
-- million lots, before the window's first frame). Written with the counts
-- by the writers that know it; NULL where not known (a walk scans, as
-- before); verify scans every layer that says it is in order.
ALTER TABLE version_layer ADD COLUMN in_key_order INTEGER CHECK (in_key_order IN (0, 1));
