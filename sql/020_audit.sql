-- 020_audit.sql — the audit trail made tamper-evident, the administrator's
-- scope, and the generic "who changed which row" trigger.
--
--   audit_log.seq / prev_hash / row_hash   a hash chain over every audit row,
--                     assigned by a trigger that no one can skip by accident
--                     (ENABLE ALWAYS): row_hash = sha256(canonical text of the
--                     row, prev_hash included).  Concurrent writers queue on
--                     the one-row table audit_chain_head, so the chain order
--                     is the order in which writers committed their rows.
--   audit_verify()    walks the chain and names the first broken row; the C
--                     command `casetermctl audit verify` does the same walk
--                     with its own SHA-256 (src/ctl-audit.c), so a changed
--                     function in the database cannot hide a changed row.
--   audit_search()    the audit viewer's query, scoped to the caller.
--   admin_scope()     the unit whose subtree the caller administers; NULL
--                     for the operator (casetermctl: no acting user, session
--                     user owning the schema).
--   audit_row_change() AFTER trigger: one audit row per changed row with
--                     the changed columns before and after.
--
-- The canonical text of an audit row, version 1 (what row_hash hashes; the
-- C side builds the same bytes): the ASCII tag "caseterm-audit-1", then for
-- each of seq, id, at, user_id, session_id, source, action, object, detail,
-- prev_hash, in this order, either "-" (NULL) or "<n>:<bytes>" where <bytes>
-- is the field's UTF-8 text and <n> its length in bytes.  The texts: bigints
-- in decimal, at as microseconds since 1970-01-01 UTC in decimal, detail as
-- PostgreSQL prints jsonb (keys sorted, one space after ':' and ','),
-- prev_hash in lower-case hex.  The first row's prev_hash is 32 zero bytes.
--
-- What this does not stop: a superuser can rewrite the whole chain and its
-- head.  Keep the head hash that `casetermctl audit verify` prints somewhere
-- else (a ticket, a log shipped off the host) to anchor it.  A dump must be
-- restored with triggers disabled (pg_restore --disable-triggers), or the
-- chain trigger renumbers the restored rows.
--
-- Messages a clerk may see are plain literals after RAISE EXCEPTION (picked
-- up by scripts/po-strings); internal errors that only an engineer sees use
-- RAISE EXCEPTION USING MESSAGE = so that they stay out of the catalogue.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- the chain

CREATE TABLE caseterm.audit_chain_head (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq      bigint NOT NULL CHECK (seq >= 0),
    row_hash bytea NOT NULL CHECK (octet_length(row_hash) = 32)
);

