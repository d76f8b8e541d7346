-- 038_zero_report.sql — the zero report (零报告): each day a village
-- station or a town justice office that found no dispute says so, so that
-- the levels above know silence from neglect.  A unit that registered a
-- dispute that day has nothing to report as zero.
--
--   zero_report            (unit_id, day): who reported, when
--   zero_report_file()     the acting clerk (role intake) files today's
--                          report (Beijing time) for their unit; returns
--                          reported_at (a second call: the first one's);
--                          22023 when the unit registered a mediation
--                          case today; audited 'zero_report'
--   zero_report_status(day)   the units of the acting user's subtree at
--                          town and village level (the own unit first):
--                          reported_at, reported_by_name, disputes (the
--                          mediation cases they registered that day);
--                          for a clerk of any role
--
-- Row-level security: a user reads the reports of their unit's subtree.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

CREATE TABLE caseterm.zero_report (
    unit_id     bigint NOT NULL REFERENCES caseterm.org_unit (id),
    day         date NOT NULL,
    reported_by bigint NOT NULL REFERENCES caseterm.app_user (id),
    reported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_id, day)
);
ALTER TABLE caseterm.zero_report ENABLE ROW LEVEL SECURITY;
CREATE POLICY zero_report_subtree ON caseterm.zero_report
    FOR SELECT TO caseterm_app
    USING (unit_id = ANY ((SELECT caseterm.acting_subtree())::bigint[]));
GRANT SELECT ON caseterm.zero_report TO caseterm_app;

CREATE FUNCTION caseterm.zero_report_file() RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user  bigint := require_role('intake');
    v_unit  bigint := acting_unit_id();
    v_day   date := (now() AT TIME ZONE 'Asia/Shanghai')::date;
    v_at    timestamptz;
    v_n     int;
BEGIN
    SELECT count(*) INTO v_n FROM legal_case c
     WHERE c.intake_unit_id = v_unit AND c.kind = 'mediation'
       AND c.created_at >= v_day::timestamp AT TIME ZONE 'Asia/Shanghai';
    IF v_n > 0 THEN
        RAISE EXCEPTION 'your unit registered disputes today: there is no zero to report'
            USING ERRCODE = '22023', DETAIL = v_n::text;
    END IF;
    INSERT INTO zero_report (unit_id, day, reported_by) VALUES (v_unit, v_day, v_user)
        ON CONFLICT (unit_id, day) DO NOTHING
        RETURNING reported_at INTO v_at;
    IF v_at IS NULL THEN
        RETURN (SELECT z.reported_at FROM zero_report z
                WHERE z.unit_id = v_unit AND z.day = v_day);
    END IF;
    PERFORM audit_write('zero_report', 'org_unit:' || v_unit,
                        jsonb_build_object('day', v_day));
    RETURN v_at;
END
$$;

CREATE FUNCTION caseterm.zero_report_status(p_day date DEFAULT NULL)
    RETURNS TABLE (unit_code text, unit_name text, own boolean,
                   reported_at timestamptz, reported_by_name text, disputes int)
    LANGUAGE plpgsql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_unit bigint := acting_unit_id();
    v_day  date := coalesce(p_day, (now() AT TIME ZONE 'Asia/Shanghai')::date);
BEGIN
    IF v_unit IS NULL THEN
        RAISE EXCEPTION 'not allowed: no acting user is set' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT o.code, o.name, o.id = v_unit, z.reported_at, u.display_name,
           (SELECT count(*)::int FROM legal_case c
             WHERE c.intake_unit_id = o.id AND c.kind = 'mediation'
               AND c.created_at >= v_day::timestamp AT TIME ZONE 'Asia/Shanghai'
               AND c.created_at < (v_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
      FROM org_unit o
      LEFT JOIN zero_report z ON z.unit_id = o.id AND z.day = v_day
      LEFT JOIN app_user u ON u.id = z.reported_by
     WHERE o.path @> ARRAY[v_unit] AND NOT o.disabled
       AND o.level IN ('town', 'village')
     ORDER BY o.id <> v_unit, o.path;
END
$$;

REVOKE EXECUTE ON FUNCTION caseterm.zero_report_file(),
    caseterm.zero_report_status(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.zero_report_file(),
    caseterm.zero_report_status(date) TO caseterm_app;
