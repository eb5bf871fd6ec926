-- An organization's open invitations are its own: one per address in each organization.
-- The index spanned every organization, so an open (or long expired) invitation of one
-- blocked every other from inviting that address, and told them it existed. Expired
-- invitations still count here (an index cannot read the clock): inviting again revokes
-- the organization's own before it adds the new one.
DROP INDEX user_invites_open_email_key;
CREATE UNIQUE INDEX user_invites_open_org_email_key ON user_invites (org_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

