-- 043_inbox_owner.sql — the inboxes choose their cases as the owner
-- (issue 6: row-level security under 25% slower; tests/bench/lifecycle.sh
-- measures it).  inbox_cases and inbox_counts ran their box's query on
-- legal_case under the policies: the acting-user functions once per
-- statement, and for the approval box the policies of case_request (a
-- subplan over legal_case) on every case looked at.  Each box's condition
-- already names the clerk's jurisdiction; the queries now run as the
-- owner (SECURITY DEFINER), and every condition keeps to what the
-- policies of legal_case let the clerk see: the boxes whose condition
-- could reach further (followup: registered in the jurisdiction, held
-- elsewhere; supervised) say so in so many words.  They give case ids and
-- due times only; inbox reads the lines of those cases from case_list,
-- under the policies, as before.  tests/sql/inbox.sql proves, for every
-- demo clerk and box, that each case given is one the policies show them.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- The condition on legal_case c of one box for a clerk with p_roles
-- (the boxes: see inbox_cases), for a query with the parameters $1 the
-- clerk, $2 the clerk's unit, $3 the ids of its subtree; NULL when the
-- clerk has no such box.  p_all: the subtree is the whole tree, and
-- "in the subtree" is written as "not null" (so that the planner sees the
-- city's query for what it is).  post: a further condition on the case
-- id x.id that nearly every case of the box passes, best checked on the
-- most urgent ones only (the approval box: a request waits that is not
-- the clerk's own); NULL for the other boxes.  Internal to inbox_cases
-- and inbox_counts.
CREATE OR REPLACE FUNCTION caseterm.inbox_where(p_box text, p_roles text[], p_all boolean,
                                     OUT cond text, OUT post text)
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    -- "the column is a unit of the subtree"
    v_in text := CASE WHEN p_all THEN '%1$s IS NOT NULL' ELSE '%1$s = ANY ($3)' END;
    -- what the policies of legal_case let the clerk see
    v_vis text := CASE WHEN p_all THEN '' ELSE
        ' AND (c.unit_id = ANY ($3) OR c.created_by = $1 OR c.handler_id = $1'
        ' OR c.dispatched_by_unit = ANY ($3))' END;
BEGIN
    CASE p_box
    WHEN 'review' THEN
        -- dispatchers and supervisors: the subtree; handlers: their unit
        IF p_roles && '{dispatcher,supervisor}' THEN
            cond := 'c.state = ''registered'' AND ' || format(v_in, 'c.unit_id');
        ELSIF 'handler' = ANY (p_roles) THEN
            cond := 'c.state = ''registered'' AND c.unit_id = $2';
        END IF;
    WHEN 'dispatch' THEN
        IF 'dispatcher' = ANY (p_roles) THEN
            cond := 'c.state = ''accepted'' AND ' || format(v_in, 'c.unit_id');
        END IF;
    WHEN 'signfor' THEN
        IF p_roles && '{handler,dispatcher,supervisor}' THEN
            cond := 'c.state = ''awaiting_signfor'' AND c.unit_id = $2';
        END IF;
    WHEN 'in_progress' THEN
        IF 'handler' = ANY (p_roles) THEN
            cond := '((c.handler_id = $1 AND c.state IN (''in_progress'', ''return_review'','
                    ' ''extension_review'', ''reply_review''))'
                    ' OR (c.handler_id IS NULL AND c.unit_id = $2 AND c.state = ''in_progress''))';
        END IF;
    WHEN 'approval' THEN
        IF 'supervisor' = ANY (p_roles) THEN
            cond := '((c.state = ''return_review'' AND ' || format(v_in, 'c.dispatched_by_unit') || ')'
                    ' OR (c.state IN (''extension_review'', ''reply_review'') AND '
                    || format(v_in, 'c.unit_id') || '))';
            post := 'EXISTS (SELECT 1 FROM case_request r WHERE r.case_id = x.id'
                    ' AND r.decided_at IS NULL AND r.requested_by <> $1)';
        END IF;
    WHEN 'followup' THEN
        IF 'followup' = ANY (p_roles) THEN
            cond := 'c.state = ''awaiting_followup'' AND (' || format(v_in, 'c.intake_unit_id')
                    || ' OR ' || format(v_in, 'c.unit_id') || ')';
        ELSIF 'intake' = ANY (p_roles) THEN
            cond := 'c.state = ''awaiting_followup'' AND ' || format(v_in, 'c.intake_unit_id');
        END IF;
        -- registered here, held now where the policies do not reach
        cond := cond || v_vis;
    WHEN 'overdue' THEN
        cond := 'c.due_at < now() AND c.deadline_paused_at IS NULL AND ('
                || format(v_in, 'c.unit_id') || ' OR c.handler_id = $1)';
    WHEN 'supervised' THEN
        cond := 'c.supervised AND c.supervised_by = $1 AND NOT state_is_final(c.state)'
                || v_vis;
    ELSE
        NULL;
    END CASE;
END
$$;

-- The cases of one inbox of the acting user, most urgent first (due_at,
-- then id), at most p_limit (NULL: all).  Boxes:
--   review      registered, to accept or reject: dispatchers and
--               supervisors of the holding unit or above; handlers of it
--   dispatch    accepted, to dispatch: dispatchers of the holding unit or above
--   signfor     awaiting sign-for at my unit (handler, dispatcher, supervisor)
--   in_progress my cases in progress: assigned to me (also while in
--               review), or unassigned in progress at my unit (handlers)
--   approval    awaiting my decision (supervisors): returns of cases my
--               unit or one below dispatched, extensions and replies of
--               cases held in my jurisdiction; not my own requests
--   followup    awaiting follow-up: role followup (held or registered in my
--               jurisdiction) or intake (registered in my jurisdiction)
--   overdue     past due_at, clock running, held in my jurisdiction or
--               assigned to me
--   supervised  open cases I supervise (督办)
-- Unknown box: 22023.  Internal building block of inbox.  Each box is
-- planned for the clerk at hand: the same box wants opposite plans for
-- the city and for a village.
CREATE OR REPLACE FUNCTION caseterm.inbox_cases(p_box text, p_limit int DEFAULT NULL)
    RETURNS TABLE (case_id bigint, due_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user  bigint := acting_user_id();
    v_unit  bigint;
    v_roles text[];
    v_sub   bigint[];
    v_all   boolean;
    v_where text;
    v_post  text;
BEGIN
    IF p_box IS NULL OR p_box NOT IN ('review', 'dispatch', 'signfor', 'in_progress',
            'approval', 'followup', 'overdue', 'supervised') THEN
        RAISE EXCEPTION 'unknown inbox' USING ERRCODE = '22023', COLUMN = 'box';
    END IF;
    IF v_user IS NULL THEN
        RETURN;
    END IF;
    SELECT u.unit_id, u.roles INTO v_unit, v_roles FROM app_user u WHERE u.id = v_user;
    v_sub := ARRAY(SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit]);
    v_all := cardinality(v_sub) = (SELECT count(*) FROM org_unit);
    SELECT w.cond, w.post INTO v_where, v_post FROM inbox_where(p_box, v_roles, v_all) w;
    IF v_where IS NULL THEN
        RETURN;
    END IF;
    IF v_post IS NOT NULL THEN
        -- The box's cases in order, the post condition checked until
        -- enough have passed.  The outer ORDER BY too: a hash join for
        -- the post condition does not keep the order (as the owner, the
        -- planner chose one: the 500 of 746 returned were not the most
        -- urgent).
        RETURN QUERY EXECUTE
            'SELECT x.id, x.due_at FROM (SELECT c.id, c.due_at FROM legal_case c WHERE '
            || v_where || ' ORDER BY c.due_at NULLS LAST, c.id OFFSET 0) x WHERE '
            || v_post || ' ORDER BY x.due_at NULLS LAST, x.id LIMIT $4'
            USING v_user, v_unit, v_sub, p_limit;
    ELSIF v_all THEN
        -- The city: its boxes are the whole city's; walk them in order.
        RETURN QUERY EXECUTE
            'SELECT c.id, c.due_at FROM legal_case c WHERE ' || v_where
            || ' ORDER BY c.due_at NULLS LAST, c.id LIMIT $4'
            USING v_user, v_unit, v_sub, p_limit;
    ELSE
        -- Below the city: every case of the box in the jurisdiction, then
        -- the first.  Walking the whole city's cases in order of due_at
        -- until enough are the clerk's is a gamble on where they are
        -- (225 000 rows read for a district when another unit had a
        -- backlog).
        RETURN QUERY EXECUTE
            'SELECT x.id, x.due_at FROM (SELECT c.id, c.due_at FROM legal_case c WHERE '
            || v_where || ' OFFSET 0) x ORDER BY x.due_at NULLS LAST, x.id LIMIT $4'
            USING v_user, v_unit, v_sub, p_limit;
    END IF;
END
$$;

-- inbox_counts (031) unchanged but for whose rights it runs with: it
-- counts the same boxes through inbox_where.
ALTER FUNCTION caseterm.inbox_counts(int) SECURITY DEFINER;

REVOKE EXECUTE ON FUNCTION caseterm.inbox_cases(text, int),
    caseterm.inbox_counts(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.inbox_cases(text, int),
    caseterm.inbox_counts(int) TO caseterm_app;
