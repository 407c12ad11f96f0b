-- An item's place (seq) as the store numbers it (bigint). An import numbers
-- its lots after 2^40, so a re-import of the same file keeps each lot's
-- place and the store's item history writes nothing for a lot that did not
-- change; as an integer the office kept the low 32 bits only, and a replica
-- cloned from the office rewrote every lot's row at its first re-import.
-- The published views read seq as their fid: each is dropped and made
-- again from its own definition (PostgreSQL's), with its grant, around the
-- change; views made later (office_publish) read the bigint as they are.
DO $$
DECLARE
    l record;
    names text[] := '{}';
    defs text[] := '{}';
BEGIN
    FOR l IN SELECT view FROM layer WHERE view <> '' ORDER BY view LOOP
        names := names || l.view;
        defs := defs || pg_get_viewdef(format('published.%I', l.view)::regclass);
        EXECUTE format('DROP VIEW published.%I', l.view);
    END LOOP;
    ALTER TABLE version_item ALTER COLUMN seq TYPE bigint;
    FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
        EXECUTE format('CREATE VIEW published.%I AS %s', names[i], defs[i]);
        EXECUTE format('GRANT SELECT ON published.%I TO PUBLIC', names[i]);
    END LOOP;
END $$;
