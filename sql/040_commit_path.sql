-- 040_commit_path.sql — nothing held across the client's COMMIT (issue 5:
-- with 32 clerks registering at once, register_consultation at two thirds
-- of the raw insert rate of the same rows; tests/bench/lifecycle.sh).
--
-- Until now two locks were taken inside the registration and held to the
-- end of the transaction, the round trip of the client's COMMIT included,
-- so every registration waited for the one before it to be committed by
-- its client (see the head of 032):
--
--   (1) the year's gap-free case counter (the advisory lock of 024 and the
--       case_counter row), and behind it
--   (2) the audit chain head (020: the chain trigger locked
--       audit_chain_head for every audit row as it was inserted).
--
-- The lead engineer's decision, implemented here:
--
--   case numbers  still YYYY-NNNNNN, unique per year (the unique index on
--        legal_case.case_no stays) and shown to the clerk at once, but no
--        longer gap-free: a sequence per year, caseterm.case_no_YYYY
--        (case_no_seq creates a missing year's sequence on demand, under
--        an advisory lock, owned by the schema owner; this migration
--        creates this year's and next year's and one for every year on
--        file, each set past the highest number given out).  nextval is
--        not transactional: no lock is held, and a registration that is
--        rolled back (or fails after taking its number) leaves a gap in
--        that year's numbers.  Registrations refused by their checks take
--        no number (the checks come first).  next_case_no (every register_*
--        of 006, the child cases of sub-dispatch in 007) and
--        register_consultation (032, which took the number itself) use it;
--        case_counter is dropped, so that nothing can hand out numbers from
--        it beside the sequences.  Anything that inserts cases with numbers
--        of its own (a bulk load) must move the year's sequence past them:
--        SELECT setval(caseterm.case_no_seq(2026), <highest number>).
--
--   the audit chain  chained at commit instead of at insert.  audit_log
--        rows are inserted with seq, prev_hash and row_hash NULL (the
--        BEFORE INSERT trigger audit_log_zz_chain now clears whatever the
--        inserter wrote there) and filled in by audit_log_zz_chain_commit,
--        a DEFERRABLE INITIALLY DEFERRED constraint trigger (ENABLE
--        ALWAYS): at commit it locks the chain head, gives each of the
--        transaction's rows, in the order they were inserted, the next seq,
--        the head's hash as prev_hash and row_hash = sha256 of the same
--        canonical text as before (020/024/032: the same bytes;
--        audit_canonical, audit_hash, audit_verify and `casetermctl audit
--        verify` are unchanged), and moves the head on.  The head lock is
--        now held only during the server's commit processing, never across
--        a client round trip.  The chain order is still the commit order.
--        Append-only still: audit_log_append_only refuses every UPDATE and
--        DELETE except this one-time fill, which it allows only when (a)
--        the chain function's own setting caseterm.audit_chain_fill is on
--        (a SET clause of that SECURITY DEFINER function: on while it runs,
--        off again when it returns or fails), (b) it runs inside a trigger,
--        (c) the row had no seq, prev_hash or row_hash and gets all three,
--        and (d) no other column changes.  (A superuser could fake (a) and
--        (b); a superuser can disable the trigger anyway — the chain, not
--        the trigger, is what detects that.)  The application has no
--        UPDATE privilege on audit_log at all, as before.
--
-- What changes for readers: until its transaction commits, an audit row
-- has seq, prev_hash and row_hash NULL — it is visible only to its own
-- transaction, and the chain head does not count it yet.  Within that
-- transaction audit_search lists such rows first (ORDER BY seq DESC puts
-- NULLs first), audit_verify would name them outside_chain, and code that
-- wants "the rows written since" must use id, not seq (tests/sql/admin.sql
-- and personal.sql do so now).  SET CONSTRAINTS caseterm.audit_log_zz_chain_commit
-- IMMEDIATE chains the pending rows at once (tests/sql/audit_chain.sql
-- does, since a pgTAP test never commits); that is also the way for a
-- transaction that must see its own rows chained, at the price of holding
-- the head from then on.  A REPEATABLE READ or SERIALIZABLE transaction
-- that writes audit rows can fail at COMMIT with a serialization failure
-- when another transaction moved the head meanwhile (as it could at insert
-- before); the application writes in READ COMMITTED.  Rows slipped in
-- with the commit trigger disabled keep seq NULL and are reported
-- outside_chain, as before.  ALTER TABLE on audit_log in a transaction
-- that has inserted audit rows not yet chained fails ("pending trigger
-- events"): chain them first (SET CONSTRAINTS ... IMMEDIATE) or disable
-- both chain triggers before inserting, as tests/e2e/audit.sh's tamper does.
--
-- Measured (tests/bench/lifecycle.sh, CASES=200000 DURATION=20, 32
-- clients, 2 CPUs shared with other work; the ratio is the rules'
-- transaction rate over the raw inserts' in the same run):
--   COMPARE=040_commit_path.sql, before and after in the same run,
--   registrations / raw inserts a second:
--     run 1   before 453 / 861 = 0.53    after 587 / 954 = 0.62
--     run 2   before 341 / 822 = 0.42    after 530 / 771 = 0.69
--   (an earlier run without COMPARE, before: 214 / 473 = 0.45; load
--   average up to 17 during the runs).  The target of two thirds is met
--   in one run of two.  What is left: pg_stat_activity sampled during the
--   second run's registrations (after) showed about a quarter of the 32
--   backends waiting for a row lock (Lock:tuple, Lock:transactionid), the
--   queue on the chain head at commit (pg_locks: every lock waited for was
--   the audit_chain_head row's or its holder's): on 2 oversubscribed CPUs the holder
--   is often descheduled inside its commit processing, and about an eighth
--   waiting on LWLock:BufferContent; another quarter were idle in
--   transaction, their pgbench client not yet scheduled.  Each audit row
--   also costs a second, non-HOT heap tuple (the fill is an UPDATE and seq
--   is indexed), cleaned up by vacuum.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- case numbers

-- The sequence of year p_year's case numbers, caseterm.case_no_<year>,
-- created when missing.  Creators queue on an advisory lock (held to the
-- end of the creating transaction, once a year); CREATE SEQUENCE IF NOT
-- EXISTS takes the namespace lock and sees a sequence another creator
-- committed meanwhile.  SECURITY DEFINER: the sequence belongs to the
-- schema owner; only the SECURITY DEFINER functions take numbers from it.
CREATE FUNCTION caseterm.case_no_seq(p_year int) RETURNS regclass
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_name text;
    v_seq  regclass;
BEGIN
    IF p_year IS NULL OR p_year NOT BETWEEN 2000 AND 9999 THEN
        RAISE EXCEPTION USING MESSAGE = 'case_no_seq: year out of range',
            DETAIL = p_year, ERRCODE = '22023';
    END IF;
    v_name := 'case_no_' || p_year;
    v_seq := to_regclass('caseterm.' || v_name);
    IF v_seq IS NOT NULL THEN
        RETURN v_seq;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('caseterm.case_no_seq'), p_year);
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS caseterm.%I AS bigint
                        MINVALUE 1 START 1 NO CYCLE', v_name);
    RETURN ('caseterm.' || v_name)::regclass;
END
$$;

-- The next case number for the current year in China: YYYY-NNNNNN (more
-- digits past 999999), unique, not gap-free (see the head of this file).
-- Internal: not executable by the application.
CREATE OR REPLACE FUNCTION caseterm.next_case_no() RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_year int := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int;
    v_no   bigint;
BEGIN
    v_no := nextval(case_no_seq(v_year));
    RETURN v_year || '-' || lpad(v_no::text, greatest(6, length(v_no::text)), '0');
END
$$;

-- One sequence per year on file (the counter's years and the numbers on
-- the cases, whichever is higher), this year's and next year's.
LOCK TABLE caseterm.case_counter IN EXCLUSIVE MODE;
DO $$
DECLARE
    r record;
    v_now int := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int;
BEGIN
    FOR r IN
        SELECT y.year, max(y.last_no) AS last_no
          FROM (SELECT k.year, k.last_no::bigint FROM caseterm.case_counter k
                UNION ALL
                SELECT split_part(c.case_no, '-', 1)::int,
                       max(split_part(c.case_no, '-', 2)::bigint)
                  FROM caseterm.legal_case c
                 GROUP BY 1
                UNION ALL
                SELECT v_now, 0
                UNION ALL
                SELECT v_now + 1, 0) y
         WHERE y.year BETWEEN 2000 AND 9999
         GROUP BY y.year
    LOOP
        IF r.last_no > 0 THEN
            PERFORM setval(caseterm.case_no_seq(r.year), r.last_no, true);
        ELSE
            PERFORM caseterm.case_no_seq(r.year);
        END IF;
    END LOOP;
END
$$;
DROP TABLE caseterm.case_counter;

-- ---------------------------------------------------------------- the chain

ALTER TABLE caseterm.audit_log
    ALTER COLUMN seq DROP NOT NULL,
    ALTER COLUMN prev_hash DROP NOT NULL,
    ALTER COLUMN row_hash DROP NOT NULL;

-- BEFORE INSERT (the trigger audit_log_zz_chain of 020, fired last among
-- the BEFORE INSERT triggers): the row goes in unchained, whatever the
-- inserter wrote into seq, prev_hash or row_hash.
CREATE OR REPLACE FUNCTION caseterm.audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    NEW.seq := NULL;
    NEW.prev_hash := NULL;
    NEW.row_hash := NULL;
    NEW.detail := coalesce(NEW.detail, '{}');
    RETURN NEW;
END
$$;

-- At commit, for each audit row the transaction inserted (in the order it
-- inserted them): the head row locked (held until the commit is done),
-- seq and prev_hash from it, row_hash = sha256 of the canonical text
-- (020_audit.sql: the tag, then "-" or "<bytes>:<text>" for each of seq,
-- id, at in microseconds, user_id, session_id, source, action, object,
-- detail, prev_hash in hex; inline as in 032, the same bytes as
-- audit_hash), the row filled in, the head moved on.  A row that already
-- has a seq (inserted with audit_log_zz_chain disabled, by a superuser)
-- is left as it is, and the head is not moved for it.
CREATE FUNCTION caseterm.audit_log_chain_commit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_chain_fill = 'on'
AS $$
DECLARE
    v_seq  bigint;
    v_prev bytea;
    v_hash bytea;
    v_n    int;
    f      text[];
BEGIN
    IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.row_hash IS NOT NULL THEN
        RETURN NULL;
    END IF;
    SELECT h.seq, h.row_hash INTO v_seq, v_prev
        FROM audit_chain_head h WHERE h.one FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING MESSAGE = 'audit chain head is missing',
            ERRCODE = 'XX000';
    END IF;
    v_seq := v_seq + 1;
    f := ARRAY[v_seq::text, NEW.id::text,
               (extract(epoch FROM NEW.at) * 1000000)::bigint::text,
               NEW.user_id::text, NEW.session_id::text, NEW.source, NEW.action,
               NEW.object, NEW.detail::text, encode(v_prev, 'hex')];
    v_hash := sha256(convert_to('caseterm-audit-1'
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
    UPDATE audit_log SET seq = v_seq, prev_hash = v_prev, row_hash = v_hash
     WHERE id = NEW.id AND seq IS NULL AND prev_hash IS NULL AND row_hash IS NULL;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n = 1 THEN
        UPDATE audit_chain_head SET seq = v_seq, row_hash = v_hash WHERE one;
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER audit_log_zz_chain_commit
    AFTER INSERT ON caseterm.audit_log
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_log_chain_commit();
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_zz_chain_commit;

-- Append-only, with the one exception above.
CREATE FUNCTION caseterm.audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('caseterm.audit_chain_fill', true) = 'on'
       AND pg_trigger_depth() > 1
       AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.row_hash IS NULL
       AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.row_hash IS NOT NULL
       AND to_jsonb(NEW) - '{seq,prev_hash,row_hash}'::text[]
           = to_jsonb(OLD) - '{seq,prev_hash,row_hash}'::text[] THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: its rows cannot be changed or deleted',
        TG_TABLE_NAME USING ERRCODE = '42501';
END
$$;
DROP TRIGGER audit_log_append_only ON caseterm.audit_log;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON caseterm.audit_log
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_log_append_only();
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_append_only;

-- ---------------------------------------------------------------- intake

-- register_consultation (003_cases.sql, 032): the same arguments, checks,
-- applicant, case, event, audit row and errors; the number now from
-- next_case_no (the year's sequence), taken after the checks.
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

    -- What the case and its audit row need besides the number.  The
    -- deadlines as legal_case_track computes them for a registered case
    -- (created_at is now(); not urgent).
    v_deadline := rule_deadline(now(), 'consultation', 'handle', false);
    v_step_deadline := rule_deadline(now(), 'consultation', 'review', false);
    -- The session and source as audit_write finds them.
    SELECT s.id, s.source INTO v_session, v_source FROM login_session s
        WHERE s.id = current_session_id() AND s.user_id = v_user;
    v_source := left(coalesce(v_source,
        nullif(current_setting('caseterm.source', true), ''),
        'db:' || coalesce(host(inet_client_addr()), 'local')), 200);

    -- The number: the year's sequence, no lock held (see the head of this
    -- file); then the case, its event and its audit row in one statement.
    v_case_no := next_case_no();
    WITH c AS (
        INSERT INTO legal_case (case_no, kind, state, channel, unit_id,
                                applicant_id, created_by, subject, answer,
                                deadline, step_deadline)
            VALUES (v_case_no, 'consultation', 'registered', v_channel, v_unit,
                    v_person, v_user, v_subject, v_answer,
                    v_deadline, v_step_deadline)
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

-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION caseterm.case_no_seq(int),
    caseterm.audit_log_chain_commit(), caseterm.audit_log_append_only()
    FROM PUBLIC;
