-- 007_steps.sql — the work-order lifecycle as one SECURITY DEFINER function
-- per step (DESIGN.md §1), and allowed_actions(), which tells the UI the
-- steps this user may take on a case now.
--
--   registered ─case_review_accept─> accepted | ─case_review_reject─> rejected
--   registered ─case_answer (consultations)─> awaiting_followup
--   accepted ─case_dispatch(unit)─> awaiting_signfor ─case_sign─> in_progress
--   accepted ─case_sign (the holding unit handles it itself)─> in_progress
--   awaiting_signfor | in_progress (within the return window)
--       ─case_return(reason)─> return_review
--           ─case_approve_return─> accepted at the dispatching unit (re-dispatch)
--           ─case_refuse_return─> in_progress at the returning unit (forced)
--   awaiting_signfor | in_progress at my unit ─case_dispatch─> onward, down the tree
--   in_progress ─case_transfer(unit, reason)─> awaiting_signfor at the new unit
--   in_progress ─case_request_extension(days, reason)─> extension_review
--       ─case_approve_extension─> in_progress, later deadline | ─case_refuse_extension─> in_progress
--   in_progress ─case_sub_dispatch─> a child case awaiting sign-for (parent unchanged)
--   in_progress ─case_reply─> reply_review ─case_approve_reply─> awaiting_followup
--       (a child case: closed) | ─case_refuse_reply─> in_progress
--   awaiting_followup ─case_followup(satisfaction)─> closed, or in_progress when
--       unsatisfied and justified
--   awaiting_followup, or registered/accepted/in_progress (supervisor) ─case_close─> closed
--   closed ─case_reopen─> in_progress
--   registered..in_progress ─case_merge(into)─> merged
--   any: case_note, case_link; open: case_urge, case_supervise, case_add_party;
--   in_progress: case_assign
--
-- The clock pauses while a return or an extension is in review
-- (deadline_paused_at); when the review ends the reply deadline moves by
-- the working days the pause took.
--
-- Every step function takes the case id and the version the clerk loaded
-- (p_version: required by the steps that change the case, 22023 COLUMN
-- version; NULL skips the check for note, urge, link, add party and
-- sub-dispatch, which leave the case row alone), locks the case, and
-- refuses with:
--   P0002  'no such case' (also when the acting user cannot see it)
--   40001  'the case was changed by someone else; reload it' — DETAIL
--          "<name> <YYYY-MM-DD HH:MI>" of the last change, HINT the version
--   42501  not allowed: no/disabled acting user, a missing role, outside
--          the user's jurisdiction, deciding on one's own request
--   55000  the step is not possible in the case's state (DETAIL: the state)
--          or not any more (return window, extension after the deadline)
--   22023  an invalid value, with COLUMN = the parameter without its p_
-- then changes the case (its version goes up by one: the function returns
-- the new version), appends a case_event (who, when, the acting user's
-- unit, from/to state, reason, detail) and an audit row 'case_<step>'.
-- Steps that leave the case row alone (note, urge, link, sub-dispatch,
-- add party) return the version unchanged.
-- All are executable by caseterm_app; the roles are checked inside.
-- Applied by casetermctl migrate inside its own transaction.

-- ---------------------------------------------------------------- rules

