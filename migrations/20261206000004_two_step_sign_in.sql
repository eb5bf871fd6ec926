-- Two-step sign-in (TOTP, RFC 6238). The secret an authenticator app holds is kept while
-- it is set up (`totp_pending_secret`) and once confirmed (`totp_secret`); the last time
-- step a code was accepted for keeps a code from being used twice.
ALTER TABLE users
    ADD COLUMN totp_secret bytea,
    ADD COLUMN totp_pending_secret bytea,
    ADD COLUMN totp_last_step bigint;

-- One-time recovery codes, kept only as SHA-256 digests (they are random, 124 bits each).
CREATE TABLE user_recovery_codes (
    id         bigserial PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, code_hash)
);

-- An organization may require its admins to sign in in two steps.
ALTER TABLE organizations
    ADD COLUMN admins_need_two_steps boolean NOT NULL DEFAULT false;
