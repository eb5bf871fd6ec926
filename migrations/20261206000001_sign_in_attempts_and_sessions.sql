-- A sign-in attempt is reserved (a pending row) before its password is checked, so a
-- burst of parallel requests cannot check more passwords than the limit; a success
-- deletes its row, a failure keeps it.
ALTER TABLE sign_in_failures ADD COLUMN pending boolean NOT NULL DEFAULT false;

-- After the per-account limit, the account's owner signs in through a link emailed to
-- them (only the digest of its secret is kept).
CREATE TABLE sign_in_unlocks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX sign_in_unlocks_user_idx ON sign_in_unlocks (user_id, created_at);

-- Each sign-in of a staff user: what the user sees in their list of sessions, and what a
-- sign-out ends. The session record only names its row, so a late request that writes
-- the record again cannot bring an ended session back.
CREATE TABLE staff_sessions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent    text NOT NULL DEFAULT '',
    client_ip     text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    ended_at      timestamptz
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id, last_seen_at DESC);
