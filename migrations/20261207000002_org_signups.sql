-- Organization sign-up (ARE_SIGNUP=open): what a person asked for, waiting for them to
-- open the link emailed to them. The password is kept as its argon2id hash; the link's
-- secret only as its SHA-256 digest, set by the job that emails it (`signup.send_link`),
-- which sends no link when the address already has an account. A sign-up holds no slug:
-- only organizations' slugs are refused, when it is made and when its link is used.
CREATE TABLE org_signups (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_name         text NOT NULL CHECK (length(trim(org_name)) > 0),
    slug             text NOT NULL,
    full_name        text NOT NULL,
    email            text NOT NULL,
    password_hash    text NOT NULL,
    token_hash       bytea UNIQUE,
    -- Wrong passwords given with the link; enough of them close it.
    failed_attempts  integer NOT NULL DEFAULT 0,
    client_ip        text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    -- Used (the organization made), refused (the address has an account) or closed
    -- after too many wrong passwords: the link works no more.
    closed_at        timestamptz,
    org_id           uuid REFERENCES organizations (id) ON DELETE SET NULL
);

-- Every sign-up request that got as far as being counted: what the limits count (per
-- address asked for and per client address, an hour).
CREATE TABLE org_signup_requests (
    id          bigserial PRIMARY KEY,
    email       text NOT NULL,
    client_ip   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_signup_requests_email_idx ON org_signup_requests (lower(email), created_at);
CREATE INDEX org_signup_requests_ip_idx ON org_signup_requests (client_ip, created_at);
