-- 024_lifecycle_speed.sql — the inboxes, searches and intake at 2 million
-- cases (tests/bench/lifecycle.sh measures them).  The same rules, cheaper
-- forms:
--
--   acting_user_id, acting_unit_id, acting_subtree, user_active,
--   acting_user_sees_persons
--        one query each instead of a chain of SECURITY DEFINER calls (every
--        policy on every table of a query runs them: a search ran about
--        forty of them per statement); org_unit_disabled makes "a unit
--        above me is disabled" an index probe;
--   legal_case_involved
--        "dispatched by a unit of my subtree" as dispatched_by_unit = ANY
--        (acting_subtree()) (the same units as 005's EXISTS over
--        org_unit.path), computed once per statement instead of a subplan
--        per row, and usable with an index like the other arms;
--   inbox_cases, inbox, inbox_counts
--        PL/pgSQL, planned once per session; each box one query on the
--        indexes made for it, with the jurisdiction as an array of unit ids
--        (a join with org_unit let the cached generic plan loop over
--        legal_case once per unit: 80 ms for the approval box); the
--        overdue box is planned for its clerk (the city and a village need
--        opposite plans); inbox_counts works out the clerk once, not eight
--        times;
--   search_cases
--        the people matching an ID number, a mobile number or a name are
--        found through their indexes first (person_match_any, 022), then
--        their cases under the policies.  Before, each person found had
--        the policies of person checked (thousands for 张伟).  To call
--        person_match_any the function now runs as caseterm_rls, like
--        person_search (022): the policies still decide what comes out
--        (caseterm_rls is a member of caseterm_app), the person ids never
--        leave it, and a user who may not see people (an analyst) finds
--        nothing by a person, as before.  Called by a superuser it is no
--        longer unfiltered: it shows what the acting user sees;
--   next_case_no
--        registrations queue for the year's counter on an advisory lock
--        (one waiter woken at a time) instead of on the counter row (every
--        waiter woken at every commit);
--   audit_canonical, audit_hash
--        PL/pgSQL giving the same bytes (the chain and `casetermctl audit
--        verify` are unchanged), planned once per session instead of in
--        every transaction, inside the chain lock.
--
-- Applied by casetermctl migrate inside its own transaction, as a superuser.

-- ---------------------------------------------------------------- the acting user

-- Disabled units are few; "is a unit above me disabled" probes this.
CREATE INDEX org_unit_disabled ON caseterm.org_unit (id) WHERE disabled;

CREATE OR REPLACE FUNCTION caseterm.user_active(p_user_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN coalesce((
        SELECT NOT u.disabled
               AND NOT EXISTS (SELECT 1 FROM org_unit a
                               WHERE a.disabled
                                 AND a.id = ANY ((SELECT o.path FROM org_unit o
                                                  WHERE o.id = u.unit_id)::bigint[]))
        FROM app_user u
        WHERE u.id = p_user_id), false);
END
$$;

CREATE OR REPLACE FUNCTION caseterm.acting_user_id() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v bigint := current_user_id();
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT u.id FROM app_user u
            WHERE u.id = v AND NOT u.disabled
              AND NOT EXISTS (SELECT 1 FROM org_unit a
                              WHERE a.disabled
                                AND a.id = ANY ((SELECT o.path FROM org_unit o
                                                 WHERE o.id = u.unit_id)::bigint[])));
END
$$;

CREATE OR REPLACE FUNCTION caseterm.acting_unit_id() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v bigint := current_user_id();
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT u.unit_id FROM app_user u
            WHERE u.id = v AND NOT u.disabled
              AND NOT EXISTS (SELECT 1 FROM org_unit a
                              WHERE a.disabled
                                AND a.id = ANY ((SELECT o.path FROM org_unit o
                                                 WHERE o.id = u.unit_id)::bigint[])));
END
$$;

