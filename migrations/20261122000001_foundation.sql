-- Foundation: organizations, accounts, sessions, audit log, background jobs and the email outbox.

CREATE TABLE organizations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(trim(name)) > 0),
    slug        text NOT NULL UNIQUE,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Seed entity Role is the fixed set in the CHECK below; the app's `Role` enum mirrors it.
CREATE TABLE users (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email            text NOT NULL,
    full_name        text NOT NULL,
    role             text NOT NULL CHECK (role IN ('admin', 'recruiter', 'hiring_manager', 'interviewer')),
    password_hash    text NOT NULL,
    is_active        boolean NOT NULL DEFAULT true,
    -- Bumped when every existing session of the user must end (password change).
    session_epoch    integer NOT NULL DEFAULT 0,
    last_sign_in_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- Sign-in is by email alone, so an email belongs to one account across all organizations.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_org_idx ON users (org_id, created_at);

CREATE TABLE user_invites (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email        text NOT NULL,
    full_name    text NOT NULL,
    role         text NOT NULL CHECK (role IN ('admin', 'recruiter', 'hiring_manager', 'interviewer')),
    token_hash   bytea NOT NULL UNIQUE,
    invited_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_invites_org_idx ON user_invites (org_id, created_at DESC);
-- At most one open invite per address.
CREATE UNIQUE INDEX user_invites_open_email_key ON user_invites (lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Failed sign-ins, for the per-account and per-address limits.
CREATE TABLE sign_in_failures (
    id          bigserial PRIMARY KEY,
    email       text NOT NULL,
    client_ip   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (lower(email), created_at);
CREATE INDEX sign_in_failures_ip_idx ON sign_in_failures (client_ip, created_at);

-- The server-side session store (tower-sessions' PostgreSQL store layout).
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE tower_sessions.session (
    id           text PRIMARY KEY NOT NULL,
    data         bytea NOT NULL,
    expiry_date  timestamptz NOT NULL
);
CREATE INDEX session_expiry_idx ON tower_sessions.session (expiry_date);

-- Seed 004 audit: who did what to which object, from where.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    org_id       uuid REFERENCES organizations (id) ON DELETE CASCADE,
    actor_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    actor_email  text,
    action       text NOT NULL,
    target_type  text,
    target_id    text,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb,
    client_ip    text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, id DESC);
CREATE INDEX audit_log_org_action_idx ON audit_log (org_id, action, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC);

-- Seed entity CeleryTask: durable background jobs run by the server's own workers.
CREATE TABLE jobs (
    id            bigserial PRIMARY KEY,
    org_id        uuid REFERENCES organizations (id) ON DELETE CASCADE,
    kind          text NOT NULL,
    payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    run_at        timestamptz NOT NULL DEFAULT now(),
    locked_by     text,
    locked_until  timestamptz,
    last_error    text,
    finished_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_ready_idx ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_org_idx ON jobs (org_id, status, id DESC);

-- Seed 004 communications: every email goes through this outbox and a job sends it.
CREATE TABLE emails (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id        uuid REFERENCES organizations (id) ON DELETE CASCADE,
    to_address    text NOT NULL,
    subject       text NOT NULL,
    body_text     text NOT NULL,
    related_type  text,
    related_id    text,
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    sent_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX emails_org_idx ON emails (org_id, created_at DESC);
CREATE INDEX emails_related_idx ON emails (related_type, related_id);
