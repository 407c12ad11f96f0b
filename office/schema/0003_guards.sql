-- The office checks what it is sent in Go (push.go), but every login may
-- also write the tables it is granted with plain SQL. These guards make
-- the database itself hold what matters to everyone who reads from it —
-- the published views, every replica's pull — whoever writes and however:
--
-- 1. a body is what its hash says: its text hashes to it, its properties
--    are the text's, its geometry is the text's projected to EPSG:9215
--    (within 5 cm of PostGIS's own transformation of it);
-- 2. the change log is written only through office_log, under the office's
--    write lock, for a plan, version or dossier that exists, by the login
--    at the other end: a forged entry cannot skip or stall a pull;
-- 3. a dossier's chain links follow one another (each one's prev is the
--    link before it, its hash the hash of prev, kind and content);
-- 4. a dossier's state is where its last step left it, and its change set
--    changes only while it is a draft or with a step of the same
--    transaction (checked at commit).

CREATE FUNCTION office_body_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    doc jsonb := NEW.geojson::jsonb;
    shape geometry;
BEGIN
    IF NEW.hash <> sha256(convert_to(NEW.geojson, 'UTF8')) THEN
        RAISE EXCEPTION 'body %: its text does not hash to it', encode(substr(NEW.hash, 1, 8), 'hex')
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.props := CASE WHEN jsonb_typeof(doc -> 'properties') = 'object' THEN doc -> 'properties' ELSE '{}'::jsonb END;
    IF jsonb_typeof(doc -> 'geometry') = 'object' THEN
        shape := ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(doc ->> 'geometry'), 4326), 9215);
        IF NEW.geom IS NULL OR ST_HausdorffDistance(NEW.geom, shape) > 0.05 THEN
            RAISE EXCEPTION 'body %: its geometry is not its text''s', encode(substr(NEW.hash, 1, 8), 'hex')
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.geom IS NOT NULL THEN
        RAISE EXCEPTION 'body %: a geometry its text does not have', encode(substr(NEW.hash, 1, 8), 'hex')
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER body_guard BEFORE INSERT ON body FOR EACH ROW EXECUTE FUNCTION office_body_guard();

-- 2. the change log
REVOKE INSERT ON change_log FROM quyhoach_officer, quyhoach_reviewer, quyhoach_approver, quyhoach_admin;
CREATE FUNCTION office_log(what text, id text) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    r bigint := 0;
    n bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(487368191841); -- office.go's lockKey
    CASE what
    WHEN 'dossier' THEN SELECT rev INTO r FROM dossier WHERE uid = id;
    WHEN 'version' THEN PERFORM 1 FROM version WHERE uid = id;
    WHEN 'plan' THEN PERFORM 1 FROM plan WHERE uid = id;
    ELSE RAISE EXCEPTION 'the change log holds plans, versions and dossiers, not %', what USING ERRCODE = 'check_violation';
    END CASE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no % %: nothing to log', what, id USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO change_log (seq, kind, uid, rev, who) VALUES (nextval('change_seq'), what, id, coalesce(r, 0), session_user)
        RETURNING seq INTO n;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION office_log(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION office_log(text, text) TO quyhoach_officer, quyhoach_reviewer, quyhoach_approver, quyhoach_admin;

-- 3. the chain's links
CREATE FUNCTION office_link_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before bytea;
BEGIN
    IF NEW.seq = 1 THEN
        before := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    ELSE
        SELECT hash INTO before FROM dossier_link WHERE dossier = NEW.dossier AND seq = NEW.seq - 1;
    END IF;
    IF before IS NULL OR NEW.prev <> before
       OR NEW.hash <> sha256(NEW.prev || convert_to(NEW.kind, 'UTF8') || '\x00'::bytea || NEW.content) THEN
        RAISE EXCEPTION 'dossier %: link % does not follow its chain', NEW.dossier, NEW.seq USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER dossier_link_guard BEFORE INSERT ON dossier_link FOR EACH ROW EXECUTE FUNCTION office_link_guard();

-- 4. a dossier's state and change set follow its chain (at commit: a push
-- writes the change set and the state before the links that seal them)
CREATE FUNCTION office_state_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d text;
    st text;
    last_to text;
    stepped boolean;
BEGIN
    IF TG_TABLE_NAME = 'dossier' THEN
        d := NEW.uid;
    ELSIF TG_OP = 'DELETE' THEN
        d := OLD.dossier;
    ELSE
        d := NEW.dossier;
    END IF;
    SELECT state INTO st FROM dossier WHERE uid = d;
    IF st IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT t.to_state INTO last_to FROM dossier_link l JOIN transition t ON t.id = l.ref
        WHERE l.dossier = d AND l.kind = 'step' ORDER BY l.seq DESC LIMIT 1;
    IF st <> coalesce(last_to, 'draft') THEN
        RAISE EXCEPTION 'dossier %: its state % is not where its last step left it (%)', d, st, coalesce(last_to, 'draft')
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_TABLE_NAME = 'dossier_change' AND st <> 'draft' THEN
        -- a change set changes outside a draft only with a step sealing it
        SELECT EXISTS (SELECT 1 FROM dossier_link l WHERE l.dossier = d AND l.kind = 'step'
            AND l.xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text) INTO stepped;
        IF NOT stepped THEN
            RAISE EXCEPTION 'dossier %: its change set changed with no step (it is %)', d, st USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER dossier_state_guard AFTER INSERT OR UPDATE OF state ON dossier
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION office_state_guard();
CREATE CONSTRAINT TRIGGER dossier_change_guard AFTER INSERT OR UPDATE OR DELETE ON dossier_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION office_state_guard();