CREATE OR REPLACE FUNCTION caseterm.acting_subtree() RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v bigint := current_user_id();
BEGIN
    IF v IS NULL THEN
        RETURN ARRAY[]::bigint[];
    END IF;
    RETURN coalesce((
        SELECT ARRAY(SELECT s.id FROM org_unit s WHERE s.path @> ARRAY[u.unit_id]
                     ORDER BY s.id)
        FROM app_user u
        WHERE u.id = v AND NOT u.disabled
          AND NOT EXISTS (SELECT 1 FROM org_unit a
                          WHERE a.disabled
                            AND a.id = ANY ((SELECT o.path FROM org_unit o
                                             WHERE o.id = u.unit_id)::bigint[]))),
        ARRAY[]::bigint[]);
END
$$;

CREATE OR REPLACE FUNCTION caseterm.acting_user_sees_persons() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v bigint := current_user_id();
BEGIN
    IF v IS NULL THEN
        RETURN false;
    END IF;
    RETURN coalesce((
        SELECT u.roles && ARRAY['intake', 'dispatcher', 'handler', 'supervisor',
                                'followup', 'admin']
        FROM app_user u
        WHERE u.id = v AND NOT u.disabled
          AND NOT EXISTS (SELECT 1 FROM org_unit a
                          WHERE a.disabled
                            AND a.id = ANY ((SELECT o.path FROM org_unit o
                                             WHERE o.id = u.unit_id)::bigint[]))), false);
END
$$;

-- ---------------------------------------------------------------- legal_case

-- The unit that dispatched or transferred the case, or one above it: the
-- units whose subtree holds dispatched_by_unit are the units in whose
-- subtree it is, i.e. dispatched_by_unit is in the acting user's subtree.
DROP POLICY legal_case_involved ON caseterm.legal_case;
CREATE POLICY legal_case_involved ON caseterm.legal_case
    FOR SELECT TO caseterm_app
    USING (handler_id = (SELECT caseterm.acting_user_id())
           OR dispatched_by_unit = ANY ((SELECT caseterm.acting_subtree())::bigint[]));

CREATE INDEX legal_case_dispatched_by ON caseterm.legal_case (dispatched_by_unit)
    WHERE dispatched_by_unit IS NOT NULL;
-- The approval box: returns wait for the unit that dispatched the case.
CREATE INDEX legal_case_return_review ON caseterm.legal_case (dispatched_by_unit)
    WHERE state = 'return_review';
-- The overdue box and its count: the cases whose clock runs (open ones
-- only: due_at is NULL once a case is over) of a unit, of a handler.
CREATE INDEX legal_case_running_due ON caseterm.legal_case (unit_id, due_at)
    WHERE due_at IS NOT NULL AND deadline_paused_at IS NULL;
CREATE INDEX legal_case_handler_running_due ON caseterm.legal_case (handler_id, due_at)
    WHERE handler_id IS NOT NULL AND due_at IS NOT NULL AND deadline_paused_at IS NULL;

-- ---------------------------------------------------------------- inboxes

