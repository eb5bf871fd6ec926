-- Candidate search through the trigram index, sharper for fragments with punctuation
-- ("mateo.l", "tanaka.8", "99@") and with the tag filter inside the index.
--
-- pg_trgm cuts text into words at every character that is not a letter or a digit, so
-- the trigrams of "mateo.l" are those of "mateo" and of "l": every Mateo passes the
-- index and is turned away only when his row is read. `search_key` is `search_text`
-- with those separators replaced by one letter, so "mateo.l" becomes the single word
-- "mateoxl", whose trigrams ("eox", "oxl") only names and emails with that fragment
-- have. The key is a sieve and nothing more: the search still tests `search_text` for
-- the exact fragment, so whatever the letter 'x' lets through as well is never shown.
-- It is stored because the index rechecks it on every row it hands over, and
-- translating there costs more than reading the row.
CREATE FUNCTION are_search_key(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT translate($1, E' .@_-+\',\n', 'xxxxxxxxx') $$;

ALTER TABLE candidates ADD COLUMN search_key text NOT NULL
    GENERATED ALWAYS AS (are_search_key(lower(full_name) || E'\n' || lower(email))) STORED;

-- Tags in the same index, so "with this tag" narrows the rows before any is read.
DROP INDEX candidates_search_trgm_idx;
CREATE INDEX candidates_search_key_idx ON candidates
    USING gin (search_key gin_trgm_ops, tags) WHERE is_active;
