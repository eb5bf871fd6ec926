-- Reviewing a session's proctoring record, and the accommodations an invite may carry.

-- Accommodations (an invite's own): extra time on the assessment's limit, and webcam
-- capture waived. The server's deadline includes the extra time.
ALTER TABLE assessment_tokens
    ADD COLUMN extra_time_percent integer NOT NULL DEFAULT 0 CHECK (extra_time_percent IN (0, 25, 50, 100)),
    ADD COLUMN webcam_waived boolean NOT NULL DEFAULT false;

-- Attempts granted beyond the assessment's `attempts_allowed`: a retake a reviewer
-- offered after reviewing a session.
ALTER TABLE assessment_applications
    ADD COLUMN extra_attempts integer NOT NULL DEFAULT 0 CHECK (extra_attempts BETWEEN 0 AND 50);

-- When the candidate last saved an answer (grading and scoring touch `updated_at`): the
-- review's timeline shows the saves. Answers saved before this column have none.
ALTER TABLE answers ADD COLUMN saved_at timestamptz;
ALTER TABLE answers ALTER COLUMN saved_at SET DEFAULT now();

-- One row per finished session: the counts its trust band comes from (fixed once the
-- session ended), the band by the organization's thresholds (computed again when they
-- change), and a reviewer's disposition with its required reason. The "needs review"
-- queue reads it; the pipeline's cards show its band and disposition.
CREATE TABLE proctoring_reviews (
    session_id       uuid PRIMARY KEY REFERENCES test_sessions (id) ON DELETE CASCADE,
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    tally            jsonb NOT NULL,
    band             text NOT NULL CHECK (band IN ('no_concerns', 'some_concerns', 'major_concerns')),
    disposition      text CHECK (disposition IN ('cleared', 'confirmed_violation', 'retake_offered')),
    reason           text,
    decided_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    decided_at       timestamptz,
    -- The invite a retake issued.
    retake_token_id  uuid REFERENCES assessment_tokens (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((disposition IS NULL) = (decided_at IS NULL)),
    CHECK (disposition IS NULL OR length(trim(reason)) > 0)
);
-- The queue: an organization's undecided sessions by band.
CREATE INDEX proctoring_reviews_queue_idx ON proctoring_reviews (org_id, band) WHERE disposition IS NULL;

-- A card shows its session's band and disposition: changes bump the board.
CREATE FUNCTION are_proctoring_reviews_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM old_rows r
            JOIN test_sessions s ON s.id = r.session_id
            JOIN assessment_applications aa ON aa.id = s.assessment_application_id
            JOIN applications a ON a.id = aa.application_id));
    ELSE
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM new_rows r
            JOIN test_sessions s ON s.id = r.session_id
            JOIN assessment_applications aa ON aa.id = s.assessment_application_id
            JOIN applications a ON a.id = aa.application_id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER proctoring_reviews_board_insert AFTER INSERT ON proctoring_reviews
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_proctoring_reviews_changed();
CREATE TRIGGER proctoring_reviews_board_update AFTER UPDATE ON proctoring_reviews
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_proctoring_reviews_changed();
CREATE TRIGGER proctoring_reviews_board_delete AFTER DELETE ON proctoring_reviews
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_proctoring_reviews_changed();
