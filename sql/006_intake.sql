-- 006_intake.sql — registering every kind of case, and the conflict and
-- duplicate check the intake forms run before saving.
--
-- Consultations keep register_consultation (003_cases.sql).  The other
-- kinds: register_legal_aid, register_legal_service, register_mediation,
-- register_complaint, register_suggestion.  Each is SECURITY DEFINER,
-- needs the role 'intake', finds or creates the applicant by the rules of
-- register_consultation, numbers the case, stores it in state 'registered'
-- at the clerk's unit with its deadlines (deadline_rule 'handle' and
-- 'review'; urgent cases the same day), and records the event 'register'
-- and the audit row 'case_register'.  Each returns (case_id, case_no,
-- deadline): what the applicant's receipt shows.
--
-- Errors: 42501 not allowed (no/disabled acting user, no intake role);
-- 22023 invalid input with COLUMN = the form field (and, for a party of a
-- dispute, DETAIL = the party's number, 1-based).
-- Applied by casetermctl migrate inside its own transaction.

-- The case itself, for the register_* functions (internal): validates the
-- channel and the description, inserts the case at the acting user's unit
-- and records the event and the audit row.
CREATE FUNCTION caseterm.case_register(p_kind text, p_channel text,
                                       p_applicant bigint, p_subject text,
                                       p_urgent boolean,
                                       p_category text DEFAULT NULL,
                                       p_place_unit_id bigint DEFAULT NULL,
                                       p_people_involved int DEFAULT NULL,
                                       p_amount numeric DEFAULT NULL,
                                       p_details jsonb DEFAULT '{}')
    RETURNS caseterm.legal_case
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user    bigint := acting_user_id();
    v_unit    bigint := acting_unit_id();
    v_channel text := coalesce(lower(clean_text(p_channel)), 'hotline');
    v_subject text := clean_text(p_subject);
    c         legal_case;
BEGIN
    IF v_channel NOT IN ('hotline', 'walk_in', 'online', 'wechat',
                         'transfer_110', 'transfer_12345', 'grid') THEN
        RAISE EXCEPTION 'unknown channel' USING ERRCODE = '22023', COLUMN = 'channel';
    END IF;
    IF v_subject IS NULL THEN
        RAISE EXCEPTION 'the description is required'
            USING ERRCODE = '22023', COLUMN = 'subject';
    END IF;
    IF char_length(v_subject) > 2000 THEN
        RAISE EXCEPTION 'the description must be at most 2000 characters'
            USING ERRCODE = '22023', COLUMN = 'subject';
    END IF;
    INSERT INTO legal_case (case_no, kind, state, channel, unit_id,
                            applicant_id, created_by, subject, urgent,
                            category, place_unit_id, people_involved, amount,
                            details, updated_by)
        VALUES (next_case_no(), p_kind, 'registered', v_channel, v_unit,
                p_applicant, v_user, v_subject, coalesce(p_urgent, false),
                p_category, p_place_unit_id, p_people_involved, p_amount,
                coalesce(p_details, '{}'), v_user)
        RETURNING * INTO c;
    INSERT INTO case_event (case_id, user_id, unit_id, kind, from_state,
                            to_state, detail)
        VALUES (c.id, v_user, v_unit, 'register', NULL, 'registered',
                jsonb_build_object('kind', p_kind, 'channel', v_channel,
                                   'urgent', c.urgent, 'deadline', c.deadline));
    PERFORM audit_write('case_register', 'legal_case:' || c.id,
                        jsonb_build_object('case_no', c.case_no, 'kind', p_kind,
                                           'person_id', p_applicant));
    RETURN c;
END
$$;

-- The applicant of a kind that may be anonymous (complaints, suggestions):
-- NULL when name, phone and ID number are all empty, else person_resolve.
CREATE FUNCTION caseterm.person_resolve_optional(p_name text, p_phone text,
                                                 p_id_number text)
    RETURNS bigint
    LANGUAGE sql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT CASE WHEN clean_text(p_name) IS NULL AND clean_text(p_phone) IS NULL
                     AND clean_text(p_id_number) IS NULL THEN NULL
                ELSE person_resolve(p_name, p_phone, p_id_number) END
$$;

-- Register a legal aid application (role 'intake').
--   p_name, p_phone, p_id_number   the applicant, as register_consultation
--   p_subject         the matter, 1..2000 characters (COLUMN subject)
--   p_channel         as register_consultation (NULL: hotline)
--   p_aid_category    what the aid is for, free text up to 100 (e.g.
--                     劳动报酬, 工伤, 婚姻家庭); optional
--   p_household_size  people in the household, 1..30; optional
--   p_monthly_income  the household's monthly income per person in yuan,
--                     >= 0; optional
--   p_urgent          same-day deadlines
-- The eligibility review is the step 'review' (7 working days by default).
CREATE FUNCTION caseterm.register_legal_aid(p_name text, p_phone text,
                                            p_id_number text, p_subject text,
                                            p_channel text DEFAULT 'hotline',
                                            p_aid_category text DEFAULT NULL,
                                            p_household_size int DEFAULT NULL,
                                            p_monthly_income numeric DEFAULT NULL,
                                            p_urgent boolean DEFAULT false)
    RETURNS TABLE (case_id bigint, case_no text, deadline timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_cat text := clean_text(p_aid_category);
    c     legal_case;
BEGIN
    PERFORM require_role('intake');
    IF char_length(v_cat) > 100 THEN
        RAISE EXCEPTION 'the category of the matter must be at most 100 characters'
            USING ERRCODE = '22023', COLUMN = 'aid_category';
    END IF;
    IF p_household_size NOT BETWEEN 1 AND 30 THEN
        RAISE EXCEPTION 'the household size must be between 1 and 30'
            USING ERRCODE = '22023', COLUMN = 'household_size';
    END IF;
    IF p_monthly_income < 0 OR p_monthly_income > 10000000 THEN
        RAISE EXCEPTION 'the income cannot be negative'
            USING ERRCODE = '22023', COLUMN = 'monthly_income';
    END IF;
    c := case_register('legal_aid', p_channel,
                       person_resolve(p_name, p_phone, p_id_number),
                       p_subject, p_urgent, NULL, NULL, NULL, NULL,
                       jsonb_strip_nulls(jsonb_build_object(
                           'aid_category', v_cat,
                           'household_size', p_household_size,
                           'monthly_income', p_monthly_income)));
    case_id := c.id;
    case_no := c.case_no;
    deadline := c.deadline;
    RETURN NEXT;
END
$$;

-- Register a request for a legal service (role 'intake'): p_service is
-- lawyer, notary or appraisal (judicial appraisal); the rest as
-- register_legal_aid.  Errors as above, COLUMN service.
CREATE FUNCTION caseterm.register_legal_service(p_name text, p_phone text,
                                                p_id_number text, p_subject text,
                                                p_channel text DEFAULT 'hotline',
                                                p_service text DEFAULT NULL,
                                                p_urgent boolean DEFAULT false)
    RETURNS TABLE (case_id bigint, case_no text, deadline timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_service text := lower(clean_text(p_service));
    c         legal_case;
BEGIN
    PERFORM require_role('intake');
    IF v_service IS NULL OR v_service NOT IN ('lawyer', 'notary', 'appraisal') THEN
        RAISE EXCEPTION 'choose the legal service: lawyer, notary or judicial appraisal'
            USING ERRCODE = '22023', COLUMN = 'service';
    END IF;
    c := case_register('legal_service', p_channel,
                       person_resolve(p_name, p_phone, p_id_number),
                       p_subject, p_urgent, NULL, NULL, NULL, NULL,
                       jsonb_build_object('service', v_service));
    case_id := c.id;
    case_no := c.case_no;
    deadline := c.deadline;
    RETURN NEXT;
END
$$;

-- Register a dispute for mediation (role 'intake').
--   p_parties  a JSON array of the parties, at least one applicant:
--              [{"role": "applicant"|"respondent"|"other", "name": ...,
--                "phone": ..., "id_number": ..., "note": "第三人"}, ...]
--              (at most 50); each is found or created as a person (errors
--              name the field and DETAIL the party's number, 1-based).
--              The first applicant is the case's applicant.  A person
--              cannot be both applicant and respondent.
--   p_subject  what the dispute is about, 1..2000 characters
--   p_channel  as register_consultation (grid = found by grid screening)
--   p_category a dispute_category code (required)
--   p_place_unit_id   where the dispute is: a unit of the org tree, down
--              to village or grid (optional; drives the dispatch
--              suggestions)
--   p_people_involved 1..100000 (optional), p_amount yuan >= 0 (optional)
--   p_urgent   same-day deadlines
CREATE FUNCTION caseterm.register_mediation(p_parties jsonb, p_subject text,
                                            p_channel text DEFAULT 'hotline',
                                            p_category text DEFAULT NULL,
                                            p_place_unit_id bigint DEFAULT NULL,
                                            p_people_involved int DEFAULT NULL,
                                            p_amount numeric DEFAULT NULL,
                                            p_urgent boolean DEFAULT false)
    RETURNS TABLE (case_id bigint, case_no text, deadline timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_user      bigint := require_role('intake');
    v_cat       text := lower(clean_text(p_category));
    v_party     jsonb;
    v_i         int := 0;
    v_role      text;
    v_person    bigint;
    v_applicant bigint;
    v_ids       bigint[] := '{}';
    v_roles     text[] := '{}';
    v_notes     text[] := '{}';
    c           legal_case;
BEGIN
    IF jsonb_typeof(p_parties) IS DISTINCT FROM 'array'
       OR jsonb_array_length(p_parties) = 0 THEN
        RAISE EXCEPTION 'a dispute needs at least one applicant'
            USING ERRCODE = '22023', COLUMN = 'parties';
    END IF;
    IF jsonb_array_length(p_parties) > 50 THEN
        RAISE EXCEPTION 'a dispute can have at most 50 parties'
            USING ERRCODE = '22023', COLUMN = 'parties';
    END IF;
    IF v_cat IS NULL THEN
        RAISE EXCEPTION 'choose the dispute category'
            USING ERRCODE = '22023', COLUMN = 'category';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM dispute_category WHERE code = v_cat AND NOT disabled) THEN
        RAISE EXCEPTION 'unknown dispute category'
            USING ERRCODE = '22023', COLUMN = 'category';
    END IF;
    IF p_place_unit_id IS NOT NULL AND NOT unit_active(p_place_unit_id) THEN
        RAISE EXCEPTION 'unknown place' USING ERRCODE = '22023', COLUMN = 'place_unit_id';
    END IF;
    IF p_people_involved NOT BETWEEN 1 AND 100000 THEN
        RAISE EXCEPTION 'the number of people involved must be at least 1'
            USING ERRCODE = '22023', COLUMN = 'people_involved';
    END IF;
    IF p_amount < 0 OR p_amount >= 1e12 THEN
        RAISE EXCEPTION 'the amount cannot be negative'
            USING ERRCODE = '22023', COLUMN = 'amount';
    END IF;

    FOR v_party IN SELECT * FROM jsonb_array_elements(p_parties) LOOP
        v_i := v_i + 1;
        v_role := lower(clean_text(v_party->>'role'));
        IF jsonb_typeof(v_party) <> 'object' OR v_role IS NULL
           OR v_role NOT IN ('applicant', 'respondent', 'other') THEN
            RAISE EXCEPTION 'a party''s role must be applicant, respondent or other'
                USING ERRCODE = '22023', COLUMN = 'role', DETAIL = v_i::text;
        END IF;
        IF char_length(clean_text(v_party->>'note')) > 200 THEN
            RAISE EXCEPTION 'the note must be at most 200 characters'
                USING ERRCODE = '22023', COLUMN = 'note', DETAIL = v_i::text;
        END IF;
        v_person := person_resolve(v_party->>'name', v_party->>'phone',
                                   v_party->>'id_number', v_i);
        IF (v_role = 'applicant' AND EXISTS (
                SELECT 1 FROM unnest(v_ids, v_roles) x(id, r)
                WHERE x.id = v_person AND x.r = 'respondent'))
           OR (v_role = 'respondent' AND EXISTS (
                SELECT 1 FROM unnest(v_ids, v_roles) x(id, r)
                WHERE x.id = v_person AND x.r = 'applicant')) THEN
            RAISE EXCEPTION 'the same person cannot be both applicant and respondent'
                USING ERRCODE = '22023', COLUMN = 'role', DETAIL = v_i::text;
        END IF;
        IF v_role = 'applicant' AND v_applicant IS NULL THEN
            v_applicant := v_person;
        END IF;
        v_ids := v_ids || v_person;
        v_roles := v_roles || v_role;
        v_notes := v_notes || clean_text(v_party->>'note');
    END LOOP;
    IF v_applicant IS NULL THEN
        RAISE EXCEPTION 'a dispute needs at least one applicant'
            USING ERRCODE = '22023', COLUMN = 'parties';
    END IF;

    c := case_register('mediation', p_channel, v_applicant, p_subject, p_urgent,
                       v_cat, p_place_unit_id, p_people_involved,
                       round(p_amount, 2), '{}');
    INSERT INTO case_party (case_id, person_id, role, note, added_by)
        SELECT c.id, x.id, x.r, x.n, v_user
        FROM unnest(v_ids, v_roles, v_notes) WITH ORDINALITY x(id, r, n, i)
        ORDER BY x.i
        ON CONFLICT (case_id, person_id, role) DO NOTHING;
    case_id := c.id;
    case_no := c.case_no;
    deadline := c.deadline;
    RETURN NEXT;
END
$$;

-- Register a complaint (role 'intake').  The complainant may stay
-- anonymous (name, phone and ID number all empty); p_about says whom or
-- what the complaint is about (up to 200, optional).
CREATE FUNCTION caseterm.register_complaint(p_name text, p_phone text,
                                            p_id_number text, p_subject text,
                                            p_channel text DEFAULT 'hotline',
                                            p_about text DEFAULT NULL,
                                            p_urgent boolean DEFAULT false)
    RETURNS TABLE (case_id bigint, case_no text, deadline timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_about text := clean_text(p_about);
    c       legal_case;
BEGIN
    PERFORM require_role('intake');
    IF char_length(v_about) > 200 THEN
        RAISE EXCEPTION 'what the complaint is about must be at most 200 characters'
            USING ERRCODE = '22023', COLUMN = 'about';
    END IF;
    c := case_register('complaint', p_channel,
                       person_resolve_optional(p_name, p_phone, p_id_number),
                       p_subject, p_urgent, NULL, NULL, NULL, NULL,
                       jsonb_strip_nulls(jsonb_build_object('about', v_about)));
    case_id := c.id;
    case_no := c.case_no;
    deadline := c.deadline;
    RETURN NEXT;
END
$$;

-- Register a suggestion (role 'intake'); the author may stay anonymous.
CREATE FUNCTION caseterm.register_suggestion(p_name text, p_phone text,
                                             p_id_number text, p_subject text,
                                             p_channel text DEFAULT 'hotline')
    RETURNS TABLE (case_id bigint, case_no text, deadline timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    c legal_case;
BEGIN
    PERFORM require_role('intake');
    c := case_register('suggestion', p_channel,
                       person_resolve_optional(p_name, p_phone, p_id_number),
                       p_subject, false);
    case_id := c.id;
    case_no := c.case_no;
    deadline := c.deadline;
    RETURN NEXT;
END
$$;

-- The conflict and duplicate check of an intake form, before saving (role
-- 'intake').  The person is found by ID number when one is given, else by
-- name + phone; nothing is found from a name alone.  Rows:
--   match 'same_kind'      the person is the applicant of an open case of
--                          kind p_kind (NULL: of any kind): offer to link
--                          the new case to it or merge it
--   match 'adverse_party'  the person is a respondent in an open case: warn
-- across the whole city (a clerk is warned about cases it cannot open):
-- `visible` says whether the clerk may open the case (and so link or merge
-- it); case_no and state are shown either way, the subject only when
-- visible.  matched_on is 'id_number' or 'name_phone'.  "Open": not closed,
-- merged or rejected.  A lookup that found something is audited
-- ('intake_check').  Errors: 42501 not allowed; 22023 as the register
-- functions for a malformed phone or ID number.
CREATE FUNCTION caseterm.intake_check(p_kind text, p_name text, p_phone text,
                                      p_id_number text)
    RETURNS TABLE (match text, matched_on text, case_id bigint, case_no text,
                   kind text, state text, unit_name text, role text,
                   created_at timestamptz, subject text, visible boolean)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_name    text := clean_text(p_name);
    v_phone   text := clean_text(p_phone);
    v_idno    text := upper(clean_text(p_id_number));
    v_problem text;
    v_on      text;
    v_persons bigint[];
    v_n       int;
BEGIN
    PERFORM require_role('intake');
    IF v_phone IS NOT NULL THEN
        v_phone := phone_normalize(v_phone);
        IF v_phone IS NULL THEN
            RAISE EXCEPTION 'mobile number must be 11 digits starting with 1'
                USING ERRCODE = '22023', COLUMN = 'phone';
        END IF;
    END IF;
    IF v_idno IS NOT NULL THEN
        v_problem := idcard_problem(v_idno);
        IF v_problem IS NOT NULL THEN
            RAISE EXCEPTION USING MESSAGE = v_problem, ERRCODE = '22023',
                COLUMN = 'id_number';
        END IF;
        v_on := 'id_number';
        SELECT array_agg(id) INTO v_persons FROM person WHERE id_number = v_idno;
    ELSIF v_name IS NOT NULL AND v_phone IS NOT NULL THEN
        v_on := 'name_phone';
        SELECT array_agg(id) INTO v_persons FROM person
            WHERE name = v_name AND phone = v_phone;
    END IF;
    IF v_persons IS NULL THEN
        RETURN;
    END IF;

    RETURN QUERY
    WITH hits AS (
        SELECT DISTINCT ON (c.id, m.match) m.match, c.id AS cid, m.role
        FROM legal_case c
        CROSS JOIN LATERAL (
            SELECT 'same_kind'::text AS match, 'applicant'::text AS role
            WHERE (p_kind IS NULL OR c.kind = p_kind)
              AND (c.applicant_id = ANY (v_persons)
                   OR EXISTS (SELECT 1 FROM case_party p
                              WHERE p.case_id = c.id AND p.role = 'applicant'
                                AND p.person_id = ANY (v_persons)))
            UNION ALL
            SELECT 'adverse_party', 'respondent'
            WHERE EXISTS (SELECT 1 FROM case_party p
                          WHERE p.case_id = c.id AND p.role = 'respondent'
                            AND p.person_id = ANY (v_persons))) m
        WHERE (c.applicant_id = ANY (v_persons)
               OR c.id IN (SELECT p.case_id FROM case_party p
                           WHERE p.person_id = ANY (v_persons)))
          AND NOT state_is_final(c.state) AND c.state <> 'draft'
    )
    SELECT h.match, v_on, c.id, c.case_no, c.kind, c.state::text, o.name,
           h.role, c.created_at,
           CASE WHEN case_visible(c.id) THEN c.subject END,
           case_visible(c.id)
    FROM hits h
    JOIN legal_case c ON c.id = h.cid
    JOIN org_unit o ON o.id = c.unit_id
    ORDER BY h.match DESC, c.created_at DESC, c.id DESC
    LIMIT 100;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n > 0 THEN
        PERFORM audit_write('intake_check', 'person:' || v_persons[1],
                            jsonb_build_object('matched_on', v_on, 'rows', v_n,
                                               'person_ids', to_jsonb(v_persons)));
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION
    caseterm.case_register(text, text, bigint, text, boolean, text, bigint,
                           int, numeric, jsonb),
    caseterm.person_resolve_optional(text, text, text),
    caseterm.register_legal_aid(text, text, text, text, text, text, int,
                                numeric, boolean),
    caseterm.register_legal_service(text, text, text, text, text, text, boolean),
    caseterm.register_mediation(jsonb, text, text, text, bigint, int, numeric,
                                boolean),
    caseterm.register_complaint(text, text, text, text, text, text, boolean),
    caseterm.register_suggestion(text, text, text, text, text),
    caseterm.intake_check(text, text, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    caseterm.register_legal_aid(text, text, text, text, text, text, int,
                                numeric, boolean),
    caseterm.register_legal_service(text, text, text, text, text, text, boolean),
    caseterm.register_mediation(jsonb, text, text, text, bigint, int, numeric,
                                boolean),
    caseterm.register_complaint(text, text, text, text, text, text, boolean),
    caseterm.register_suggestion(text, text, text, text, text),
    caseterm.intake_check(text, text, text, text)
    TO caseterm_app;