-- Why the acting user may not take step p_action on case c now, as the
-- message the clerk sees; NULL when the step is allowed.  Checks roles,
-- state, jurisdiction and timing, not the values a step is given (those
-- are the step function's).  Internal; allowed_actions and every step use
-- it, so that the menu offers exactly what the steps accept.
CREATE FUNCTION caseterm.action_problem(c caseterm.legal_case, p_action text)
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := acting_user_id();
    v_unit   bigint;
    v_roles  text[];
    v_state  text := c.state;
    v_open   boolean := NOT state_is_final(c.state) AND c.state <> 'draft';
    v_here   boolean;
    v_scope  boolean;
    v_disp   boolean;
    v_sup    boolean;
    v_hand   boolean;
    v_intake boolean;
    v_fol    boolean;
    v_own    boolean;
    v_req    bigint;
BEGIN
    IF v_user IS NULL THEN
        RETURN 'not allowed: no acting user is set';
    END IF;
    SELECT unit_id, roles INTO v_unit, v_roles FROM app_user WHERE id = v_user;
    v_here := c.unit_id = v_unit;
    v_scope := unit_in_scope(c.unit_id, v_unit);
    v_disp := 'dispatcher' = ANY (v_roles);
    v_sup := 'supervisor' = ANY (v_roles);
    v_hand := 'handler' = ANY (v_roles);
    v_intake := 'intake' = ANY (v_roles);
    v_fol := 'followup' = ANY (v_roles);
    -- may act as the handler: the assigned one, or any handler of the
    -- holding unit while nobody is assigned
    v_own := v_hand AND (c.handler_id = v_user OR (c.handler_id IS NULL AND v_here));
    IF p_action IN ('approve_return', 'refuse_return', 'approve_extension',
                    'refuse_extension', 'approve_reply', 'refuse_reply') THEN
        SELECT requested_by INTO v_req FROM case_request
            WHERE case_id = c.id AND decided_at IS NULL;
    END IF;

    CASE p_action
    WHEN 'note', 'link' THEN
        IF NOT (v_roles && ARRAY['intake', 'dispatcher', 'handler', 'supervisor',
                                 'followup', 'admin']) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF p_action = 'link' AND v_state = 'merged' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;

    WHEN 'add_party' THEN
        IF NOT (v_intake OR v_disp OR v_hand OR v_sup) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF NOT v_open THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT (v_scope OR c.handler_id = v_user) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'review_accept', 'review_reject' THEN
        IF NOT (v_disp OR v_sup OR v_hand) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF v_state <> 'registered' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT (((v_disp OR v_sup) AND v_scope) OR (v_hand AND v_here)) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'answer' THEN
        IF NOT v_intake THEN
            RETURN role_required_message('intake');
        END IF;
        IF c.kind <> 'consultation' THEN
            RETURN 'only a consultation can be answered on the spot';
        END IF;
        IF v_state <> 'registered' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT (v_here OR c.created_by = v_user) THEN
            RETURN 'not allowed: the case is not held by your unit';
        END IF;

    WHEN 'dispatch' THEN
        IF NOT v_disp THEN
            RETURN role_required_message('dispatcher');
        END IF;
        IF v_state NOT IN ('accepted', 'awaiting_signfor', 'in_progress') THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_scope THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;
        IF v_state <> 'accepted' AND NOT v_here THEN
            RETURN 'not allowed: the case is not held by your unit';
        END IF;

    WHEN 'sign' THEN
        IF NOT (v_hand OR v_disp OR v_sup) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF v_state NOT IN ('awaiting_signfor', 'accepted') THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_here THEN
            RETURN 'not allowed: the case is not held by your unit';
        END IF;

    WHEN 'return' THEN
        IF NOT (v_hand OR v_disp OR v_sup) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF v_state NOT IN ('awaiting_signfor', 'in_progress') THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_here THEN
            RETURN 'not allowed: the case is not held by your unit';
        END IF;
        IF c.dispatched_by_unit IS NULL OR c.dispatched_by_unit = c.unit_id THEN
            RETURN 'this case was not dispatched to your unit, so it cannot be returned';
        END IF;
        IF v_state = 'in_progress'
           AND now() > rule_deadline(c.dispatched_at, c.kind, 'return', c.urgent) THEN
            RETURN 'the time for returning this case has passed';
        END IF;

    WHEN 'approve_return', 'refuse_return' THEN
        IF NOT v_sup THEN
            RETURN role_required_message('supervisor');
        END IF;
        IF v_state <> 'return_review' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT unit_in_scope(c.dispatched_by_unit, v_unit) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;
        IF v_req = v_user THEN
            RETURN 'not allowed: you cannot decide on your own request';
        END IF;

    WHEN 'transfer', 'assign' THEN
        IF NOT (v_disp OR v_sup OR v_hand) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF v_state <> 'in_progress' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT (((v_disp OR v_sup) AND v_scope) OR (v_hand AND v_here)) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'sub_dispatch' THEN
        IF NOT (v_disp OR v_sup OR v_hand) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF v_state <> 'in_progress' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT (((v_disp OR v_sup) AND v_scope) OR v_own) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'request_extension', 'reply' THEN
        IF NOT v_hand THEN
            RETURN role_required_message('handler');
        END IF;
        IF v_state <> 'in_progress' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_own THEN
            RETURN 'not allowed: only the assigned handler can do this';
        END IF;
        IF p_action = 'request_extension'
           AND (c.deadline IS NULL OR now() > c.deadline) THEN
            RETURN 'an extension must be requested before the deadline';
        END IF;
        IF p_action = 'reply' AND EXISTS (
                SELECT 1 FROM legal_case k
                WHERE k.parent_id = c.id AND NOT state_is_final(k.state)) THEN
            RETURN 'the case has child cases that are still open';
        END IF;

    WHEN 'approve_extension', 'refuse_extension', 'approve_reply', 'refuse_reply' THEN
        IF NOT v_sup THEN
            RETURN role_required_message('supervisor');
        END IF;
        IF v_state <> (ARRAY['extension_review', 'reply_review'])
                       [1 + (p_action LIKE '%reply')::int] THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_scope THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;
        IF v_req = v_user THEN
            RETURN 'not allowed: you cannot decide on your own request';
        END IF;

    WHEN 'followup' THEN
        IF NOT (v_fol OR v_intake) THEN
            RETURN role_required_message('followup');
        END IF;
        IF v_state <> 'awaiting_followup' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT ((v_fol AND v_scope) OR unit_in_scope(c.intake_unit_id, v_unit)) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'close' THEN
        IF NOT (v_sup OR v_fol OR v_intake) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF v_state NOT IN ('awaiting_followup', 'registered', 'accepted', 'in_progress') THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF v_state <> 'awaiting_followup' AND NOT v_sup THEN
            RETURN role_required_message('supervisor');
        END IF;
        IF NOT ((v_sup AND v_scope)
                OR (v_state = 'awaiting_followup'
                    AND ((v_fol AND v_scope)
                         OR ((v_fol OR v_intake)
                             AND unit_in_scope(c.intake_unit_id, v_unit))))) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'reopen' THEN
        IF NOT v_sup THEN
            RETURN role_required_message('supervisor');
        END IF;
        IF v_state <> 'closed' THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_scope THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'supervise', 'unsupervise' THEN
        IF NOT v_sup THEN
            RETURN role_required_message('supervisor');
        END IF;
        IF NOT v_open THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_scope THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;
        IF p_action = 'supervise' AND c.supervised THEN
            RETURN 'the case is already supervised';
        END IF;
        IF p_action = 'unsupervise' AND NOT c.supervised THEN
            RETURN 'the case is not supervised';
        END IF;

    WHEN 'urge' THEN
        IF NOT (v_sup OR v_disp) THEN
            RETURN role_required_message('supervisor');
        END IF;
        IF NOT v_open THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT v_scope THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    WHEN 'merge' THEN
        IF NOT (v_disp OR v_sup OR v_intake) THEN
            RETURN 'not allowed: your role does not permit this step';
        END IF;
        IF v_state NOT IN ('registered', 'accepted', 'awaiting_signfor', 'in_progress') THEN
            RETURN 'this step is not possible in the case''s current state';
        END IF;
        IF NOT (((v_disp OR v_sup) AND v_scope)
                OR (v_intake AND v_state = 'registered' AND v_here)) THEN
            RETURN 'not allowed: the case is outside your jurisdiction';
        END IF;

    ELSE
        RETURN 'unknown step';
    END CASE;
    RETURN NULL;
END
$$;

-- Refuse step p_action with action_problem's message (42501 for "not
-- allowed: ...", 22023 for an unknown step, else 55000 with DETAIL = the
-- case's state).  Internal.
CREATE FUNCTION caseterm.case_check(c caseterm.legal_case, p_action text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v text := action_problem(c, p_action);
BEGIN
    IF v IS NOT NULL THEN
        RAISE EXCEPTION USING MESSAGE = v,
            ERRCODE = CASE WHEN v LIKE 'not allowed%' THEN '42501'
                           WHEN v = 'unknown step' THEN '22023'
                           ELSE '55000' END,
            DETAIL = c.state;
    END IF;
END
$$;

-- A reason a clerk typed: trimmed, at most 2000 characters, required when
-- p_required.  Errors 22023 COLUMN reason.  Internal.
CREATE FUNCTION caseterm.reason_text(p_reason text, p_required boolean)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v text := clean_text(p_reason);
BEGIN
    IF v IS NULL AND p_required THEN
        RAISE EXCEPTION 'a reason is required' USING ERRCODE = '22023', COLUMN = 'reason';
    END IF;
    IF char_length(v) > 2000 THEN
        RAISE EXCEPTION 'the reason must be at most 2000 characters'
            USING ERRCODE = '22023', COLUMN = 'reason';
    END IF;
    RETURN v;
END
$$;

-- A unit a case is sent to: it must exist and be enabled (with every unit
-- above it).  Errors 22023 COLUMN unit_id.  Internal.
CREATE FUNCTION caseterm.target_unit(p_unit bigint, p_case caseterm.legal_case)
    RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF p_unit IS NULL OR NOT unit_active(p_unit) THEN
        RAISE EXCEPTION 'unknown unit' USING ERRCODE = '22023', COLUMN = 'unit_id';
    END IF;
    IF p_unit = p_case.unit_id THEN
        RAISE EXCEPTION 'the case is already at that unit'
            USING ERRCODE = '22023', COLUMN = 'unit_id';
    END IF;
    RETURN p_unit;
END
$$;

-- The open request of a case (return, extension, reply), locked.  Internal.
CREATE FUNCTION caseterm.case_open_request(p_case_id bigint)
    RETURNS caseterm.case_request
    LANGUAGE sql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT * FROM case_request
    WHERE case_id = p_case_id AND decided_at IS NULL
    FOR UPDATE
$$;

-- ---------------------------------------------------------------- review

-- Accept a registered case (legal aid: eligible).  Roles: dispatcher or
-- supervisor of the holding unit or above; a handler of the holding unit.
-- registered -> accepted.  p_note optional.
CREATE FUNCTION caseterm.case_review_accept(p_case_id bigint, p_version int,
                                            p_note text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_change(p_case_id, p_version);
    v_note text;
    v_ver  int;
BEGIN
    PERFORM case_check(c, 'review_accept');
    v_note := reason_text(p_note, false);
    UPDATE legal_case SET state = 'accepted', step_deadline = NULL, updated_by = v_user
        WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'review_accept', 'accepted', v_note);
    RETURN v_ver;
END
$$;

-- Reject a registered case (legal aid: not eligible) with a reason
-- (required).  Roles as case_review_accept.  registered -> rejected (over).
CREATE FUNCTION caseterm.case_review_reject(p_case_id bigint, p_version int,
                                            p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_reason text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'review_reject');
    v_reason := reason_text(p_reason, true);
    UPDATE legal_case SET state = 'rejected', step_deadline = NULL,
                          closed_at = now(), updated_by = v_user
        WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'review_reject', 'rejected', v_reason);
    RETURN v_ver;
END
$$;

-- Answer a consultation on the spot (role intake; the holding unit or the
-- clerk who registered it).  p_answer: the answer, up to 10000; NULL keeps
-- the answer given at registration (one of the two is required).
-- registered -> awaiting_followup, with the follow-up deadline.
CREATE FUNCTION caseterm.case_answer(p_case_id bigint, p_version int,
                                     p_answer text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_answer text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'answer');
    v_answer := coalesce(clean_text(p_answer), c.answer);
    IF v_answer IS NULL THEN
        RAISE EXCEPTION 'the answer is required' USING ERRCODE = '22023', COLUMN = 'answer';
    END IF;
    IF char_length(v_answer) > 10000 THEN
        RAISE EXCEPTION 'the answer must be at most 10000 characters'
            USING ERRCODE = '22023', COLUMN = 'answer';
    END IF;
    UPDATE legal_case
       SET state = 'awaiting_followup', answer = v_answer, replied_at = now(),
           step_deadline = rule_deadline(now(), kind, 'followup', urgent),
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'answer', 'awaiting_followup', NULL,
                        jsonb_build_object('on_the_spot', true));
    RETURN v_ver;
