-- Recruiting, part one: the organization's skills and its job requisitions
-- (seed entities Skill, JobRequisition, JobDescription).

CREATE TABLE skills (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(trim(name)) > 0),
    -- Other names people use for the skill ("JS" for JavaScript), for search and import.
    aliases     text[] NOT NULL DEFAULT '{}',
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX skills_org_name_key ON skills (org_id, lower(name));

CREATE TABLE job_requisitions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id             uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    title              text NOT NULL CHECK (length(trim(title)) > 0),
    department         text NOT NULL DEFAULT '',
    location           text NOT NULL DEFAULT '',
    employment_type    text NOT NULL CHECK (employment_type IN ('full_time', 'part_time', 'contract', 'temporary', 'internship')),
    openings           integer NOT NULL CHECK (openings BETWEEN 1 AND 10000),
    salary_min         integer CHECK (salary_min >= 0),
    salary_max         integer CHECK (salary_max >= 0),
    salary_currency    text CHECK (salary_currency ~ '^[A-Z]{3}$'),
    hiring_manager_id  uuid REFERENCES users (id) ON DELETE SET NULL,
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'on_hold', 'filled', 'cancelled')),
    -- The job description (seed JobDescription), Markdown.
    description_md     text NOT NULL DEFAULT '',
    created_by         uuid REFERENCES users (id) ON DELETE SET NULL,
    is_active          boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max)
);
-- The list's keyset order, per status filter.
CREATE INDEX job_requisitions_org_idx ON job_requisitions (org_id, created_at DESC, id DESC);
CREATE INDEX job_requisitions_org_status_idx ON job_requisitions (org_id, status, created_at DESC, id DESC);
CREATE INDEX job_requisitions_manager_idx ON job_requisitions (hiring_manager_id);

CREATE TABLE requisition_skills (
    requisition_id  uuid NOT NULL REFERENCES job_requisitions (id) ON DELETE CASCADE,
    skill_id        uuid NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    required        boolean NOT NULL,
    PRIMARY KEY (requisition_id, skill_id)
);
CREATE INDEX requisition_skills_skill_idx ON requisition_skills (skill_id);

-- The recruiters and interviewers working on a requisition.
CREATE TABLE requisition_team (
    requisition_id  uuid NOT NULL REFERENCES job_requisitions (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (requisition_id, user_id)
);
CREATE INDEX requisition_team_user_idx ON requisition_team (user_id);
