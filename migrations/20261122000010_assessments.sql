-- Assessments and the candidate's timed test (seed 000: QuestionSet, Question, Assessment,
-- AssessmentToken, AssessmentApplication, TestSession, Answer).
--
-- The content a candidate answers is frozen: publishing an assessment copies its questions
-- into `assessment_questions`, and a test session draws from that copy, so editing the
-- question bank later changes no published assessment and no result.

CREATE TABLE question_sets (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    title        text NOT NULL CHECK (length(trim(title)) > 0),
    description  text NOT NULL DEFAULT '',
    difficulty   text NOT NULL DEFAULT 'medium' CHECK (difficulty IN ('easy', 'medium', 'hard')),
    tags         text[] NOT NULL DEFAULT '{}',
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    is_active    boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX question_sets_org_idx ON question_sets (org_id, lower(title)) WHERE is_active;
CREATE INDEX question_sets_tags_idx ON question_sets USING gin (tags);

CREATE TABLE question_set_skills (
    question_set_id  uuid NOT NULL REFERENCES question_sets (id) ON DELETE CASCADE,
    skill_id         uuid NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    PRIMARY KEY (question_set_id, skill_id)
);
CREATE INDEX question_set_skills_skill_idx ON question_set_skills (skill_id);

-- A question belongs to a question set or to a job description (a requisition's), never
-- both and never neither (seed 000 "Polymorphic/Optional Links").
CREATE TABLE questions (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    question_set_id  uuid REFERENCES question_sets (id) ON DELETE CASCADE,
    requisition_id   uuid REFERENCES job_requisitions (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'true_false', 'short_text', 'long_text', 'numeric', 'code')),
    prompt_md        text NOT NULL CHECK (length(trim(prompt_md)) > 0),
    -- The kind's own fields (options, the numeric answer and tolerance, the code language
    -- and starter code, ...), as `questions::model::QuestionBody` writes them.
    body             jsonb NOT NULL,
    points           integer NOT NULL DEFAULT 1 CHECK (points BETWEEN 1 AND 1000),
    difficulty       text NOT NULL DEFAULT 'medium' CHECK (difficulty IN ('easy', 'medium', 'hard')),
    tags             text[] NOT NULL DEFAULT '{}',
    -- Why the right answer is right: shown to graders and in results, never to the candidate.
    explanation_md   text NOT NULL DEFAULT '',
    -- What a grader looks for in a text or code answer.
    guidance_md      text NOT NULL DEFAULT '',
    position         integer NOT NULL DEFAULT 0,
    created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    is_active        boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT questions_one_owner CHECK (num_nonnulls(question_set_id, requisition_id) = 1)
);
CREATE INDEX questions_set_idx ON questions (question_set_id, position) WHERE question_set_id IS NOT NULL;
CREATE INDEX questions_requisition_idx ON questions (requisition_id, position) WHERE requisition_id IS NOT NULL;
CREATE INDEX questions_tags_idx ON questions USING gin (tags);
CREATE INDEX questions_org_idx ON questions (org_id);

CREATE TABLE assessments (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id              uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    requisition_id      uuid NOT NULL REFERENCES job_requisitions (id) ON DELETE CASCADE,
    -- Every version of one assessment shares its family; editing a published version
    -- makes the next one.
    family_id           uuid NOT NULL,
    version             integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    title               text NOT NULL CHECK (length(trim(title)) > 0),
    instructions_md     text NOT NULL DEFAULT '',
    time_limit_minutes  integer NOT NULL CHECK (time_limit_minutes BETWEEN 1 AND 600),
    shuffle_questions   boolean NOT NULL DEFAULT false,
    shuffle_options     boolean NOT NULL DEFAULT false,
    pass_mark_percent   integer NOT NULL DEFAULT 60 CHECK (pass_mark_percent BETWEEN 0 AND 100),
    available_from      timestamptz,
    available_until     timestamptz,
    attempts_allowed    integer NOT NULL DEFAULT 1 CHECK (attempts_allowed BETWEEN 1 AND 10),
    -- What the test page monitors (`assessments::model::Proctoring`), for the proctoring issue.
    proctoring          jsonb NOT NULL DEFAULT '{}'::jsonb,
    status              text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    published_at        timestamptz,
    created_by          uuid REFERENCES users (id) ON DELETE SET NULL,
    is_active           boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (family_id, version),
    CHECK (available_from IS NULL OR available_until IS NULL OR available_from < available_until),
    CHECK ((status = 'draft') = (published_at IS NULL) OR status = 'archived')
);
CREATE INDEX assessments_org_idx ON assessments (org_id, status, created_at DESC);
CREATE INDEX assessments_requisition_idx ON assessments (requisition_id, status);

-- What an assessment asks: one question, or `draw_count` questions drawn at random per
-- session from a set or from every question carrying a tag.
CREATE TABLE assessment_items (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    assessment_id  uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    position       integer NOT NULL,
    question_id    uuid REFERENCES questions (id) ON DELETE CASCADE,
    draw_set_id    uuid REFERENCES question_sets (id) ON DELETE CASCADE,
    draw_tag       text,
    draw_count     integer CHECK (draw_count BETWEEN 1 AND 500),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (
        (question_id IS NOT NULL AND draw_set_id IS NULL AND draw_tag IS NULL AND draw_count IS NULL)
        OR (question_id IS NULL AND draw_count IS NOT NULL AND num_nonnulls(draw_set_id, draw_tag) = 1)
    )
);
CREATE INDEX assessment_items_assessment_idx ON assessment_items (assessment_id, position);