END
$$;

-- ---------------------------------------------------------------- dispatch

-- Dispatch a case to a unit (role dispatcher): an accepted case held in
-- the dispatcher's jurisdiction, or a case awaiting sign-for or in progress
-- at the dispatcher's own unit (passed on down the tree).  p_unit_id: an
-- enabled unit in the dispatcher's jurisdiction, not the one holding the
-- case (22023 COLUMN unit_id; 42501 outside).  -> awaiting_signfor at that
-- unit, with the sign-for deadline; no handler; the dispatcher's unit
-- decides on a return.  p_note optional.
CREATE FUNCTION caseterm.case_dispatch(p_case_id bigint, p_version int,
                                       p_unit_id bigint, p_note text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    v_unit bigint := acting_unit_id();
    c      legal_case := case_for_change(p_case_id, p_version);
    v_to   bigint;
    v_note text;
    v_ver  int;
BEGIN
    PERFORM case_check(c, 'dispatch');
    v_to := target_unit(p_unit_id, c);
    IF NOT unit_in_scope(v_to, v_unit) THEN
        RAISE EXCEPTION 'not allowed: the unit is outside your jurisdiction'
            USING ERRCODE = '42501', COLUMN = 'unit_id';
    END IF;
    v_note := reason_text(p_note, false);
    UPDATE legal_case
       SET state = 'awaiting_signfor', unit_id = v_to, handler_id = NULL,
           dispatched_by_unit = v_unit, dispatched_at = now(), signed_at = NULL,
           step_deadline = rule_deadline(now(), kind, 'signfor', urgent),
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'dispatch', 'awaiting_signfor', v_note,
                        jsonb_build_object('from_unit', c.unit_id, 'to_unit', v_to));
    RETURN v_ver;
END
$$;

-- Sign for a case at the holding unit (roles handler, dispatcher or
-- supervisor of that unit): awaiting_signfor -> in_progress; also
-- accepted -> in_progress when the unit that accepted it handles it
-- itself (detail self = true).
CREATE FUNCTION caseterm.case_sign(p_case_id bigint, p_version int)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_change(p_case_id, p_version);
    v_ver  int;
BEGIN
    PERFORM case_check(c, 'sign');
    UPDATE legal_case SET state = 'in_progress', signed_at = now(),
                          step_deadline = NULL, updated_by = v_user
        WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'sign', 'in_progress', NULL,
                        jsonb_build_object('self', c.state = 'accepted'));
    RETURN v_ver;
END
$$;

-- Return a case to the unit that dispatched it, with a reason (required):
-- from awaiting_signfor, or from in_progress within the return window
-- (deadline_rule 'return', from the dispatch).  Roles handler, dispatcher
-- or supervisor of the holding unit.  -> return_review; the clock pauses.
CREATE FUNCTION caseterm.case_return(p_case_id bigint, p_version int,
                                     p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_reason text;
    v_req    bigint;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'return');
    v_reason := reason_text(p_reason, true);
    INSERT INTO case_request (case_id, kind, requested_by, requested_unit, reason)
        VALUES (c.id, 'return', v_user, acting_unit_id(), v_reason)
        RETURNING id INTO v_req;
    UPDATE legal_case
       SET state = 'return_review', step_deadline = NULL,
           deadline_paused_at = coalesce(deadline_paused_at, now()),
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'return', 'return_review', v_reason,
                        jsonb_build_object('request_id', v_req,
                                           'to_unit', c.dispatched_by_unit));
    RETURN v_ver;
