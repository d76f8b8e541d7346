-- 030_figures.sql — the Figures screen of analysts and supervisors: how
-- many cases, of which kind, where, in which state, and the KPIs the bureau
-- is judged on.  Aggregates only: nothing here returns a person, a name, a
-- number or a case.
--
--   figures_by_area(since, until)  cases by area and kind.  The areas are
--        the units one level below the caller's unit (the districts for the
--        city, the towns for a district), each with everything below it,
--        and the caller's unit itself for the cases it holds directly
--   figures_by_state(since, until) cases by state
--   figures_kpi(since, until)      the KPIs, each as a count over a count
--        and a percentage (NULL when there is nothing to divide by):
--          mediation rate 调处率     mediated / accepted: mediation cases
--                                    whose result was replied (and the reply
--                                    approved) over those accepted (past
--                                    review: not registered, rejected or
--                                    merged)
--          success rate 调解成功率   succeeded / mediated: mediated cases
--                                    closed, never reopened, and not found
--                                    unsatisfied at the follow-up call (the
--                                    schema records no mediation outcome
--                                    yet: this is the nearest it tells)
--          satisfaction rate 满意率  satisfied + basically satisfied / cases
--                                    followed up (any kind)
--          on-time rate 按期办结率   closed cases replied to (or closed,
--                                    when there was no reply) by their
--                                    deadline / closed cases with a deadline
--
-- since, until: the days (China's) the cases were registered on, both
-- included; NULL: no bound.  Only cases held in the caller's unit or below
-- count, not those the caller merely dispatched elsewhere or created.
--
-- SECURITY INVOKER: the functions run as the application role, so
-- row-level security decides which cases there are to count (a district
-- counts its district, the city the city); they add nothing to it.  The
-- acting user must hold the role analyst or supervisor (42501).
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- The cases the figures count: (kind, state, ...) of the visible cases
-- held in the acting user's subtree and registered in the period, with
-- the area each counts under.  Raises 42501 without analyst or supervisor.
CREATE FUNCTION caseterm.figures_cases(p_since date, p_until date)
    RETURNS TABLE (area bigint, kind text, state text, replied_at timestamptz,
                   closed_at timestamptz, deadline timestamptz,
                   satisfaction text, reopen_count int)
    LANGUAGE plpgsql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_unit  bigint;
    v_depth int;
BEGIN
    SELECT u.unit_id INTO v_unit FROM app_user u
     WHERE u.id = acting_user_id()
       AND u.roles && ARRAY['analyst', 'supervisor'];
    IF v_unit IS NULL THEN
        RAISE EXCEPTION 'not allowed: figures are for analysts and supervisors'
            USING ERRCODE = '42501';
    END IF;
    SELECT cardinality(o.path) INTO v_depth FROM org_unit o WHERE o.id = v_unit;
    RETURN QUERY
    SELECT CASE WHEN cardinality(o.path) > v_depth THEN o.path[v_depth + 1]
                ELSE o.id END,
           c.kind, c.state::text, c.replied_at, c.closed_at, c.deadline,
           c.satisfaction, c.reopen_count
      FROM legal_case c
      JOIN org_unit o ON o.id = c.unit_id
     WHERE o.path @> ARRAY[v_unit]
       AND (p_since IS NULL
            OR c.created_at >= p_since::timestamp AT TIME ZONE 'Asia/Shanghai')
       AND (p_until IS NULL
            OR c.created_at < (p_until + 1)::timestamp AT TIME ZONE 'Asia/Shanghai');
END
$$;

-- Cases by area and kind: one row for the caller's unit (its own cases,
-- first, own true) and one for each unit directly below it, in code order.
CREATE FUNCTION caseterm.figures_by_area(p_since date DEFAULT NULL,
                                         p_until date DEFAULT NULL)
    RETURNS TABLE (unit_code text, unit_name text, own boolean,
                   consultation int, legal_aid int, legal_service int,
                   mediation int, complaint int, suggestion int, total int)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
    WITH c AS (SELECT * FROM figures_cases(p_since, p_until)),
         me AS (SELECT unit_id AS id FROM app_user WHERE id = acting_user_id())
    SELECT a.code, a.name, a.id = me.id,
           count(c.kind) FILTER (WHERE c.kind = 'consultation')::int,
           count(c.kind) FILTER (WHERE c.kind = 'legal_aid')::int,
           count(c.kind) FILTER (WHERE c.kind = 'legal_service')::int,
           count(c.kind) FILTER (WHERE c.kind = 'mediation')::int,
           count(c.kind) FILTER (WHERE c.kind = 'complaint')::int,
           count(c.kind) FILTER (WHERE c.kind = 'suggestion')::int,
           count(c.kind)::int
      FROM me
      JOIN org_unit a ON a.id = me.id OR a.parent_id = me.id
      LEFT JOIN c ON c.area = a.id
     GROUP BY a.id, a.code, a.name, me.id
    HAVING NOT bool_or(a.disabled) OR count(c.kind) > 0
     ORDER BY a.id <> me.id, a.code
