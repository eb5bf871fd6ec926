-- Candidate CSV imports: the uploaded file, the column mapping chosen on the preview,
-- the duplicate policy, and the progress and outcome of the background import.

CREATE TABLE candidate_imports (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_by      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename        text NOT NULL,
    -- The uploaded file; emptied once the import is done or failed.
    content         text NOT NULL,
    header          text[] NOT NULL,
    -- ARE field -> column index, e.g. {"full_name": 0, "email": 2}.
    mapping         jsonb NOT NULL DEFAULT '{}',
    duplicates      text NOT NULL DEFAULT 'skip' CHECK (duplicates IN ('skip', 'merge')),
    status          text NOT NULL DEFAULT 'uploaded'
                    CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed')),
    -- Lines the person chose to leave out ("import the other rows").
    skip_lines      integer[] NOT NULL DEFAULT '{}',
    total_rows      integer NOT NULL DEFAULT 0,
    processed_rows  integer NOT NULL DEFAULT 0,
    created_count   integer NOT NULL DEFAULT 0,
    merged_count    integer NOT NULL DEFAULT 0,
    skipped_count   integer NOT NULL DEFAULT 0,
    -- The last check's bad rows: [{"line": 12, "message": "…"}].
    errors          jsonb NOT NULL DEFAULT '[]',
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX candidate_imports_org_idx ON candidate_imports (org_id, created_at DESC);
