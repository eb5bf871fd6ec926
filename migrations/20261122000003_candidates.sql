-- Recruiting, part two: candidates (seed entity Candidate).

CREATE TABLE candidates (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    full_name   text NOT NULL CHECK (length(trim(full_name)) > 0),
    email       text NOT NULL,
    phone       text NOT NULL DEFAULT '',
    location    text NOT NULL DEFAULT '',
    headline    text NOT NULL DEFAULT '',
    source      text NOT NULL CHECK (source IN ('applied', 'referral', 'job_board', 'sourced', 'other')),
    tags        text[] NOT NULL DEFAULT '{}',
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- One record per person and organization (seed: candidates.email).
CREATE UNIQUE INDEX candidates_org_email_key ON candidates (org_id, lower(email)) WHERE is_active;
-- The list's keyset orders: newest first, and by name.
CREATE INDEX candidates_org_created_idx ON candidates (org_id, created_at DESC, id DESC) WHERE is_active;
CREATE INDEX candidates_org_name_idx ON candidates (org_id, lower(full_name), id) WHERE is_active;
CREATE INDEX candidates_tags_idx ON candidates USING gin (tags);

CREATE TABLE candidate_skills (
    candidate_id  uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    skill_id      uuid NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (candidate_id, skill_id)
);
CREATE INDEX candidate_skills_skill_idx ON candidate_skills (skill_id);