END
$$;

-- Decide on a return (role supervisor, at the dispatching unit or above,
-- not the one who asked).  Approve: the case goes back to the dispatching
-- unit as accepted, to be dispatched again.  Refuse (reason required):
-- forced dispatch — the case stays with the returning unit, in progress.
-- Either way the clock resumes and the reply deadline moves by the working
-- days of the pause (detail shift).
CREATE FUNCTION caseterm.case_approve_return(p_case_id bigint, p_version int,
                                             p_note text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_change(p_case_id, p_version);
    r      case_request;
    v_note text;
    v_new  record;
    v_ver  int;
BEGIN
    PERFORM case_check(c, 'approve_return');
    v_note := reason_text(p_note, false);
    r := case_open_request(c.id);
    v_new := case_resumed_deadline(c);
    UPDATE case_request SET decided_by = v_user, decided_at = now(), approved = true,
                            decision_reason = v_note
        WHERE id = r.id;
    UPDATE legal_case
       SET state = 'accepted', unit_id = dispatched_by_unit, handler_id = NULL,
           signed_at = NULL, step_deadline = NULL,
           deadline = v_new.deadline, deadline_paused_at = NULL,
           paused_workdays = paused_workdays + v_new.shift, updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'approve_return', 'accepted', v_note,
                        jsonb_build_object('request_id', r.id,
                                           'from_unit', c.unit_id,
                                           'to_unit', c.dispatched_by_unit,
                                           'shift', v_new.shift));
    RETURN v_ver;
END
$$;

CREATE FUNCTION caseterm.case_refuse_return(p_case_id bigint, p_version int,
                                            p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    r        case_request;
    v_reason text;
    v_new    record;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'refuse_return');
    v_reason := reason_text(p_reason, true);
    r := case_open_request(c.id);
    v_new := case_resumed_deadline(c);
    UPDATE case_request SET decided_by = v_user, decided_at = now(), approved = false,
                            decision_reason = v_reason
        WHERE id = r.id;
    UPDATE legal_case
       SET state = 'in_progress', signed_at = coalesce(signed_at, now()),
           deadline = v_new.deadline, deadline_paused_at = NULL,
           paused_workdays = paused_workdays + v_new.shift, updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'refuse_return', 'in_progress', v_reason,
                        jsonb_build_object('request_id', r.id, 'forced', true,
                                           'shift', v_new.shift));
    RETURN v_ver;
END
$$;

-- Transfer a case in progress to another unit, with a reason (required):
-- roles dispatcher or supervisor of the holding unit or above, or a
-- handler of the holding unit.  p_unit_id: any enabled unit but the
-- holder (22023 COLUMN unit_id).  -> awaiting_signfor at the new unit with
-- the sign-for deadline; the reply deadline keeps running; the
-- transferring unit decides on a return.
CREATE FUNCTION caseterm.case_transfer(p_case_id bigint, p_version int,
                                       p_unit_id bigint, p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_to     bigint;
    v_reason text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'transfer');
    v_to := target_unit(p_unit_id, c);
    v_reason := reason_text(p_reason, true);
    UPDATE legal_case
       SET state = 'awaiting_signfor', unit_id = v_to, handler_id = NULL,
           dispatched_by_unit = acting_unit_id(), dispatched_at = now(),
           signed_at = NULL,
           step_deadline = rule_deadline(now(), kind, 'signfor', urgent),
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'transfer', 'awaiting_signfor', v_reason,
                        jsonb_build_object('from_unit', c.unit_id, 'to_unit', v_to));
    RETURN v_ver;
END
$$;

-- ---------------------------------------------------------------- extension

-- Ask for more time (role handler: the assigned handler, or a handler of
-- the holding unit while none is assigned), before the reply deadline
-- (55000 after it).  p_days: 1..deadline_rule 'extension_max' (10; 22023
-- COLUMN days, DETAIL the maximum); p_reason required.
-- in_progress -> extension_review; the clock pauses.
CREATE FUNCTION caseterm.case_request_extension(p_case_id bigint, p_version int,
                                                p_days int, p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_max    int;
    v_reason text;
    v_req    bigint;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'request_extension');
    v_max := coalesce(rule_workdays(c.kind, 'extension_max', c.urgent), 10);
    IF p_days IS NULL OR p_days < 1 OR p_days > v_max THEN
        RAISE EXCEPTION 'an extension must be between 1 and the allowed number of working days'
            USING ERRCODE = '22023', COLUMN = 'days', DETAIL = v_max::text;
    END IF;
    v_reason := reason_text(p_reason, true);
    INSERT INTO case_request (case_id, kind, requested_by, requested_unit, reason, days)
        VALUES (c.id, 'extension', v_user, acting_unit_id(), v_reason, p_days)
        RETURNING id INTO v_req;
    UPDATE legal_case
       SET state = 'extension_review',
           deadline_paused_at = coalesce(deadline_paused_at, now()),
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'request_extension', 'extension_review', v_reason,
                        jsonb_build_object('request_id', v_req, 'days', p_days));
    RETURN v_ver;
END
$$;

-- Decide on an extension (role supervisor of the holding unit or above,
-- not the one who asked).  Approve: p_days NULL grants what was asked,
-- else 1..asked (22023 COLUMN days); the reply deadline moves by the
-- pause and then by the days granted.  Refuse (reason required): the
-- deadline moves by the pause only.  Either way -> in_progress.
CREATE FUNCTION caseterm.case_approve_extension(p_case_id bigint, p_version int,
                                                p_days int DEFAULT NULL,
                                                p_note text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_change(p_case_id, p_version);
    r      case_request;
    v_days int;
    v_note text;
    v_new  record;
    v_dl   timestamptz;
    v_ver  int;
BEGIN
    PERFORM case_check(c, 'approve_extension');
    r := case_open_request(c.id);
    v_days := coalesce(p_days, r.days);
    IF v_days < 1 OR v_days > r.days THEN
        RAISE EXCEPTION 'the days granted must be between 1 and the days asked for'
            USING ERRCODE = '22023', COLUMN = 'days', DETAIL = r.days::text;
    END IF;
    v_note := reason_text(p_note, false);
    v_new := case_resumed_deadline(c);
    v_dl := add_workdays(v_new.deadline, v_days);
    UPDATE case_request SET decided_by = v_user, decided_at = now(), approved = true,
                            granted_days = v_days, decision_reason = v_note
        WHERE id = r.id;
    UPDATE legal_case
       SET state = 'in_progress', deadline = v_dl, deadline_paused_at = NULL,
           paused_workdays = paused_workdays + v_new.shift, updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'approve_extension', 'in_progress', v_note,
                        jsonb_build_object('request_id', r.id, 'days', v_days,
                                           'shift', v_new.shift,
                                           'old_deadline', c.deadline,
                                           'deadline', v_dl));
    RETURN v_ver;
