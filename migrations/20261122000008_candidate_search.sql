-- Candidate search by any part of a name or email (`ILIKE '%text%'`): trigram indexes
-- let PostgreSQL find the few matches among 100,000 candidates without reading them all.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX candidates_name_trgm_idx ON candidates USING gin (full_name gin_trgm_ops) WHERE is_active;
CREATE INDEX candidates_email_trgm_idx ON candidates USING gin (email gin_trgm_ops) WHERE is_active;
