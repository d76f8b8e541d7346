-- 008_queries.sql — what the screens read: the inboxes and their counts,
-- a case's detail, parties, timeline and related cases, search, dispatch
-- suggestions, and the warning state of a deadline.
--
-- Everything here is SECURITY INVOKER: row-level security decides what the
-- acting user sees (called by a role that bypasses it, such as a
-- superuser, the filters on the acting user still apply but nothing is
-- hidden); the one exception, person_ids_by_name, returns only person ids
-- to search_cases.  All are executable by caseterm_app.  The full ID number or
-- phone of a person is opened with person_reveal (022_personal_data.sql),
-- which writes the audit row.
-- Applied by casetermctl migrate inside its own transaction.

-- ---------------------------------------------------------------- warning

-- The moment up to which a deadline is "due soon": the end of the
-- (warn)-th working day counting today (deadline_rule '*'/'warn', 1 by
-- default: due by the end of today's working day; on a day off, by the end
-- of the next working day).
CREATE FUNCTION caseterm.due_soon_limit() RETURNS timestamptz
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT add_workdays(now(), greatest(coalesce(rule_workdays('*', 'warn'), 1) - 1, 0))
$$;

-- The warning state of a case's deadline: 'overdue' (red) past it,
-- 'due_soon' (yellow) up to due_soon_limit(), 'ok', 'paused' while a return
-- or extension is in review, 'none' without a deadline or when the case is
-- over.  p_soon: due_soon_limit(), when the caller computed it already.
CREATE FUNCTION caseterm.warning_level(p_due timestamptz, p_paused_at timestamptz,
                                       p_state text, p_soon timestamptz DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN p_due IS NULL OR caseterm.state_is_final(p_state) THEN 'none'
        WHEN p_paused_at IS NOT NULL THEN 'paused'
        WHEN now() > p_due THEN 'overdue'
        WHEN p_due <= coalesce(p_soon, caseterm.due_soon_limit()) THEN 'due_soon'
        ELSE 'ok' END
$$;

-- ---------------------------------------------------------------- case lists

-- case_list: one line per case as lists show it (inboxes, search).
-- security_invoker: the querying user's row-level security applies.
CREATE VIEW caseterm.case_list WITH (security_invoker = true) AS
    SELECT c.id AS case_id, c.case_no, c.kind, c.state::text AS state,
           c.urgent, c.supervised, c.subject, p.name AS applicant_name,
           c.unit_id, o.name AS unit_name, c.handler_id,
           h.display_name AS handler_name, c.due_at,
           caseterm.warning_level(c.due_at, c.deadline_paused_at, c.state,
                                  (SELECT caseterm.due_soon_limit())) AS warning,
           c.created_at, c.updated_at, c.version
    FROM caseterm.legal_case c
    JOIN caseterm.org_unit o ON o.id = c.unit_id
    LEFT JOIN caseterm.person p ON p.id = c.applicant_id
    LEFT JOIN caseterm.app_user h ON h.id = c.handler_id;

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
-- Unknown box: 22023.  Internal building block of inbox and inbox_counts.
CREATE FUNCTION caseterm.inbox_cases(p_box text, p_limit int DEFAULT NULL)
    RETURNS TABLE (case_id bigint, due_at timestamptz)
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_user  bigint := acting_user_id();
    v_unit  bigint;
    v_roles text[];
BEGIN
    IF p_box IS NULL OR p_box NOT IN ('review', 'dispatch', 'signfor', 'in_progress',
            'approval', 'followup', 'overdue', 'supervised') THEN
        RAISE EXCEPTION 'unknown inbox' USING ERRCODE = '22023', COLUMN = 'box';
    END IF;
    IF v_user IS NULL THEN
        RETURN;
    END IF;
    SELECT u.unit_id, u.roles INTO v_unit, v_roles FROM app_user u WHERE u.id = v_user;

    CASE p_box
    WHEN 'review' THEN
        RETURN QUERY
        SELECT c.id, c.due_at FROM legal_case c
        WHERE c.state = 'registered'
          AND ((v_roles && '{dispatcher,supervisor}'
                AND c.unit_id IN (SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit]))
               OR ('handler' = ANY (v_roles) AND c.unit_id = v_unit))
        ORDER BY c.due_at NULLS LAST, c.id LIMIT p_limit;
    WHEN 'dispatch' THEN
        IF 'dispatcher' = ANY (v_roles) THEN
            RETURN QUERY
            SELECT c.id, c.due_at FROM legal_case c
            WHERE c.state = 'accepted'
              AND c.unit_id IN (SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit])
            ORDER BY c.due_at NULLS LAST, c.id LIMIT p_limit;
        END IF;
    WHEN 'signfor' THEN
        IF v_roles && '{handler,dispatcher,supervisor}' THEN
            RETURN QUERY
            SELECT c.id, c.due_at FROM legal_case c
            WHERE c.state = 'awaiting_signfor' AND c.unit_id = v_unit
            ORDER BY c.due_at NULLS LAST, c.id LIMIT p_limit;
        END IF;
    WHEN 'in_progress' THEN
        IF 'handler' = ANY (v_roles) THEN
            RETURN QUERY
            SELECT c.id, c.due_at FROM legal_case c
            WHERE (c.handler_id = v_user
                   AND c.state IN ('in_progress', 'return_review', 'extension_review',
                                   'reply_review'))
               OR (c.handler_id IS NULL AND c.unit_id = v_unit AND c.state = 'in_progress')
            ORDER BY c.due_at NULLS LAST, c.id LIMIT p_limit;
        END IF;
    WHEN 'approval' THEN
        IF 'supervisor' = ANY (v_roles) THEN
            RETURN QUERY
            SELECT c.id, c.due_at FROM legal_case c
            JOIN case_request r ON r.case_id = c.id AND r.decided_at IS NULL
            WHERE c.state IN ('return_review', 'extension_review', 'reply_review')
              AND r.requested_by <> v_user
              AND CASE WHEN c.state = 'return_review' THEN c.dispatched_by_unit
                       ELSE c.unit_id END
                  IN (SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit])
            ORDER BY c.due_at NULLS LAST, c.id LIMIT p_limit;
        END IF;
    WHEN 'followup' THEN
        IF v_roles && '{followup,intake}' THEN
            RETURN QUERY
            SELECT c.id, c.due_at FROM legal_case c
            WHERE c.state = 'awaiting_followup'
              AND (c.intake_unit_id IN (SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit])
                   OR ('followup' = ANY (v_roles)
                       AND c.unit_id IN (SELECT o.id FROM org_unit o
                                         WHERE o.path @> ARRAY[v_unit])))
            ORDER BY c.due_at NULLS LAST, c.id LIMIT p_limit;
        END IF;
    WHEN 'overdue' THEN
        RETURN QUERY
        SELECT c.id, c.due_at FROM legal_case c
        WHERE c.due_at < now() AND c.deadline_paused_at IS NULL
          AND (c.unit_id IN (SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit])
               OR c.handler_id = v_user)
        ORDER BY c.due_at, c.id LIMIT p_limit;
    WHEN 'supervised' THEN
        RETURN QUERY
        SELECT c.id, c.due_at FROM legal_case c
        WHERE c.supervised AND c.supervised_by = v_user
          AND NOT state_is_final(c.state)
        ORDER BY c.due_at NULLS LAST, c.id LIMIT p_limit;
    END CASE;
