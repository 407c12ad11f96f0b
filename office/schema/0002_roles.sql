-- Who may do what. Four group roles (cluster-wide, shared by the offices of
-- one server); each login is a member of one (office user add). Everyone
-- reads everything; writes are granted per table, and row-level security
-- says which rows and which steps: officers their own dossiers and the
-- submit and withdraw steps, reviewers the appraisal steps, approvers the
-- approval and publication and the versions they make, admins everything
-- but history, which the triggers of 0001 keep from everyone.

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['quyhoach_officer', 'quyhoach_reviewer', 'quyhoach_approver', 'quyhoach_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;

-- the office role of the login at the other end ('' for none): the highest
-- group it is a member of
CREATE FUNCTION office_role() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN pg_has_role(current_user, 'quyhoach_admin', 'MEMBER') THEN 'admin'
        WHEN pg_has_role(current_user, 'quyhoach_approver', 'MEMBER') THEN 'approver'
        WHEN pg_has_role(current_user, 'quyhoach_reviewer', 'MEMBER') THEN 'reviewer'
        WHEN pg_has_role(current_user, 'quyhoach_officer', 'MEMBER') THEN 'officer'
        ELSE '' END
$$;

-- the states each role may leave a dossier in, and record a step into
CREATE FUNCTION office_may_step(to_state text, own boolean) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT CASE office_role()
        WHEN 'admin' THEN true
        WHEN 'approver' THEN to_state IN ('approved', 'published')
        WHEN 'reviewer' THEN to_state IN ('appraising', 'appraised', 'draft')
        WHEN 'officer' THEN own AND to_state IN ('draft', 'submitted', 'withdrawn')
        ELSE false END
$$;

CREATE FUNCTION office_owns(d text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM dossier WHERE uid = d AND owner = current_user)
$$;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO quyhoach_officer, quyhoach_reviewer, quyhoach_approver, quyhoach_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO quyhoach_officer, quyhoach_reviewer, quyhoach_approver, quyhoach_admin;
GRANT INSERT ON body, change_log, dossier, dossier_change, transition, attachment, dossier_link
    TO quyhoach_officer, quyhoach_reviewer, quyhoach_approver, quyhoach_admin;
GRANT UPDATE, DELETE ON dossier_change TO quyhoach_officer, quyhoach_reviewer, quyhoach_approver, quyhoach_admin;
GRANT UPDATE (rev, state, due, base_number, base_seal, head, changed_by, changed_at) ON dossier
    TO quyhoach_officer, quyhoach_reviewer, quyhoach_approver, quyhoach_admin;
-- versions are made by approval (approvers) or by import at the office (admins)
GRANT INSERT ON version, version_item, lineage TO quyhoach_approver, quyhoach_admin;
GRANT UPDATE (current) ON plan TO quyhoach_approver, quyhoach_admin;
GRANT INSERT ON plan, layer, agencies, office_info TO quyhoach_admin;

ALTER TABLE dossier ENABLE ROW LEVEL SECURITY;
ALTER TABLE dossier_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE transition ENABLE ROW LEVEL SECURITY;
ALTER TABLE attachment ENABLE ROW LEVEL SECURITY;
ALTER TABLE dossier_link ENABLE ROW LEVEL SECURITY;

CREATE POLICY read ON dossier FOR SELECT USING (true);
-- officers open dossiers: a new one is its pusher's, and arrives as a draft
-- or a submission (or anything, from an admin)
CREATE POLICY open ON dossier FOR INSERT WITH CHECK (
    owner = current_user AND (office_role() = 'admin' OR (office_role() = 'officer' AND state IN ('draft', 'submitted'))));
-- officers change their own dossiers only, into the states their steps reach
CREATE POLICY change ON dossier FOR UPDATE
    USING (office_role() <> 'officer' OR owner = current_user)
    WITH CHECK (office_role() IN ('admin', 'approver') OR (office_role() = 'reviewer' AND state NOT IN ('approved', 'published'))
                OR (owner = current_user AND state IN ('draft', 'submitted', 'withdrawn')));

CREATE POLICY read ON dossier_change FOR SELECT USING (true);
CREATE POLICY write ON dossier_change FOR ALL
    USING (office_role() <> 'officer' OR office_owns(dossier))
    WITH CHECK (office_role() <> 'officer' OR office_owns(dossier));

CREATE POLICY read ON transition FOR SELECT USING (true);
-- a step by the role whose step it is (a rebase keeps the state: whoever may act on the dossier)
CREATE POLICY record ON transition FOR INSERT WITH CHECK (
    CASE WHEN from_state = to_state THEN office_role() <> 'officer' OR office_owns(dossier)
         ELSE office_may_step(to_state, office_owns(dossier)) END);

CREATE POLICY read ON attachment FOR SELECT USING (true);
CREATE POLICY attach ON attachment FOR INSERT WITH CHECK (office_role() <> 'officer' OR office_owns(dossier));

CREATE POLICY read ON dossier_link FOR SELECT USING (true);
CREATE POLICY link ON dossier_link FOR INSERT WITH CHECK (office_role() <> 'officer' OR office_owns(dossier));
