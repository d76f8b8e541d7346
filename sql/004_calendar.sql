-- 004_calendar.sql — the working-day calendar and the deadline rules.
--
-- Deadlines (DESIGN.md §1) run on working days: Monday to Friday, except
-- the official public holidays, plus the weekend days that are worked to
-- make up for them.  The official list of each year comes from
-- data/holiday-cn/YYYY.json (field `isOffDay`: true = a day off, false = a
-- weekend day that is worked); `casetermctl calendar import FILE...` and
-- the demo loader pass each file's text to calendar_import().  A year that
-- was never imported counts plain weekends (Saturday and Sunday off).
--
-- Every date here is a date in China (Asia/Shanghai); a deadline is the end
-- of a working day there (23:59:59 local time).
--
-- The deadline rules: how many working days each step of each case kind
-- may take (deadline_rule), editable by an administrator through
-- deadline_rule_set().
--
-- Applied by casetermctl migrate inside its own transaction.

-- ---------------------------------------------------------------- calendar

-- work_calendar: every day from the first imported year to the last, with
-- whether it is a working day (a year between two imported ones that was
-- not imported itself has plain weekends).  `name` is the holiday's name
-- from the official list (NULL for an ordinary day); `adjusted` is true for
-- the days the list changed (a holiday on a weekday, or a worked weekend
-- day).  `ordinal` counts the working days up to and including the day,
-- so that a deadline is two index lookups (kept by calendar_import; do not
-- delete rows by hand).
CREATE TABLE caseterm.work_calendar (
    day        date PRIMARY KEY,
    is_workday boolean NOT NULL,
    adjusted   boolean NOT NULL DEFAULT false,
    name       text CHECK (char_length(name) <= 50),
    ordinal    int NOT NULL DEFAULT 0
);
CREATE INDEX work_calendar_ordinal ON caseterm.work_calendar (ordinal) WHERE is_workday;

-- calendar_year: the imported years, when, and how many days off and
-- worked weekend days the list had.
CREATE TABLE caseterm.calendar_year (
    year        int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    imported_at timestamptz NOT NULL DEFAULT now(),
    off_days    int NOT NULL,
    workdays    int NOT NULL,
    papers      jsonb NOT NULL DEFAULT '[]'
);

