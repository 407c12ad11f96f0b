-- The office store: the same logical model as a quyhoach store file, keyed
-- by global ids (plan, version and dossier uids, body hashes) instead of a
-- file's row numbers, with the geometry in PostGIS for publishing.

CREATE EXTENSION IF NOT EXISTS postgis;

-- EPSG:9215, VN-2000 / TM-3 107-15 (Lạng Sơn): PostGIS 3.3's
-- spatial_ref_sys lacks it. srtext is the program's own (gis/gpkg), proj4text
-- PROJ 9's (projinfo EPSG:9215).
INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
VALUES (9215, 'EPSG', 9215, {{SRTEXT}},
        '+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs')
ON CONFLICT (srid) DO NOTHING;

CREATE TABLE office_info (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Every change the office takes, in commit order (pushes hold an advisory
-- lock, so a later seq is a later commit): a pull asks for what came after
-- the seq it last saw.
CREATE TABLE change_log (
    seq  bigint PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('plan', 'version', 'dossier')),
    uid  text NOT NULL,
    rev  bigint NOT NULL DEFAULT 0,
    at   timestamptz NOT NULL DEFAULT now(),
    who  text NOT NULL DEFAULT current_user
);
CREATE SEQUENCE change_seq;
CREATE INDEX change_log_uid ON change_log (kind, uid, seq);

CREATE TABLE plan (
    uid     text PRIMARY KEY,
    code    text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    name    text NOT NULL,
    level   text NOT NULL CHECK (level IN ('general', 'zoning', 'detailed')),
    scale   integer NOT NULL CHECK (scale > 0),
    crs     integer NOT NULL DEFAULT 9215,
    area    text NOT NULL DEFAULT '',
    note    text NOT NULL DEFAULT '',
    created text NOT NULL,
    current text -- the current version's uid (FK below)
);

CREATE TABLE layer (
    plan text NOT NULL REFERENCES plan (uid),
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('area', 'line', 'point', 'mixed')),
    view text NOT NULL DEFAULT '', -- its published view, published.<view>
    PRIMARY KEY (plan, name)
);

CREATE TABLE agencies (
    plan       text NOT NULL REFERENCES plan (uid),
    seq        integer NOT NULL,
    approver   text NOT NULL DEFAULT '',
    appraiser  text NOT NULL DEFAULT '',
    proposer   text NOT NULL DEFAULT '',
    consultant text NOT NULL DEFAULT '',
    at         text NOT NULL,
    by         text NOT NULL DEFAULT '',
    PRIMARY KEY (plan, seq)
);

-- Canonical feature bodies by their sha256; geom is the body's geometry in
-- the plan's grid, as quyhoach measures it (so ST_Area = quyhoach area).
CREATE TABLE body (
    hash    bytea PRIMARY KEY CHECK (length(hash) = 32),
    geojson text NOT NULL,
    props   jsonb NOT NULL DEFAULT '{}',
    geom    geometry(Geometry, 9215)
);
CREATE INDEX body_geom ON body USING gist (geom);

CREATE TABLE version (
    uid             text PRIMARY KEY,
    plan            text NOT NULL REFERENCES plan (uid),
    number          integer NOT NULL CHECK (number > 0),
    parent          text REFERENCES version (uid),
    created         text NOT NULL,
    source          text NOT NULL,
    message         text NOT NULL DEFAULT '',
    dossier         text NOT NULL DEFAULT '', -- the uid of the dossier whose approval made it
    decision_no     text NOT NULL DEFAULT '',
    decision_date   text NOT NULL DEFAULT '',
    ma_thong_tin_qh text NOT NULL DEFAULT '',
    items_hash      bytea NOT NULL,
    seal            bytea NOT NULL,
    pushed_by       text NOT NULL DEFAULT current_user,
    pushed_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plan, number)
);
ALTER TABLE plan ADD FOREIGN KEY (current) REFERENCES version (uid);

