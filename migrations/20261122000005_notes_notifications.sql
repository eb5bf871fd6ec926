-- Recruiting, part four: notes on applications (seed ApplicationNote) with mentions,
-- and each user's notifications (seed Notification).

CREATE TABLE application_notes (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    application_id  uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    author_id       uuid REFERENCES users (id) ON DELETE SET NULL,
    body_md         text NOT NULL CHECK (length(trim(body_md)) BETWEEN 1 AND 10000),
    is_active       boolean NOT NULL DEFAULT true,
    edited_at       timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_notes_application_idx ON application_notes (application_id, created_at);

CREATE TABLE note_mentions (
    note_id  uuid NOT NULL REFERENCES application_notes (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (note_id, user_id)
);

CREATE TABLE notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('mention', 'stage_move')),
    title       text NOT NULL,
    link        text NOT NULL CHECK (link LIKE '/%'),
    is_read     boolean NOT NULL DEFAULT false,
    read_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- The inbox and the unread count (seed: Notification (user_id, is_read)).
CREATE INDEX notifications_inbox_idx ON notifications (user_id, is_read, created_at DESC);

-- Which notifications a user also wants by email; no row means in-app only.
CREATE TABLE notification_preferences (
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind      text NOT NULL CHECK (kind IN ('mention', 'stage_move')),
    by_email  boolean NOT NULL,
    PRIMARY KEY (user_id, kind)
);
