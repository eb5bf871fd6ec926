-- Anyone may type a candidate's address on the careers page. A document sent that way to a
-- record that existed before is not taken as the candidate's until a recruiter confirms
-- it: till then it counts for the skill score of the application it came with only
-- (`application_id`), and for none once that application is gone.
ALTER TABLE documents
    ADD COLUMN confirmed boolean NOT NULL DEFAULT true,
    ADD COLUMN application_id uuid REFERENCES applications (id) ON DELETE SET NULL;
CREATE INDEX documents_application_idx ON documents (application_id) WHERE application_id IS NOT NULL;

-- The careers form's limit per email address counts an organization's recent submissions
-- from it.
CREATE INDEX career_submissions_email_idx ON career_submissions (org_id, lower(email), created_at);
