-- The dashboard's "new since you last signed in": the sign-in before the current one.
ALTER TABLE users ADD COLUMN previous_sign_in_at timestamptz;

-- The dashboard's grading queue: finished sessions with answers left to grade, oldest first.
CREATE INDEX test_sessions_to_grade_idx ON test_sessions (org_id, finished_at)
    WHERE ungraded_count > 0;
-- Test links about to expire unstarted.
CREATE INDEX assessment_tokens_org_expiry_idx ON assessment_tokens (org_id, expires_at)
    WHERE revoked_at IS NULL;
-- Interviews of the organization by time: the recruiter's "today and this week", and the
-- feedback owed and overdue on their requisitions.
CREATE INDEX interviews_org_time_idx ON interviews (org_id, starts_at)
    WHERE status IN ('scheduled', 'completed');
