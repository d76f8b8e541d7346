-- 003_cases.sql — taking in cases, and the case lists.
--
-- register_consultation is the intake form's one write: it finds or creates
-- the applicant, numbers the case, stores it, and records the event and the
-- audit row, all in the caller's transaction.  my_cases and unit_cases are
-- SECURITY INVOKER: row-level security (001_core.sql) decides what the
-- acting user sees.  Applied by casetermctl migrate in its own transaction.

-- Next case number for the current year in China: YYYY-NNNNNN (more digits
-- past 999999).  Gap-free: the counter row is updated in the caller's
-- transaction, so a rolled-back registration gives its number back, and
-- concurrent registrations queue on the row lock (READ COMMITTED).
-- Internal: not executable by the application.
CREATE FUNCTION caseterm.next_case_no() RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_year int := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int;
    v_no   int;
BEGIN
    INSERT INTO case_counter AS c (year, last_no) VALUES (v_year, 1)
        ON CONFLICT (year) DO UPDATE SET last_no = c.last_no + 1
        RETURNING c.last_no INTO v_no;
    RETURN v_year || '-' || lpad(v_no::text, greatest(6, length(v_no::text)), '0');
END
$$;

-- Register a legal consultation taken by the acting user (role 'intake').
--   p_name       applicant's name, 1..50 characters after trimming; required
--   p_phone      mobile number, optional; '+86', spaces and dashes allowed,
--                stored as 11 digits
--   p_id_number  resident ID number, optional (empty = none); lower-case x
--                accepted, stored upper-case
--   p_subject    the question, 1..2000 characters; required
--   p_answer     the answer given on the spot, optional, up to 10000
--   p_channel    hotline (default, also for NULL/empty), walk_in, online,
--                wechat, transfer_110, transfer_12345, grid
-- The applicant is the person with that ID number; else, when a phone is
-- given, the person with that name and phone (and no other ID number);
-- else a new person.  A found person's missing phone or ID number is
-- filled in.  An ID number already registered under another name is
-- refused (a typo in one of the two is likelier than a namesake).
-- The case: state 'registered', kind 'consultation', held by the user's
-- unit; event 'register'; audit 'case_register'.
-- Errors: 42501 not allowed (no/disabled acting user, no intake role);
-- 22023 invalid input, with COLUMN = name | phone | id_number | subject |
-- answer | channel.
CREATE FUNCTION caseterm.register_consultation(p_name text, p_phone text,
                                               p_id_number text,
                                               p_subject text, p_answer text,
                                               p_channel text DEFAULT 'hotline')
    RETURNS TABLE (case_id bigint, case_no text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_user     bigint;
    v_unit     bigint;
    v_name     text := clean_text(p_name);
    v_phone    text := clean_text(p_phone);
    v_idno     text := upper(clean_text(p_id_number));
    v_subject  text := clean_text(p_subject);
    v_answer   text := clean_text(p_answer);
    v_channel  text := coalesce(lower(clean_text(p_channel)), 'hotline');
    v_problem  text;
    v_person   bigint;
    v_p_name   text;
    v_p_phone  text;
    v_p_idno   text;
    v_new_person boolean := false;
    v_case     bigint;
    v_case_no  text;
BEGIN
    v_user := require_role('intake');
    SELECT unit_id INTO v_unit FROM app_user WHERE id = v_user;

    -- Validate everything before touching anything.
    IF v_name IS NULL THEN
        RAISE EXCEPTION 'name is required' USING ERRCODE = '22023', COLUMN = 'name';
    END IF;
    IF char_length(v_name) > 50 THEN
        RAISE EXCEPTION 'name must be at most 50 characters'
            USING ERRCODE = '22023', COLUMN = 'name';
    END IF;
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
            RAISE EXCEPTION '%', v_problem
                USING ERRCODE = '22023', COLUMN = 'id_number';
        END IF;
    END IF;
    IF v_subject IS NULL THEN
        RAISE EXCEPTION 'the question is required'
            USING ERRCODE = '22023', COLUMN = 'subject';
    END IF;
    IF char_length(v_subject) > 2000 THEN
        RAISE EXCEPTION 'the question must be at most 2000 characters'
            USING ERRCODE = '22023', COLUMN = 'subject';
    END IF;
    IF char_length(v_answer) > 10000 THEN
        RAISE EXCEPTION 'the answer must be at most 10000 characters'
            USING ERRCODE = '22023', COLUMN = 'answer';
    END IF;
    IF v_channel NOT IN ('hotline', 'walk_in', 'online', 'wechat',
                         'transfer_110', 'transfer_12345', 'grid') THEN
        RAISE EXCEPTION 'unknown channel' USING ERRCODE = '22023', COLUMN = 'channel';
    END IF;

    -- Find the applicant: by ID number, else by name + phone.  Concurrent
    -- registrations of the same name + phone queue here, so that the second
    -- finds the person the first created instead of creating a twin (the
    -- ID number has its unique index and ON CONFLICT below).
    IF v_phone IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(
            hashtextextended('caseterm.person|' || v_name || '|' || v_phone, 0));
    END IF;
    IF v_idno IS NOT NULL THEN
        SELECT id, name, phone INTO v_person, v_p_name, v_p_phone
            FROM person WHERE id_number = v_idno FOR UPDATE;
        IF FOUND AND v_p_name <> v_name THEN
            RAISE EXCEPTION 'this ID number is already registered under another name'
                USING ERRCODE = '22023', COLUMN = 'id_number';
        END IF;
    END IF;
    IF v_person IS NULL AND v_phone IS NOT NULL THEN
        SELECT id, phone, id_number INTO v_person, v_p_phone, v_p_idno
            FROM person
            WHERE name = v_name AND phone = v_phone
              AND (id_number IS NULL OR v_idno IS NULL)
            ORDER BY (id_number IS NOT NULL) DESC, id
            LIMIT 1
            FOR UPDATE;
    END IF;

    IF v_person IS NULL THEN
        -- ON CONFLICT: a concurrent registration may have just created the
        -- person with this ID number.
        INSERT INTO person (name, id_number, phone)
            VALUES (v_name, v_idno, v_phone)
            ON CONFLICT (id_number) DO NOTHING
            RETURNING id INTO v_person;
        IF v_person IS NULL THEN
            SELECT id, name, phone INTO v_person, v_p_name, v_p_phone
                FROM person WHERE id_number = v_idno FOR UPDATE;
            IF v_p_name <> v_name THEN
                RAISE EXCEPTION 'this ID number is already registered under another name'
                    USING ERRCODE = '22023', COLUMN = 'id_number';
            END IF;
        ELSE
            v_new_person := true;
        END IF;
    END IF;
    IF NOT v_new_person THEN
        UPDATE person
           SET phone = coalesce(phone, v_phone),
               id_number = coalesce(id_number, v_idno)
         WHERE id = v_person
           AND ((phone IS NULL AND v_phone IS NOT NULL)
                OR (id_number IS NULL AND v_idno IS NOT NULL));
    END IF;

    v_case_no := next_case_no();
    INSERT INTO legal_case (case_no, kind, state, channel, unit_id,
                            applicant_id, created_by, subject, answer)
        VALUES (v_case_no, 'consultation', 'registered', v_channel, v_unit,
                v_person, v_user, v_subject, v_answer)
        RETURNING id INTO v_case;
    INSERT INTO case_event (case_id, user_id, unit_id, kind, from_state,
                            to_state, detail)
        VALUES (v_case, v_user, v_unit, 'register', NULL, 'registered',
                jsonb_build_object('kind', 'consultation',
                                   'channel', v_channel,
                                   'answered', v_answer IS NOT NULL));
    PERFORM audit_write('case_register', 'legal_case:' || v_case,
                        jsonb_build_object('case_no', v_case_no,
                                           'person_id', v_person,
                                           'new_person', v_new_person));
    case_id := v_case;
    case_no := v_case_no;
    RETURN NEXT;
END
$$;

-- The cases the acting user created, newest first (ties: higher id first).
-- p_limit is clamped to 1..1000 (NULL: 100).  Row-level security applies.
CREATE FUNCTION caseterm.my_cases(p_limit int DEFAULT 100)
    RETURNS TABLE (case_id bigint, case_no text, kind text, state text,
                   created_at timestamptz, applicant_name text, subject text)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT c.id, c.case_no, c.kind, c.state, c.created_at, p.name, c.subject
    FROM legal_case c
    LEFT JOIN person p ON p.id = c.applicant_id
    WHERE c.created_by = acting_user_id()
    ORDER BY c.created_at DESC, c.id DESC
    LIMIT greatest(1, least(coalesce(p_limit, 100), 1000))
$$;

-- The cases the acting user may see (its unit's subtree, and its own),
-- newest first, with the name of the unit holding each.  The filtering is
-- row-level security's: called by a role that bypasses it (a superuser,
-- the tables' owner) this lists every case.  p_limit as in my_cases.
CREATE FUNCTION caseterm.unit_cases(p_limit int DEFAULT 100)
    RETURNS TABLE (case_id bigint, case_no text, kind text, state text,
                   created_at timestamptz, applicant_name text, subject text,
                   unit_name text)
    LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT c.id, c.case_no, c.kind, c.state, c.created_at, p.name, c.subject,
           o.name
    FROM legal_case c
    JOIN org_unit o ON o.id = c.unit_id
    LEFT JOIN person p ON p.id = c.applicant_id
    ORDER BY c.created_at DESC, c.id DESC
    LIMIT greatest(1, least(coalesce(p_limit, 100), 1000))
$$;

REVOKE EXECUTE ON FUNCTION caseterm.next_case_no(),
    caseterm.register_consultation(text, text, text, text, text, text),
    caseterm.my_cases(int), caseterm.unit_cases(int)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    caseterm.register_consultation(text, text, text, text, text, text),
    caseterm.my_cases(int), caseterm.unit_cases(int)
    TO caseterm_app;