-- One field of the canonical text: "-" for NULL, else "<bytes>:<text>".
CREATE FUNCTION caseterm.audit_field(p text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p IS NULL THEN '-'
                ELSE octet_length(convert_to(p, 'UTF8'))::text || ':' || p END
$$;

-- The canonical text of an audit row (see the head of this file).
CREATE FUNCTION caseterm.audit_canonical(p_seq bigint, p_id bigint,
                                         p_at timestamptz, p_user_id bigint,
                                         p_session_id bigint, p_source text,
                                         p_action text, p_object text,
                                         p_detail jsonb, p_prev_hash bytea)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT 'caseterm-audit-1'
        || audit_field(p_seq::text)
        || audit_field(p_id::text)
        || audit_field((extract(epoch FROM p_at) * 1000000)::bigint::text)
        || audit_field(p_user_id::text)
        || audit_field(p_session_id::text)
        || audit_field(p_source)
        || audit_field(p_action)
        || audit_field(p_object)
        || audit_field(p_detail::text)
        || audit_field(encode(p_prev_hash, 'hex'))
$$;

-- sha256 of the canonical text.
CREATE FUNCTION caseterm.audit_hash(p_seq bigint, p_id bigint,
                                    p_at timestamptz, p_user_id bigint,
                                    p_session_id bigint, p_source text,
                                    p_action text, p_object text,
                                    p_detail jsonb, p_prev_hash bytea)
    RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT sha256(convert_to(audit_canonical(p_seq, p_id, p_at, p_user_id,
        p_session_id, p_source, p_action, p_object, p_detail, p_prev_hash),
        'UTF8'))
$$;

-- Chain the rows already there (written by 001-019), in id order.
ALTER TABLE caseterm.audit_log
    ADD COLUMN seq bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN row_hash bytea;
LOCK TABLE caseterm.audit_log IN EXCLUSIVE MODE;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
DO $$
DECLARE
    r      record;
    v_seq  bigint := 0;
    v_hash bytea := decode(repeat('00', 32), 'hex');
    v_new  bytea;
BEGIN
    FOR r IN SELECT * FROM caseterm.audit_log ORDER BY id LOOP
        v_seq := v_seq + 1;
        v_new := caseterm.audit_hash(v_seq, r.id, r.at, r.user_id,
            r.session_id, r.source, r.action, r.object, r.detail, v_hash);
        UPDATE caseterm.audit_log
           SET seq = v_seq, prev_hash = v_hash, row_hash = v_new
         WHERE id = r.id;
        v_hash := v_new;
    END LOOP;
    INSERT INTO caseterm.audit_chain_head (seq, row_hash) VALUES (v_seq, v_hash);
END
$$;
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_append_only;
CREATE INDEX audit_log_object ON caseterm.audit_log (object);
ALTER TABLE caseterm.audit_log
    ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN row_hash SET NOT NULL,
    ADD CONSTRAINT audit_log_seq_key UNIQUE (seq),
    ADD CONSTRAINT audit_log_seq_check CHECK (seq >= 1),
    ADD CONSTRAINT audit_log_prev_hash_check CHECK (octet_length(prev_hash) = 32),
    ADD CONSTRAINT audit_log_row_hash_check CHECK (octet_length(row_hash) = 32);

-- The chain trigger: whatever the inserter wrote into seq, prev_hash or
-- row_hash is replaced.  Holding the head row's lock until commit is what
-- orders concurrent writers; a rolled-back transaction gives its sequence
-- numbers back with the head.  Named to fire after every other BEFORE
-- INSERT trigger, so that it hashes the row as stored.
CREATE FUNCTION caseterm.audit_log_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_seq  bigint;
    v_hash bytea;
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
    NEW.row_hash := audit_hash(NEW.seq, NEW.id, NEW.at, NEW.user_id,
        NEW.session_id, NEW.source, NEW.action, NEW.object, NEW.detail,
        NEW.prev_hash);
    UPDATE audit_chain_head SET seq = NEW.seq, row_hash = NEW.row_hash
     WHERE one;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_zz_chain BEFORE INSERT ON caseterm.audit_log
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_log_chain();
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_zz_chain;

-- The head row is only ever updated by the chain trigger; it is never
-- deleted, and no second row can exist (primary key on a true-only column).
CREATE TRIGGER audit_chain_head_no_delete
    BEFORE DELETE ON caseterm.audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION caseterm.refuse_change();
CREATE TRIGGER audit_chain_head_no_truncate
    BEFORE TRUNCATE ON caseterm.audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION caseterm.refuse_change();
ALTER TABLE caseterm.audit_chain_head ENABLE ALWAYS TRIGGER audit_chain_head_no_delete;
ALTER TABLE caseterm.audit_chain_head ENABLE ALWAYS TRIGGER audit_chain_head_no_truncate;

-- ---------------------------------------------------------------- scope

-- true when the caller is the operator: no acting user is set, no SET ROLE
-- is in effect, and the session's login role has the privileges of the
-- schema's owner (casetermctl's admin connection).  The application role
-- never owns the schema, so it is never the operator.
CREATE FUNCTION caseterm.operator_session() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT current_user_id() IS NULL
       AND coalesce(current_setting('role', true), 'none') = 'none'
       AND pg_has_role(session_user,
                       (SELECT n.nspowner FROM pg_namespace n
                        WHERE n.nspname = 'caseterm'), 'USAGE')
$$;