-- The version and body an item names are checked once a statement (below),
-- not by foreign keys row by row: a version's 100 000 items come in one COPY,
-- and neither versions nor bodies are ever deleted.
CREATE TABLE version_item (
    version text COLLATE "C" NOT NULL,
    feature text COLLATE "C" NOT NULL,
    layer   text NOT NULL,
    body    bytea NOT NULL,
    seq     integer NOT NULL,
    PRIMARY KEY (version, feature)
);

CREATE TABLE lineage (
    version text NOT NULL REFERENCES version (uid),
    feature text NOT NULL,
    parent  text NOT NULL,
    PRIMARY KEY (version, feature, parent)
);

CREATE SEQUENCE dossier_number_seq;
CREATE TABLE dossier (
    uid            text PRIMARY KEY,
    number         bigint NOT NULL UNIQUE DEFAULT nextval('dossier_number_seq'), -- the office's short number
    rev            bigint NOT NULL DEFAULT 1 CHECK (rev > 0), -- bumped by every change
    owner          text NOT NULL DEFAULT current_user,        -- the login that first pushed it
    plan           text NOT NULL REFERENCES plan (uid),
    kind           text NOT NULL CHECK (kind IN ('local', 'overall')),
    title          text NOT NULL,
    reason         text NOT NULL DEFAULT '',
    code           text NOT NULL DEFAULT '',
    state          text NOT NULL CHECK (state IN ('draft', 'submitted', 'appraising', 'appraised', 'approved', 'published', 'withdrawn')),
    created        text NOT NULL,
    due            text NOT NULL DEFAULT '',
    base_number    integer NOT NULL,
    base_seal      bytea NOT NULL,
    open_base_seal bytea NOT NULL,
    author         text NOT NULL DEFAULT '',
    head           bytea NOT NULL,
    changed_by     text NOT NULL DEFAULT current_user,
    changed_at     timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE dossier_number_seq OWNED BY dossier.number;
CREATE INDEX dossier_plan ON dossier (plan, state);

CREATE TABLE dossier_change (
    -- deferred: a dossier that arrives approved gets its change set before its record
    dossier text NOT NULL REFERENCES dossier (uid) DEFERRABLE INITIALLY DEFERRED,
    feature text NOT NULL,
    layer   text NOT NULL,
    op      text NOT NULL CHECK (op IN ('add', 'modify', 'delete')),
    body    bytea REFERENCES body (hash) CHECK ((op = 'delete') = (body IS NULL)),
    parents text NOT NULL DEFAULT '[]',
    PRIMARY KEY (dossier, feature)
);

CREATE TABLE transition (
    id           bigserial PRIMARY KEY,
    dossier      text NOT NULL REFERENCES dossier (uid),
    from_state   text NOT NULL,
    to_state     text NOT NULL,
    at           text NOT NULL,
    by           text NOT NULL DEFAULT '',
    doc_no       text NOT NULL DEFAULT '',
    doc_date     text NOT NULL DEFAULT '',
    note         text NOT NULL DEFAULT '',
    due          text NOT NULL DEFAULT '',
    agency       text NOT NULL DEFAULT '',
    signer       text NOT NULL DEFAULT '',
    changes      bytea NOT NULL,
    version_seal bytea NOT NULL,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL,
    pushed_by    text NOT NULL DEFAULT current_user
);
CREATE INDEX transition_dossier ON transition (dossier, id);

CREATE TABLE attachment (
    id      bigserial PRIMARY KEY,
    dossier text NOT NULL REFERENCES dossier (uid),
    kind    text NOT NULL,
    name    text NOT NULL,
    size    bigint NOT NULL CHECK (size >= 0),
    sha256  bytea NOT NULL CHECK (length(sha256) = 32),
    data    bytea NOT NULL,
    added   text NOT NULL
);
CREATE INDEX attachment_dossier ON attachment (dossier, id);

CREATE TABLE dossier_link (
    dossier text NOT NULL REFERENCES dossier (uid),
    seq     integer NOT NULL CHECK (seq > 0),
    kind    text NOT NULL CHECK (kind IN ('open', 'step', 'attach')),
    ref     bigint, -- the transition (step) or attachment (attach) id here
    content bytea NOT NULL,
    prev    bytea NOT NULL,
    hash    bytea NOT NULL,
    PRIMARY KEY (dossier, seq)
);

-- History never changes: neither a bug nor a role can rewrite it.
CREATE FUNCTION office_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER body_fixed BEFORE UPDATE OR DELETE ON body FOR EACH ROW EXECUTE FUNCTION office_refuse('feature bodies are immutable');
CREATE TRIGGER version_fixed BEFORE UPDATE OR DELETE ON version FOR EACH ROW EXECUTE FUNCTION office_refuse('versions are immutable');
CREATE TRIGGER version_item_fixed BEFORE UPDATE OR DELETE ON version_item FOR EACH ROW EXECUTE FUNCTION office_refuse('versions are immutable');
CREATE TRIGGER lineage_fixed BEFORE UPDATE OR DELETE ON lineage FOR EACH ROW EXECUTE FUNCTION office_refuse('versions are immutable');
CREATE TRIGGER transition_fixed BEFORE UPDATE OR DELETE ON transition FOR EACH ROW EXECUTE FUNCTION office_refuse('approval history is append-only');
CREATE TRIGGER dossier_link_fixed BEFORE UPDATE OR DELETE ON dossier_link FOR EACH ROW EXECUTE FUNCTION office_refuse('approval history is append-only');
CREATE TRIGGER attachment_fixed BEFORE UPDATE OR DELETE ON attachment FOR EACH ROW EXECUTE FUNCTION office_refuse('attachments are immutable');
CREATE TRIGGER agencies_fixed BEFORE UPDATE OR DELETE ON agencies FOR EACH ROW EXECUTE FUNCTION office_refuse('agency history is append-only');
CREATE TRIGGER change_log_fixed BEFORE UPDATE OR DELETE ON change_log FOR EACH ROW EXECUTE FUNCTION office_refuse('the change log is append-only');
CREATE TRIGGER layer_fixed BEFORE UPDATE OR DELETE ON layer FOR EACH ROW EXECUTE FUNCTION office_refuse('a plan''s layers are fixed');
CREATE TRIGGER dossier_no_delete BEFORE DELETE ON dossier FOR EACH ROW EXECUTE FUNCTION office_refuse('dossiers are never deleted');
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON body FOR EACH STATEMENT EXECUTE FUNCTION office_refuse('feature bodies are immutable');

-- items only go into a version that is not yet any plan's current one
-- (checked once a statement: a version's 100 000 items come in one COPY)
CREATE FUNCTION office_items_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing boolean;
BEGIN
    IF EXISTS (SELECT 1 FROM plan p WHERE p.current IN (SELECT DISTINCT n.version FROM added n)) THEN
        RAISE EXCEPTION 'versions are immutable' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT n.version FROM added n) n WHERE NOT EXISTS (SELECT 1 FROM version v WHERE v.uid = n.version)) THEN
        RAISE EXCEPTION 'an item names a version the office does not hold' USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF TG_TABLE_NAME = 'version_item' THEN
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM added n WHERE NOT EXISTS (SELECT 1 FROM body b WHERE b.hash = n.body))' INTO missing;
        IF missing THEN
            RAISE EXCEPTION 'an item names a body the office does not hold' USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER version_item_open AFTER INSERT ON version_item REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION office_items_open();
