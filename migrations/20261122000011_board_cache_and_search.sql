-- The pipeline board's cards are kept rendered in memory (pipeline::cache), under the
-- requisition's `board_version`. Triggers bump it on every change to what the cards and
-- the board's lists show, whichever code or process makes the change: the requisition's
-- applications (stage, reason, time entered, added, removed), their candidates' names
-- and whether they are active, the latest test result of each application, the
-- organization's stages and rejection reasons, and the requisition's assessments.
-- The requisition's own fields (title, status, openings) are read on every view.

ALTER TABLE job_requisitions ADD COLUMN board_version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION are_bump_boards(requisitions uuid[]) RETURNS void LANGUAGE sql AS $$
    UPDATE job_requisitions SET board_version = board_version + 1
    WHERE id = ANY (requisitions);
$$;

CREATE FUNCTION are_bump_org_boards(orgs uuid[]) RETURNS void LANGUAGE sql AS $$
    UPDATE job_requisitions SET board_version = board_version + 1
    WHERE org_id = ANY (orgs);
$$;

-- Applications: the requisitions of the rows inserted, updated or deleted.
CREATE FUNCTION are_applications_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM are_bump_boards(ARRAY(SELECT DISTINCT requisition_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM are_bump_boards(ARRAY(SELECT requisition_id FROM new_rows
                                      UNION SELECT requisition_id FROM old_rows));
    ELSE
        PERFORM are_bump_boards(ARRAY(SELECT DISTINCT requisition_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER applications_board_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_applications_changed();
CREATE TRIGGER applications_board_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_applications_changed();
CREATE TRIGGER applications_board_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_applications_changed();

-- Candidates: a new name or (in)activity shows on every board they are on. Deleting a
-- candidate deletes their applications, which bumps through the trigger above.
CREATE FUNCTION are_candidates_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM are_bump_boards(ARRAY(
        SELECT DISTINCT a.requisition_id
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN applications a ON a.candidate_id = n.id
        WHERE n.full_name IS DISTINCT FROM o.full_name OR n.is_active IS DISTINCT FROM o.is_active));
    RETURN NULL;
END $$;
CREATE TRIGGER candidates_board_update AFTER UPDATE ON candidates
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_candidates_changed();

-- Stages and rejection reasons: every board of the organization.
CREATE FUNCTION are_org_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM are_bump_org_boards(ARRAY(SELECT DISTINCT org_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM are_bump_org_boards(ARRAY(SELECT org_id FROM new_rows
                                          UNION SELECT org_id FROM old_rows));
    ELSE
        PERFORM are_bump_org_boards(ARRAY(SELECT DISTINCT org_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER pipeline_stages_board_insert AFTER INSERT ON pipeline_stages
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_org_config_changed();
CREATE TRIGGER pipeline_stages_board_update AFTER UPDATE ON pipeline_stages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_org_config_changed();
CREATE TRIGGER pipeline_stages_board_delete AFTER DELETE ON pipeline_stages
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_org_config_changed();
CREATE TRIGGER rejection_reasons_board_insert AFTER INSERT ON rejection_reasons
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_org_config_changed();
CREATE TRIGGER rejection_reasons_board_update AFTER UPDATE ON rejection_reasons
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_org_config_changed();
CREATE TRIGGER rejection_reasons_board_delete AFTER DELETE ON rejection_reasons
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_org_config_changed();

-- Assessments: the board offers the requisition's published ones for inviting.
CREATE FUNCTION are_assessments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM are_bump_boards(ARRAY(SELECT DISTINCT requisition_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM are_bump_boards(ARRAY(SELECT requisition_id FROM new_rows
                                      UNION SELECT requisition_id FROM old_rows));
    ELSE
        PERFORM are_bump_boards(ARRAY(SELECT DISTINCT requisition_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER assessments_board_insert AFTER INSERT ON assessments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_assessments_changed();
CREATE TRIGGER assessments_board_update AFTER UPDATE ON assessments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_assessments_changed();
CREATE TRIGGER assessments_board_delete AFTER DELETE ON assessments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_assessments_changed();

-- Test results: a card shows its application's latest session (status and score).
-- Links between an invite and its application, and sessions started, finished, scored
-- or removed, bump the application's requisition.
CREATE FUNCTION are_invites_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM new_rows n JOIN applications a ON a.id = n.application_id));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM are_bump_boards(ARRAY(
            SELECT a.requisition_id FROM new_rows n JOIN applications a ON a.id = n.application_id
            UNION
            SELECT a.requisition_id FROM old_rows o JOIN applications a ON a.id = o.application_id));
    ELSE
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM old_rows o JOIN applications a ON a.id = o.application_id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER assessment_applications_board_insert AFTER INSERT ON assessment_applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_invites_changed();
CREATE TRIGGER assessment_applications_board_update AFTER UPDATE ON assessment_applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_invites_changed();
CREATE TRIGGER assessment_applications_board_delete AFTER DELETE ON assessment_applications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_invites_changed();

CREATE FUNCTION are_test_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM new_rows s
            JOIN assessment_applications aa ON aa.id = s.assessment_application_id
            JOIN applications a ON a.id = aa.application_id));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM new_rows s JOIN old_rows o ON o.id = s.id
            JOIN assessment_applications aa ON aa.id = s.assessment_application_id
            JOIN applications a ON a.id = aa.application_id
            WHERE (s.status, s.score, s.max_score, s.passed, s.started_at, s.assessment_application_id)
                  IS DISTINCT FROM
                  (o.status, o.score, o.max_score, o.passed, o.started_at, o.assessment_application_id)));
    ELSE
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM old_rows s
            JOIN assessment_applications aa ON aa.id = s.assessment_application_id
            JOIN applications a ON a.id = aa.application_id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER test_sessions_board_insert AFTER INSERT ON test_sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_test_sessions_changed();
CREATE TRIGGER test_sessions_board_update AFTER UPDATE ON test_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_test_sessions_changed();
CREATE TRIGGER test_sessions_board_delete AFTER DELETE ON test_sessions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_test_sessions_changed();

-- Candidate search (`candidates::data::list`) matches one lowercase text of name and
-- email with LIKE: the same matches as `full_name ILIKE p OR email ILIKE p`, for a
-- fraction of the work per row (ILIKE lowercases both sides on every comparison). The
-- newline between the two never occurs in a search, so no match spans them.
ALTER TABLE candidates ADD COLUMN search_text text NOT NULL
    GENERATED ALWAYS AS (lower(full_name) || E'\n' || lower(email)) STORED;
DROP INDEX candidates_name_trgm_idx;
DROP INDEX candidates_email_trgm_idx;
CREATE INDEX candidates_search_trgm_idx ON candidates USING gin (search_text gin_trgm_ops) WHERE is_active;
-- The newest-first order with what a search tests in the index itself, so a search for
-- a common fragment reads the newest entries until it has a page, without the table.
DROP INDEX candidates_org_created_idx;
CREATE INDEX candidates_org_created_idx ON candidates (org_id, created_at DESC, id DESC)
    INCLUDE (search_text, tags, source) WHERE is_active;