END
$$;

-- One inbox of the acting user (see inbox_cases for the boxes), most
-- urgent first: p_limit rows (1..500, NULL: 50) from p_offset.
-- Columns: case_id, case_no, kind, state, urgent, supervised, subject,
-- applicant_name, unit_id, unit_name, handler_id, handler_name, due_at
-- (the deadline that counts now), warning (ok | due_soon | overdue |
-- paused | none), created_at, updated_at, version.
-- Errors: 22023 'unknown inbox'.
CREATE FUNCTION caseterm.inbox(p_box text, p_limit int DEFAULT 50,
                               p_offset int DEFAULT 0)
    RETURNS SETOF caseterm.case_list
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT l.*
    FROM inbox_cases(p_box, greatest(1, least(coalesce(p_limit, 50), 500))
                            + greatest(coalesce(p_offset, 0), 0)) b
    JOIN case_list l ON l.case_id = b.case_id
    ORDER BY b.due_at NULLS LAST, b.case_id
    OFFSET greatest(coalesce(p_offset, 0), 0)
$$;

-- The number of cases in every inbox of the acting user, in one row, for
-- the menu badges (poll it every few seconds: a case dispatched to my unit
-- shows up at the next poll).  Each count stops at p_cap (NULL: exact;
-- default 1000 — show "999+").
CREATE FUNCTION caseterm.inbox_counts(p_cap int DEFAULT 1000)
    RETURNS TABLE (review bigint, dispatch bigint, signfor bigint,
                   in_progress bigint, approval bigint, followup bigint,
                   overdue bigint, supervised bigint)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT (SELECT count(*) FROM inbox_cases('review', p_cap)),
           (SELECT count(*) FROM inbox_cases('dispatch', p_cap)),
           (SELECT count(*) FROM inbox_cases('signfor', p_cap)),
           (SELECT count(*) FROM inbox_cases('in_progress', p_cap)),
           (SELECT count(*) FROM inbox_cases('approval', p_cap)),
           (SELECT count(*) FROM inbox_cases('followup', p_cap)),
           (SELECT count(*) FROM inbox_cases('overdue', p_cap)),
           (SELECT count(*) FROM inbox_cases('supervised', p_cap))