END
$$;

CREATE FUNCTION caseterm.case_refuse_extension(p_case_id bigint, p_version int,
                                               p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    r        case_request;
    v_reason text;
    v_new    record;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'refuse_extension');
    v_reason := reason_text(p_reason, true);
    r := case_open_request(c.id);
    v_new := case_resumed_deadline(c);
    UPDATE case_request SET decided_by = v_user, decided_at = now(), approved = false,
                            decision_reason = v_reason
        WHERE id = r.id;
    UPDATE legal_case
       SET state = 'in_progress', deadline = v_new.deadline, deadline_paused_at = NULL,
           paused_workdays = paused_workdays + v_new.shift, updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'refuse_extension', 'in_progress', v_reason,
                        jsonb_build_object('request_id', r.id, 'shift', v_new.shift,
                                           'deadline', v_new.deadline));
    RETURN v_ver;
END
$$;

-- ---------------------------------------------------------------- handling

-- Sub-dispatch part of a case in progress to a unit as a child case with
-- its own deadline (roles dispatcher or supervisor of the holding unit or
-- above, or the case's handler).  p_unit_id: an enabled unit in the acting
-- user's jurisdiction (22023/42501 COLUMN unit_id); p_subject: the task,
-- 1..2000 (COLUMN subject); p_days: working days, 0 = today, and the
-- child's deadline may not be later than the parent's (22023 COLUMN days).
-- The child: same kind, applicant, channel, category and place, state
-- awaiting_signfor at that unit, parent_id = the case; when its reply is
-- approved it closes.  The parent does not change (version unchanged) and
-- cannot be replied to while a child is open.  Returns the child.
CREATE FUNCTION caseterm.case_sub_dispatch(p_case_id bigint, p_version int,
                                           p_unit_id bigint, p_subject text,
                                           p_days int)
    RETURNS TABLE (case_id bigint, case_no text, deadline timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_user    bigint := require_role(NULL);
    v_unit    bigint := acting_unit_id();
    c         legal_case := case_for_step(p_case_id, p_version);
    k         legal_case;
    v_to      bigint;
    v_subject text := clean_text(p_subject);
    v_dl      timestamptz;
BEGIN
    PERFORM case_check(c, 'sub_dispatch');
    v_to := target_unit(p_unit_id, c);
    IF NOT unit_in_scope(v_to, v_unit) THEN
        RAISE EXCEPTION 'not allowed: the unit is outside your jurisdiction'
            USING ERRCODE = '42501', COLUMN = 'unit_id';
    END IF;
    IF v_subject IS NULL THEN
        RAISE EXCEPTION 'the description is required'
            USING ERRCODE = '22023', COLUMN = 'subject';
    END IF;
    IF char_length(v_subject) > 2000 THEN
        RAISE EXCEPTION 'the description must be at most 2000 characters'
            USING ERRCODE = '22023', COLUMN = 'subject';
    END IF;
    IF p_days IS NULL OR p_days < 0 OR p_days > 250 THEN
        RAISE EXCEPTION 'the number of working days must be between 0 and 250'
            USING ERRCODE = '22023', COLUMN = 'days';
    END IF;
    v_dl := add_workdays(now(), p_days);
    IF c.deadline IS NOT NULL AND v_dl > c.deadline THEN
        RAISE EXCEPTION 'the child case''s deadline cannot be later than the parent''s'
            USING ERRCODE = '22023', COLUMN = 'days',
                  DETAIL = to_char(c.deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD');
    END IF;
    INSERT INTO legal_case (case_no, kind, state, channel, unit_id, applicant_id,
                            created_by, subject, urgent, category, place_unit_id,
                            parent_id, deadline, step_deadline, intake_unit_id,
                            dispatched_by_unit, dispatched_at, updated_by)
        VALUES (next_case_no(), c.kind, 'awaiting_signfor', c.channel, v_to,
                c.applicant_id, v_user, v_subject, c.urgent, c.category,
                c.place_unit_id, c.id, v_dl,
                least(v_dl, rule_deadline(now(), c.kind, 'signfor', c.urgent)),
                v_unit, v_unit, now(), v_user)
        RETURNING * INTO k;
    INSERT INTO case_event (case_id, user_id, unit_id, kind, from_state, to_state, detail)
        VALUES (k.id, v_user, v_unit, 'sub_dispatch', NULL, 'awaiting_signfor',
                jsonb_build_object('parent_id', c.id, 'parent_no', c.case_no,
                                   'to_unit', v_to, 'deadline', v_dl));
    PERFORM case_record(c, 'sub_dispatch', NULL, NULL,
                        jsonb_build_object('child_id', k.id, 'child_no', k.case_no,
                                           'to_unit', v_to, 'deadline', v_dl));
    case_id := k.id;
    case_no := k.case_no;
    deadline := k.deadline;
    RETURN NEXT;
END
$$;

-- Assign the handler of a case in progress (roles dispatcher or supervisor
-- of the holding unit or above, or a handler of the holding unit, e.g.
-- taking it on himself).  p_handler_id: an active user with the role
-- handler at the holding unit or below (22023 COLUMN handler_id).
CREATE FUNCTION caseterm.case_assign(p_case_id bigint, p_version int,
                                     p_handler_id bigint)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_change(p_case_id, p_version);
    v_name text;
    v_ver  int;
BEGIN
    PERFORM case_check(c, 'assign');
    SELECT u.display_name INTO v_name FROM app_user u
        WHERE u.id = p_handler_id AND 'handler' = ANY (u.roles)
          AND user_active(u.id) AND unit_in_scope(u.unit_id, c.unit_id);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the handler must be an active handler of the unit holding the case'
            USING ERRCODE = '22023', COLUMN = 'handler_id';
    END IF;
    UPDATE legal_case SET handler_id = p_handler_id, updated_by = v_user
        WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'assign', NULL, NULL,
                        jsonb_build_object('handler_id', p_handler_id,
                                           'handler_name', v_name,
                                           'previous_handler_id', c.handler_id));
    RETURN v_ver;
END
$$;

-- Reply to the applicant (role handler: the assigned handler, or a handler
-- of the holding unit while none is assigned): p_reply 1..10000 (COLUMN
-- reply); refused while a child case is open.  in_progress ->
-- reply_review; the reply waits in case_request for a supervisor.
CREATE FUNCTION caseterm.case_reply(p_case_id bigint, p_version int,
                                    p_reply text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user  bigint := require_role(NULL);
    c       legal_case := case_for_change(p_case_id, p_version);
    v_reply text := clean_text(p_reply);
    v_req   bigint;
    v_ver   int;
BEGIN
    PERFORM case_check(c, 'reply');
    IF v_reply IS NULL THEN
        RAISE EXCEPTION 'the reply is required' USING ERRCODE = '22023', COLUMN = 'reply';
    END IF;
    IF char_length(v_reply) > 10000 THEN
        RAISE EXCEPTION 'the reply must be at most 10000 characters'
            USING ERRCODE = '22023', COLUMN = 'reply';
    END IF;
    INSERT INTO case_request (case_id, kind, requested_by, requested_unit, reply)
        VALUES (c.id, 'reply', v_user, acting_unit_id(), v_reply)
        RETURNING id INTO v_req;
    UPDATE legal_case SET state = 'reply_review', updated_by = v_user
        WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'reply', 'reply_review', NULL,
                        jsonb_build_object('request_id', v_req));
    RETURN v_ver;
END
$$;

-- Decide on a reply (role supervisor of the holding unit or above, not the
-- one who replied).  Approve: the reply becomes the case's answer;
-- -> awaiting_followup with the follow-up deadline (a child case: closed).
-- Refuse (reason required): -> in_progress, to reply again.
CREATE FUNCTION caseterm.case_approve_reply(p_case_id bigint, p_version int,
                                            p_note text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_change(p_case_id, p_version);
    r      case_request;
    v_note text;
    v_to   text := CASE WHEN c.parent_id IS NULL THEN 'awaiting_followup' ELSE 'closed' END;
    v_ver  int;
BEGIN
    PERFORM case_check(c, 'approve_reply');
    v_note := reason_text(p_note, false);
    r := case_open_request(c.id);
    UPDATE case_request SET decided_by = v_user, decided_at = now(), approved = true,
                            decision_reason = v_note
        WHERE id = r.id;
    UPDATE legal_case
       SET state = v_to, answer = r.reply, replied_at = now(),
           closed_at = CASE WHEN v_to = 'closed' THEN now() END,
           step_deadline = CASE WHEN v_to = 'awaiting_followup'
                                THEN rule_deadline(now(), kind, 'followup', urgent) END,
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'approve_reply', v_to, v_note,
                        jsonb_build_object('request_id', r.id));
    RETURN v_ver;
END
$$;

CREATE FUNCTION caseterm.case_refuse_reply(p_case_id bigint, p_version int,
                                           p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    r        case_request;
    v_reason text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'refuse_reply');
    v_reason := reason_text(p_reason, true);
    r := case_open_request(c.id);
    UPDATE case_request SET decided_by = v_user, decided_at = now(), approved = false,
                            decision_reason = v_reason
        WHERE id = r.id;
    UPDATE legal_case SET state = 'in_progress', updated_by = v_user
        WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'refuse_reply', 'in_progress', v_reason,
                        jsonb_build_object('request_id', r.id));
    RETURN v_ver;
END
$$;

-- ---------------------------------------------------------------- follow-up and close

-- Record the follow-up call (role followup at the holding unit or above,
-- or at the registering unit or above; or role intake at the registering
-- unit or above).  p_satisfaction: satisfied | basically | unsatisfied
-- (22023 COLUMN satisfaction); p_justified: an unsatisfied opinion that is
-- justified reopens the case (-> in_progress, new deadline deadline_rule
-- 'reopen'); otherwise -> closed.  p_comment optional (COLUMN reason).
CREATE FUNCTION caseterm.case_followup(p_case_id bigint, p_version int,
                                       p_satisfaction text,
                                       p_justified boolean DEFAULT false,
                                       p_comment text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user    bigint := require_role(NULL);
    c         legal_case := case_for_change(p_case_id, p_version);
    v_sat     text := lower(clean_text(p_satisfaction));
    v_comment text;
    v_reopen  boolean;
    v_ver     int;
BEGIN
    PERFORM case_check(c, 'followup');
    IF v_sat IS NULL OR v_sat NOT IN ('satisfied', 'basically', 'unsatisfied') THEN
        RAISE EXCEPTION 'choose the applicant''s opinion: satisfied, basically satisfied or unsatisfied'
            USING ERRCODE = '22023', COLUMN = 'satisfaction';
    END IF;
    v_comment := reason_text(p_comment, false);
    v_reopen := v_sat = 'unsatisfied' AND coalesce(p_justified, false);
    IF v_reopen THEN
        UPDATE legal_case
           SET state = 'in_progress', satisfaction = v_sat,
               reopen_count = reopen_count + 1, step_deadline = NULL,
               deadline = rule_deadline(now(), kind, 'reopen', urgent),
               updated_by = v_user
         WHERE id = c.id RETURNING version INTO v_ver;
    ELSE
        UPDATE legal_case
           SET state = 'closed', satisfaction = v_sat, closed_at = now(),
               step_deadline = NULL, updated_by = v_user
         WHERE id = c.id RETURNING version INTO v_ver;
    END IF;
    PERFORM case_record(c, 'followup',
                        CASE WHEN v_reopen THEN 'in_progress' ELSE 'closed' END,
                        v_comment,
                        jsonb_build_object('satisfaction', v_sat,
                                           'justified', v_reopen));
    RETURN v_ver;
END
$$;

-- Close a case with a reason (required): awaiting_followup (e.g. the
-- applicant cannot be reached) by whoever may record the follow-up or a
-- supervisor; registered, accepted or in_progress (e.g. withdrawn) by a
-- supervisor of the holding unit or above.  -> closed.
CREATE FUNCTION caseterm.case_close(p_case_id bigint, p_version int,
                                    p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_reason text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'close');
    v_reason := reason_text(p_reason, true);
    UPDATE legal_case SET state = 'closed', closed_at = now(), step_deadline = NULL,
                          updated_by = v_user
        WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'close', 'closed', v_reason);
    RETURN v_ver;
END
$$;

-- Reopen a closed case with a reason (required; role supervisor of the
-- holding unit or above).  -> in_progress at the same unit and handler,
-- with the deadline of deadline_rule 'reopen'.
CREATE FUNCTION caseterm.case_reopen(p_case_id bigint, p_version int,
                                     p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_reason text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'reopen');
    v_reason := reason_text(p_reason, true);
    UPDATE legal_case
       SET state = 'in_progress', closed_at = NULL, reopen_count = reopen_count + 1,
           step_deadline = NULL, deadline = rule_deadline(now(), kind, 'reopen', urgent),
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'reopen', 'in_progress', v_reason);
    RETURN v_ver;