-- The condition on legal_case c of one box for a clerk with p_roles
-- (the boxes: see inbox_cases), for a query with the parameters $1 the
-- clerk, $2 the clerk's unit, $3 the ids of its subtree; NULL when the
-- clerk has no such box.  p_all: the subtree is the whole tree, and
-- "in the subtree" is written as "not null" (so that the planner sees the
-- city's query for what it is).  Internal to inbox_cases and inbox_counts.
CREATE FUNCTION caseterm.inbox_where(p_box text, p_roles text[], p_all boolean)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    -- "the column is a unit of the subtree"
    v_in text := CASE WHEN p_all THEN '%1$s IS NOT NULL' ELSE '%1$s = ANY ($3)' END;
BEGIN
    CASE p_box
    WHEN 'review' THEN
        -- dispatchers and supervisors: the subtree; handlers: their unit
        IF p_roles && '{dispatcher,supervisor}' THEN
            RETURN 'c.state = ''registered'' AND ' || format(v_in, 'c.unit_id');
        ELSIF 'handler' = ANY (p_roles) THEN
            RETURN 'c.state = ''registered'' AND c.unit_id = $2';
        END IF;
    WHEN 'dispatch' THEN
        IF 'dispatcher' = ANY (p_roles) THEN
            RETURN 'c.state = ''accepted'' AND ' || format(v_in, 'c.unit_id');
        END IF;
    WHEN 'signfor' THEN
        IF p_roles && '{handler,dispatcher,supervisor}' THEN
            RETURN 'c.state = ''awaiting_signfor'' AND c.unit_id = $2';
        END IF;
    WHEN 'in_progress' THEN
        IF 'handler' = ANY (p_roles) THEN
            RETURN '((c.handler_id = $1 AND c.state IN (''in_progress'', ''return_review'','
                   ' ''extension_review'', ''reply_review''))'
                   ' OR (c.handler_id IS NULL AND c.unit_id = $2 AND c.state = ''in_progress''))';
        END IF;
    WHEN 'approval' THEN
        IF 'supervisor' = ANY (p_roles) THEN
            RETURN '((c.state = ''return_review'' AND ' || format(v_in, 'c.dispatched_by_unit') || ')'
                   ' OR (c.state IN (''extension_review'', ''reply_review'') AND '
                   || format(v_in, 'c.unit_id') || '))'
                   ' AND EXISTS (SELECT 1 FROM case_request r WHERE r.case_id = c.id'
                   ' AND r.decided_at IS NULL AND r.requested_by <> $1)';
        END IF;
    WHEN 'followup' THEN
        IF 'followup' = ANY (p_roles) THEN
            RETURN 'c.state = ''awaiting_followup'' AND (' || format(v_in, 'c.intake_unit_id')
                   || ' OR ' || format(v_in, 'c.unit_id') || ')';
        ELSIF 'intake' = ANY (p_roles) THEN
            RETURN 'c.state = ''awaiting_followup'' AND ' || format(v_in, 'c.intake_unit_id');
        END IF;
    WHEN 'overdue' THEN
        RETURN 'c.due_at < now() AND c.deadline_paused_at IS NULL AND ('
               || format(v_in, 'c.unit_id') || ' OR c.handler_id = $1)';
    WHEN 'supervised' THEN
        RETURN 'c.supervised AND c.supervised_by = $1 AND NOT state_is_final(c.state)';
    ELSE
        NULL;
    END CASE;
    RETURN NULL;
END
$$;

-- The cases of one inbox of the acting user, most urgent first (due_at,
-- then id), at most p_limit (NULL: all).  Boxes:
--   review      registered, to accept or reject: dispatchers and
--               supervisors of the holding unit or above; handlers of it
--   dispatch    accepted, to dispatch: dispatchers of the holding unit or above
--   signfor     awaiting sign-for at my unit (handler, dispatcher, supervisor)
--   in_progress my cases in progress: assigned to me (also while in
--               review), or unassigned in progress at my unit (handlers)
--   approval    awaiting my decision (supervisors): returns of cases my
--               unit or one below dispatched, extensions and replies of
--               cases held in my jurisdiction; not my own requests
--   followup    awaiting follow-up: role followup (held or registered in my
--               jurisdiction) or intake (registered in my jurisdiction)
--   overdue     past due_at, clock running, held in my jurisdiction or
--               assigned to me
--   supervised  open cases I supervise (督办)
-- Unknown box: 22023.  Internal building block of inbox.  Each box is
-- planned for the clerk at hand: the same box wants opposite plans for
-- the city and for a village.
CREATE OR REPLACE FUNCTION caseterm.inbox_cases(p_box text, p_limit int DEFAULT NULL)
    RETURNS TABLE (case_id bigint, due_at timestamptz)
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user  bigint := acting_user_id();
    v_unit  bigint;
    v_roles text[];
    v_sub   bigint[];
    v_where text;
BEGIN
    IF p_box IS NULL OR p_box NOT IN ('review', 'dispatch', 'signfor', 'in_progress',
            'approval', 'followup', 'overdue', 'supervised') THEN
        RAISE EXCEPTION 'unknown inbox' USING ERRCODE = '22023', COLUMN = 'box';
    END IF;
    IF v_user IS NULL THEN
        RETURN;
    END IF;
    SELECT u.unit_id, u.roles INTO v_unit, v_roles FROM app_user u WHERE u.id = v_user;
    v_sub := ARRAY(SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit]);
    v_where := inbox_where(p_box, v_roles,
                           cardinality(v_sub) = (SELECT count(*) FROM org_unit));
    IF v_where IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT c.id, c.due_at FROM legal_case c WHERE ' || v_where
        || ' ORDER BY c.due_at NULLS LAST, c.id LIMIT $4'
        USING v_user, v_unit, v_sub, p_limit;
