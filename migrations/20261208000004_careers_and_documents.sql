-- Candidates apply on the organization's careers page and bring documents (issue 17).

-- A recruiter posts an open requisition on the careers page; the careers page lists
-- only requisitions both posted and open. An application from there may be invited to
-- one of the requisition's assessments at once.
ALTER TABLE job_requisitions
    ADD COLUMN posted boolean NOT NULL DEFAULT false,
    ADD COLUMN posted_at timestamptz,
    ADD COLUMN careers_assessment_id uuid REFERENCES assessments (id) ON DELETE SET NULL;
CREATE INDEX job_requisitions_posted_idx ON job_requisitions (org_id, posted_at DESC)
    WHERE posted AND status = 'open' AND is_active;

-- What applicants consent to: the organization's privacy notice (Markdown) and how long
-- it keeps an application from the careers page after its last activity.
ALTER TABLE organizations
    ADD COLUMN privacy_notice_md text NOT NULL DEFAULT '',
    ADD COLUMN application_retention_months integer NOT NULL DEFAULT 24
        CHECK (application_retention_months BETWEEN 1 AND 120);

ALTER TABLE candidates DROP CONSTRAINT candidates_source_check;
ALTER TABLE candidates ADD CONSTRAINT candidates_source_check
    CHECK (source IN ('applied', 'referral', 'job_board', 'sourced', 'other', 'careers_page'));

-- Where an application came from: a staff member, or the candidate on the careers page.
ALTER TABLE applications
    ADD COLUMN via text NOT NULL DEFAULT 'staff' CHECK (via IN ('staff', 'careers_page'));

-- A candidate's document is a file owned by the candidate: it goes with them on merge
-- and by cascade with them on erasure (the purge trigger then deletes its bytes).
ALTER TABLE files DROP CONSTRAINT files_purpose_check;
ALTER TABLE files DROP CONSTRAINT files_check;
ALTER TABLE files ADD COLUMN candidate_id uuid REFERENCES candidates (id) ON DELETE CASCADE;
ALTER TABLE files ADD CONSTRAINT files_purpose_check
    CHECK (purpose IN ('webcam_snapshot', 'candidate_document'));
ALTER TABLE files ADD CONSTRAINT files_owner_check
    CHECK ((purpose = 'webcam_snapshot') = (test_session_id IS NOT NULL)
       AND (purpose = 'candidate_document') = (candidate_id IS NOT NULL));
CREATE INDEX files_candidate_idx ON files (candidate_id) WHERE candidate_id IS NOT NULL;

-- Seed UploadedDocument: what a candidate's document is. Deleting one (soft) removes its
-- file and bytes and keeps this row, so its extraction log and skill matches still name
-- what they came from (seed rule: audit trails outlive their source).
CREATE TABLE documents (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    candidate_id  uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    file_id       uuid REFERENCES files (id) ON DELETE SET NULL,
    kind          text NOT NULL CHECK (kind IN ('resume', 'cover_letter', 'other')),
    filename      text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
    sha256        bytea NOT NULL CHECK (length(sha256) = 32),
    via           text NOT NULL CHECK (via IN ('staff', 'careers_page')),
    uploaded_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    text_status   text NOT NULL DEFAULT 'pending'
                  CHECK (text_status IN ('pending', 'extracted', 'no_text', 'failed')),
    text          text,
    -- The fields parsed from the text, each with the span it rests on (`documents::fields`).
    parsed        jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    deleted_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((deleted_at IS NULL) OR (file_id IS NULL))
);
-- The same bytes twice are one document of the candidate.
CREATE UNIQUE INDEX documents_candidate_sha_key ON documents (candidate_id, sha256) WHERE deleted_at IS NULL;
CREATE INDEX documents_candidate_idx ON documents (candidate_id, created_at DESC);

-- Seed ExtractionLog: one row per attempt at a document's text.
CREATE TABLE extraction_logs (
    id            bigserial PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    candidate_id  uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    document_id   uuid REFERENCES documents (id) ON DELETE SET NULL,
    attempt       integer NOT NULL CHECK (attempt > 0),
    method        text NOT NULL CHECK (method IN ('pdf_text', 'ocr', 'docx', 'plain_text')),
    status        text NOT NULL CHECK (status IN ('succeeded', 'no_text', 'failed', 'timed_out')),
    pages         integer,
    characters    integer NOT NULL DEFAULT 0,
    duration_ms   integer NOT NULL,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX extraction_logs_document_idx ON extraction_logs (document_id, id);
CREATE INDEX extraction_logs_candidate_idx ON extraction_logs (candidate_id);

-- Seed SkillMatch: a skill of the organization's list found in a document's text, with
-- the span and sentence it was found in.
CREATE TABLE skill_matches (
    id               bigserial PRIMARY KEY,
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    candidate_id     uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    document_id      uuid REFERENCES documents (id) ON DELETE SET NULL,
    skill_id         uuid NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    term             text NOT NULL,
    occurrences      integer NOT NULL CHECK (occurrences > 0),
    match_offset     integer NOT NULL,
    match_len        integer NOT NULL,
    sentence         text NOT NULL,
    sentence_offset  integer NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX skill_matches_document_skill_key ON skill_matches (document_id, skill_id);
CREATE INDEX skill_matches_candidate_idx ON skill_matches (candidate_id, skill_id);

-- How an application's candidate fits its requisition's skills, as last computed from
-- the candidate's live documents (`skills::matching::score`).
CREATE TABLE application_skill_scores (
    application_id  uuid PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    percent         smallint NOT NULL CHECK (percent BETWEEN 0 AND 100),
    required_found  integer NOT NULL,
    required_total  integer NOT NULL,
    nice_found      integer NOT NULL,
    nice_total      integer NOT NULL,
    detail          jsonb NOT NULL,
    computed_at     timestamptz NOT NULL DEFAULT now()
);

-- What an applicant sent on the careers page, each time: kept beside the candidate's
-- record (never written over it) for a recruiter to accept.
CREATE TABLE career_submissions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id             uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    candidate_id       uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    application_id     uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id        uuid REFERENCES documents (id) ON DELETE SET NULL,
    full_name          text NOT NULL,
    email              text NOT NULL,
    phone              text NOT NULL DEFAULT '',
    cover_letter       text NOT NULL DEFAULT '',
    links              jsonb NOT NULL DEFAULT '[]',
    consented_at       timestamptz NOT NULL,
    retention_months   integer NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX career_submissions_application_idx ON career_submissions (application_id, created_at DESC);
CREATE INDEX career_submissions_candidate_idx ON career_submissions (candidate_id);

-- Every attempt to apply from a client, refused ones included: the per-address limit
-- counts them (pruned after a day).
CREATE TABLE career_attempts (
    id          bigserial PRIMARY KEY,
    client_ip   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX career_attempts_client_idx ON career_attempts (client_ip, created_at);

-- The board's cards show each application's skill score: a change bumps its board.
CREATE FUNCTION are_skill_scores_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM are_bump_boards(ARRAY(
        SELECT DISTINCT a.requisition_id FROM applications a
        WHERE a.id IN (SELECT application_id FROM changed_rows)));
    RETURN NULL;
END $$;
CREATE TRIGGER application_skill_scores_board_insert AFTER INSERT ON application_skill_scores
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION are_skill_scores_changed();
CREATE TRIGGER application_skill_scores_board_update AFTER UPDATE ON application_skill_scores
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION are_skill_scores_changed();
CREATE TRIGGER application_skill_scores_board_delete AFTER DELETE ON application_skill_scores
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION are_skill_scores_changed();