END
$$;

-- ---------------------------------------------------------------- cross-cutting

-- Add a note to the timeline (any role but analyst alone; any state).
-- p_text 1..2000 (COLUMN text).  No change to the case; returns its
-- version.  p_version NULL: no version check.
CREATE FUNCTION caseterm.case_note(p_case_id bigint, p_version int, p_text text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_step(p_case_id, p_version);
    v_text text := clean_text(p_text);
BEGIN
    PERFORM case_check(c, 'note');
    IF v_text IS NULL THEN
        RAISE EXCEPTION 'the note is required' USING ERRCODE = '22023', COLUMN = 'text';
    END IF;
    IF char_length(v_text) > 2000 THEN
        RAISE EXCEPTION 'the note must be at most 2000 characters'
            USING ERRCODE = '22023', COLUMN = 'text';
    END IF;
    PERFORM case_record(c, 'note', NULL, v_text);
    RETURN c.version;
END
$$;

-- Urge 催办 an open case (roles supervisor or dispatcher of the holding
-- unit or above): an event only, no change (the handler is not made to
-- reload).  p_reason optional.  Returns the version.
CREATE FUNCTION caseterm.case_urge(p_case_id bigint, p_version int,
                                   p_reason text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_step(p_case_id, p_version);
    v_reason text;
BEGIN
    PERFORM case_check(c, 'urge');
    v_reason := reason_text(p_reason, false);
    PERFORM case_record(c, 'urge', NULL, v_reason,
                        jsonb_build_object('unit_id', c.unit_id,
                                           'handler_id', c.handler_id));
    RETURN c.version;
END
$$;

-- Supervise 督办 an open case, or stop (p_on false) (role supervisor of
-- the holding unit or above): the flag, and the acting supervisor as its
-- owner.  p_reason optional.
CREATE FUNCTION caseterm.case_supervise(p_case_id bigint, p_version int,
                                        p_on boolean DEFAULT true,
                                        p_reason text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    v_on     boolean := coalesce(p_on, true);
    v_reason text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, CASE WHEN v_on THEN 'supervise' ELSE 'unsupervise' END);
    v_reason := reason_text(p_reason, false);
    UPDATE legal_case
       SET supervised = v_on,
           supervised_by = CASE WHEN v_on THEN v_user END,
           supervised_at = CASE WHEN v_on THEN now() END,
           updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, CASE WHEN v_on THEN 'supervise' ELSE 'unsupervise' END,
                        NULL, v_reason,
                        jsonb_build_object('previous_owner', c.supervised_by));
    RETURN v_ver;
END
$$;

-- Merge a duplicate into another case (roles dispatcher or supervisor of
-- the holding unit or above; an intake clerk of the holding unit while the
-- duplicate is still registered).  The duplicate: registered, accepted,
-- awaiting_signfor or in_progress -> merged, merged_into = p_into_case_id.
-- The other case: one the user sees, not itself, not merged or rejected
-- (22023 COLUMN into_case_id); it gets an event 'merge_in' and does not
-- change.  p_reason optional.
CREATE FUNCTION caseterm.case_merge(p_case_id bigint, p_version int,
                                    p_into_case_id bigint, p_reason text DEFAULT NULL)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_change(p_case_id, p_version);
    t        legal_case;
    v_reason text;
    v_ver    int;
BEGIN
    PERFORM case_check(c, 'merge');
    IF p_into_case_id = c.id THEN
        RAISE EXCEPTION 'a case cannot be merged into itself'
            USING ERRCODE = '22023', COLUMN = 'into_case_id';
    END IF;
    SELECT * INTO t FROM legal_case WHERE id = p_into_case_id FOR UPDATE;
    IF NOT FOUND OR NOT case_visible(t.id) THEN
        RAISE EXCEPTION 'the case to merge into was not found'
            USING ERRCODE = '22023', COLUMN = 'into_case_id';
    END IF;
    IF t.state IN ('merged', 'rejected') THEN
        RAISE EXCEPTION 'a case cannot be merged into a merged or rejected case'
            USING ERRCODE = '22023', COLUMN = 'into_case_id';
    END IF;
    v_reason := reason_text(p_reason, false);
    UPDATE legal_case
       SET state = 'merged', merged_into = t.id, closed_at = now(),
           step_deadline = NULL, updated_by = v_user
     WHERE id = c.id RETURNING version INTO v_ver;
    PERFORM case_record(c, 'merge', 'merged', v_reason,
                        jsonb_build_object('into_case_id', t.id, 'into_case_no', t.case_no));
    PERFORM case_record(t, 'merge_in', NULL, v_reason,
                        jsonb_build_object('case_id', c.id, 'case_no', c.case_no));
    RETURN v_ver;
END
$$;

-- Link two related cases (any role but analyst alone; both must be
-- visible; 22023 COLUMN other_case_id).  Linking again does nothing.  An
-- event 'link' on both; neither changes.  Returns the case's version.
CREATE FUNCTION caseterm.case_link(p_case_id bigint, p_version int,
                                   p_other_case_id bigint)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
    c      legal_case := case_for_step(p_case_id, p_version);
    t      legal_case;
    v_n    int;
BEGIN
    PERFORM case_check(c, 'link');
    IF p_other_case_id = c.id THEN
        RAISE EXCEPTION 'a case cannot be linked to itself'
            USING ERRCODE = '22023', COLUMN = 'other_case_id';
    END IF;
    SELECT * INTO t FROM legal_case WHERE id = p_other_case_id;
    IF NOT FOUND OR NOT case_visible(t.id) THEN
        RAISE EXCEPTION 'the case to link was not found'
            USING ERRCODE = '22023', COLUMN = 'other_case_id';
    END IF;
    INSERT INTO case_link (case_a, case_b, created_by)
        VALUES (least(c.id, t.id), greatest(c.id, t.id), v_user)
        ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n > 0 THEN
        PERFORM case_record(c, 'link', NULL, NULL,
                            jsonb_build_object('case_id', t.id, 'case_no', t.case_no));
        PERFORM case_record(t, 'link', NULL, NULL,
                            jsonb_build_object('case_id', c.id, 'case_no', c.case_no));
    END IF;
    RETURN c.version;
END
$$;

-- Add a party to an open case (roles intake, dispatcher, handler or
-- supervisor of the holding unit or above, or the case's handler).
-- p_role applicant | respondent | other (22023 COLUMN role); the person as
-- register_consultation finds or creates the applicant; p_note the role in
-- words, up to 200.  Refused when the person already has that role in the
-- case, or is on the other side.  Returns the case_party id; the case's
-- version does not change.
CREATE FUNCTION caseterm.case_add_party(p_case_id bigint, p_version int,
                                        p_role text, p_name text, p_phone text,
                                        p_id_number text, p_note text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user   bigint := require_role(NULL);
    c        legal_case := case_for_step(p_case_id, p_version);
    v_role   text := lower(clean_text(p_role));
    v_note   text := clean_text(p_note);
    v_person bigint;
    v_id     bigint;
BEGIN
    PERFORM case_check(c, 'add_party');
    IF v_role IS NULL OR v_role NOT IN ('applicant', 'respondent', 'other') THEN
        RAISE EXCEPTION 'a party''s role must be applicant, respondent or other'
            USING ERRCODE = '22023', COLUMN = 'role';
    END IF;
    IF char_length(v_note) > 200 THEN
        RAISE EXCEPTION 'the note must be at most 200 characters'
            USING ERRCODE = '22023', COLUMN = 'note';
    END IF;
    v_person := person_resolve(p_name, p_phone, p_id_number);
    IF EXISTS (SELECT 1 FROM case_party p
               WHERE p.case_id = c.id AND p.person_id = v_person
                 AND p.role IN ('applicant', 'respondent') AND p.role <> v_role
                 AND v_role <> 'other')
       OR (v_role = 'respondent' AND c.applicant_id = v_person) THEN
        RAISE EXCEPTION 'the same person cannot be both applicant and respondent'
            USING ERRCODE = '22023', COLUMN = 'role';
    END IF;
    INSERT INTO case_party (case_id, person_id, role, note, added_by)
        VALUES (c.id, v_person, v_role, v_note, v_user)
        ON CONFLICT (case_id, person_id, role) DO NOTHING
        RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'this person is already a party of the case in that role'
            USING ERRCODE = '22023', COLUMN = 'name';
    END IF;
    PERFORM case_record(c, 'add_party', NULL, NULL,
                        jsonb_build_object('party_id', v_id, 'person_id', v_person,
                                           'role', v_role));
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------- the menu

-- The steps the acting user may take on the case now, in menu order, with
-- the function each one calls (case_<action>; 'unsupervise' is
-- case_supervise with p_on false).  No rows for a case the user cannot
-- see.  The values a step needs (unit, days, reason, ...) are checked only
-- when the step is taken.  Roles: any.
CREATE FUNCTION caseterm.allowed_actions(p_case_id bigint)
    RETURNS TABLE (action text, function_name text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c legal_case;
    a text;
BEGIN
    IF acting_user_id() IS NULL OR NOT case_visible(p_case_id) THEN
        RETURN;
    END IF;
    SELECT * INTO c FROM legal_case WHERE id = p_case_id;
    FOREACH a IN ARRAY ARRAY['review_accept', 'review_reject', 'answer', 'sign',
            'dispatch', 'return', 'approve_return', 'refuse_return', 'assign',
            'reply', 'approve_reply', 'refuse_reply', 'request_extension',
            'approve_extension', 'refuse_extension', 'transfer', 'sub_dispatch',
            'followup', 'close', 'reopen', 'urge', 'supervise', 'unsupervise',
            'merge', 'link', 'add_party', 'note'] LOOP
        IF action_problem(c, a) IS NULL THEN
            action := a;
            function_name := 'case_' || CASE WHEN a = 'unsupervise' THEN 'supervise' ELSE a END;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION
    caseterm.action_problem(caseterm.legal_case, text),
    caseterm.case_check(caseterm.legal_case, text),
    caseterm.reason_text(text, boolean),
    caseterm.target_unit(bigint, caseterm.legal_case),
    caseterm.case_open_request(bigint),
    caseterm.case_review_accept(bigint, int, text),
    caseterm.case_review_reject(bigint, int, text),
    caseterm.case_answer(bigint, int, text),
    caseterm.case_dispatch(bigint, int, bigint, text),
    caseterm.case_sign(bigint, int),
    caseterm.case_return(bigint, int, text),
    caseterm.case_approve_return(bigint, int, text),
    caseterm.case_refuse_return(bigint, int, text),
    caseterm.case_transfer(bigint, int, bigint, text),
    caseterm.case_request_extension(bigint, int, int, text),
    caseterm.case_approve_extension(bigint, int, int, text),
    caseterm.case_refuse_extension(bigint, int, text),
    caseterm.case_sub_dispatch(bigint, int, bigint, text, int),
    caseterm.case_assign(bigint, int, bigint),
    caseterm.case_reply(bigint, int, text),
    caseterm.case_approve_reply(bigint, int, text),
    caseterm.case_refuse_reply(bigint, int, text),
    caseterm.case_followup(bigint, int, text, boolean, text),
    caseterm.case_close(bigint, int, text),
    caseterm.case_reopen(bigint, int, text),
    caseterm.case_note(bigint, int, text),
    caseterm.case_urge(bigint, int, text),
    caseterm.case_supervise(bigint, int, boolean, text),
    caseterm.case_merge(bigint, int, bigint, text),
    caseterm.case_link(bigint, int, bigint),
    caseterm.case_add_party(bigint, int, text, text, text, text, text),
    caseterm.allowed_actions(bigint)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    caseterm.case_review_accept(bigint, int, text),
    caseterm.case_review_reject(bigint, int, text),
    caseterm.case_answer(bigint, int, text),
    caseterm.case_dispatch(bigint, int, bigint, text),
    caseterm.case_sign(bigint, int),
    caseterm.case_return(bigint, int, text),
    caseterm.case_approve_return(bigint, int, text),
    caseterm.case_refuse_return(bigint, int, text),
    caseterm.case_transfer(bigint, int, bigint, text),
    caseterm.case_request_extension(bigint, int, int, text),
    caseterm.case_approve_extension(bigint, int, int, text),
    caseterm.case_refuse_extension(bigint, int, text),
    caseterm.case_sub_dispatch(bigint, int, bigint, text, int),
    caseterm.case_assign(bigint, int, bigint),
    caseterm.case_reply(bigint, int, text),
    caseterm.case_approve_reply(bigint, int, text),
    caseterm.case_refuse_reply(bigint, int, text),
    caseterm.case_followup(bigint, int, text, boolean, text),
    caseterm.case_close(bigint, int, text),
    caseterm.case_reopen(bigint, int, text),
    caseterm.case_note(bigint, int, text),
    caseterm.case_urge(bigint, int, text),
    caseterm.case_supervise(bigint, int, boolean, text),
    caseterm.case_merge(bigint, int, bigint, text),
    caseterm.case_link(bigint, int, bigint),
    caseterm.case_add_party(bigint, int, text, text, text, text, text),
    caseterm.allowed_actions(bigint)
    TO caseterm_app;
