-- Structured interviews (seed InterviewFeedback, seed 000 "Interviewer Flow"): a scorecard
-- per requisition (attributes with a four-level anchored scale), an interview plan (stages
-- with their focus attributes, questions and prep notes), one feedback per interview
-- (drafts, submission, versions kept on later edits), reminders for overdue feedback.

CREATE TABLE scorecard_attributes (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    requisition_id  uuid NOT NULL REFERENCES job_requisitions (id) ON DELETE CASCADE,
    category        text NOT NULL CHECK (category IN ('skills', 'qualifications', 'traits')),
    name            text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    -- What a 1, 2, 3 and 4 look like for this attribute, in words.
    anchors         text[] NOT NULL CHECK (cardinality(anchors) = 4),
    position        integer NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX scorecard_attributes_name_key ON scorecard_attributes (requisition_id, lower(name));
CREATE INDEX scorecard_attributes_requisition_idx ON scorecard_attributes (requisition_id, position);

CREATE TABLE interview_plan_stages (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id            uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    requisition_id    uuid NOT NULL REFERENCES job_requisitions (id) ON DELETE CASCADE,
    name              text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    position          integer NOT NULL,
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    prep_notes        text NOT NULL DEFAULT '',
    -- Questions written for this stage, one a line as the plan form takes them.
    questions         text[] NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX interview_plan_stages_name_key ON interview_plan_stages (requisition_id, lower(name));
CREATE INDEX interview_plan_stages_requisition_idx ON interview_plan_stages (requisition_id, position);

-- The attributes a stage assesses.
CREATE TABLE interview_plan_focus (
    stage_id      uuid NOT NULL REFERENCES interview_plan_stages (id) ON DELETE CASCADE,
    attribute_id  uuid NOT NULL REFERENCES scorecard_attributes (id) ON DELETE CASCADE,
    PRIMARY KEY (stage_id, attribute_id)
);
CREATE INDEX interview_plan_focus_attribute_idx ON interview_plan_focus (attribute_id);

-- Questions of the bank a stage asks.
CREATE TABLE interview_plan_bank_questions (
    stage_id     uuid NOT NULL REFERENCES interview_plan_stages (id) ON DELETE CASCADE,
    question_id  uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    PRIMARY KEY (stage_id, question_id)
);
CREATE INDEX interview_plan_bank_questions_question_idx ON interview_plan_bank_questions (question_id);

ALTER TABLE interviews
    ADD COLUMN plan_stage_id         uuid REFERENCES interview_plan_stages (id) ON DELETE SET NULL,
    -- Overdue-feedback reminders sent (at most two) and when the last went.
    ADD COLUMN feedback_reminders    integer NOT NULL DEFAULT 0 CHECK (feedback_reminders BETWEEN 0 AND 2),
    ADD COLUMN feedback_reminded_at  timestamptz,
    -- The last nudge from the debrief (at most one an hour).
    ADD COLUMN feedback_nudged_at    timestamptz;
-- Interviews that ended before reminders existed get none.
UPDATE interviews SET feedback_reminders = 2
WHERE starts_at + make_interval(mins => duration_minutes) < now();
CREATE INDEX interviews_plan_stage_idx ON interviews (plan_stage_id) WHERE plan_stage_id IS NOT NULL;

CREATE TABLE interview_feedback (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id              uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    interview_id        uuid NOT NULL UNIQUE REFERENCES interviews (id) ON DELETE CASCADE,
    author_id           uuid NOT NULL REFERENCES users (id),
    status              text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    -- [{attribute_id, category, name, anchors[4], rating: 1..4 or null (not assessed)}]:
    -- the attributes as they were given, so a later scorecard change leaves it as it was.
    ratings             jsonb NOT NULL DEFAULT '[]',
    strengths           text NOT NULL DEFAULT '',
    concerns            text NOT NULL DEFAULT '',
    notes               text NOT NULL DEFAULT '',
    recommendation      text CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
    -- How many times it was submitted (1 at the first submission, +1 on each edit).
    version             integer NOT NULL DEFAULT 0,
    first_submitted_at  timestamptz,
    submitted_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'draft' OR (recommendation IS NOT NULL AND submitted_at IS NOT NULL AND version > 0))
);
CREATE INDEX interview_feedback_recommendation_idx ON interview_feedback (recommendation);
CREATE INDEX interview_feedback_author_idx ON interview_feedback (author_id, submitted_at);

-- A submitted feedback's earlier versions, kept when its author edits it.
CREATE TABLE interview_feedback_versions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    feedback_id     uuid NOT NULL REFERENCES interview_feedback (id) ON DELETE CASCADE,
    version         integer NOT NULL,
    ratings         jsonb NOT NULL,
    strengths       text NOT NULL,
    concerns        text NOT NULL,
    notes           text NOT NULL,
    recommendation  text NOT NULL CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
    submitted_at    timestamptz NOT NULL,
    replaced_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (feedback_id, version)
);

-- The recruiter shares the application's assessment results with its interviewers
-- (shown in their interview kits); off until they do.
ALTER TABLE applications
    ADD COLUMN results_shared_with_interviewers boolean NOT NULL DEFAULT false;

-- Feedback is due this many hours after its interview ended.
ALTER TABLE organizations
    ADD COLUMN feedback_due_hours integer NOT NULL DEFAULT 24 CHECK (feedback_due_hours BETWEEN 1 AND 720);

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('mention', 'stage_move', 'interview', 'feedback'));
ALTER TABLE notification_preferences DROP CONSTRAINT notification_preferences_kind_check;
ALTER TABLE notification_preferences ADD CONSTRAINT notification_preferences_kind_check
    CHECK (kind IN ('mention', 'stage_move', 'interview', 'feedback'));