-- The date in China of a moment.
CREATE FUNCTION caseterm.cn_date(p timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (p AT TIME ZONE 'Asia/Shanghai')::date $$;

-- The end of a day in China (23:59:59 local time): what a deadline is.
CREATE FUNCTION caseterm.end_of_day(p date) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (p + time '23:59:59') AT TIME ZONE 'Asia/Shanghai' $$;

-- true when the day is a working day: as the imported calendar says, else
-- Monday to Friday.
CREATE FUNCTION caseterm.is_workday(p date) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
    SELECT coalesce((SELECT w.is_workday FROM caseterm.work_calendar w WHERE w.day = p),
                    extract(isodow FROM p) < 6)
$$;

-- The deadline n working days after the moment p_from: the end of the n-th
-- working day after p_from's date in China.  n = 0 means the same day: the
-- end of p_from's date if that is a working day, else of the next working
-- day (urgent items).  NULL for a NULL argument; n < 0 raises 22023.
-- Inside the calendar: by work_calendar.ordinal; outside it, day by day
-- with plain weekends.
CREATE FUNCTION caseterm.add_workdays(p_from timestamptz, p_n int)
    RETURNS timestamptz
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_start date := cn_date(p_from);
    v_ord   int;
    v_work  boolean;
    v_day   date;
BEGIN
    IF p_n < 0 THEN
        RAISE EXCEPTION 'the number of working days cannot be negative'
            USING ERRCODE = '22023';
    END IF;
    SELECT w.ordinal, w.is_workday INTO v_ord, v_work
        FROM work_calendar w WHERE w.day = v_start;
    IF FOUND THEN
        IF p_n = 0 AND v_work THEN
            RETURN end_of_day(v_start);
        END IF;
        SELECT w.day INTO v_day FROM work_calendar w
            WHERE w.ordinal = v_ord + greatest(p_n, 1) AND w.is_workday;
        IF FOUND THEN
            RETURN end_of_day(v_day);
        END IF;
    END IF;
    -- Outside the calendar.  Longest run of days off in the official
    -- lists: 9 days; a window of 2n + 40 days always holds n working days.
    SELECT g.d::date INTO v_day
    FROM generate_series((v_start + (p_n > 0)::int)::timestamp,
                         (v_start + 2 * p_n + 40)::timestamp, interval '1 day') g(d)
    LEFT JOIN work_calendar w ON w.day = g.d::date
    WHERE coalesce(w.is_workday, extract(isodow FROM g.d) < 6)
    ORDER BY g.d
    OFFSET greatest(p_n - 1, 0) LIMIT 1;
    RETURN end_of_day(v_day);
END
$$;

-- The number of working days from a to b: the working days after a's date
-- up to and including b's date (dates in China); negative when b is before
-- a, 0 on the same day.  Used to shift a paused deadline: a pause from
-- Monday to Wednesday costs two working days (Tuesday and Wednesday).
CREATE FUNCTION caseterm.workdays_between(p_a timestamptz, p_b timestamptz)
    RETURNS int
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_a date := cn_date(p_a);
    v_b date := cn_date(p_b);
    v   int;
BEGIN
    SELECT wb.ordinal - wa.ordinal INTO v
        FROM work_calendar wa, work_calendar wb
        WHERE wa.day = v_a AND wb.day = v_b;
    IF FOUND THEN
        RETURN v;
    END IF;
    SELECT sign(v_b - v_a)::int * count(*)::int INTO v
    FROM generate_series((least(v_a, v_b) + 1)::timestamp,
                         greatest(v_a, v_b)::timestamp, interval '1 day') g(d)
    LEFT JOIN work_calendar w ON w.day = g.d::date
    WHERE coalesce(w.is_workday, extract(isodow FROM g.d) < 6);
    RETURN v;
END
$$;

-- Import one year of the official holiday list: the JSON document of
-- data/holiday-cn/YYYY.json, {"year": 2026, "papers": [...], "days":
-- [{"name": "国庆节", "date": "2026-10-01", "isOffDay": true}, ...]}.
-- Writes every day of that year into work_calendar (replacing what an
-- earlier import wrote, so importing again changes nothing) and returns the
-- year, the number of days, days off and working days in it, and how many
-- listed days off and worked weekend days the document had.  Audit row
-- 'calendar_import' (by the acting user, or none: the operator).
-- Internal: called by casetermctl (a superuser) and by
-- calendar_import_admin; not executable by the application.
-- Errors 22023: not a holiday document, a date outside its year or listed
-- twice, isOffDay not true/false.
CREATE FUNCTION caseterm.calendar_import(p_doc jsonb)
    RETURNS TABLE (year int, days int, days_off int, working_days int,
                   listed_off int, listed_workdays int)
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_year int;
    v_bad  text;
BEGIN
    IF jsonb_typeof(p_doc) IS DISTINCT FROM 'object'
       OR jsonb_typeof(p_doc->'year') IS DISTINCT FROM 'number'
       OR jsonb_typeof(p_doc->'days') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'not a holiday calendar document'
            USING ERRCODE = '22023',
                  HINT = 'expected {"year": YYYY, "days": [{"date", "isOffDay", "name"}]}';
    END IF;
    v_year := (p_doc->>'year')::int;
    IF v_year NOT BETWEEN 2000 AND 2100 THEN
        RAISE EXCEPTION 'not a holiday calendar document'
            USING ERRCODE = '22023', DETAIL = 'year ' || v_year;
    END IF;
    SELECT coalesce(d->>'date', d::text) INTO v_bad
    FROM jsonb_array_elements(p_doc->'days') d
    WHERE jsonb_typeof(d) <> 'object'
       OR coalesce(d->>'date', '') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
       OR jsonb_typeof(d->'isOffDay') IS DISTINCT FROM 'boolean'
       OR left(d->>'date', 4)::int <> v_year
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the holiday calendar has a day that is not valid'
            USING ERRCODE = '22023', DETAIL = v_bad;
    END IF;
    SELECT d->>'date' INTO v_bad
    FROM jsonb_array_elements(p_doc->'days') d
    GROUP BY d->>'date' HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the holiday calendar lists a day twice'
            USING ERRCODE = '22023', DETAIL = v_bad;
    END IF;

    INSERT INTO work_calendar AS w (day, is_workday, adjusted, name)
    SELECT g.d::date,
           coalesce(NOT (x.d->>'isOffDay')::boolean, extract(isodow FROM g.d) < 6),
           x.d IS NOT NULL,
           left(x.d->>'name', 50)
    FROM generate_series(make_date(v_year, 1, 1)::timestamp,
                         make_date(v_year, 12, 31)::timestamp, interval '1 day') g(d)
    LEFT JOIN jsonb_array_elements(p_doc->'days') x(d)
           ON (x.d->>'date')::date = g.d::date
    ON CONFLICT (day) DO UPDATE
        SET is_workday = EXCLUDED.is_workday, adjusted = EXCLUDED.adjusted,
            name = EXCLUDED.name
        WHERE (w.is_workday, w.adjusted, w.name)
              IS DISTINCT FROM (EXCLUDED.is_workday, EXCLUDED.adjusted, EXCLUDED.name);

    -- No gaps: the years between imported ones get plain weekends.
    INSERT INTO work_calendar (day, is_workday)
    SELECT g.d::date, extract(isodow FROM g.d) < 6
    FROM (SELECT min(day) AS lo, max(day) AS hi FROM work_calendar) r,
         generate_series(r.lo::timestamp, r.hi::timestamp, interval '1 day') g(d)
    ON CONFLICT (day) DO NOTHING;
    -- The running count of working days.
    UPDATE work_calendar w SET ordinal = x.o
    FROM (SELECT day, (count(*) FILTER (WHERE is_workday) OVER (ORDER BY day))::int AS o
          FROM work_calendar) x
    WHERE w.day = x.day AND w.ordinal IS DISTINCT FROM x.o;

    INSERT INTO calendar_year AS y (year, imported_at, off_days, workdays, papers)
    SELECT v_year, now(),
           count(*) FILTER (WHERE (d->>'isOffDay')::boolean),
           count(*) FILTER (WHERE NOT (d->>'isOffDay')::boolean),
           coalesce(p_doc->'papers', '[]')
    FROM jsonb_array_elements(p_doc->'days') d
    ON CONFLICT (year) DO UPDATE
        SET imported_at = EXCLUDED.imported_at, off_days = EXCLUDED.off_days,
            workdays = EXCLUDED.workdays, papers = EXCLUDED.papers;

    PERFORM audit_write('calendar_import', 'calendar_year:' || v_year,
                        (SELECT jsonb_build_object('listed_off', y.off_days,
                                                   'listed_workdays', y.workdays)
                         FROM calendar_year y WHERE y.year = v_year));
    RETURN QUERY
    SELECT v_year,
           count(*)::int,
           count(*) FILTER (WHERE NOT w.is_workday)::int,
           count(*) FILTER (WHERE w.is_workday)::int,
           y.off_days, y.workdays
    FROM work_calendar w, calendar_year y
    WHERE w.day BETWEEN make_date(v_year, 1, 1) AND make_date(v_year, 12, 31)
      AND y.year = v_year
    GROUP BY y.off_days, y.workdays;
END
$$;

-- For the city-wide settings here: the acting user must be an
-- administrator (role 'admin') of a root unit (the city), not of a
-- district.  Returns the user id; raises 42501.  Internal.
CREATE FUNCTION caseterm.require_city_admin_user() RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role('admin');
BEGIN
    IF (SELECT o.parent_id FROM app_user u JOIN org_unit o ON o.id = u.unit_id
        WHERE u.id = v_user) IS NOT NULL THEN
        RAISE EXCEPTION 'not allowed: only a city administrator can do this'
            USING ERRCODE = '42501';
    END IF;
    RETURN v_user;
END
$$;

-- The same for a city administrator working in the application (role
-- 'admin' at the city): imports the document (audited by calendar_import).
-- Errors: 42501 not allowed; 22023 as calendar_import.
CREATE FUNCTION caseterm.calendar_import_admin(p_doc jsonb)
    RETURNS TABLE (year int, days int, days_off int, working_days int,
                   listed_off int, listed_workdays int)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    PERFORM require_city_admin_user();
    FOR r IN SELECT * FROM calendar_import(p_doc) LOOP
        year := r.year;
        days := r.days;
        days_off := r.days_off;
        working_days := r.working_days;
        listed_off := r.listed_off;
        listed_workdays := r.listed_workdays;
        RETURN NEXT;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------- rules

-- deadline_rule: how many working days a step may take, per case kind
-- ('*' = every kind without a row of its own).  urgent_workdays applies to
-- cases marked urgent (0 = the same day).  Steps:
--   review         registered -> accepted/rejected (legal aid: eligibility)
--   handle         the case's deadline for a reply, from registration
--   signfor        a dispatched or transferred case must be signed for
--   return         a unit may return a case this long after it was dispatched
--   followup       the follow-up call after the reply was approved
--   extension_max  the most working days one extension may add
--   reopen         the new deadline of a reopened case
--   warn           a deadline this close (in working days) is "due soon"
CREATE TABLE caseterm.deadline_rule (
    kind            text NOT NULL
                    CHECK (kind IN ('*', 'consultation', 'legal_aid',
                                    'legal_service', 'mediation', 'complaint',
                                    'suggestion')),
    step            text NOT NULL
                    CHECK (step IN ('review', 'handle', 'signfor', 'return',
                                    'followup', 'extension_max', 'reopen',
                                    'warn')),
    workdays        int NOT NULL CHECK (workdays BETWEEN 0 AND 250),
    urgent_workdays int NOT NULL CHECK (urgent_workdays BETWEEN 0 AND 250),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      bigint REFERENCES caseterm.app_user (id),
    PRIMARY KEY (kind, step)
);

-- The local rules of DESIGN.md §1.  Mediation "normally within a month":
-- 22 working days.
INSERT INTO caseterm.deadline_rule (kind, step, workdays, urgent_workdays) VALUES
    ('*', 'review', 1, 0),
    ('*', 'handle', 15, 0),
    ('*', 'signfor', 1, 0),
    ('*', 'return', 2, 0),
    ('*', 'followup', 1, 1),
    ('*', 'extension_max', 10, 10),
    ('*', 'reopen', 5, 0),
    ('*', 'warn', 1, 1),
    ('consultation', 'handle', 5, 0),
    ('legal_aid', 'review', 7, 0),
    ('legal_aid', 'handle', 10, 0),
    ('legal_service', 'handle', 10, 0),
    ('mediation', 'handle', 22, 0),
    ('complaint', 'handle', 15, 0),
    ('suggestion', 'handle', 15, 15);

-- The working days of a step for a kind (its own row, else the '*' row);
-- NULL when neither exists.
CREATE FUNCTION caseterm.rule_workdays(p_kind text, p_step text,
                                       p_urgent boolean DEFAULT false)
    RETURNS int
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v int;
BEGIN
    SELECT CASE WHEN coalesce(p_urgent, false) THEN r.urgent_workdays
                ELSE r.workdays END INTO v
    FROM deadline_rule r
    WHERE r.step = p_step AND r.kind IN (p_kind, '*')
    ORDER BY r.kind = '*'
    LIMIT 1;
    RETURN v;
END
$$;

-- The deadline of a step started at p_from: add_workdays(p_from, rule);
-- NULL when there is no rule.
CREATE FUNCTION caseterm.rule_deadline(p_from timestamptz, p_kind text,
                                       p_step text, p_urgent boolean DEFAULT false)
    RETURNS timestamptz
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN add_workdays(p_from, rule_workdays(p_kind, p_step, p_urgent));
END
$$;

-- Set one deadline rule (a city administrator): p_kind '*' or a case kind, p_step
-- as in deadline_rule, p_workdays and p_urgent_workdays 0..250 (NULL
-- urgent: the same as p_workdays; extension_max at least 1).  Creates or
-- replaces the row; audit 'deadline_rule_set' with the old and new values.
-- Deadlines already set on cases do not move.
-- Errors: 42501 not allowed; 22023 with COLUMN = kind | step | workdays |
-- urgent_workdays.
CREATE FUNCTION caseterm.deadline_rule_set(p_kind text, p_step text,
                                           p_workdays int,
                                           p_urgent_workdays int DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_city_admin_user();
    v_old  deadline_rule;
    v_urg  int := coalesce(p_urgent_workdays, p_workdays);
BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('*', 'consultation', 'legal_aid',
            'legal_service', 'mediation', 'complaint', 'suggestion') THEN
        RAISE EXCEPTION 'unknown case kind' USING ERRCODE = '22023', COLUMN = 'kind';
    END IF;
    IF p_step IS NULL OR p_step NOT IN ('review', 'handle', 'signfor', 'return',
            'followup', 'extension_max', 'reopen', 'warn') THEN
        RAISE EXCEPTION 'unknown deadline step' USING ERRCODE = '22023', COLUMN = 'step';
    END IF;
    IF p_workdays IS NULL OR p_workdays NOT BETWEEN 0 AND 250
       OR (p_step = 'extension_max' AND p_workdays < 1) THEN
        RAISE EXCEPTION 'the number of working days must be between 0 and 250'
            USING ERRCODE = '22023', COLUMN = 'workdays';
    END IF;
    IF v_urg NOT BETWEEN 0 AND 250 THEN
        RAISE EXCEPTION 'the number of working days must be between 0 and 250'
            USING ERRCODE = '22023', COLUMN = 'urgent_workdays';
    END IF;
    SELECT * INTO v_old FROM deadline_rule WHERE kind = p_kind AND step = p_step;
    INSERT INTO deadline_rule (kind, step, workdays, urgent_workdays, updated_at, updated_by)
        VALUES (p_kind, p_step, p_workdays, v_urg, now(), v_user)
        ON CONFLICT (kind, step) DO UPDATE
            SET workdays = EXCLUDED.workdays,
                urgent_workdays = EXCLUDED.urgent_workdays,
                updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;
    PERFORM audit_write('deadline_rule_set', 'deadline_rule:' || p_kind || '/' || p_step,
                        jsonb_build_object('old_workdays', v_old.workdays,
                                           'old_urgent_workdays', v_old.urgent_workdays,
                                           'workdays', p_workdays,
                                           'urgent_workdays', v_urg));
END
$$;

-- ---------------------------------------------------------------- privileges

GRANT SELECT ON caseterm.work_calendar, caseterm.calendar_year,
    caseterm.deadline_rule TO caseterm_app;

REVOKE EXECUTE ON FUNCTION caseterm.require_city_admin_user(),
    caseterm.calendar_import(jsonb),
    caseterm.calendar_import_admin(jsonb),
    caseterm.deadline_rule_set(text, text, int, int)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.calendar_import_admin(jsonb),
    caseterm.deadline_rule_set(text, text, int, int)
    TO caseterm_app;
-- cn_date, end_of_day, is_workday, add_workdays, workdays_between,
-- rule_workdays and rule_deadline are pure or read public reference data:
-- they stay executable by the application (and PUBLIC, as the validators
-- of 001_core.sql).
