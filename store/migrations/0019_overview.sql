-- A large version's map seen whole, kept (issue 16: the window at a
-- province's size): an image of its lots filled by class, 2 048 px
-- across, that the window draws in the background for a version of
-- 250 000 lots or more once its attributes are read (ui/preview.go), so
-- that the next time the version is opened the window shows it at once
-- while the lots are read behind it. A cache of what the window draws, not part of the
-- plan: the image and its view as gis/scene encodes them, then a CRC-32C;
-- one per plan (the version the window opened on last, with the style it
-- was drawn in: colours and the map's options), replaced when another is
-- drawn; a damaged one is ignored and drawn again. Never read by an
-- official output.
CREATE TABLE overview (
    version_id INTEGER PRIMARY KEY REFERENCES version (id) ON DELETE CASCADE,
    style      TEXT NOT NULL,
    data       BLOB NOT NULL
);