$$;

-- ---------------------------------------------------------------- one case

-- Everything the case screen's header and body show, one row (none when
-- the case is not visible).  Names of other cases (parent, merged into)
-- only when those are visible too.  warning as in warning_level;
-- request_*: the return, extension or reply waiting for a decision;
-- urge_count: how often it was urged.
CREATE FUNCTION caseterm.case_detail(p_case_id bigint)
    RETURNS TABLE (case_id bigint, case_no text, kind text, state text,
                   channel text, urgent boolean, subject text, answer text,
                   category text, category_name text, category_name_en text,
                   place_unit_id bigint, place_unit_name text,
                   people_involved int, amount numeric, details jsonb,
                   applicant_id bigint, applicant_name text,
                   unit_id bigint, unit_name text, unit_level text,
                   intake_unit_id bigint, intake_unit_name text,
                   handler_id bigint, handler_name text,
                   dispatched_by_unit bigint, dispatched_by_unit_name text,
                   dispatched_at timestamptz, signed_at timestamptz,
                   deadline timestamptz, step_deadline timestamptz,
                   due_at timestamptz, deadline_paused_at timestamptz,
                   paused_workdays int, warning text,
                   supervised boolean, supervised_by_name text,
                   supervised_at timestamptz,
                   parent_id bigint, parent_case_no text,
                   merged_into bigint, merged_into_case_no text,
                   satisfaction text, reopen_count int, replied_at timestamptz,
                   closed_at timestamptz,
                   created_at timestamptz, created_by_name text,
                   updated_at timestamptz, updated_by_name text, version int,
                   request_kind text, request_days int, request_reason text,
                   request_reply text, requested_by_name text,
                   requested_at timestamptz, urge_count int)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT c.id, c.case_no, c.kind, c.state::text, c.channel, c.urgent, c.subject,
           c.answer, c.category, dc.name, dc.name_en, c.place_unit_id, pl.name,
           c.people_involved, c.amount, c.details, c.applicant_id, p.name,
           c.unit_id, o.name, o.level, c.intake_unit_id, iu.name,
           c.handler_id, h.display_name, c.dispatched_by_unit, du.name,
           c.dispatched_at, c.signed_at, c.deadline, c.step_deadline, c.due_at,
           c.deadline_paused_at, c.paused_workdays,
           warning_level(c.due_at, c.deadline_paused_at, c.state),
           c.supervised, su.display_name, c.supervised_at,
           c.parent_id, pc.case_no, c.merged_into, mc.case_no,
           c.satisfaction, c.reopen_count, c.replied_at, c.closed_at,
           c.created_at, cu.display_name, c.updated_at,
           coalesce(uu.display_name, cu.display_name), c.version,
           r.kind, r.days, r.reason, r.reply, ru.display_name, r.requested_at,
           (SELECT count(*)::int FROM case_event e
            WHERE e.case_id = c.id AND e.kind = 'urge')
    FROM legal_case c
    JOIN org_unit o ON o.id = c.unit_id
    LEFT JOIN org_unit iu ON iu.id = c.intake_unit_id
    LEFT JOIN org_unit du ON du.id = c.dispatched_by_unit
    LEFT JOIN org_unit pl ON pl.id = c.place_unit_id
    LEFT JOIN dispute_category dc ON dc.code = c.category
    LEFT JOIN person p ON p.id = c.applicant_id
    LEFT JOIN app_user h ON h.id = c.handler_id
    LEFT JOIN app_user su ON su.id = c.supervised_by
    LEFT JOIN app_user cu ON cu.id = c.created_by
    LEFT JOIN app_user uu ON uu.id = c.updated_by
    LEFT JOIN legal_case pc ON pc.id = c.parent_id
    LEFT JOIN legal_case mc ON mc.id = c.merged_into
    LEFT JOIN case_request r ON r.case_id = c.id AND r.decided_at IS NULL
    LEFT JOIN app_user ru ON ru.id = r.requested_by
    WHERE c.id = p_case_id
