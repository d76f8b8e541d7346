-- 033_rls_speed.sql — what row-level security costs the lookups at 2
-- million cases (issue 6: under 25%; tests/bench/lifecycle.sh prints the
-- cost of each lookup with and without the policies).  The same rules,
-- fewer and cheaper evaluations of them:
--
--   acting_subtree
--        every policy of legal_case calls it once per statement for every
--        place legal_case appears in the statement, directly or through
--        the policies of person, case_party, case_request and case_event
--        (an inbox ran it four to five times, a search six).  It now finds
--        the units through org_unit_path_gin and in one query with the
--        check of the acting user: its query ran 85 us of a sequential
--        scan and sort of org_unit, now about 15 us.  The same units, in
--        the same order;
--   search_cases
--        the cases first, then their list lines, as the inboxes do: the
--        case ids are chosen by one query on legal_case (under the
--        policies) and the lines of case_list are read for those ids by a
--        query that PL/pgSQL plans once per session.  Before, one query of
--        case_list, legal_case and a union of legal_case and case_party,
--        with their policies inlined, was planned at every search: 2.5 ms
--        of planning against 1.4 ms for the same query as the owner, and
--        six evaluations of acting_subtree.  The people matching the
--        person criteria (person_match_any, 022) lead to their cases
--        through person_case_ids, as the owner, whose ids never leave
--        search_cases: "c.id = ANY (ids)" on legal_case under the policies
--        decides what the clerk sees, so the policies of case_party (a
--        subplan over legal_case per party) are no longer planned and run
--        for a search.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- the acting user

-- The ids of the acting user's unit and every unit below it, in order;
-- empty when no active user acts (user_active's rules, as in 024).  In a
-- policy write (SELECT caseterm.acting_subtree()) so that it runs once
-- per statement.  enable_seqscan off: org_unit is a few pages, and the
-- planner would scan and filter every unit's path rather than ask the
-- GIN index for the units whose path holds the user's unit.
CREATE OR REPLACE FUNCTION caseterm.acting_subtree() RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET enable_seqscan = off
AS $$
DECLARE
    v bigint := current_user_id();
BEGIN
    IF v IS NULL THEN
        RETURN ARRAY[]::bigint[];
    END IF;
    RETURN ARRAY(SELECT s.id
                 FROM app_user u
                 JOIN org_unit s ON s.path @> ARRAY[u.unit_id]
                 WHERE u.id = v AND NOT u.disabled
                   AND NOT EXISTS (SELECT 1 FROM org_unit a
                                   WHERE a.disabled
                                     AND a.id = ANY ((SELECT o.path FROM org_unit o
                                                      WHERE o.id = u.unit_id)::bigint[]))
                 ORDER BY s.id);
END
$$;

-- ---------------------------------------------------------------- search

-- The cases a person of p_person_ids is the applicant or a party of,
-- whoever may see them.  Internal to search_cases: executable by
-- caseterm_rls only; the ids only ever meet legal_case under its policies.
CREATE FUNCTION caseterm.person_case_ids(p_person_ids bigint[]) RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF cardinality(p_person_ids) IS NULL OR cardinality(p_person_ids) = 0 THEN
        RETURN ARRAY[]::bigint[];
    END IF;
    RETURN ARRAY(SELECT a.id FROM legal_case a WHERE a.applicant_id = ANY (p_person_ids)
                 UNION
                 SELECT q.case_id FROM case_party q WHERE q.person_id = ANY (p_person_ids));
END
$$;

-- Search the cases the acting user can see (criteria, columns and errors
-- as in 008_queries.sql; runs as caseterm_rls, see 024).  The cases are
-- chosen first, newest first, at most p_limit, then their lines of
-- case_list are read.
CREATE OR REPLACE FUNCTION caseterm.search_cases(p_case_no text DEFAULT NULL,
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
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_no     text := clean_text(p_case_no);
    v_idno   text := upper(clean_text(p_id_number));
    v_phone  text := clean_text(p_phone);
    v_name   text := lower(clean_text(p_name));
    v_where  text[] := '{}';
    v_cases  bigint[];
    v_ids    bigint[];
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
    END IF;
    IF v_phone IS NOT NULL THEN
        v_phone := phone_normalize(v_phone);
        IF v_phone IS NULL THEN
            RAISE EXCEPTION 'mobile number must be 11 digits starting with 1'
                USING ERRCODE = '22023', COLUMN = 'phone';
        END IF;
    END IF;
    IF v_name IS NOT NULL THEN
        IF char_length(v_name) < 2 THEN
            RAISE EXCEPTION 'type at least two characters of the name'
                USING ERRCODE = '22023', COLUMN = 'name';
        END IF;
    END IF;
    IF v_idno IS NOT NULL OR v_phone IS NOT NULL OR v_name IS NOT NULL THEN
        -- The cases of one person matching every person criterion, as the
        -- applicant or a party; none for a user who may not see people.
        v_cases := CASE WHEN acting_user_sees_persons()
                        THEN person_case_ids(person_match_any(v_idno, v_phone, v_name))
                        ELSE ARRAY[]::bigint[] END;
        v_where := array_append(v_where, 'c.id = ANY ($11)'::text);
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
    EXECUTE 'SELECT ARRAY(SELECT c.id FROM legal_case c'
            || CASE WHEN cardinality(v_where) > 0
                    THEN ' WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END
            || ' ORDER BY c.created_at DESC, c.id DESC LIMIT $10)'
        INTO v_ids
        USING v_no, v_idno, v_phone, v_name, p_kind, p_state, p_unit_id,
              p_from, p_to, greatest(1, least(coalesce(p_limit, 100), 500)), v_cases;
    RETURN QUERY
    SELECT l.* FROM case_list l
    WHERE l.case_id = ANY (v_ids)
    ORDER BY l.created_at DESC, l.case_id DESC;
END
$$;
ALTER FUNCTION caseterm.search_cases(text, text, text, text, text, text, bigint, date, date, int)
    OWNER TO caseterm_rls;

-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION caseterm.person_case_ids(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.person_case_ids(bigint[]) TO caseterm_rls;