CREATE TRIGGER lineage_open AFTER INSERT ON lineage REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION office_items_open();

-- a plan's record is sealed; its current version only moves to a child of
-- the one before
CREATE FUNCTION office_plan_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.uid, NEW.code, NEW.name, NEW.level, NEW.scale, NEW.crs, NEW.area, NEW.note, NEW.created)
       IS DISTINCT FROM (OLD.uid, OLD.code, OLD.name, OLD.level, OLD.scale, OLD.crs, OLD.area, OLD.note, OLD.created) THEN
        RAISE EXCEPTION 'a plan''s record is sealed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.current IS DISTINCT FROM OLD.current AND NOT EXISTS (
        SELECT 1 FROM version WHERE uid = NEW.current AND plan = NEW.uid AND parent IS NOT DISTINCT FROM OLD.current) THEN
        RAISE EXCEPTION 'the current version of plan % only moves to a child of version %', NEW.code, OLD.current
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER plan_update BEFORE UPDATE ON plan FOR EACH ROW EXECUTE FUNCTION office_plan_update();
CREATE TRIGGER plan_no_delete BEFORE DELETE ON plan FOR EACH ROW EXECUTE FUNCTION office_refuse('plans are never deleted');

-- a dossier's sealed record never changes; approved, published and
-- withdrawn dossiers never change again (but approved → published)
CREATE FUNCTION office_dossier_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.uid, NEW.number, NEW.owner, NEW.plan, NEW.kind, NEW.title, NEW.reason, NEW.code, NEW.created, NEW.open_base_seal, NEW.author)
       IS DISTINCT FROM (OLD.uid, OLD.number, OLD.owner, OLD.plan, OLD.kind, OLD.title, OLD.reason, OLD.code, OLD.created, OLD.open_base_seal, OLD.author) THEN
        RAISE EXCEPTION 'dossier %: its record is sealed', OLD.number USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state IN ('approved', 'published', 'withdrawn') AND NOT (OLD.state = 'approved' AND NEW.state = 'published') THEN
        RAISE EXCEPTION 'dossier %: an approved, published or withdrawn dossier cannot change', OLD.number
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.rev <= OLD.rev THEN
        RAISE EXCEPTION 'dossier %: its revision only grows', OLD.number USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER dossier_update BEFORE UPDATE ON dossier FOR EACH ROW EXECUTE FUNCTION office_dossier_update();

