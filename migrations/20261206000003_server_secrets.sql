-- Secrets every server process shares, made by the first process that needs one: the key
-- that signs a failed form's message in the URL it redirects to (`form_errors`).
CREATE TABLE server_secrets (
    name text PRIMARY KEY,
    secret bytea NOT NULL CHECK (octet_length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
