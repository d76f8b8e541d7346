-- 037_dashboard.sql — the command dashboard (指挥调度): the open cases of
-- the leader's jurisdiction as they stand now, by area (the districts for
-- the city, the towns for a district; the own unit first), for the
-- supervisors and analysts who watch the whole picture:
--
--   dashboard()   unit_code, unit_name, own, open (not closed, merged,
--                 rejected or a draft), new_today (registered since
--                 midnight, Beijing time), signfor (awaiting sign-for),
--                 handling (in progress), review (a return, an extension
--                 or a reply waiting for a decision), due_soon, overdue
--                 (by warning_level, as the inboxes show them), urgent,
--                 supervised (open ones)
--
-- Like the figures (030) it runs as the application role: row-level
-- security decides which cases there are to count, and it reads no person.
-- 42501 without the role supervisor or analyst.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

CREATE FUNCTION caseterm.dashboard()
    RETURNS TABLE (unit_code text, unit_name text, own boolean, open int,
                   new_today int, signfor int, handling int, review int,
                   due_soon int, overdue int, urgent int, supervised int)
    LANGUAGE plpgsql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_unit  bigint;
    v_depth int;
    v_today timestamptz := (now() AT TIME ZONE 'Asia/Shanghai')::date::timestamp
                           AT TIME ZONE 'Asia/Shanghai';
BEGIN
    SELECT u.unit_id INTO v_unit FROM app_user u
     WHERE u.id = acting_user_id()
       AND u.roles && ARRAY['analyst', 'supervisor'];
    IF v_unit IS NULL THEN
        RAISE EXCEPTION 'not allowed: the dashboard is for supervisors and analysts'
            USING ERRCODE = '42501';
    END IF;
    SELECT cardinality(o.path) INTO v_depth FROM org_unit o WHERE o.id = v_unit;
    RETURN QUERY
    WITH c AS (
        SELECT CASE WHEN cardinality(o.path) > v_depth THEN o.path[v_depth + 1]
                    ELSE o.id END AS area,
               c.state::text AS state, c.created_at, c.urgent, c.supervised,
               warning_level(c.due_at, c.deadline_paused_at, c.state::text) AS warning
          FROM legal_case c
          JOIN org_unit o ON o.id = c.unit_id
         WHERE o.path @> ARRAY[v_unit]
           AND c.state NOT IN ('closed', 'merged', 'rejected', 'draft'))
    SELECT a.code, a.name, a.id = v_unit,
           count(c.area)::int,
           count(c.area) FILTER (WHERE c.created_at >= v_today)::int,
           count(c.area) FILTER (WHERE c.state = 'awaiting_signfor')::int,
           count(c.area) FILTER (WHERE c.state = 'in_progress')::int,
           count(c.area) FILTER (WHERE c.state IN ('return_review', 'extension_review',
                                                   'reply_review'))::int,
           count(c.area) FILTER (WHERE c.warning = 'due_soon')::int,
           count(c.area) FILTER (WHERE c.warning = 'overdue')::int,
           count(c.area) FILTER (WHERE c.urgent)::int,
           count(c.area) FILTER (WHERE c.supervised)::int
      FROM org_unit a
      LEFT JOIN c ON c.area = a.id
     WHERE a.id = v_unit OR a.parent_id = v_unit
     GROUP BY a.id, a.code, a.name
    HAVING NOT bool_or(a.disabled) OR count(c.area) > 0
     ORDER BY a.id <> v_unit, a.code;
END
$$;

REVOKE EXECUTE ON FUNCTION caseterm.dashboard() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.dashboard() TO caseterm_app;