CREATE FUNCTION office_change_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT state FROM dossier WHERE uid = coalesce(NEW.dossier, OLD.dossier)) NOT IN ('draft', 'submitted', 'appraising', 'appraised') THEN
        RAISE EXCEPTION 'the change set of an approved dossier cannot change' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN coalesce(NEW, OLD);
END $$;
CREATE TRIGGER dossier_change_open BEFORE INSERT OR UPDATE OR DELETE ON dossier_change FOR EACH ROW EXECUTE FUNCTION office_change_open();

-- Publishing: one view per plan and layer over the plan's current version,
-- made when the layer is (so views follow the current version by
-- themselves), owned by the office's owner.
CREATE SCHEMA published;
CREATE FUNCTION office_num(p jsonb, k text) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(p -> k) = 'number' THEN (p ->> k)::double precision END
$$;
CREATE FUNCTION office_publish() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    pcode text;
    vname text;
BEGIN
    SELECT p.code INTO pcode FROM plan p WHERE p.uid = NEW.plan;
    vname := left(trim(BOTH '_' FROM regexp_replace(lower(pcode || '_' || NEW.name), '[^a-z0-9]+', '_', 'g')), 55);
    IF EXISTS (SELECT 1 FROM layer l WHERE l.view = vname) THEN
        vname := left(vname, 46) || '_' || substr(md5(NEW.plan || NEW.name), 1, 8);
    END IF;
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
        WHERE p.uid = %L AND i.layer = %L$v$, vname, NEW.plan, NEW.name);
    EXECUTE format('GRANT SELECT ON published.%I TO PUBLIC', vname);
    NEW.view := vname;
    RETURN NEW;
END $$;
CREATE TRIGGER layer_publish BEFORE INSERT ON layer FOR EACH ROW EXECUTE FUNCTION office_publish();
GRANT USAGE ON SCHEMA published TO PUBLIC;
