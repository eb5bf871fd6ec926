-- Interview scheduling (seed InterviewSession): one interviewer per session, a panel is
-- several sessions at once. Calendar invitations travel as email attachments, and each
-- user has a time zone in which times are shown to them.

CREATE TABLE interviews (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    application_id    uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    interviewer_id    uuid NOT NULL REFERENCES users (id),
    kind              text NOT NULL CHECK (kind IN ('phone_screen', 'technical', 'on_site', 'culture', 'hiring_manager')),
    starts_at         timestamptz NOT NULL,
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    location          text NOT NULL DEFAULT '',
    video_url         text NOT NULL DEFAULT '',
    instructions      text NOT NULL DEFAULT '',
    invite_candidate  boolean NOT NULL DEFAULT false,
    status            text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'completed', 'cancelled', 'no_show')),
    -- The iCalendar SEQUENCE: raised on every reschedule and cancellation.
    sequence          integer NOT NULL DEFAULT 0,
    created_by        uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- An interviewer's interviews by time (dashboard, clash check).
CREATE INDEX interviews_interviewer_idx ON interviews (interviewer_id, starts_at);
-- An application's interviews (its page, the candidate's profile).
CREATE INDEX interviews_application_idx ON interviews (application_id, starts_at);

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('mention', 'stage_move', 'interview'));
ALTER TABLE notification_preferences DROP CONSTRAINT notification_preferences_kind_check;
ALTER TABLE notification_preferences ADD CONSTRAINT notification_preferences_kind_check
    CHECK (kind IN ('mention', 'stage_move', 'interview'));

-- One optional attachment per email (the .ics invitation).
ALTER TABLE emails
    ADD COLUMN attachment_filename      text,
    ADD COLUMN attachment_content_type  text,
    ADD COLUMN attachment_body          text;

-- IANA name, e.g. Europe/Paris.
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
