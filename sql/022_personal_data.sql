-- 022_personal_data.sql — personal data: ID numbers and phones are masked
-- in lists, opened in full only by the roles that need them, within the
-- jurisdiction, and every full view is in the audit trail.
--
--   mask_id_number('321102199003071234') = '3211**********1234'
--   mask_phone('13912345678')            = '139****5678'
--   person.id_number_masked, person.phone_masked   generated columns: what
--                     lists and searches show
--   person_reveal(person, field)  the full value, for intake, handler,
--                     supervisor and admin (and followup: the phone, to call
--                     back), never for an analyst; audit action person_reveal
--   person_search(query)  find people by ID number, mobile number or name
--                     within the jurisdiction, masked
--   person_ids_matching(id_number, phone, name)  the visible people matching,
--                     for searches: matched through the indexes first (as
--                     the owner), then kept only where the policies allow.
--                     A search predicate on person itself (name bigrams,
--                     LIKE) is not leakproof, so under row-level security
--                     PostgreSQL would check the policies on every person
--                     before it: seconds instead of milliseconds
--   a restrictive policy: a user whose only roles are analyst sees no person
--
-- Jurisdiction without copying the policies: person_reveal and
-- person_search belong to caseterm_rls, a NOLOGIN role that is a member of
-- caseterm_app.  Row-level security policies written TO caseterm_app apply
-- to its members too, so these SECURITY DEFINER functions see exactly the
-- persons the acting user sees through the application role, whatever the
-- policies on person and legal_case say now or after a later migration;
-- unlike the application they may read the unmasked columns.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- masks

