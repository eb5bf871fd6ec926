-- Recruiting, part three: the pipeline. A candidate's application to a requisition
-- (one per pair) sits in one of the organization's stages; every move is recorded.

CREATE TABLE pipeline_stages (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(trim(name)) > 0),
    position    integer NOT NULL,
    -- Active stages are the columns of the board; the others are outcomes.
    kind        text NOT NULL CHECK (kind IN ('active', 'hired', 'rejected', 'withdrawn')),
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX pipeline_stages_org_name_key ON pipeline_stages (org_id, lower(name));
CREATE INDEX pipeline_stages_org_position_idx ON pipeline_stages (org_id, position);

CREATE TABLE rejection_reasons (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    label       text NOT NULL CHECK (length(trim(label)) > 0),
    position    integer NOT NULL,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX rejection_reasons_org_label_key ON rejection_reasons (org_id, lower(label));

CREATE TABLE applications (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id               uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    candidate_id         uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    requisition_id       uuid NOT NULL REFERENCES job_requisitions (id) ON DELETE CASCADE,
    stage_id             uuid NOT NULL REFERENCES pipeline_stages (id),
    rejection_reason_id  uuid REFERENCES rejection_reasons (id),
    stage_entered_at     timestamptz NOT NULL DEFAULT now(),
    created_by           uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (candidate_id, requisition_id)
);
CREATE INDEX applications_board_idx ON applications (requisition_id, stage_id, stage_entered_at);
CREATE INDEX applications_candidate_idx ON applications (candidate_id);

CREATE TABLE application_stage_changes (
    id                   bigserial PRIMARY KEY,
    org_id               uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    application_id       uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    from_stage_id        uuid REFERENCES pipeline_stages (id),
    to_stage_id          uuid NOT NULL REFERENCES pipeline_stages (id),
    rejection_reason_id  uuid REFERENCES rejection_reasons (id),
    moved_by             uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_stage_changes_application_idx ON application_stage_changes (application_id, id);

-- An organization's default stages and rejection reasons; new organizations get them
-- from the app through this same function.
CREATE FUNCTION are_seed_org_defaults(org uuid) RETURNS void LANGUAGE sql AS $$
    INSERT INTO pipeline_stages (org_id, name, position, kind)
    SELECT org, s.name, s.position, s.kind FROM (VALUES
        ('Applied', 1, 'active'), ('Screening', 2, 'active'), ('Assessment', 3, 'active'),
        ('Interview', 4, 'active'), ('Offer', 5, 'active'), ('Hired', 6, 'hired'),
        ('Rejected', 7, 'rejected'), ('Withdrawn', 8, 'withdrawn')) AS s(name, position, kind);
    INSERT INTO rejection_reasons (org_id, label, position)
    SELECT org, r.label, r.position FROM (VALUES
        ('Skills do not match the role', 1), ('Not enough experience', 2),
        ('Salary expectations too far apart', 3), ('Did not pass the assessment', 4),
        ('Another candidate was chosen', 5), ('Stopped responding', 6), ('Other', 7)) AS r(label, position);
$$;

SELECT are_seed_org_defaults(id) FROM organizations;
