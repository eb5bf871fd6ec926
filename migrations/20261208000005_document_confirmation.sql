-- Anyone may type a candidate's address on the careers page. A document sent that way to a
-- record that existed before is not taken as the candidate's until a recruiter confirms
-- it: till then it counts for the skill scores of the applications it was sent with only
-- (`document_applications`; the same file sent for two jobs counts for both).
ALTER TABLE documents ADD COLUMN confirmed boolean NOT NULL DEFAULT true;

CREATE TABLE document_applications (
    document_id     uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    application_id  uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, application_id)
);
CREATE INDEX document_applications_application_idx ON document_applications (application_id);

-- The careers form's limit per email address counts an organization's recent submissions
-- from it.
CREATE INDEX career_submissions_email_idx ON career_submissions (org_id, lower(email), created_at);