$$;

-- The timeline of a case, oldest first: every event with who (name) and
-- from which unit, the state change (to_state NULL: none), the reason and
-- the detail.
CREATE FUNCTION caseterm.case_timeline(p_case_id bigint)
    RETURNS TABLE (event_id bigint, at timestamptz, kind text, from_state text,
                   to_state text, user_id bigint, user_name text,
                   unit_id bigint, unit_name text, reason text, detail jsonb)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT e.id, e.at, e.kind, e.from_state::text, e.to_state::text, e.user_id,
           u.display_name, e.unit_id, o.name, e.reason, e.detail
    FROM case_event e
    LEFT JOIN app_user u ON u.id = e.user_id
    LEFT JOIN org_unit o ON o.id = e.unit_id
    WHERE e.case_id = p_case_id
    ORDER BY e.at, e.id
$$;

-- The parties of a case: the applicant (from the case, party_id NULL, when
-- not also listed as a party) and the listed parties, applicants first,
-- then respondents, then others.  Phone and ID number are masked with
-- mask_phone / mask_id_number (022_personal_data.sql, resolved when this
-- runs); the full values come from person_reveal(person_id, field,
-- case_id) of that migration, which writes the audit row.
CREATE FUNCTION caseterm.case_parties(p_case_id bigint)
    RETURNS TABLE (party_id bigint, role text, note text, person_id bigint,
                   name text, phone_masked text, id_number_masked text)
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT x.party_id, x.role, x.note, x.person_id, p.name,
           mask_phone(p.phone), mask_id_number(p.id_number)
    FROM (SELECT NULL::bigint AS party_id, 'applicant'::text AS role,
                 NULL::text AS note, c.applicant_id AS person_id, 0::bigint AS ord
          FROM legal_case c
          WHERE c.id = p_case_id AND c.applicant_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM case_party q
                            WHERE q.case_id = c.id AND q.person_id = c.applicant_id
                              AND q.role = 'applicant')
          UNION ALL
          SELECT q.id, q.role, q.note, q.person_id, q.id
          FROM case_party q
          WHERE q.case_id = p_case_id) x
    JOIN person p ON p.id = x.person_id
    ORDER BY CASE x.role WHEN 'applicant' THEN 1 WHEN 'respondent' THEN 2 ELSE 3 END,
             x.ord;
END
$$;