-- The unit whose subtree the caller may administer: the acting user's unit
-- when the acting user is active and has the role admin; NULL (everything)
-- for the operator.  Otherwise raises 42501 like require_role('admin').
CREATE FUNCTION caseterm.admin_scope() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_uid bigint;
BEGIN
    IF operator_session() THEN
        RETURN NULL;
    END IF;
    v_uid := require_role('admin');
    RETURN (SELECT unit_id FROM app_user WHERE id = v_uid);
END
$$;

-- true when unit p_unit is p_scope or below it; any unit when p_scope is
-- NULL (the operator).
CREATE FUNCTION caseterm.admin_unit_ok(p_unit bigint, p_scope bigint)
    RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT p_scope IS NULL
        OR EXISTS (SELECT 1 FROM org_unit o
                   WHERE o.id = p_unit AND o.path @> ARRAY[p_scope])
$$;

-- Raise 42501 unless unit p_unit is within p_scope.
CREATE FUNCTION caseterm.require_admin_unit(p_unit bigint, p_scope bigint)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF NOT admin_unit_ok(p_unit, p_scope) THEN
        RAISE EXCEPTION 'not allowed: outside your jurisdiction'
            USING ERRCODE = '42501';
    END IF;
END
$$;

-- ---------------------------------------------------------------- row changes

-- AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW: one audit row per
-- changed row.  Arguments:
--   TG_ARGV[0]  the key column(s) naming the object, comma-separated
--               (object = table:key or table:key1/key2)
--   then any of '-col' (ignore this column: derived data; an update that
--   changes only ignored columns writes nothing), '!col' (redact: the value
--   is shown as "(set)" or null, never stored), '=col' (always shown, in
--   detail.ident, to say which row this was).
-- The action is the setting caseterm.audit_action when a function set it
-- (the admin functions do, e.g. user_disable), else <table>_<op>.
-- detail: {op, ident, before, after, changed}: on update only the changed
-- columns, on insert the new row (after), on delete the old row (before).
CREATE FUNCTION caseterm.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_old     jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new     jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_row     jsonb;
    v_keys    text[] := string_to_array(TG_ARGV[0], ',');
    v_redact  text[] := '{}';
    v_ident   text[] := '{}';
    v_changed text[];
    v_before  jsonb;
    v_after   jsonb;
    v_object  text;
    v_action  text;
    v_identj  jsonb := '{}';
    a         text;
    k         text;
BEGIN
    FOR i IN 1 .. TG_NARGS - 1 LOOP
        a := TG_ARGV[i];
        CASE left(a, 1)
        WHEN '-' THEN
            v_old := v_old - substr(a, 2);
            v_new := v_new - substr(a, 2);
        WHEN '!' THEN
            v_redact := v_redact || substr(a, 2);
        WHEN '=' THEN
            v_ident := v_ident || substr(a, 2);
        ELSE
            RAISE EXCEPTION USING MESSAGE = 'audit_row_change: bad argument',
                DETAIL = a;
        END CASE;
    END LOOP;
    v_row := coalesce(v_new, v_old);

    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(array_agg(key ORDER BY key), '{}') INTO v_changed
            FROM jsonb_each(v_new) n
            WHERE n.value IS DISTINCT FROM v_old -> n.key;
        IF cardinality(v_changed) = 0 THEN
            RETURN NULL;
        END IF;
        SELECT jsonb_object_agg(key, v_old -> key), jsonb_object_agg(key, v_new -> key)
            INTO v_before, v_after
            FROM unnest(v_changed) key;
    ELSIF TG_OP = 'INSERT' THEN
        v_after := v_new;
        SELECT coalesce(array_agg(key ORDER BY key), '{}') INTO v_changed
            FROM jsonb_object_keys(v_new) key;
    ELSE
        v_before := v_old;
        SELECT coalesce(array_agg(key ORDER BY key), '{}') INTO v_changed
            FROM jsonb_object_keys(v_old) key;
    END IF;

    FOREACH k IN ARRAY v_redact LOOP
        IF v_before ? k THEN
            v_before := jsonb_set(v_before, ARRAY[k],
                CASE WHEN jsonb_typeof(v_before -> k) = 'null' THEN 'null'
                     ELSE '"(set)"' END::jsonb);
        END IF;
        IF v_after ? k THEN
            v_after := jsonb_set(v_after, ARRAY[k],
                CASE WHEN jsonb_typeof(v_after -> k) = 'null' THEN 'null'
                     ELSE '"(set)"' END::jsonb);
        END IF;
    END LOOP;
    FOREACH k IN ARRAY v_ident LOOP
        v_identj := v_identj || jsonb_build_object(k, v_row -> k);
    END LOOP;

    SELECT TG_TABLE_NAME || ':' || string_agg(v_row ->> key, '/' ORDER BY ord)
        INTO v_object
        FROM unnest(v_keys) WITH ORDINALITY AS t(key, ord);
    v_action := coalesce(nullif(current_setting('caseterm.audit_action', true), ''),
                         TG_TABLE_NAME || '_' || lower(TG_OP));
    PERFORM audit_write(left(v_action, 32), v_object,
                        jsonb_build_object('op', lower(TG_OP),
                                           'ident', v_identj,
                                           'before', v_before,
                                           'after', v_after,
                                           'changed', to_jsonb(v_changed)));
    RETURN NULL;
