-- Recovery codes made just now, kept for the two-step page to show once to the sign-in
-- that made them (read and deleted in one statement, shown only within ten minutes).
-- They were kept in the session record, which a server process may serve from its
-- in-memory copy or save back over another process's change: the codes could be lost
-- unseen while the old ones had stopped working.
CREATE TABLE fresh_recovery_codes (
    sign_in_id  uuid PRIMARY KEY REFERENCES staff_sessions (id) ON DELETE CASCADE,
    codes       text[] NOT NULL,
    made_at     timestamptz NOT NULL DEFAULT now()
);
