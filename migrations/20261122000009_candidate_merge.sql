-- Merging two records of one person: the duplicate is retired (inactive, so its email
-- is free) and remembers the record it went into, so old links can lead there.
ALTER TABLE candidates ADD COLUMN merged_into_id uuid REFERENCES candidates (id) ON DELETE SET NULL;
ALTER TABLE candidates ADD COLUMN merged_at timestamptz;