-- The first four and last four characters, the rest as '*' (an 18-digit
-- ID number keeps its region prefix and its last four); shorter values are
-- all '*'.  NULL stays NULL.
CREATE FUNCTION caseterm.mask_id_number(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN char_length(p) >= 9
                THEN left(p, 4) || repeat('*', char_length(p) - 8) || right(p, 4)
                ELSE repeat('*', char_length(p)) END
$$;

-- The first three and last four digits, the rest as '*': 139****5678.
CREATE FUNCTION caseterm.mask_phone(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN char_length(p) >= 8
                THEN left(p, 3) || repeat('*', char_length(p) - 7) || right(p, 4)
                ELSE repeat('*', char_length(p)) END
$$;

ALTER TABLE caseterm.person
    ADD COLUMN id_number_masked text
        GENERATED ALWAYS AS (caseterm.mask_id_number(id_number)) STORED,
    ADD COLUMN phone_masked text
        GENERATED ALWAYS AS (caseterm.mask_phone(phone)) STORED;

-- ---------------------------------------------------------------- analysts

-- true when the acting user holds a role that works with cases (anything
-- but analyst); analysts get figures, never people.
CREATE FUNCTION caseterm.acting_user_sees_persons() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN coalesce((SELECT u.roles && ARRAY['intake', 'dispatcher', 'handler',
                                              'supervisor', 'followup', 'admin']
                     FROM app_user u WHERE u.id = acting_user_id()), false);
END
$$;

CREATE POLICY person_not_for_analysts ON caseterm.person
    AS RESTRICTIVE FOR SELECT TO caseterm_app
    USING ((SELECT caseterm.acting_user_sees_persons()));

-- ---------------------------------------------------------------- caseterm_rls

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
                   WHERE rolname = 'caseterm_rls') THEN
        CREATE ROLE caseterm_rls NOLOGIN INHERIT;
    END IF;
END
$$;
ALTER ROLE caseterm_rls NOLOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE
    NOREPLICATION NOBYPASSRLS;
GRANT caseterm_app TO caseterm_rls;
GRANT USAGE ON SCHEMA caseterm TO caseterm_rls;
-- What its functions read and write beyond what caseterm_app may: the
-- unmasked columns, and the audit trail through audit_write().
GRANT SELECT ON caseterm.person TO caseterm_rls;
GRANT SELECT (id, user_id, source) ON caseterm.login_session TO caseterm_rls;
GRANT INSERT, SELECT (id) ON caseterm.audit_log TO caseterm_rls;  -- RETURNING id
GRANT EXECUTE ON FUNCTION caseterm.require_role(text),
    caseterm.audit_write(text, text, jsonb, bigint, bigint, text)
    TO caseterm_rls;

-- ---------------------------------------------------------------- reveal

-- The full ID number (p_field 'id_number') or mobile number ('phone') of
-- a person the acting user can see, for a user with the role intake,
-- handler, supervisor or admin; followup may open the phone.  Returns NULL
-- when the person has none on file.  Writes audit action person_reveal
-- (object person:<id>, detail: field, the case it was opened from when
-- p_case_id is given, whether a value was there); never the value.
-- Errors: 42501 'not allowed: ...' (no such role, or the person is not
-- within the jurisdiction, or does not exist: the same message), 22023
-- unknown field.
CREATE FUNCTION caseterm.person_reveal(p_person_id bigint, p_field text,
                                       p_case_id bigint DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_uid   bigint := require_role(NULL);
    v_field text := lower(clean_text(p_field));
    v_roles text[];
    v_value text;
BEGIN
    IF v_field IS NULL OR v_field NOT IN ('id_number', 'phone') THEN
        RAISE EXCEPTION 'unknown personal data field' USING ERRCODE = '22023',
            HINT = 'id_number, phone';
    END IF;
    SELECT u.roles INTO v_roles FROM app_user u WHERE u.id = v_uid;
    IF NOT (v_roles && ARRAY['intake', 'handler', 'supervisor', 'admin']
            OR (v_field = 'phone' AND 'followup' = ANY (v_roles))) THEN
        RAISE EXCEPTION 'not allowed: your roles do not allow opening personal data in full'
            USING ERRCODE = '42501';
    END IF;
    -- Row-level security decides (this function runs as caseterm_rls).
    SELECT CASE v_field WHEN 'id_number' THEN p.id_number ELSE p.phone END
      INTO v_value
      FROM person p WHERE p.id = p_person_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not allowed: this person is outside your jurisdiction'
            USING ERRCODE = '42501';
    END IF;
    IF p_case_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM legal_case c WHERE c.id = p_case_id) THEN
        RAISE EXCEPTION 'not allowed: outside your jurisdiction'
            USING ERRCODE = '42501';
    END IF;
    PERFORM audit_write('person_reveal', 'person:' || p_person_id,
                        jsonb_build_object('field', v_field,
                                           'person_id', p_person_id,
                                           'case_id', p_case_id,
                                           'present', v_value IS NOT NULL));
    RETURN v_value;
END
$$;
ALTER FUNCTION caseterm.person_reveal(bigint, text, bigint) OWNER TO caseterm_rls;

-- ---------------------------------------------------------------- search

-- Every person matching all the criteria given, whoever may see them:
-- p_id_number exact (x or X), p_phone exact (as typed: +86, spaces,
-- dashes), p_name anywhere in the name (two characters or more; one
-- character: the name starts with it).  Internal: executable only by
-- caseterm_rls, through person_ids_matching.  Uses the name bigram index
-- of the case model (person.name_grams) when it is there.
CREATE FUNCTION caseterm.person_match_any(p_id_number text, p_phone text,
                                          p_name text)
    RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_idno  text := upper(clean_text(p_id_number));
    v_phone text := phone_normalize(clean_text(p_phone));
    v_name  text := lower(clean_text(p_name));
    v_grams boolean;
    v_ids   bigint[];
BEGIN
    IF v_idno IS NULL AND v_phone IS NULL AND v_name IS NULL THEN
        RETURN ARRAY[]::bigint[];
    END IF;
    IF clean_text(p_phone) IS NOT NULL AND v_phone IS NULL THEN
        RETURN ARRAY[]::bigint[];
    END IF;
    v_grams := char_length(v_name) >= 2
        AND EXISTS (SELECT 1 FROM pg_attribute
                    WHERE attrelid = 'caseterm.person'::regclass
                      AND attname = 'name_grams' AND NOT attisdropped)
        AND to_regprocedure('caseterm.name_bigrams(text)') IS NOT NULL;
    IF v_grams THEN
        EXECUTE 'SELECT coalesce(array_agg(p.id), ''{}'') FROM person p
                 WHERE ($1 IS NULL OR p.id_number = $1)
                   AND ($2 IS NULL OR p.phone = $2)
                   AND p.name_grams @> name_bigrams($3)
                   AND strpos(lower(p.name), $3) > 0'
            INTO v_ids USING v_idno, v_phone, v_name;
    ELSE
        SELECT coalesce(array_agg(p.id), '{}') INTO v_ids FROM person p
         WHERE (v_idno IS NULL OR p.id_number = v_idno)
           AND (v_phone IS NULL OR p.phone = v_phone)
           AND (v_name IS NULL
                OR CASE WHEN char_length(v_name) = 1
                        THEN lower(p.name) LIKE v_name || '%'
                        ELSE strpos(lower(p.name), v_name) > 0 END);
    END IF;
    RETURN v_ids;
END
$$;

-- The ids of the people the acting user may see (the row-level security
-- of person decides: this function belongs to caseterm_rls) among those
-- matching every criterion given (see person_match_any), for searches:
--     ... WHERE c.applicant_id = ANY ((SELECT caseterm.person_ids_matching(
--                                          NULL, NULL, '张伟'))::bigint[])
-- is found through the indexes, where a search predicate on person itself
-- would have the policies checked on every person first.  Wrap it in a
-- subquery, (SELECT caseterm.person_ids_matching(...)), so that it runs
-- once per statement and the comparison can use an index.
CREATE FUNCTION caseterm.person_ids_matching(p_id_number text DEFAULT NULL,
                                             p_phone text DEFAULT NULL,
                                             p_name text DEFAULT NULL)
    RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN ARRAY(SELECT p.id FROM person p
                 WHERE p.id = ANY (person_match_any(p_id_number, p_phone, p_name))
                 ORDER BY p.id);
END
$$;
ALTER FUNCTION caseterm.person_ids_matching(text, text, text) OWNER TO caseterm_rls;

-- People the acting user can see, found by what a clerk types: an ID
-- number (18 characters, exact, x or X), a mobile number (exact; +86,
-- spaces and dashes allowed), else a name (exact names first, then names
-- starting with it).  Masked; with the number of visible cases each is the
-- applicant of.  p_limit is clamped to 1..100 (NULL: 20).
CREATE FUNCTION caseterm.person_search(p_query text, p_limit int DEFAULT 20)
    RETURNS TABLE (person_id bigint, name text, id_number_masked text,
                   phone_masked text, cases int)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_q     text := clean_text(p_query);
    v_lim   int := greatest(1, least(coalesce(p_limit, 20), 100));
    v_ids   bigint[];
BEGIN
    PERFORM require_role(NULL);
    IF v_q IS NULL THEN
        RETURN;
    END IF;
    IF upper(v_q) ~ '^[0-9]{17}[0-9X]$' THEN
        v_ids := person_ids_matching(v_q, NULL, NULL);
    ELSIF phone_normalize(v_q) IS NOT NULL THEN
        v_ids := person_ids_matching(NULL, v_q, NULL);
    ELSE
        -- names starting with what was typed (exact names first)
        v_ids := ARRAY(SELECT p.id FROM person p
                       WHERE p.id = ANY (person_ids_matching(NULL, NULL, v_q))
                         AND p.name LIKE replace(replace(replace(v_q, '\', '\\'),
                                                 '%', '\%'), '_', '\_') || '%');
    END IF;
    RETURN QUERY
    SELECT p.id, p.name, p.id_number_masked, p.phone_masked,
           (SELECT count(*)::int FROM legal_case c WHERE c.applicant_id = p.id)
      FROM person p
     WHERE p.id = ANY (v_ids)
     ORDER BY (p.name = v_q) DESC, p.name, p.id
     LIMIT v_lim;
END
$$;
ALTER FUNCTION caseterm.person_search(text, int) OWNER TO caseterm_rls;

-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION caseterm.acting_user_sees_persons(),
    caseterm.person_reveal(bigint, text, bigint),
    caseterm.person_match_any(text, text, text),
    caseterm.person_ids_matching(text, text, text),
    caseterm.person_search(text, int)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.acting_user_sees_persons(),
    caseterm.person_reveal(bigint, text, bigint),
    caseterm.person_ids_matching(text, text, text),
    caseterm.person_search(text, int)
    TO caseterm_app;
GRANT EXECUTE ON FUNCTION caseterm.person_match_any(text, text, text)
    TO caseterm_rls;