END
$$;

-- One inbox of the acting user (see inbox_cases for the boxes), most
-- urgent first: p_limit rows (1..500, NULL: 50) from p_offset.
-- Columns: case_id, case_no, kind, state, urgent, supervised, subject,
-- applicant_name, unit_id, unit_name, handler_id, handler_name, due_at
-- (the deadline that counts now), warning (ok | due_soon | overdue |
-- paused | none), created_at, updated_at, version.
-- Errors: 22023 'unknown inbox'.
CREATE OR REPLACE FUNCTION caseterm.inbox(p_box text, p_limit int DEFAULT 50,
                                          p_offset int DEFAULT 0)
    RETURNS SETOF caseterm.case_list
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_off int := greatest(coalesce(p_offset, 0), 0);
    v_ids bigint[];
BEGIN
    -- The ids first: joined with the set-returning function (1000 rows
    -- as far as the planner knows), case_list would be hashed whole.
    v_ids := ARRAY(SELECT b.case_id
                   FROM inbox_cases(p_box, greatest(1, least(coalesce(p_limit, 50), 500)) + v_off) b);
    RETURN QUERY
    SELECT l.*
    FROM case_list l
    WHERE l.case_id = ANY (v_ids)
    ORDER BY l.due_at NULLS LAST, l.case_id
    OFFSET v_off;
END
$$;

-- The number of cases in every inbox of the acting user, in one row, for
-- the menu badges (poll it every few seconds: a case dispatched to my unit
-- shows up at the next poll).  Each count stops at p_cap (NULL: exact;
-- default 1000 — show "999+").
CREATE OR REPLACE FUNCTION caseterm.inbox_counts(p_cap int DEFAULT 1000)
    RETURNS TABLE (review bigint, dispatch bigint, signfor bigint,
                   in_progress bigint, approval bigint, followup bigint,
                   overdue bigint, supervised bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user  bigint := acting_user_id();
    v_unit  bigint;
    v_roles text[];
    v_sub   bigint[];
    v_all   boolean;
    v_where text;
    v_n     bigint[] := '{}';
    v_k     bigint;
    v_box   text;
BEGIN
    IF v_user IS NOT NULL THEN
        SELECT u.unit_id, u.roles INTO v_unit, v_roles FROM app_user u WHERE u.id = v_user;
        v_sub := ARRAY(SELECT o.id FROM org_unit o WHERE o.path @> ARRAY[v_unit]);
        v_all := cardinality(v_sub) = (SELECT count(*) FROM org_unit);
    END IF;
    FOREACH v_box IN ARRAY ARRAY['review', 'dispatch', 'signfor', 'in_progress',
                                 'approval', 'followup', 'overdue', 'supervised'] LOOP
        v_k := 0;
        IF v_user IS NOT NULL THEN
            v_where := inbox_where(v_box, v_roles, v_all);
            IF v_where IS NOT NULL THEN
                -- a count needs no order: it stops at the cap
                EXECUTE 'SELECT count(*) FROM (SELECT 1 FROM legal_case c WHERE ' || v_where
                        || ' LIMIT $4) x'
                    INTO v_k USING v_user, v_unit, v_sub, p_cap;
            END IF;
        END IF;
        v_n := v_n || v_k;
    END LOOP;
    RETURN QUERY SELECT v_n[1], v_n[2], v_n[3], v_n[4], v_n[5], v_n[6], v_n[7], v_n[8];
END
$$;

-- ---------------------------------------------------------------- search

-- Search the cases the acting user can see (criteria, columns and errors
-- as in 008_queries.sql).  Runs as caseterm_rls (see the head of this
-- file): the people matching the person criteria are found through their
-- indexes by person_match_any, whoever may see them, and only cases the
-- policies let the acting user see come out.
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
    v_ids    bigint[];
    v_sql    text;
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
        -- One person matching every person criterion, the applicant or a
        -- party; nobody for a user who may not see people.
        v_ids := CASE WHEN acting_user_sees_persons()
                      THEN person_match_any(v_idno, v_phone, v_name)
                      ELSE ARRAY[]::bigint[] END;
        v_where := array_append(v_where,
            'c.id IN (SELECT a.id FROM legal_case a WHERE a.applicant_id = ANY ($11)'
            ' UNION SELECT q.case_id FROM case_party q WHERE q.person_id = ANY ($11))'::text);
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
    v_sql := 'SELECT l.* FROM case_list l WHERE l.case_id IN (SELECT c.id FROM legal_case c'
             || CASE WHEN cardinality(v_where) > 0
                     THEN ' WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END
             || ' ORDER BY c.created_at DESC, c.id DESC LIMIT $10)'
             || ' ORDER BY l.created_at DESC, l.case_id DESC';
    RETURN QUERY EXECUTE v_sql
        USING v_no, v_idno, v_phone, v_name, p_kind, p_state, p_unit_id,
              p_from, p_to, greatest(1, least(coalesce(p_limit, 100), 500)), v_ids;
END
$$;
ALTER FUNCTION caseterm.search_cases(text, text, text, text, text, text, bigint, date, date, int)
    OWNER TO caseterm_rls;

-- ---------------------------------------------------------------- intake

-- next_case_no (003_cases.sql) with the same numbers: concurrent
-- registrations now queue on an advisory lock, one woken at a time,
-- before they update the year's counter row.  Queued on the row itself,
-- every waiter woke at each commit to find the row changed again and
-- wait anew (measured: 32 clerks registering at once spent their time in
-- the lock manager).  Gap-free as before: the lock and the row are held
-- to the end of the transaction.
CREATE OR REPLACE FUNCTION caseterm.next_case_no() RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_year int := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int;
    v_no   int;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('caseterm.case_counter'), v_year);
    INSERT INTO case_counter AS c (year, last_no) VALUES (v_year, 1)
        ON CONFLICT (year) DO UPDATE SET last_no = c.last_no + 1
        RETURNING c.last_no INTO v_no;
    RETURN v_year || '-' || lpad(v_no::text, greatest(6, length(v_no::text)), '0');
