-- no-transaction
-- The metrics' scrape counts failed jobs (src/metrics.rs): a partial index keeps that
-- count a small read however long the table grows (failed jobs are kept). Built
-- CONCURRENTLY, outside a transaction, so a rolling deploy does not block writes to
-- jobs while it builds; one statement per file, as CONCURRENTLY runs alone. A build
-- that fails leaves an INVALID index, which IF NOT EXISTS would take as built: drop
-- it before the next start.
CREATE INDEX CONCURRENTLY IF NOT EXISTS jobs_failed_idx ON jobs (kind) WHERE status = 'failed';
