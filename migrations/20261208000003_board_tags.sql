-- Board cards now show their candidate's tags, and the board filters by them
-- (pipeline::data::cards, pipeline::filter). A change of a candidate's tags bumps every
-- board they are on, as a new name or (in)activity already did, so kept cards
-- (pipeline::cache) never show or filter by outdated tags. The trigger of migration 11
-- (`candidates_board_update`) calls this function by name and stays as it is.

CREATE OR REPLACE FUNCTION are_candidates_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM are_bump_boards(ARRAY(
        SELECT DISTINCT a.requisition_id
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN applications a ON a.candidate_id = n.id
        WHERE n.full_name IS DISTINCT FROM o.full_name OR n.is_active IS DISTINCT FROM o.is_active
           OR n.tags IS DISTINCT FROM o.tags));
    RETURN NULL;
END $$;
