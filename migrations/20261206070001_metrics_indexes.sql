-- The metrics' scrape counts failed jobs and queued emails (src/metrics.rs): partial
-- indexes keep those counts small reads however long the tables grow (failed jobs and
-- sent emails are kept). Queued and running jobs and tests in progress have theirs.
CREATE INDEX jobs_failed_idx ON jobs (kind) WHERE status = 'failed';
CREATE INDEX emails_queued_idx ON emails (created_at) WHERE status = 'queued';