$$;

-- Cases by state, in the order of the lifecycle; states without cases
-- are left out.
CREATE FUNCTION caseterm.figures_by_state(p_since date DEFAULT NULL,
                                          p_until date DEFAULT NULL)
    RETURNS TABLE (state text, cases int)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT c.state, count(*)::int
      FROM figures_cases(p_since, p_until) c
     GROUP BY c.state
     ORDER BY array_position(ARRAY['draft', 'registered', 'accepted',
                 'rejected', 'awaiting_signfor', 'in_progress',
                 'return_review', 'extension_review', 'reply_review',
                 'awaiting_followup', 'closed', 'merged'], c.state)
$$;

-- The share num of den in percent, one decimal; NULL when den is 0.
CREATE FUNCTION caseterm.figures_rate(p_num int, p_den int) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_den > 0 THEN round(100.0 * p_num / p_den, 1) END
$$;

-- The KPIs (see the head of this file), one row.
CREATE FUNCTION caseterm.figures_kpi(p_since date DEFAULT NULL,
                                     p_until date DEFAULT NULL)
    RETURNS TABLE (accepted int, mediated int, mediation_rate numeric,
                   succeeded int, success_rate numeric,
                   followed_up int, satisfied int, satisfaction_rate numeric,
                   closed int, on_time int, on_time_rate numeric)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
    WITH n AS (
        SELECT count(*) FILTER (WHERE c.kind = 'mediation'
                   AND c.state NOT IN ('draft', 'registered', 'rejected',
                                       'merged'))::int AS accepted,
               count(*) FILTER (WHERE c.kind = 'mediation'
                   AND c.replied_at IS NOT NULL)::int AS mediated,
               count(*) FILTER (WHERE c.kind = 'mediation'
                   AND c.replied_at IS NOT NULL AND c.state = 'closed'
                   AND c.reopen_count = 0
                   AND c.satisfaction IS DISTINCT FROM 'unsatisfied')::int
                   AS succeeded,
               count(*) FILTER (WHERE c.satisfaction IS NOT NULL)::int
                   AS followed_up,
               count(*) FILTER (WHERE c.satisfaction IN ('satisfied',
                   'basically'))::int AS satisfied,
               count(*) FILTER (WHERE c.state = 'closed'
                   AND c.deadline IS NOT NULL)::int AS closed,
               count(*) FILTER (WHERE c.state = 'closed'
                   AND c.deadline IS NOT NULL
                   AND coalesce(c.replied_at, c.closed_at) <= c.deadline)::int
                   AS on_time
          FROM figures_cases(p_since, p_until) c)
    SELECT n.accepted, n.mediated, figures_rate(n.mediated, n.accepted),
           n.succeeded, figures_rate(n.succeeded, n.mediated),
           n.followed_up, n.satisfied, figures_rate(n.satisfied, n.followed_up),
           n.closed, n.on_time, figures_rate(n.on_time, n.closed)
      FROM n
$$;

REVOKE EXECUTE ON FUNCTION caseterm.figures_cases(date, date),
    caseterm.figures_by_area(date, date), caseterm.figures_by_state(date, date),
    caseterm.figures_kpi(date, date)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.figures_cases(date, date),
    caseterm.figures_by_area(date, date), caseterm.figures_by_state(date, date),
    caseterm.figures_kpi(date, date)
    TO caseterm_app;
