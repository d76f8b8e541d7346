-- 032_intake_speed.sql — the intake with 32 clerks registering at once
-- (issue 5; tests/bench/lifecycle.sh measures register_consultation against
-- the raw inserts of the same rows).  The same rules, in a cheaper order.
--
-- Where the time went (200,000 cases, 32 clients, 2 CPUs): not into the
-- work itself — one client registers as fast as one client inserts raw
-- (about 2 ms of CPU per transaction either way), and with the year's
-- counter and the audit chain taken out, register_consultation ran at
-- 600-1000 registrations a second, as fast as the raw inserts.  The
-- registrations queue for the year's case counter: a gap-free number is
-- held from the moment it is taken until the transaction ends, the round
-- trip of the client's COMMIT included, and 30 of the 32 backends were
-- found waiting for it at any moment.  The rate is one over that time,
-- about 3 ms under load: 1.4 ms inside register_consultation after the
-- number was taken, 1.1 ms until the client's COMMIT arrived, 0.4 ms of
-- COMMIT, 0.4 ms until the next in the queue ran (server log timestamps).
-- Inside, besides the inserts and their foreign-key checks:
-- legal_case_track computing both deadlines on the working-day calendar
-- (rule_deadline twice, each a chain of PL/pgSQL calls), audit_write
-- looking up the session and its source, and the chain trigger calling
-- audit_hash and audit_canonical — each a function with its own
-- search_path — in four statements.
--
--   register_consultation
--        everything that does not need the number is done before taking
--        it: the checks, the applicant, the two deadlines (the same
--        rule_deadline the trigger would call, from now(), which is the
--        case's created_at), the audit row's session and source (as
--        audit_write finds them).  Then, holding the counter: one
--        statement that takes the number and inserts the case, its
--        register event and its audit row (through the chain trigger).
--        The number is taken as next_case_no takes it (the advisory lock
--        of 024, then the counter row, both held to the end of the
--        transaction): gap-free, a refused or rolled-back registration
--        gives its number back.  Time inside after the number: 1.4 ms
--        -> 1.1 ms under load (pg_stat_statements);
--   audit_log_chain
--        the canonical text and its hash computed in the trigger itself,
--        the same bytes as audit_hash (020, 024: `casetermctl audit
--        verify` and audit_verify are unchanged), instead of two nested
--        PL/pgSQL calls each setting search_path: 0.125 -> 0.09 ms per
--        audit row, inside the chain lock every audit writer queues on.
--
-- What this cannot change: while a number is held across the client's
-- COMMIT round trip, that round trip is in every registration's turn.
-- Taking the number as the very last step of the function, with nothing
-- at all done after it, still only reached 0.4 of the raw insert rate on
-- the loaded test machine (284-299 against 699-751 a second); the two
-- thirds of issue 5 need the number (and the chain) to be taken at
-- commit, which a function that returns the case number cannot do
-- without giving up gap-free numbers.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- the chain

-- The chain trigger of 020 (same rows, same hashes): the head row locked,
-- seq and prev_hash from it, row_hash = sha256 of the canonical text
-- (020_audit.sql: the tag, then "-" or "<bytes>:<text>" for each of seq,
-- id, at in microseconds, user_id, session_id, source, action, object,
-- detail, prev_hash in hex), the head moved on.
CREATE OR REPLACE FUNCTION caseterm.audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_seq  bigint;
    v_hash bytea;
    f      text[];
BEGIN
    SELECT h.seq, h.row_hash INTO v_seq, v_hash
        FROM audit_chain_head h WHERE h.one FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING MESSAGE = 'audit chain head is missing',
            ERRCODE = 'XX000';
    END IF;
    NEW.seq := v_seq + 1;
    NEW.prev_hash := v_hash;
    NEW.detail := coalesce(NEW.detail, '{}');
    f := ARRAY[NEW.seq::text, NEW.id::text,
               (extract(epoch FROM NEW.at) * 1000000)::bigint::text,
               NEW.user_id::text, NEW.session_id::text, NEW.source, NEW.action,
               NEW.object, NEW.detail::text, encode(NEW.prev_hash, 'hex')];
    NEW.row_hash := sha256(convert_to('caseterm-audit-1'
        || CASE WHEN f[1] IS NULL THEN '-' ELSE octet_length(convert_to(f[1], 'UTF8')) || ':' || f[1] END
        || CASE WHEN f[2] IS NULL THEN '-' ELSE octet_length(convert_to(f[2], 'UTF8')) || ':' || f[2] END
        || CASE WHEN f[3] IS NULL THEN '-' ELSE octet_length(convert_to(f[3], 'UTF8')) || ':' || f[3] END
        || CASE WHEN f[4] IS NULL THEN '-' ELSE octet_length(convert_to(f[4], 'UTF8')) || ':' || f[4] END
        || CASE WHEN f[5] IS NULL THEN '-' ELSE octet_length(convert_to(f[5], 'UTF8')) || ':' || f[5] END
        || CASE WHEN f[6] IS NULL THEN '-' ELSE octet_length(convert_to(f[6], 'UTF8')) || ':' || f[6] END
        || CASE WHEN f[7] IS NULL THEN '-' ELSE octet_length(convert_to(f[7], 'UTF8')) || ':' || f[7] END
        || CASE WHEN f[8] IS NULL THEN '-' ELSE octet_length(convert_to(f[8], 'UTF8')) || ':' || f[8] END
        || CASE WHEN f[9] IS NULL THEN '-' ELSE octet_length(convert_to(f[9], 'UTF8')) || ':' || f[9] END
        || CASE WHEN f[10] IS NULL THEN '-' ELSE octet_length(convert_to(f[10], 'UTF8')) || ':' || f[10] END,
        'UTF8'));
    UPDATE audit_chain_head SET seq = NEW.seq, row_hash = NEW.row_hash
     WHERE one;
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------- intake

-- register_consultation (003_cases.sql): the same arguments, checks,
-- applicant, case, event, audit row and errors; see there.  Only the
-- order changed (see the head of this file).
CREATE OR REPLACE FUNCTION caseterm.register_consultation(p_name text, p_phone text,
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
    v_deadline timestamptz;
    v_step_deadline timestamptz;
    v_session  bigint;
    v_source   text;
    v_year     int;
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

    -- What the case and its audit row need besides the number, before
    -- queueing for it.  The deadlines as legal_case_track computes them
    -- for a registered case (created_at is now(); not urgent).
    v_deadline := rule_deadline(now(), 'consultation', 'handle', false);
    v_step_deadline := rule_deadline(now(), 'consultation', 'review', false);
    -- The session and source as audit_write finds them.
    SELECT s.id, s.source INTO v_session, v_source FROM login_session s
        WHERE s.id = current_session_id() AND s.user_id = v_user;
    v_source := left(coalesce(v_source,
        nullif(current_setting('caseterm.source', true), ''),
        'db:' || coalesce(host(inet_client_addr()), 'local')), 200);

    -- The number, as next_case_no takes it (024): queue for the year's
    -- counter, held with its row to the end of the transaction; then the
    -- case, its event and its audit row in one statement.
    v_year := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int;
    PERFORM pg_advisory_xact_lock(hashtext('caseterm.case_counter'), v_year);
    WITH n AS (
        INSERT INTO case_counter AS k (year, last_no) VALUES (v_year, 1)
            ON CONFLICT (year) DO UPDATE SET last_no = k.last_no + 1
            RETURNING v_year || '-' || lpad(k.last_no::text,
                                            greatest(6, length(k.last_no::text)), '0') AS no
    ), c AS (
        INSERT INTO legal_case (case_no, kind, state, channel, unit_id,
                                applicant_id, created_by, subject, answer,
                                deadline, step_deadline)
            SELECT n.no, 'consultation', 'registered', v_channel, v_unit,
                   v_person, v_user, v_subject, v_answer,
                   v_deadline, v_step_deadline
            FROM n
            RETURNING id, legal_case.case_no AS no
    ), e AS (
        INSERT INTO case_event (case_id, user_id, unit_id, kind, from_state,
                                to_state, detail)
            SELECT c.id, v_user, v_unit, 'register', NULL, 'registered',
                   jsonb_build_object('kind', 'consultation',
                                      'channel', v_channel,
                                      'answered', v_answer IS NOT NULL)
            FROM c
    ), a AS (
        INSERT INTO audit_log (user_id, session_id, source, action, object, detail)
            SELECT v_user, v_session, v_source, 'case_register',
                   left('legal_case:' || c.id, 200),
                   jsonb_build_object('case_no', c.no,
                                      'person_id', v_person,
                                      'new_person', v_new_person)
            FROM c
    )
    SELECT c.id, c.no INTO v_case, v_case_no FROM c;
    case_id := v_case;
    case_no := v_case_no;
    RETURN NEXT;
END
$$;
