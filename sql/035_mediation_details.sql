-- 035_mediation_details.sql — what the mediation form asks is kept.
-- The form (forms/mediation.conf) asks when the dispute began, when it
-- came in, why it is urgent and the applicant's special groups (elderly,
-- minor, ...), but register_mediation (006) had no place for them and
-- they were lost at F2.  It now takes p_details, checked here and kept in
-- legal_case.details (like the legal aid household), which the case
-- screen shows:
--   began_on       a date (YYYY-MM-DD), not after today (Beijing time)
--   received_at    when the dispute came in, not in the future; kept as
--                  YYYY-MM-DD HH:MM, Beijing time
--   urgent_reason  at most 500 characters
--   groups         the applicant's special groups, an array of elderly,
--                  minor, disabled, women, migrant_worker, veteran
-- Any other key, or a value of the wrong form: 22023 with COLUMN = the key.
-- The old signature goes (a call with its eight arguments still works).
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

DROP FUNCTION caseterm.register_mediation(jsonb, text, text, text, bigint, int,
                                          numeric, boolean);

-- The details of a mediation request, checked and normalised (see above).
CREATE FUNCTION caseterm.mediation_details(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_key  text;
    v_out  jsonb := '{}';
    v_day  date;
    v_at   timestamptz;
    v_text text;
BEGIN
    IF p IS NULL OR p = 'null' THEN
        RETURN v_out;
    END IF;
    IF jsonb_typeof(p) <> 'object' THEN
        RAISE EXCEPTION 'the details must be an object' USING ERRCODE = '22023',
            COLUMN = 'details';
    END IF;
    FOR v_key IN SELECT jsonb_object_keys(p) LOOP
        CASE v_key
        WHEN 'began_on' THEN
            BEGIN
                v_day := (p->>v_key)::date;
            EXCEPTION WHEN others THEN
                RAISE EXCEPTION 'the day the dispute began is not a date'
                    USING ERRCODE = '22023', COLUMN = v_key;
            END;
            IF v_day > (now() AT TIME ZONE 'Asia/Shanghai')::date THEN
                RAISE EXCEPTION 'the dispute cannot begin in the future'
                    USING ERRCODE = '22023', COLUMN = v_key;
            END IF;
            v_out := v_out || jsonb_build_object(v_key, to_char(v_day, 'YYYY-MM-DD'));
        WHEN 'received_at' THEN
            BEGIN
                v_at := (p->>v_key)::timestamptz;
            EXCEPTION WHEN others THEN
                RAISE EXCEPTION 'when it came in is not a time'
                    USING ERRCODE = '22023', COLUMN = v_key;
            END;
            IF v_at > now() + interval '5 minutes' THEN
                RAISE EXCEPTION 'a dispute cannot come in in the future'
                    USING ERRCODE = '22023', COLUMN = v_key;
            END IF;
            v_out := v_out || jsonb_build_object(v_key,
                to_char(v_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'));
        WHEN 'urgent_reason' THEN
            v_text := clean_text(p->>v_key);
            IF char_length(v_text) > 500 THEN
                RAISE EXCEPTION 'why it is urgent must be at most 500 characters'
                    USING ERRCODE = '22023', COLUMN = v_key;
            END IF;
            IF v_text IS NOT NULL THEN
                v_out := v_out || jsonb_build_object(v_key, v_text);
            END IF;
        WHEN 'groups' THEN
            IF jsonb_typeof(p->v_key) <> 'array'
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(p->v_key) g
                          WHERE jsonb_typeof(g) <> 'string'
                             OR g #>> '{}' NOT IN ('elderly', 'minor', 'disabled', 'women',
                                                   'migrant_worker', 'veteran')) THEN
                RAISE EXCEPTION 'unknown special group' USING ERRCODE = '22023',
                    COLUMN = v_key;
            END IF;
            IF jsonb_array_length(p->v_key) > 0 THEN
                v_out := v_out || jsonb_build_object(v_key,
                    (SELECT jsonb_agg(DISTINCT g) FROM jsonb_array_elements(p->v_key) g));
            END IF;
        ELSE
            RAISE EXCEPTION 'unknown detail of a mediation request: %', v_key
                USING ERRCODE = '22023', COLUMN = v_key;
        END CASE;
    END LOOP;
    RETURN v_out;
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
--   p_details  see the head of this file
CREATE FUNCTION caseterm.register_mediation(p_parties jsonb, p_subject text,
                                            p_channel text DEFAULT 'hotline',
                                            p_category text DEFAULT NULL,
                                            p_place_unit_id bigint DEFAULT NULL,
                                            p_people_involved int DEFAULT NULL,
                                            p_amount numeric DEFAULT NULL,
                                            p_urgent boolean DEFAULT false,
                                            p_details jsonb DEFAULT '{}')
    RETURNS TABLE (case_id bigint, case_no text, deadline timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_user      bigint := require_role('intake');
    v_details   jsonb := mediation_details(p_details);
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
                       round(p_amount, 2), v_details);
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

REVOKE EXECUTE ON FUNCTION
    caseterm.mediation_details(jsonb),
    caseterm.register_mediation(jsonb, text, text, text, bigint, int, numeric,
                                boolean, jsonb)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    caseterm.register_mediation(jsonb, text, text, text, bigint, int, numeric,
                                boolean, jsonb)
    TO caseterm_app;