-- The frozen copy of every question a published assessment can ask, per item.
CREATE TABLE assessment_questions (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    assessment_id       uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item_id             uuid NOT NULL REFERENCES assessment_items (id) ON DELETE CASCADE,
    source_question_id  uuid REFERENCES questions (id) ON DELETE SET NULL,
    kind                text NOT NULL,
    prompt_md           text NOT NULL,
    body                jsonb NOT NULL,
    points              integer NOT NULL,
    explanation_md      text NOT NULL DEFAULT '',
    guidance_md         text NOT NULL DEFAULT ''
);
CREATE INDEX assessment_questions_assessment_idx ON assessment_questions (assessment_id, item_id);

-- Seed AssessmentApplication: one per candidate per assessment.
CREATE TABLE assessment_applications (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    assessment_id   uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    candidate_id    uuid NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    -- The pipeline application the invite moved into the Assessment stage.
    application_id  uuid REFERENCES applications (id) ON DELETE SET NULL,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (candidate_id, assessment_id)
);
CREATE INDEX assessment_applications_assessment_idx ON assessment_applications (assessment_id, created_at DESC);
CREATE INDEX assessment_applications_application_idx ON assessment_applications (application_id);

-- Seed AssessmentToken: the invite link. Only the SHA-256 of its 256-bit secret is kept.
-- A token starts at most one test session.
CREATE TABLE assessment_tokens (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id                     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    assessment_application_id  uuid NOT NULL REFERENCES assessment_applications (id) ON DELETE CASCADE,
    token_hash                 bytea NOT NULL UNIQUE,
    message                    text NOT NULL DEFAULT '',
    expires_at                 timestamptz NOT NULL,
    revoked_at                 timestamptz,
    revoked_by                 uuid REFERENCES users (id) ON DELETE SET NULL,
    sent_at                    timestamptz,
    reminded_at                timestamptz,
    created_by                 uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_tokens_application_idx ON assessment_tokens (assessment_application_id, created_at DESC);
-- The reminder job's scan: live tokens by expiry.
CREATE INDEX assessment_tokens_expiry_idx ON assessment_tokens (expires_at) WHERE revoked_at IS NULL AND reminded_at IS NULL;

-- Seed TestSession. The server fixes `deadline_at` when the candidate starts.
CREATE TABLE test_sessions (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id                     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    assessment_id              uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    assessment_application_id  uuid NOT NULL REFERENCES assessment_applications (id) ON DELETE CASCADE,
    token_id                   uuid NOT NULL UNIQUE REFERENCES assessment_tokens (id) ON DELETE CASCADE,
    attempt                    integer NOT NULL DEFAULT 1,
    status                     text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted', 'timed_out')),
    consented_at               timestamptz NOT NULL,
    started_at                 timestamptz NOT NULL DEFAULT now(),
    deadline_at                timestamptz NOT NULL,
    finished_at                timestamptz,
    -- Scores: the sum of graded answers so far; `passed` is set once every answer is graded.
    score                      double precision,
    max_score                  double precision NOT NULL DEFAULT 0,
    ungraded_count             integer NOT NULL DEFAULT 0,
    passed                     boolean,
    user_agent                 text NOT NULL DEFAULT '',
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    UNIQUE (assessment_application_id, attempt),
    CHECK (deadline_at > started_at),
    CHECK ((status = 'in_progress') = (finished_at IS NULL))
);
CREATE INDEX test_sessions_assessment_idx ON test_sessions (assessment_id, started_at DESC);
-- The deadline job's scan.
CREATE INDEX test_sessions_open_deadline_idx ON test_sessions (deadline_at) WHERE status = 'in_progress';

-- The questions of one session, in the order the candidate sees them, with each
-- question's option order when options are shuffled.
CREATE TABLE test_session_questions (
    session_id    uuid NOT NULL REFERENCES test_sessions (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    question_id   uuid NOT NULL REFERENCES assessment_questions (id) ON DELETE CASCADE,
    option_order  integer[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (session_id, position),
    UNIQUE (session_id, question_id)
);

-- Seed Answer: one per question per session. `seq` is the browser's per-answer sequence
-- number: a save only replaces an answer with a lower one, so an older save that arrives
-- late never overwrites a newer answer.
CREATE TABLE answers (
    session_id      uuid NOT NULL REFERENCES test_sessions (id) ON DELETE CASCADE,
    question_id     uuid NOT NULL REFERENCES assessment_questions (id) ON DELETE CASCADE,
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    response        jsonb NOT NULL,
    seq             bigint NOT NULL CHECK (seq >= 0),
    flagged         boolean NOT NULL DEFAULT false,
    -- Time the candidate spent on the question, as the page measured it.
    time_spent_ms   bigint NOT NULL DEFAULT 0 CHECK (time_spent_ms >= 0),
    score           double precision,
    graded_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    graded_at       timestamptz,
    grader_comment  text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, question_id)
);
