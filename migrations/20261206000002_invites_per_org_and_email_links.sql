-- An organization's open invitations are its own: one per address in each organization.
-- The index spanned every organization, so an open (or long expired) invitation of one
-- blocked every other from inviting that address, and told them it existed. Expired
-- invitations still count here (an index cannot read the clock): inviting again revokes
-- the organization's own before it adds the new one.
DROP INDEX user_invites_open_email_key;
CREATE UNIQUE INDEX user_invites_open_org_email_key ON user_invites (org_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- A link with a secret (`/test/…`, `/invite/…`) is kept beside the email's text only
-- until the email is sent or fails for good; the text holds "[link removed after
-- sending]" in its place (`email::LINK_PLACEHOLDER`), and the sender puts the link there.
ALTER TABLE emails ADD COLUMN link_url text;
-- Emails already written: a queued one's link moves beside the text; one sent or failed
-- loses it.
UPDATE emails
SET link_url = substring(body_text FROM '\S+/(?:test|invite)/[A-Za-z0-9_-]{40,}'),
    body_text = regexp_replace(body_text, '\S+/(?:test|invite)/[A-Za-z0-9_-]{40,}',
                               '[link removed after sending]')
WHERE status = 'queued' AND body_text ~ '/(test|invite)/[A-Za-z0-9_-]{40,}';
UPDATE emails
SET body_text = regexp_replace(body_text, '\S+/(?:test|invite)/[A-Za-z0-9_-]{40,}',
                               '[link removed after sending]', 'g'),
    updated_at = now()
WHERE status <> 'queued' AND body_text ~ '/(test|invite)/[A-Za-z0-9_-]{40,}';
