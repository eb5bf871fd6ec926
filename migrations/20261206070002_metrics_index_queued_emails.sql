-- no-transaction
-- The metrics' scrape counts queued emails (src/metrics.rs): a partial index keeps that
-- count a small read however long the table grows (sent emails are kept). Built
-- CONCURRENTLY, outside a transaction, so a rolling deploy does not block writes to
-- emails while it builds; one statement per file, as CONCURRENTLY runs alone. A build
-- that fails leaves an INVALID index, which IF NOT EXISTS would take as built: drop
-- it before the next start.
CREATE INDEX CONCURRENTLY IF NOT EXISTS emails_queued_idx ON emails (created_at) WHERE status = 'queued';
