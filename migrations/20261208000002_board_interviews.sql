-- Board cards now show each application's interviews (to come, held) and how many of the
-- held ones have their feedback in (pipeline::data::cards). Any change to an interview
-- or to its feedback bumps the board of the interview's requisition, so kept cards
-- (pipeline::cache) never show an outdated count. An interview ending is a change of
-- time, not of data: the cache expires at the first upcoming interview's end.

-- Interviews, like invites, name their application: migration 11's are_invites_changed()
-- maps their rows to the requisitions whose boards to bump.
CREATE TRIGGER interviews_board_insert AFTER INSERT ON interviews
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_invites_changed();
CREATE TRIGGER interviews_board_update AFTER UPDATE ON interviews
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_invites_changed();
CREATE TRIGGER interviews_board_delete AFTER DELETE ON interviews
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_invites_changed();

-- Feedback: only its status shows on a card (submitted or not).
CREATE FUNCTION are_interview_feedback_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM new_rows n
            JOIN interviews i ON i.id = n.interview_id JOIN applications a ON a.id = i.application_id
            WHERE n.status = 'submitted'));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            JOIN interviews i ON i.id = n.interview_id JOIN applications a ON a.id = i.application_id
            WHERE n.status IS DISTINCT FROM o.status));
    ELSE
        PERFORM are_bump_boards(ARRAY(
            SELECT DISTINCT a.requisition_id FROM old_rows o
            JOIN interviews i ON i.id = o.interview_id JOIN applications a ON a.id = i.application_id
            WHERE o.status = 'submitted'));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER interview_feedback_board_insert AFTER INSERT ON interview_feedback
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION are_interview_feedback_changed();
CREATE TRIGGER interview_feedback_board_update AFTER UPDATE ON interview_feedback
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION are_interview_feedback_changed();
CREATE TRIGGER interview_feedback_board_delete AFTER DELETE ON interview_feedback
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION are_interview_feedback_changed();