END
$$;

-- Users and units: every change, whoever makes it (the admin functions,
-- casetermctl useradd, a superuser at psql).  The password hash is never
-- copied into the trail; a unit's path is derived from parent_id.
CREATE TRIGGER app_user_audit
    AFTER INSERT OR UPDATE OR DELETE ON caseterm.app_user
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_row_change('id', '=login',
        '!password_hash');
ALTER TABLE caseterm.app_user ENABLE ALWAYS TRIGGER app_user_audit;
CREATE TRIGGER org_unit_audit
    AFTER INSERT OR UPDATE OR DELETE ON caseterm.org_unit
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_row_change('id', '=code',
        '-path');
ALTER TABLE caseterm.org_unit ENABLE ALWAYS TRIGGER org_unit_audit;

-- ---------------------------------------------------------------- verify

-- Walk the chain in seq order and report the first broken row:
--   problem            what is wrong
--   outside_chain      a row without seq/hash (inserted with the chain
--                      trigger disabled)
--   seq_gap            rows before this one are missing (deleted)
--   link_broken        prev_hash is not the row_hash of the row before it:
--                      that row's hash was rewritten, or rows were removed
--   content_changed    row_hash does not match the row's content: the row
--                      was changed after it was written
--   tail_missing       the head says the chain is longer: the last rows
--                      were deleted (bad_seq = the first missing seq)
--   head_mismatch      the head's hash is not the last row's
-- ok is true when nothing is wrong; checked counts the rows read;
-- head_seq/head_hash are the chain head (hex) to keep elsewhere as anchor.
-- For the operator and for administrators of a root unit (the city).
CREATE FUNCTION caseterm.audit_verify()
    RETURNS TABLE (ok boolean, checked bigint, head_seq bigint,
                   head_hash text, bad_id bigint, bad_seq bigint,
                   problem text, explanation text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_scope bigint := admin_scope();
    v_zero  bytea := decode(repeat('00', 32), 'hex');
    v_hseq  bigint;
    v_hhash bytea;
    v_last  record;
    v_bad   record;
BEGIN
    IF v_scope IS NOT NULL
       AND (SELECT parent_id FROM org_unit WHERE id = v_scope) IS NOT NULL THEN
        RAISE EXCEPTION 'not allowed: only a city administrator can do this'
            USING ERRCODE = '42501';
    END IF;
    SELECT h.seq, h.row_hash INTO v_hseq, v_hhash FROM audit_chain_head h;
    head_seq := v_hseq;
    head_hash := encode(v_hhash, 'hex');
    checked := (SELECT count(*) FROM audit_log);
    ok := false;

    SELECT a.id, a.seq INTO v_bad FROM audit_log a
        WHERE a.seq IS NULL OR a.row_hash IS NULL OR a.prev_hash IS NULL
        ORDER BY a.id LIMIT 1;
    IF FOUND THEN
        bad_id := v_bad.id;
        bad_seq := v_bad.seq;
        problem := 'outside_chain';
        explanation := 'the row has no place in the hash chain: it was inserted with the chain trigger disabled';
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT w.id, w.seq,
           CASE WHEN w.seq <> coalesce(w.pseq, 0) + 1 THEN 'seq_gap'
                WHEN w.prev_hash <> coalesce(w.link, v_zero) THEN 'link_broken'
                ELSE 'content_changed' END AS problem,
           w.pseq, w.pid
      INTO v_bad
      FROM (SELECT a.id, a.seq, a.prev_hash, a.row_hash,
                   lag(a.seq) OVER w AS pseq,
                   lag(a.id) OVER w AS pid,
                   lag(a.row_hash) OVER w AS link,
                   audit_hash(a.seq, a.id, a.at, a.user_id, a.session_id,
                              a.source, a.action, a.object, a.detail,
                              a.prev_hash) AS calc
              FROM audit_log a
            WINDOW w AS (ORDER BY a.seq)) w
     WHERE w.seq <> coalesce(w.pseq, 0) + 1
        OR w.prev_hash <> coalesce(w.link, v_zero)
        OR w.calc <> w.row_hash
     ORDER BY w.seq
     LIMIT 1;
    IF FOUND THEN
        bad_id := v_bad.id;
        bad_seq := v_bad.seq;
        problem := v_bad.problem;
        explanation := CASE v_bad.problem
            WHEN 'seq_gap' THEN format('rows with seq %s to %s are missing (deleted)',
                                       coalesce(v_bad.pseq, 0) + 1, v_bad.seq - 1)
            WHEN 'link_broken' THEN format('prev_hash does not match row_hash of the row before (id %s, seq %s): that row''s hash was rewritten or rows were removed',
                                           v_bad.pid, v_bad.pseq)
            ELSE 'row_hash does not match the row''s content: the row was changed after it was written'
            END;
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT a.id, a.seq, a.row_hash INTO v_last FROM audit_log a
        ORDER BY a.seq DESC LIMIT 1;
    IF coalesce(v_last.seq, 0) <> v_hseq THEN
        bad_id := NULL;
        bad_seq := coalesce(v_last.seq, 0) + 1;
        problem := 'tail_missing';
        explanation := format('the chain head is at seq %s but the last row is seq %s: the last rows were deleted',
                              v_hseq, coalesce(v_last.seq, 0));
        RETURN NEXT;
        RETURN;
    END IF;
    IF coalesce(v_last.row_hash, v_zero) <> v_hhash THEN
        bad_id := v_last.id;
        bad_seq := v_last.seq;
        problem := 'head_mismatch';
        explanation := 'the chain head''s hash is not the last row''s row_hash';
        RETURN NEXT;
        RETURN;
    END IF;
    ok := true;
    RETURN NEXT;
END
$$;

-- ---------------------------------------------------------------- search

-- The audit viewer: rows newest first, filtered by any of
--   p_login      the acting user's login
--   p_case       a case number (YYYY-NNNNNN) or a case id: rows about it
--   p_person_id  rows about that person (reveals, registrations)
--   p_unit_code  rows by users of that unit and its subtree
--   p_since, p_until   at >= since, at < until
--   p_action     exact action name
-- p_limit is clamped to 1..1000 (NULL: 200).  Callers: the operator (all
-- rows), a supervisor or administrator: rows by users of their unit's
-- subtree, and rows about users, units and cases of that subtree.
CREATE FUNCTION caseterm.audit_search(p_login text DEFAULT NULL,
                                      p_case text DEFAULT NULL,
                                      p_person_id bigint DEFAULT NULL,
                                      p_unit_code text DEFAULT NULL,
                                      p_since timestamptz DEFAULT NULL,
                                      p_until timestamptz DEFAULT NULL,
                                      p_action text DEFAULT NULL,
                                      p_limit int DEFAULT 200)
    RETURNS TABLE (audit_id bigint, seq bigint, at timestamptz, login text,
                   display_name text, unit_code text, session_id bigint,
                   source text, action text, object text, detail jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_scope   bigint;
    v_uid     bigint;
    v_case    bigint;
    v_caseobj text;
    v_unit    bigint;
    v_user    bigint;
    v_login   text := lower(clean_text(p_login));
    v_ctext   text := clean_text(p_case);
BEGIN
    IF operator_session() THEN
        v_scope := NULL;
    ELSE
        v_uid := require_role(NULL);
        IF NOT (SELECT roles && ARRAY['supervisor', 'admin'] FROM app_user
                WHERE id = v_uid) THEN
            RAISE EXCEPTION 'not allowed: the supervisor or admin role is required'
                USING ERRCODE = '42501';
        END IF;
        v_scope := (SELECT unit_id FROM app_user WHERE id = v_uid);
    END IF;
    IF v_login IS NOT NULL THEN
        SELECT id INTO v_user FROM app_user WHERE login = v_login;
        IF NOT FOUND THEN
            RETURN;
        END IF;
    END IF;
    IF v_ctext IS NOT NULL THEN
        SELECT c.id INTO v_case FROM legal_case c
            WHERE c.case_no = v_ctext
               OR (v_ctext ~ '^[0-9]{1,18}$' AND c.id = v_ctext::bigint)
            ORDER BY (c.case_no = v_ctext) DESC LIMIT 1;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        v_caseobj := 'legal_case:' || v_case;
    END IF;
    IF clean_text(p_unit_code) IS NOT NULL THEN
        SELECT id INTO v_unit FROM org_unit WHERE code = clean_text(p_unit_code);
        IF NOT FOUND THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY
    SELECT a.id, a.seq, a.at, u.login, u.display_name, o.code, a.session_id,
           a.source, a.action, a.object, a.detail
      FROM audit_log a
      LEFT JOIN app_user u ON u.id = a.user_id
      LEFT JOIN org_unit o ON o.id = u.unit_id
     WHERE (v_user IS NULL OR a.user_id = v_user)
       AND (v_caseobj IS NULL OR a.object = v_caseobj
            OR a.detail ->> 'case_id' = v_case::text)
       AND (p_person_id IS NULL OR a.object = 'person:' || p_person_id
            OR a.detail ->> 'person_id' = p_person_id::text)
       AND (v_unit IS NULL OR o.path @> ARRAY[v_unit])
       AND (p_since IS NULL OR a.at >= p_since)
       AND (p_until IS NULL OR a.at < p_until)
       AND (p_action IS NULL OR a.action = p_action)
       AND (v_scope IS NULL
            OR o.path @> ARRAY[v_scope]
            OR EXISTS (SELECT 1 FROM app_user tu JOIN org_unit tuo ON tuo.id = tu.unit_id
                       WHERE a.object = 'app_user:' || tu.id
                         AND tuo.path @> ARRAY[v_scope])
            OR EXISTS (SELECT 1 FROM org_unit t
                       WHERE a.object = 'org_unit:' || t.id
                         AND t.path @> ARRAY[v_scope])
            OR EXISTS (SELECT 1 FROM legal_case c JOIN org_unit co ON co.id = c.unit_id
                       WHERE a.object = 'legal_case:' || c.id
                         AND co.path @> ARRAY[v_scope]))
     ORDER BY a.seq DESC
     LIMIT greatest(1, least(coalesce(p_limit, 200), 1000));
END
$$;

-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION
    caseterm.audit_canonical(bigint, bigint, timestamptz, bigint, bigint, text, text, text, jsonb, bytea),
    caseterm.audit_hash(bigint, bigint, timestamptz, bigint, bigint, text, text, text, jsonb, bytea),
    caseterm.audit_log_chain(), caseterm.operator_session(),
    caseterm.admin_scope(), caseterm.admin_unit_ok(bigint, bigint),
    caseterm.require_admin_unit(bigint, bigint), caseterm.audit_row_change(),
    caseterm.audit_verify(),
    caseterm.audit_search(text, text, bigint, text, timestamptz, timestamptz, text, int)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.audit_verify(),
    caseterm.audit_search(text, text, bigint, text, timestamptz, timestamptz, text, int)
    TO caseterm_app;
