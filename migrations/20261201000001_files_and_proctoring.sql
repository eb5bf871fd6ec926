-- Files (seed UploadedDocument): what a stored file is and who it belongs to. The bytes
-- live in the object store (a local folder, or S3-compatible storage) under
-- `storage_key`; nothing here is reachable at a public URL.
CREATE TABLE files (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- What the file is for; each purpose has exactly one owner column set.
    purpose          text NOT NULL CHECK (purpose IN ('webcam_snapshot')),
    test_session_id  uuid REFERENCES test_sessions (id) ON DELETE CASCADE,
    -- Checked from the bytes, never taken from the upload's header.
    content_type     text NOT NULL,
    size_bytes       bigint NOT NULL CHECK (size_bytes > 0),
    sha256           bytea NOT NULL CHECK (length(sha256) = 32),
    storage_key      text NOT NULL UNIQUE,
    -- Null when the candidate uploaded it through their test link.
    uploaded_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    -- The retention job deletes the file after this time.
    retain_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((purpose = 'webcam_snapshot') = (test_session_id IS NOT NULL))
);
CREATE INDEX files_session_idx ON files (test_session_id, created_at) WHERE test_session_id IS NOT NULL;
CREATE INDEX files_retention_idx ON files (retain_until) WHERE retain_until IS NOT NULL;

-- The bytes to delete from the object store. Whatever deletes a `files` row (a
-- candidate's deletion cascading, retention, an organization leaving) queues its key
-- here in the same transaction; the purge job deletes the bytes in bounded batches and
-- then the row, so a restart in between loses nothing and leaves nothing behind.
CREATE TABLE file_purges (
    storage_key  text PRIMARY KEY,
    queued_at    timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION are_file_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO file_purges (storage_key) VALUES (OLD.storage_key) ON CONFLICT DO NOTHING;
    RETURN OLD;
END $$;
CREATE TRIGGER files_purge_bytes AFTER DELETE ON files FOR EACH ROW EXECUTE FUNCTION are_file_deleted();

-- Each page load of a test session is an instance with its own id; its heartbeats (every
-- 5 s, with each batch of events) keep `last_seen_at` fresh. Two instances seen at once
-- are the same test open twice.
CREATE TABLE proctoring_instances (
    session_id     uuid NOT NULL REFERENCES test_sessions (id) ON DELETE CASCADE,
    instance_id    uuid NOT NULL,
    org_id         uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    user_agent     text NOT NULL DEFAULT '',
    -- A second instance heartbeating at the same time has been recorded for this one.
    concurrent_recorded  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (session_id, instance_id)
);

-- Seed ProctoringEvent: what the test page recorded, and what the server concluded
-- (monitoring gaps, a second instance). Client events carry the page's own id
-- (`client_event_id`, per instance), so a batch sent twice is stored once.
CREATE TABLE proctoring_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    session_id       uuid NOT NULL REFERENCES test_sessions (id) ON DELETE CASCADE,
    instance_id      uuid,
    client_event_id  bigint,
    kind             text NOT NULL CHECK (kind IN (
        'tab_hidden', 'tab_visible', 'window_blur', 'window_focus',
        'fullscreen_entered', 'fullscreen_exited', 'fullscreen_refused',
        'copy', 'cut', 'paste', 'context_menu', 'window_small', 'second_screen',
        'offline', 'online', 'page_loaded', 'camera_started', 'camera_denied',
        'camera_stopped', 'snapshot', 'second_instance', 'monitoring_gap')),
    severity         text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high')),
    -- When it happened by the candidate's clock, when the server stored it, and when it
    -- happened by the server's clock (the candidate's time corrected by the difference
    -- between the two clocks when the batch arrived), which the timeline uses.
    client_at        timestamptz,
    server_at        timestamptz NOT NULL DEFAULT now(),
    occurred_at      timestamptz NOT NULL,
    -- How long it lasted (time away, a gap, time offline), when it has a length.
    duration_ms      bigint CHECK (duration_ms >= 0),
    -- The question on screen, when there was one.
    question_id      uuid,
    -- The event's particulars (a paste's length, the window's size): never what was
    -- pasted. Retention sets it to null and keeps the row's kind, time and severity.
    details          jsonb,
    file_id          uuid REFERENCES files (id) ON DELETE SET NULL,
    -- Seed "ProctoringEvent ◄── User (reviewer)": set by the session's disposition.
    reviewed_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at      timestamptz,
    CHECK ((instance_id IS NULL) = (client_event_id IS NULL)),
    -- A snapshot keeps its row when retention deletes its file.
    CHECK (kind = 'snapshot' OR file_id IS NULL)
);
CREATE UNIQUE INDEX proctoring_events_client_idx ON proctoring_events (session_id, instance_id, client_event_id)
    WHERE client_event_id IS NOT NULL;
CREATE INDEX proctoring_events_severity_idx ON proctoring_events (session_id, severity);
CREATE INDEX proctoring_events_timeline_idx ON proctoring_events (session_id, occurred_at);

-- An organization's proctoring settings; one without a row has the defaults
-- (`proctoring::band::Thresholds::default()`, 90 days).
CREATE TABLE proctoring_settings (
    org_id          uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    -- Snapshots and events' particulars are deleted this many days after a session ends.
    retention_days  integer NOT NULL DEFAULT 90 CHECK (retention_days BETWEEN 1 AND 3650),
    -- The trust bands' thresholds, as `Thresholds` serializes them; absent ones default.
    thresholds      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What retention keeps of a session's record once it deleted the snapshots and the
-- events' particulars: the counts the band came from, and the band.
CREATE TABLE proctoring_summaries (
    session_id   uuid PRIMARY KEY REFERENCES test_sessions (id) ON DELETE CASCADE,
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    tally        jsonb NOT NULL,
    band         text NOT NULL CHECK (band IN ('no_concerns', 'some_concerns', 'major_concerns')),
    purged_at    timestamptz NOT NULL DEFAULT now(),
    snapshots_deleted  integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- Retention's scan: finished sessions not yet purged.
CREATE INDEX test_sessions_finished_idx ON test_sessions (finished_at) WHERE finished_at IS NOT NULL;