END
$$;

-- The canonical text and hash of an audit row (020_audit.sql), the same
-- bytes, in PL/pgSQL: as SQL functions with their own search_path (and
-- audit_field, which cannot be inlined: convert_to is only stable) they
-- were planned anew in every transaction that wrote an audit row, inside
-- the chain lock every registration queues on.
CREATE OR REPLACE FUNCTION caseterm.audit_canonical(p_seq bigint, p_id bigint,
                                                    p_at timestamptz, p_user_id bigint,
                                                    p_session_id bigint, p_source text,
                                                    p_action text, p_object text,
                                                    p_detail jsonb, p_prev_hash bytea)
    RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v text := 'caseterm-audit-1';
    f text;
BEGIN
    -- each field as audit_field writes it: '-' for NULL, else
    -- '<bytes>:<text>'
    FOREACH f IN ARRAY ARRAY[p_seq::text, p_id::text,
                             (extract(epoch FROM p_at) * 1000000)::bigint::text,
                             p_user_id::text, p_session_id::text, p_source, p_action,
                             p_object, p_detail::text, encode(p_prev_hash, 'hex')] LOOP
        v := v || CASE WHEN f IS NULL THEN '-'
                       ELSE octet_length(convert_to(f, 'UTF8'))::text || ':' || f END;
    END LOOP;
    RETURN v;
END
$$;

CREATE OR REPLACE FUNCTION caseterm.audit_hash(p_seq bigint, p_id bigint,
                                               p_at timestamptz, p_user_id bigint,
                                               p_session_id bigint, p_source text,
                                               p_action text, p_object text,
                                               p_detail jsonb, p_prev_hash bytea)
    RETURNS bytea
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    RETURN sha256(convert_to(audit_canonical(p_seq, p_id, p_at, p_user_id,
        p_session_id, p_source, p_action, p_object, p_detail, p_prev_hash),
        'UTF8'));
END
$$;

-- ---------------------------------------------------------------- privileges

REVOKE EXECUTE ON FUNCTION caseterm.inbox_where(text, text[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.inbox_where(text, text[], boolean) TO caseterm_app;
