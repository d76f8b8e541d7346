-- 041_name_search.sql — find by a two-character Chinese name at 2
-- million cases (issue 5).  A common name (王伟) matches about 2,400
-- people there, the applicants of about 3,200 cases and parties of about
-- 1,400.  search_cases (033) took all of their cases city-wide as the
-- owner (person_case_ids: the applicants' cases through
-- legal_case_applicant, then a second fetch of every one of them by id on
-- legal_case under the policies to keep the newest p_limit).  Now:
--
--   applicants  found on legal_case under the policies directly, one
--               probe of legal_case_applicant per matching person, the
--               policies checked on the row the probe fetched: no second
--               fetch of the ~3,200 cases by id;
--   parties     person_party_case_ids (new, internal, as the owner: the
--               policies of case_party are a subplan over legal_case per
--               party), one probe of case_party_person per person (a
--               nested loop over unnest: "person_id = ANY (2,400 ids)"
--               gets a parallel sequential scan of the 840,000 parties,
--               50-70 ms, whenever a session plans it with the array's
--               real size), then their cases by id under the policies.
--
-- The same cases in the same order (the union of both, under the same
-- policies, ORDER BY created_at DESC, id DESC LIMIT p_limit); the ids of
-- persons never leave search_cases and person_party_case_ids (SECURITY
-- DEFINER); every case id meets legal_case under its policies.
-- person_case_ids (033) stays, unused.
--
-- Measured at 2,000,000 cases (tests/bench/lifecycle.sh data and its
-- pgbench script for the 2-character name, 1,000 samples per run as
-- caseterm_app, runs of 033 and 041 alternated on the same cluster, a
-- 2-vCPU machine whose figures drift by a quarter between runs), p50 / p99
-- in ms:  033  9.6-10.8 / 68-76     041  6.6-10.4 / 46-63
-- (the same loop in one session, the search alone: 033 6.9-8.2 / 63-70,
-- 041 5.9-6.1 / 46-51).
-- Not under the 20 ms target: the ~2,400 people (7 ms of GIN and heap
-- rechecks) and one probe each of legal_case_applicant and
-- case_party_person (4-5 us each here) are most of what is left; a
-- 500-row answer for a city chief adds about 10 ms of case_list.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- search

-- The cases a person of p_person_ids is a party of, whoever may see them.
-- Internal to search_cases: executable by caseterm_rls only; the ids only
-- ever meet legal_case under its policies.
CREATE FUNCTION caseterm.person_party_case_ids(p_person_ids bigint[]) RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF cardinality(p_person_ids) IS NULL OR cardinality(p_person_ids) = 0 THEN
        RETURN ARRAY[]::bigint[];
    END IF;
    RETURN ARRAY(SELECT DISTINCT q.case_id FROM unnest(p_person_ids) p(id)
                 JOIN case_party q ON q.person_id = p.id);
END
$$;

-- Search the cases the acting user can see (criteria, columns and errors
-- as in 008_queries.sql; runs as caseterm_rls, see 024).  The cases are
-- chosen first, newest first, at most p_limit, then their lines of
-- case_list are read.  With person criteria, the cases are those whose
-- applicant matches (found on legal_case under the policies through
-- legal_case_applicant, one probe per person) and those of which a
-- matching person is a party (person_party_case_ids, then legal_case
-- under the policies).
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
    v_people bigint[];
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
        v_people := CASE WHEN acting_user_sees_persons()
                         THEN person_match_any(v_idno, v_phone, v_name)
                         ELSE ARRAY[]::bigint[] END;
        v_cases := person_party_case_ids(v_people);
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
    EXECUTE 'SELECT ARRAY(SELECT c.id FROM '
            || CASE WHEN v_people IS NOT NULL
                    THEN '(SELECT a.id, a.created_at, a.case_no, a.kind, a.state, a.unit_id'
                         ' FROM unnest($12) p(id) JOIN legal_case a ON a.applicant_id = p.id'
                         ' UNION'
                         ' SELECT a.id, a.created_at, a.case_no, a.kind, a.state, a.unit_id'
                         ' FROM legal_case a WHERE a.id = ANY ($11)) c'
                    ELSE 'legal_case c' END
            || CASE WHEN cardinality(v_where) > 0
                    THEN ' WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END
            || ' ORDER BY c.created_at DESC, c.id DESC LIMIT $10)'
        INTO v_ids
        USING v_no, v_idno, v_phone, v_name, p_kind, p_state, p_unit_id,
              p_from, p_to, greatest(1, least(coalesce(p_limit, 100), 500)), v_cases,
              v_people;
    RETURN QUERY
    SELECT l.* FROM case_list l
    WHERE l.case_id = ANY (v_ids)
    ORDER BY l.created_at DESC, l.case_id DESC;
END
$$;
ALTER FUNCTION caseterm.search_cases(text, text, text, text, text, text, bigint, date, date, int)
    OWNER TO caseterm_rls;

-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION caseterm.person_party_case_ids(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.person_party_case_ids(bigint[]) TO caseterm_rls;
