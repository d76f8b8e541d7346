-- 010_drafts.sql — drafts of forms being filled, and the person lookup of
-- the form engine.
--
-- A form being filled is kept as a draft while the clerk types (the UI
-- saves it when the clerk moves between fields, every few seconds, and
-- when the connection drops), so that after a dropped connection, a killed
-- process or a server restart the next login offers to resume it exactly
-- where it was.  One draft per user and form; saving the form for real
-- deletes it in the same statement.  A draft is the clerk's scratch paper,
-- not a change to any case: it is not audited, and only its author sees it
-- (row-level security).
--
-- person_find is the "person" field: a clerk types an ID number or a
-- mobile number and a known person's details fill in, so that nobody types
-- a person twice.  It finds only persons the clerk may see (applicants of
-- cases visible to the clerk's unit, as the person policy of 001_core.sql),
-- and records each person shown in the audit log, because it shows an ID
-- number and a phone.
--
-- Applied by casetermctl migrate in its own transaction (see 001_core.sql
-- for the conventions).

-- ---------------------------------------------------------------- drafts

-- form_draft: the values typed into a form, by field name (text as typed),
-- with the field the cursor was in and the cursor's character position.
CREATE TABLE caseterm.form_draft (
    user_id    bigint NOT NULL REFERENCES caseterm.app_user (id),
    form       text NOT NULL CHECK (form ~ '^[a-z][a-z0-9_]{0,31}$'),
    field      text NOT NULL CHECK (field ~ '^[a-z][a-z0-9_]{0,63}$'),
    cursor_pos int NOT NULL DEFAULT 0 CHECK (cursor_pos BETWEEN 0 AND 100000),
    data       jsonb NOT NULL
               CHECK (jsonb_typeof(data) = 'object'
                      AND octet_length(data::text) <= 1000000),
    saved_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, form)
);

-- Save (create or replace) the acting user's draft of p_form.  p_data is
-- an object { "field name": "text as typed", ... }.  Any active user may
-- keep drafts.  Errors: 42501 no/disabled acting user; 22023 bad values.
CREATE FUNCTION caseterm.draft_save(p_form text, p_field text, p_cursor int,
                                    p_data jsonb)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
BEGIN
    IF p_form IS NULL OR p_form !~ '^[a-z][a-z0-9_]{0,31}$'
       OR p_field IS NULL OR p_field !~ '^[a-z][a-z0-9_]{0,63}$'
       OR p_data IS NULL OR jsonb_typeof(p_data) <> 'object' THEN
        RAISE EXCEPTION 'the draft is not valid' USING ERRCODE = '22023';
    END IF;
    INSERT INTO form_draft AS d (user_id, form, field, cursor_pos, data,
                                 saved_at)
        VALUES (v_user, p_form, p_field,
                least(greatest(coalesce(p_cursor, 0), 0), 100000), p_data,
                clock_timestamp())
        ON CONFLICT (user_id, form) DO UPDATE
        SET field = EXCLUDED.field, cursor_pos = EXCLUDED.cursor_pos,
            data = EXCLUDED.data, saved_at = EXCLUDED.saved_at;
END
$$;

-- Delete the acting user's draft of p_form (none: nothing happens).
-- Meant to run in the same statement as the save of the form, e.g.
--   SELECT r.*, caseterm.draft_delete('consultation')
--   FROM caseterm.register_consultation(...) r
-- so that a draft never survives the case it became.
CREATE FUNCTION caseterm.draft_delete(p_form text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user bigint := require_role(NULL);
BEGIN
    DELETE FROM form_draft WHERE user_id = v_user AND form = p_form;
END
$$;

-- The acting user's drafts, newest first.  SECURITY INVOKER: row-level
-- security keeps everyone else's out.
CREATE FUNCTION caseterm.draft_list()
    RETURNS TABLE (form text, saved_at timestamptz)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT d.form, d.saved_at FROM form_draft d
    WHERE d.user_id = acting_user_id()
    ORDER BY d.saved_at DESC, d.form
$$;

-- The acting user's draft of p_form: one row per field value (name,
-- value), each with the field and cursor to resume at; no rows if there is
-- no draft (a draft with no values gives one row with name NULL).
CREATE FUNCTION caseterm.draft_load(p_form text)
    RETURNS TABLE (field text, cursor_pos int, name text, value text,
                   saved_at timestamptz)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT d.field, d.cursor_pos, e.key, e.value, d.saved_at
    FROM form_draft d
    LEFT JOIN LATERAL jsonb_each_text(d.data) e ON true
    WHERE d.user_id = acting_user_id() AND d.form = p_form
$$;

ALTER TABLE caseterm.form_draft ENABLE ROW LEVEL SECURITY;
CREATE POLICY form_draft_own ON caseterm.form_draft
    FOR SELECT TO caseterm_app
    USING (user_id = (SELECT caseterm.acting_user_id()));
GRANT SELECT ON caseterm.form_draft TO caseterm_app;

-- ---------------------------------------------------------------- persons

-- Find known persons by resident ID number or mobile number (as typed:
-- lower-case x, +86, spaces and dashes are fine), among those the acting
-- user may see: applicants of cases held by the user's unit or a unit
-- below it, or created by the user.  At most 10, newest first.  Each
-- person returned is audited ('person_view'), since the answer shows an ID
-- number and a phone.  Empty p_key: no rows.
-- Errors: 42501 no/disabled acting user; 22023 neither an ID number nor a
-- mobile number (COLUMN = key).
CREATE FUNCTION caseterm.person_find(p_key text)
    RETURNS TABLE (person_id bigint, name text, id_number text, phone text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_user  bigint := require_role(NULL);
    v_unit  bigint := acting_unit_id();
    v_key   text := upper(clean_text(p_key));
    v_idno  text;
    v_phone text;
    r       record;
BEGIN
    IF v_key IS NULL THEN
        RETURN;
    END IF;
    IF idcard_problem(v_key) IS NULL THEN
        v_idno := v_key;
    ELSE
        v_phone := phone_normalize(v_key);
        IF v_phone IS NULL THEN
            RAISE EXCEPTION 'type a resident ID number or a mobile number'
                USING ERRCODE = '22023', COLUMN = 'key';
        END IF;
    END IF;
    FOR r IN
        SELECT p.id, p.name, p.id_number, p.phone
        FROM person p
        WHERE (p.id_number = v_idno OR p.phone = v_phone)
          AND EXISTS (SELECT 1 FROM legal_case c
                      JOIN org_unit o ON o.id = c.unit_id
                      WHERE c.applicant_id = p.id
                        AND (o.path @> ARRAY[v_unit] OR c.created_by = v_user))
        ORDER BY p.id DESC
        LIMIT 10
    LOOP
        PERFORM audit_write('person_view', 'person:' || r.id,
                            jsonb_build_object('by', CASE WHEN v_idno IS NOT NULL
                                                     THEN 'id_number' ELSE 'phone' END,
                                               'via', 'person_find'));
        person_id := r.id;
        name := r.name;
        id_number := r.id_number;
        phone := r.phone;
        RETURN NEXT;
    END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION caseterm.draft_save(text, text, int, jsonb),
    caseterm.draft_delete(text), caseterm.draft_list(),
    caseterm.draft_load(text), caseterm.person_find(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.draft_save(text, text, int, jsonb),
    caseterm.draft_delete(text), caseterm.draft_list(),
    caseterm.draft_load(text), caseterm.person_find(text)
    TO caseterm_app;