-- The cases related to one: relation 'parent' (it was sub-dispatched
-- from), 'child' (sub-dispatched from it), 'merged_into', 'merged_from'
-- (duplicates merged into it), 'linked'.  Only cases the user can see.
CREATE FUNCTION caseterm.case_related(p_case_id bigint)
    RETURNS TABLE (relation text, case_id bigint, case_no text, kind text,
                   state text, unit_name text, due_at timestamptz, warning text)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT x.relation, l.case_id, l.case_no, l.kind, l.state, l.unit_name,
           l.due_at, l.warning
    FROM (SELECT 'parent'::text AS relation, c.parent_id AS id
          FROM legal_case c WHERE c.id = p_case_id AND c.parent_id IS NOT NULL
          UNION ALL
          SELECT 'child', k.id FROM legal_case k
          WHERE k.parent_id = p_case_id
            AND EXISTS (SELECT 1 FROM legal_case c WHERE c.id = p_case_id)
          UNION ALL
          SELECT 'merged_into', c.merged_into
          FROM legal_case c WHERE c.id = p_case_id AND c.merged_into IS NOT NULL
          UNION ALL
          SELECT 'merged_from', k.id FROM legal_case k
          WHERE k.merged_into = p_case_id
            AND EXISTS (SELECT 1 FROM legal_case c WHERE c.id = p_case_id)
          UNION ALL
          SELECT 'linked', CASE WHEN k.case_a = p_case_id THEN k.case_b ELSE k.case_a END
          FROM case_link k WHERE p_case_id IN (k.case_a, k.case_b)) x
    JOIN case_list l ON l.case_id = x.id
    ORDER BY x.relation, l.case_no
$$;

-- ---------------------------------------------------------------- search

-- A case number as typed: "2026-000123" and "2026-123" are that number;
-- digits alone ("123") are this year's (in China).  NULL when it is not a
-- case number.
CREATE FUNCTION caseterm.case_no_normalize(p text) RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN v ~ '^[0-9]{4}-[0-9]{1,9}$'
            THEN split_part(v, '-', 1) || '-'
                 || lpad(ltrim(split_part(v, '-', 2), '0'), 6, '0')
        WHEN v ~ '^[0-9]{1,9}$'
            THEN to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-'
                 || lpad(ltrim(v, '0'), 6, '0')
        END
    FROM (SELECT caseterm.clean_text(p) AS v) x
$$;

-- The ids of the persons whose name contains p_fragment (two characters
-- or more, lower-cased), through the bigram index.  SECURITY DEFINER on
-- purpose: under row-level security the planner may not use the GIN index
-- (the array operator is not leakproof) and would check every person; only
-- ids come out, and search_cases returns only the cases the user sees.
-- Nothing for a user who works with no people (an analyst alone) or with
-- no acting user.  For search_cases.
CREATE FUNCTION caseterm.person_ids_by_name(p_fragment text)
    RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT p.id FROM person p
    WHERE char_length(p_fragment) >= 2
      AND p.name_grams @> name_bigrams(p_fragment)
      AND strpos(lower(p.name), lower(p_fragment)) > 0
      AND (SELECT u.roles && ARRAY['intake', 'dispatcher', 'handler', 'supervisor',
                                    'followup', 'admin']
           FROM app_user u WHERE u.id = acting_user_id())
$$;

-- Search the cases the acting user can see.  Every criterion is optional
-- and they combine with AND:
--   p_case_no    a case number as case_no_normalize reads it
--   p_id_number  the resident ID number of the applicant or a party
--   p_phone      the mobile number (as typed: +86, spaces) of the
--                applicant or a party
--   p_name       two or more characters of the name of the applicant or a
--                party, anywhere in the name (两字 names through the bigram
--                index); case-insensitive for Latin letters
--   p_kind, p_state   exact
--   p_unit_id    held by that unit or one below it
--   p_from, p_to registered on or after / on or before (dates in China)
-- Newest first, at most p_limit rows (1..500, NULL: 100); columns as inbox.
-- Errors 22023: COLUMN case_no | id_number | phone | name (fewer than two
-- characters).
CREATE FUNCTION caseterm.search_cases(p_case_no text DEFAULT NULL,
                                      p_id_number text DEFAULT NULL,
                                      p_phone text DEFAULT NULL,
                                      p_name text DEFAULT NULL,
                                      p_kind text DEFAULT NULL,
                                      p_state text DEFAULT NULL,
                                      p_unit_id bigint DEFAULT NULL,
                                      p_from date DEFAULT NULL,
                                      p_to date DEFAULT NULL,
                                      p_limit int DEFAULT 100)
    RETURNS SETOF caseterm.case_list
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_no     text := clean_text(p_case_no);
    v_idno   text := upper(clean_text(p_id_number));
    v_phone  text := clean_text(p_phone);
    v_name   text := lower(clean_text(p_name));
    v_where  text[] := '{}';
    v_person text[] := '{}';
    v_sql    text;
