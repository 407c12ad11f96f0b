-- An item's place (seq) as the store numbers it (bigint). An import numbers
-- its lots after 2^40, so a re-import of the same file keeps each lot's
-- place and the store's item history writes nothing for a lot that did not
-- change; as an integer the office kept the low 32 bits only, and a replica
-- cloned from the office rewrote every lot's row at its first re-import.
-- The published views read seq as their fid: they are dropped and made
-- again around the change, by the one function that makes them now.
CREATE FUNCTION office_view(plan_uid text, layer_name text, vname text) RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
    EXECUTE format($v$CREATE VIEW published.%I AS
        SELECT i.seq AS fid, i.feature AS feature_id,
               b.props ->> 'maDoiTuong' AS "maDoiTuong", b.props ->> 'tenDoiTuong' AS "tenDoiTuong",
               b.props ->> 'phanLoai' AS "phanLoai", b.props ->> 'giaiDoan' AS "giaiDoan",
               office_num(b.props, 'matDoXayDung') AS "matDoXayDung", office_num(b.props, 'heSoSuDungDat') AS "heSoSuDungDat",
               office_num(b.props, 'tangCaoMin') AS "tangCaoMin", office_num(b.props, 'tangCaoMax') AS "tangCaoMax",
               office_num(b.props, 'khoangLui') AS "khoangLui", b.props ->> 'ghiChu' AS "ghiChu",
               b.props ->> 'maThongTinQH' AS "maThongTinQH", b.props ->> 'maHoSoQH' AS "maHoSoQH",
               ST_Area(b.geom) AS area_m2,
               b.geom::geometry(Geometry, 9215) AS geom
        FROM public.plan p
        JOIN public.version_item i ON i.version = p.current
        JOIN public.body b ON b.hash = i.body
        WHERE p.uid = %L AND i.layer = %L$v$, vname, plan_uid, layer_name);
    EXECUTE format('GRANT SELECT ON published.%I TO PUBLIC', vname);
END $$;
REVOKE ALL ON FUNCTION office_view(text, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION office_publish() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    pcode text;
    vname text;
BEGIN
    SELECT p.code INTO pcode FROM plan p WHERE p.uid = NEW.plan;
    vname := left(trim(BOTH '_' FROM regexp_replace(lower(pcode || '_' || NEW.name), '[^a-z0-9]+', '_', 'g')), 55);
    IF EXISTS (SELECT 1 FROM layer l WHERE l.view = vname) THEN
        vname := left(vname, 46) || '_' || substr(md5(NEW.plan || NEW.name), 1, 8);
    END IF;
    PERFORM office_view(NEW.plan, NEW.name, vname);
    NEW.view := vname;
    RETURN NEW;
END $$;

DO $$
DECLARE
    l record;
BEGIN
    FOR l IN SELECT view FROM layer WHERE view <> '' LOOP
        EXECUTE format('DROP VIEW published.%I', l.view);
    END LOOP;
    ALTER TABLE version_item ALTER COLUMN seq TYPE bigint;
    PERFORM office_view(plan, name, view) FROM layer WHERE view <> '';
END $$;
