-- Subscription (seed 004 `subscription`): every organization is on a plan with a number
-- of seats. A seat is an active staff account or an open invitation (not accepted,
-- revoked or expired); an invitation or reactivation beyond the seats is refused. The
-- plans are the app's `users::plan::Plan` (only "free" today); new organizations get
-- the plan and seats the app gives them (`users::data::create_organization`).
ALTER TABLE organizations
    ADD COLUMN plan text NOT NULL DEFAULT 'free' CHECK (plan IN ('free')),
    ADD COLUMN seats integer NOT NULL DEFAULT 10 CHECK (seats > 0);
-- An organization that already has more people than the free plan's ten keeps room for
-- them all (it cannot invite more until someone leaves).
UPDATE organizations o
SET seats = greatest(10, (SELECT count(*) FROM users u WHERE u.org_id = o.id AND u.is_active)
                         + (SELECT count(*) FROM user_invites i WHERE i.org_id = o.id
                              AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                              AND i.expires_at > now()));
ALTER TABLE organizations ALTER COLUMN plan DROP DEFAULT, ALTER COLUMN seats DROP DEFAULT;