BEGIN
    IF v_no IS NOT NULL THEN
        v_no := case_no_normalize(v_no);
        IF v_no IS NULL THEN
            RAISE EXCEPTION 'a case number looks like 2026-000123'
                USING ERRCODE = '22023', COLUMN = 'case_no';
        END IF;
        v_where := array_append(v_where, 'c.case_no = $1'::text);
    END IF;
    IF v_idno IS NOT NULL THEN
        IF v_idno !~ '^[0-9]{17}[0-9X]$' THEN
            RAISE EXCEPTION 'ID number must be 18 characters: 17 digits and a digit or X'
                USING ERRCODE = '22023', COLUMN = 'id_number';
        END IF;
        v_person := array_append(v_person, 'p.id_number = $2'::text);
    END IF;
    IF v_phone IS NOT NULL THEN
        v_phone := phone_normalize(v_phone);
        IF v_phone IS NULL THEN
            RAISE EXCEPTION 'mobile number must be 11 digits starting with 1'
                USING ERRCODE = '22023', COLUMN = 'phone';
        END IF;
        v_person := array_append(v_person, 'p.phone = $3'::text);
    END IF;
    IF v_name IS NOT NULL THEN
        IF char_length(v_name) < 2 THEN
            RAISE EXCEPTION 'type at least two characters of the name'
                USING ERRCODE = '22023', COLUMN = 'name';
        END IF;
        v_person := array_append(v_person,
            'p.id IN (SELECT person_ids_by_name($4))'::text);
    END IF;
    IF cardinality(v_person) > 0 THEN
        -- One IN over a UNION (not an OR of two INs): the planner starts
        -- from the persons found through their indexes.
        v_where := array_append(v_where, format(
            'c.id IN (SELECT a.id FROM legal_case a WHERE a.applicant_id IN'
            ' (SELECT p.id FROM person p WHERE %1$s)'
            ' UNION SELECT q.case_id FROM case_party q JOIN person p'
            ' ON p.id = q.person_id WHERE %1$s)',
            array_to_string(v_person, ' AND ')));
    END IF;
    IF p_kind IS NOT NULL THEN
        v_where := array_append(v_where, 'c.kind = $5'::text);
    END IF;
    IF p_state IS NOT NULL THEN
        v_where := array_append(v_where, 'c.state = $6'::text);
    END IF;
    IF p_unit_id IS NOT NULL THEN
        v_where := array_append(v_where,
            'c.unit_id IN (SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[$7::bigint])'::text);
    END IF;
    IF p_from IS NOT NULL THEN
        v_where := array_append(v_where,
            'c.created_at >= $8::timestamp AT TIME ZONE ''Asia/Shanghai'''::text);
    END IF;
    IF p_to IS NOT NULL THEN
        v_where := array_append(v_where,
            'c.created_at < ($9 + 1)::timestamp AT TIME ZONE ''Asia/Shanghai'''::text);
    END IF;
    -- Only the fixed fragments above are SQL; every value is a parameter.
    v_sql := 'SELECT l.* FROM case_list l WHERE l.case_id IN (SELECT c.id FROM legal_case c'
             || CASE WHEN cardinality(v_where) > 0
                     THEN ' WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END
             || ' ORDER BY c.created_at DESC, c.id DESC LIMIT $10)'
             || ' ORDER BY l.created_at DESC, l.case_id DESC';
    RETURN QUERY EXECUTE v_sql
        USING v_no, v_idno, v_phone, v_name, p_kind, p_state, p_unit_id,
              p_from, p_to, greatest(1, least(coalesce(p_limit, 100), 500));
END
$$;

-- ---------------------------------------------------------------- dispatch suggestions

-- The units a dispatcher might send the case to, best first, from the
-- case's place (else the unit holding it) and category:
--   1 'specialised'   a specialised mediation body of the place's district
--                     for the category (traffic accident -> the district's
--                     traffic mediation committee; medical; labour; ...)
--   2 'legal_aid'     legal aid cases: the district's legal aid centre
--   3 'place_town'    the justice office of the place's town (a village
--                     or grid dispute goes to its town)
--   4 'district'      the place's district bureau
-- Only enabled units in the acting user's jurisdiction, not the one
-- holding the case; no rows for a case the user cannot see.
CREATE FUNCTION caseterm.dispatch_suggestions(p_case_id bigint)
    RETURNS TABLE (rank int, reason text, unit_id bigint, unit_code text,
                   unit_name text, unit_level text, unit_kind text)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    WITH c AS (
        SELECT c.id, c.kind, c.category, c.unit_id,
               coalesce(c.place_unit_id, c.unit_id) AS ref
        FROM legal_case c WHERE c.id = p_case_id
    ), ref AS (
        SELECT c.*,
               (SELECT a.id FROM org_unit a, org_unit r
                WHERE r.id = c.ref AND a.id = ANY (r.path)
                  AND a.level = 'district' AND a.kind = 'office'
                ORDER BY array_position(r.path, a.id) LIMIT 1) AS district,
               (SELECT a.id FROM org_unit a, org_unit r
                WHERE r.id = c.ref AND a.id = ANY (r.path)
                  AND a.level = 'town' AND a.kind = 'office'
                ORDER BY array_position(r.path, a.id) LIMIT 1) AS town
        FROM c
    ), s AS (
        SELECT 1 AS rank, 'specialised'::text AS reason, o.id
        FROM ref
        JOIN category_specialty cs ON cs.category = ref.category
        JOIN org_unit o ON o.kind = 'mediation' AND o.specialty = cs.specialty
                       AND o.parent_id = ref.district
        UNION ALL
        SELECT 2, 'legal_aid', o.id
        FROM ref JOIN org_unit o ON o.kind = 'legal_aid' AND o.parent_id = ref.district
        WHERE ref.kind = 'legal_aid'
        UNION ALL
        SELECT 3, 'place_town', ref.town FROM ref WHERE ref.town IS NOT NULL
        UNION ALL
        SELECT 4, 'district', ref.district FROM ref WHERE ref.district IS NOT NULL
    )
    SELECT x.* FROM (
        SELECT DISTINCT ON (o.id) s.rank, s.reason, o.id, o.code, o.name, o.level, o.kind
        FROM s
        JOIN org_unit o ON o.id = s.id
        WHERE o.path @> ARRAY[acting_unit_id()]
          AND NOT EXISTS (SELECT 1 FROM org_unit a WHERE a.id = ANY (o.path) AND a.disabled)
          AND o.id <> (SELECT c.unit_id FROM c)
        ORDER BY o.id, s.rank) x
    ORDER BY x.rank, x.code
$$;

-- ---------------------------------------------------------------- privileges

GRANT SELECT ON caseterm.case_list TO caseterm_app;
REVOKE EXECUTE ON FUNCTION caseterm.person_ids_by_name(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION caseterm.due_soon_limit(),
    caseterm.warning_level(timestamptz, timestamptz, text, timestamptz),
    caseterm.inbox_cases(text, int), caseterm.inbox(text, int, int),
    caseterm.inbox_counts(int), caseterm.case_detail(bigint),
    caseterm.case_timeline(bigint), caseterm.case_parties(bigint),
    caseterm.case_related(bigint), caseterm.case_no_normalize(text),
    caseterm.search_cases(text, text, text, text, text, text, bigint, date, date, int),
    caseterm.dispatch_suggestions(bigint)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.due_soon_limit(),
    caseterm.warning_level(timestamptz, timestamptz, text, timestamptz),
    caseterm.inbox_cases(text, int), caseterm.inbox(text, int, int),
    caseterm.inbox_counts(int), caseterm.case_detail(bigint),
    caseterm.case_timeline(bigint), caseterm.case_parties(bigint),
    caseterm.case_related(bigint), caseterm.case_no_normalize(text),
    caseterm.search_cases(text, text, text, text, text, text, bigint, date, date, int),
    caseterm.dispatch_suggestions(bigint),
    caseterm.person_ids_by_name(text)
    TO caseterm_app;
