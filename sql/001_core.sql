-- 001_core.sql — the core schema of caseterm: the application role, the org
-- tree, users, persons, cases and their event log, login sessions and the
-- audit log; the validation helpers, the append-only and bookkeeping
-- triggers, privileges and row-level security.
--
-- Applied by `casetermctl migrate` as a superuser, inside a transaction the
-- tool opens, after it has run `CREATE SCHEMA IF NOT EXISTS caseterm`; the
-- tool records the migration in caseterm.schema_migrations itself.  So: no
-- BEGIN/COMMIT here, and every name is schema-qualified (the file does not
-- depend on search_path).  Functions carry their own `SET search_path`.
--
-- PostgreSQL is the single authority for business rules (DESIGN.md §2): the
-- application role caseterm_app owns nothing and may only read a few tables;
-- every write goes through a SECURITY DEFINER function that checks the
-- acting user's roles.  The acting user is a transaction-local setting:
--     SELECT set_config('caseterm.user_id', $1, true)
-- run by the C code at the start of each transaction.  Optionally also
--     SELECT set_config('caseterm.session_id', $1, true)
-- so that audit rows name the login session they come from.
--
-- Errors meant for a clerk are raised with a plain English message (the UI
-- translates it through gettext by its text), a specific SQLSTATE, and for
-- form validation the COLUMN field naming the form field at fault:
--     22023  a value a clerk typed is not valid (COLUMN = the field)
--     42501  not allowed (no acting user, disabled account, missing role,
--            change to an append-only table)
--     28000  authentication: invalid or expired session token, unknown user
--     23514  an org-tree rule (cycle, level above its parent's)

-- ---------------------------------------------------------------- roles

-- caseterm_app: the one role casetermd and the UI connect as.  It owns
-- nothing, inherits nothing, cannot bypass row-level security.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
                   WHERE rolname = 'caseterm_app') THEN
        CREATE ROLE caseterm_app LOGIN NOINHERIT;
    END IF;
END
$$;
ALTER ROLE caseterm_app LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE
    NOREPLICATION NOBYPASSRLS;
ALTER ROLE caseterm_app SET search_path = caseterm;

REVOKE ALL ON SCHEMA caseterm FROM PUBLIC;
GRANT USAGE ON SCHEMA caseterm TO caseterm_app;

-- ---------------------------------------------------------------- helpers

-- The acting user as set by the application for this transaction, or NULL.
-- A malformed setting raises (invalid_text_representation): fail closed.
CREATE FUNCTION caseterm.current_user_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(pg_catalog.current_setting('caseterm.user_id', true), '')::bigint $$;

-- The login session named by the application for this transaction, or NULL.
CREATE FUNCTION caseterm.current_session_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(pg_catalog.current_setting('caseterm.session_id', true), '')::bigint $$;

-- Trim white space at both ends, the ideographic space U+3000 included, and
-- turn an empty result into NULL.  Used on everything a clerk types.
CREATE FUNCTION caseterm.clean_text(p text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT nullif(pg_catalog.regexp_replace(p,
        '^[[:space:]\u3000]+|[[:space:]\u3000]+$', '', 'g'), '')
$$;

-- Why a resident ID number (GB 11643, 18 characters) is not valid, or NULL
-- when it is: 17 digits and a digit or upper-case X; a real birth date in
-- positions 7-14 (year 1900 or later, not after today in China); the check
-- digit: the sum of the first 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10
-- 5 8 4 2, mod 11, indexes "10X98765432".  The messages are the ones shown
-- to a clerk.  Declared IMMUTABLE although "not in the future" reads the
-- clock: the answer only ever moves from invalid to valid, so a CHECK that
-- held keeps holding.
CREATE FUNCTION caseterm.idcard_problem(p text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w   int[] := '{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}';
    s   int := 0;
    y   int;
    m   int;
    d   int;
    dim int;
BEGIN
    IF p !~ '^[0-9]{17}[0-9X]$' THEN
        RETURN 'ID number must be 18 characters: 17 digits and a digit or X';
    END IF;
    y := substr(p, 7, 4)::int;
    m := substr(p, 11, 2)::int;
    d := substr(p, 13, 2)::int;
    IF y < 1900 OR m < 1 OR m > 12 OR d < 1 THEN
        RETURN 'ID number birth date is not valid';
    END IF;
    dim := CASE
        WHEN m = 2 THEN
            CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0
                 THEN 29 ELSE 28 END
        WHEN m IN (4, 6, 9, 11) THEN 30
        ELSE 31 END;
    IF d > dim OR make_date(y, m, d) > (now() AT TIME ZONE 'Asia/Shanghai')::date THEN
        RETURN 'ID number birth date is not valid';
    END IF;
    FOR i IN 1..17 LOOP
        s := s + substr(p, i, 1)::int * w[i];
    END LOOP;
    IF substr('10X98765432', s % 11 + 1, 1) <> substr(p, 18, 1) THEN
        RETURN 'ID number check digit is wrong';
    END IF;
    RETURN NULL;
END
$$;

-- true when p is a valid resident ID number as stored (upper-case X).
CREATE FUNCTION caseterm.idcard_valid(p text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT caseterm.idcard_problem(p) IS NULL $$;

-- A mainland mobile number as typed (optional +86, spaces and dashes
-- anywhere) reduced to its 11 digits; NULL when it is not one.
CREATE FUNCTION caseterm.phone_normalize(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN v ~ '^1[3-9][0-9]{9}$' THEN v END
    FROM (SELECT pg_catalog.regexp_replace(
                 pg_catalog.regexp_replace(p, '[[:space:]\u3000-]', '', 'g'),
                 '^\+86', '') AS v) s
$$;

-- Order of the office levels, root first; a unit never sits above its parent.
CREATE FUNCTION caseterm.level_rank(p_level text) RETURNS int
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE p_level WHEN 'city' THEN 1 WHEN 'district' THEN 2
        WHEN 'town' THEN 3 WHEN 'village' THEN 4 WHEN 'grid' THEN 5 END
$$;

-- ---------------------------------------------------------------- tables

-- org_unit: the org tree — the city bureau, district bureaus, town/street
-- justice offices, village/community stations, grids, and the agencies
-- attached to a level (legal aid centres, mediation bodies, notaries, law
-- firms: `kind`).  `path` holds the ids from the root down to the unit
-- itself; a trigger maintains it (never write it), and "unit X is in the
-- subtree of U" is `X.path @> ARRAY[U]` (GIN index).
CREATE TABLE caseterm.org_unit (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code      text NOT NULL UNIQUE
              CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'),
    name      text NOT NULL
              CHECK (name = caseterm.clean_text(name) AND char_length(name) <= 100),
    level     text NOT NULL
              CHECK (level IN ('city', 'district', 'town', 'village', 'grid')),
    kind      text NOT NULL DEFAULT 'office'
              CHECK (kind IN ('office', 'station', 'mediation', 'legal_aid',
                              'notary', 'law_firm')),
    parent_id bigint REFERENCES caseterm.org_unit (id),
    path      bigint[] NOT NULL,
    disabled  boolean NOT NULL DEFAULT false,
    CHECK (parent_id IS DISTINCT FROM id),
    CHECK (cardinality(path) >= 1 AND path[cardinality(path)] = id),
    CHECK ((parent_id IS NULL) = (cardinality(path) = 1))
);
CREATE INDEX org_unit_path_gin ON caseterm.org_unit USING gin (path);
CREATE INDEX org_unit_parent ON caseterm.org_unit (parent_id);

-- app_user: the clerks.  Roles are scoped to the user's unit and its
-- subtree.  password_hash is a crypt(3) string verified by casetermd; the
-- application role cannot read it (column grants below).  Users are
-- disabled, never deleted (the audit log refers to them).
CREATE TABLE caseterm.app_user (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         text NOT NULL UNIQUE
                  CHECK (login ~ '^[a-z][a-z0-9_.-]{1,31}$'),
    display_name  text NOT NULL
                  CHECK (display_name = caseterm.clean_text(display_name)
                         AND char_length(display_name) <= 50),
    unit_id       bigint NOT NULL REFERENCES caseterm.org_unit (id),
    roles         text[] NOT NULL
                  CHECK (roles <@ ARRAY['intake', 'dispatcher', 'handler',
                                        'supervisor', 'followup', 'analyst',
                                        'admin']
                         AND cardinality(roles) > 0),
    locale        text NOT NULL DEFAULT 'zh_CN' CHECK (locale IN ('zh_CN', 'en')),
    password_hash text CHECK (password_hash ~ '^\$[0-9a-z]+\$[^[:space:]:]+$'),
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX app_user_unit ON caseterm.app_user (unit_id);

-- person: applicants and parties, stored once and found again by ID number,
-- by name + mobile number, or by name.  id_number is stored upper-case.
CREATE TABLE caseterm.person (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL
               CHECK (name = caseterm.clean_text(name) AND char_length(name) <= 50),
    id_number  text UNIQUE CHECK (caseterm.idcard_valid(id_number)),
    phone      text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_phone ON caseterm.person (phone);
CREATE INDEX person_name ON caseterm.person (name);

-- case_state: the states of the work-order lifecycle (DESIGN.md §1), shared
-- by legal_case.state and case_event.from_state/to_state.
CREATE DOMAIN caseterm.case_state AS text
    CHECK (VALUE IN ('draft', 'registered', 'accepted', 'rejected',
                     'awaiting_signfor', 'in_progress', 'return_review',
                     'extension_review', 'reply_review', 'awaiting_followup',
                     'closed', 'merged'));

-- case_counter: the last case number given out per year (Asia/Shanghai),
-- for gap-free numbers YYYY-NNNNNN.
CREATE TABLE caseterm.case_counter (
    year    int PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
    last_no int NOT NULL CHECK (last_no > 0)
);

-- legal_case: one work order (工单) of any kind: consultation, legal aid,
-- legal service, mediation, complaint, suggestion.  unit_id is the unit
-- that holds the case now.  `version` and `updated_at` are bumped by a
-- trigger on every update (optimistic locking for the forms).
CREATE TABLE caseterm.legal_case (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_no      text NOT NULL UNIQUE CHECK (case_no ~ '^[0-9]{4}-[0-9]{6,}$'),
    kind         text NOT NULL
                 CHECK (kind IN ('consultation', 'legal_aid', 'legal_service',
                                 'mediation', 'complaint', 'suggestion')),
    state        caseterm.case_state NOT NULL,
    channel      text NOT NULL
                 CHECK (channel IN ('hotline', 'walk_in', 'online', 'wechat',
                                    'transfer_110', 'transfer_12345', 'grid')),
    unit_id      bigint NOT NULL REFERENCES caseterm.org_unit (id),
    applicant_id bigint REFERENCES caseterm.person (id),  -- NULL: anonymous
    created_by   bigint NOT NULL REFERENCES caseterm.app_user (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      int NOT NULL DEFAULT 1 CHECK (version >= 1),
    subject      text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 2000),
    answer       text CHECK (char_length(answer) <= 10000)
);
CREATE INDEX legal_case_created_by ON caseterm.legal_case (created_by, created_at DESC);
CREATE INDEX legal_case_unit ON caseterm.legal_case (unit_id);
CREATE INDEX legal_case_applicant ON caseterm.legal_case (applicant_id);
CREATE INDEX legal_case_created_at ON caseterm.legal_case (created_at DESC);

-- case_event: every step of a case (register, dispatch, sign-for, note,
-- ...), who did it, from which unit, and the state change.  Append-only.
CREATE TABLE caseterm.case_event (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES caseterm.legal_case (id),
    at         timestamptz NOT NULL DEFAULT now(),
    user_id    bigint REFERENCES caseterm.app_user (id),  -- NULL: the system
    unit_id    bigint REFERENCES caseterm.org_unit (id),
    kind       text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{0,31}$'),
    from_state caseterm.case_state,
    to_state   caseterm.case_state,
    detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_event_case ON caseterm.case_event (case_id, at);

-- login_session: one row per successful SSH authentication.  casetermd
-- hands the UI process a one-time token; only its SHA-256 is stored.  The
-- UI claims it (once, within 120 s) to learn who it is serving.
CREATE TABLE caseterm.login_session (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES caseterm.app_user (id),
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    source     text NOT NULL CHECK (char_length(source) <= 200),
    method     text NOT NULL CHECK (method ~ '^[a-z][a-z0-9_-]{0,31}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    claimed_at timestamptz,
    ended_at   timestamptz,
    CHECK (claimed_at >= created_at),
    CHECK (ended_at >= created_at)
);
CREATE INDEX login_session_user ON caseterm.login_session (user_id, created_at DESC);

-- audit_log: who did what, when, from where — logins, failed logins,
-- sessions, every change.  Append-only: nobody, administrators included,
-- edits or deletes it.  (Hash chaining comes in a later migration.)
CREATE TABLE caseterm.audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    user_id    bigint REFERENCES caseterm.app_user (id),
    session_id bigint REFERENCES caseterm.login_session (id),
    source     text NOT NULL CHECK (char_length(source) <= 200),
    action     text NOT NULL CHECK (action ~ '^[a-z][a-z_]{0,31}$'),
    object     text CHECK (char_length(object) <= 200),
    detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON caseterm.audit_log (at);
CREATE INDEX audit_log_user ON caseterm.audit_log (user_id, at);

-- ---------------------------------------------------------------- triggers

-- org_unit.path: recomputed from the parent on insert and whenever parent,
-- level or path is written (so a hand-written path is corrected); refuses
-- cycles and a unit above its parent's level.
CREATE FUNCTION caseterm.org_unit_set_path() RETURNS trigger
    LANGUAGE plpgsql SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_parent_path  bigint[];
    v_parent_level text;
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.path := ARRAY[NEW.id];
        RETURN NEW;
    END IF;
    SELECT path, level INTO v_parent_path, v_parent_level
        FROM org_unit WHERE id = NEW.parent_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'parent unit does not exist' USING ERRCODE = '23503';
    END IF;
    IF NEW.id = ANY (v_parent_path) THEN
        RAISE EXCEPTION 'a unit cannot be placed under itself or its own subunit'
            USING ERRCODE = '23514';
    END IF;
    IF level_rank(NEW.level) < level_rank(v_parent_level) THEN
        RAISE EXCEPTION 'a unit cannot be at a higher level than its parent'
            USING ERRCODE = '23514';
    END IF;
    NEW.path := v_parent_path || NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER org_unit_path
    BEFORE INSERT OR UPDATE OF parent_id, level, path ON caseterm.org_unit
    FOR EACH ROW EXECUTE FUNCTION caseterm.org_unit_set_path();

-- After a unit's path changed, make its children recompute theirs; their
-- own update fires this trigger again, down to the leaves.
CREATE FUNCTION caseterm.org_unit_cascade_path() RETURNS trigger
    LANGUAGE plpgsql SET search_path = caseterm, pg_temp
AS $$
BEGIN
    UPDATE org_unit SET path = NULL WHERE parent_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER org_unit_path_cascade
    AFTER UPDATE OF parent_id, level, path ON caseterm.org_unit
    FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path)
    EXECUTE FUNCTION caseterm.org_unit_cascade_path();

-- legal_case: every update bumps version and updated_at; the number, the
-- author and the creation time never change.
CREATE FUNCTION caseterm.legal_case_touch() RETURNS trigger
    LANGUAGE plpgsql SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF NEW.case_no <> OLD.case_no OR NEW.created_by <> OLD.created_by
       OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'a case''s number, author and creation time cannot be changed'
            USING ERRCODE = '42501';
    END IF;
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER legal_case_touch BEFORE UPDATE ON caseterm.legal_case
    FOR EACH ROW EXECUTE FUNCTION caseterm.legal_case_touch();

-- Append-only tables: refuse UPDATE, DELETE and TRUNCATE from anyone.  The
-- triggers are ENABLE ALWAYS so that session_replication_role = replica
-- does not switch them off either.
CREATE FUNCTION caseterm.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: its rows cannot be changed or deleted',
        TG_TABLE_NAME USING ERRCODE = '42501';
END
$$;

CREATE TRIGGER case_event_append_only
    BEFORE UPDATE OR DELETE ON caseterm.case_event
    FOR EACH ROW EXECUTE FUNCTION caseterm.refuse_change();
CREATE TRIGGER case_event_no_truncate
    BEFORE TRUNCATE ON caseterm.case_event
    FOR EACH STATEMENT EXECUTE FUNCTION caseterm.refuse_change();
ALTER TABLE caseterm.case_event ENABLE ALWAYS TRIGGER case_event_append_only;
ALTER TABLE caseterm.case_event ENABLE ALWAYS TRIGGER case_event_no_truncate;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON caseterm.audit_log
    FOR EACH ROW EXECUTE FUNCTION caseterm.refuse_change();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON caseterm.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION caseterm.refuse_change();
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_append_only;
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;

-- ---------------------------------------------------------------- acting user

-- true when the user exists, is enabled, and none of the units from the
-- root down to the user's own is disabled.  The one definition of "may
-- act" used by auth_lookup, session_claim, and every permission check.
CREATE FUNCTION caseterm.user_active(p_user_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT coalesce((
        SELECT NOT u.disabled
               AND NOT EXISTS (SELECT 1 FROM org_unit a
                               WHERE a.id = ANY (o.path) AND a.disabled)
        FROM app_user u
        JOIN org_unit o ON o.id = u.unit_id
        WHERE u.id = p_user_id), false)
$$;

-- The acting user if the setting names an active user (user_active), else
-- NULL.  Everything that grants access goes through this, so a disabled
-- account sees nothing.
CREATE FUNCTION caseterm.acting_user_id() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT v.id FROM (SELECT current_user_id() AS id) v WHERE user_active(v.id)
$$;

-- The acting user's unit, or NULL (see acting_user_id).
CREATE FUNCTION caseterm.acting_unit_id() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT unit_id FROM app_user WHERE id = acting_user_id()
$$;

-- The message for a missing role, one literal per role so that
-- scripts/po-strings can hand each to gettext.
CREATE FUNCTION caseterm.role_required_message(p_role text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    CASE p_role
    WHEN 'intake' THEN RETURN 'not allowed: the intake role is required';
    WHEN 'dispatcher' THEN RETURN 'not allowed: the dispatcher role is required';
    WHEN 'handler' THEN RETURN 'not allowed: the handler role is required';
    WHEN 'supervisor' THEN RETURN 'not allowed: the supervisor role is required';
    WHEN 'followup' THEN RETURN 'not allowed: the followup role is required';
    WHEN 'analyst' THEN RETURN 'not allowed: the analyst role is required';
    WHEN 'admin' THEN RETURN 'not allowed: the admin role is required';
    ELSE RETURN 'not allowed: a role is missing';
    END CASE;
END
$$;

-- For write functions: the acting user's id if the user is active and has
-- the role p_role (NULL: any role); otherwise raise 42501 with the message
-- the clerk sees.
CREATE FUNCTION caseterm.require_role(p_role text) RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_id    bigint := current_user_id();
    v_roles text[];
BEGIN
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'not allowed: no acting user is set' USING ERRCODE = '42501';
    END IF;
    IF acting_user_id() IS DISTINCT FROM v_id THEN
        RAISE EXCEPTION 'not allowed: the user account or its unit is disabled'
            USING ERRCODE = '42501';
    END IF;
    SELECT roles INTO v_roles FROM app_user WHERE id = v_id;
    IF p_role IS NOT NULL AND NOT (p_role = ANY (v_roles)) THEN
        RAISE EXCEPTION USING MESSAGE = role_required_message(p_role),
            ERRCODE = '42501';
    END IF;
    RETURN v_id;
END
$$;

-- Append one audit row; returns its id.  Internal: called by the SECURITY
-- DEFINER functions (the application cannot call it).  user_id defaults to
-- the acting user, session_id to caseterm.session_id when that session is
-- the acting user's, source to the session's source, else the
-- caseterm.source setting, else the database client address.
CREATE FUNCTION caseterm.audit_write(p_action text, p_object text,
                                     p_detail jsonb DEFAULT '{}',
                                     p_user_id bigint DEFAULT NULL,
                                     p_session_id bigint DEFAULT NULL,
                                     p_source text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_user    bigint := coalesce(p_user_id, current_user_id());
    v_session bigint := p_session_id;
    v_source  text := p_source;
    v_id      bigint;
BEGIN
    IF v_session IS NULL AND v_user IS NOT NULL THEN
        SELECT s.id INTO v_session FROM login_session s
            WHERE s.id = current_session_id() AND s.user_id = v_user;
    END IF;
    IF v_source IS NULL AND v_session IS NOT NULL THEN
        SELECT s.source INTO v_source FROM login_session s WHERE s.id = v_session;
    END IF;
    v_source := coalesce(v_source,
        nullif(current_setting('caseterm.source', true), ''),
        'db:' || coalesce(host(inet_client_addr()), 'local'));
    INSERT INTO audit_log (user_id, session_id, source, action, object, detail)
        VALUES (v_user, v_session, left(v_source, 200), p_action,
                left(p_object, 200), coalesce(p_detail, '{}'))
        RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------- privileges

-- Read access for the application; no INSERT/UPDATE/DELETE anywhere.
GRANT SELECT ON caseterm.org_unit, caseterm.person, caseterm.legal_case,
    caseterm.case_event TO caseterm_app;
-- app_user without password_hash.
GRANT SELECT (id, login, display_name, unit_id, roles, locale, disabled,
              created_at) ON caseterm.app_user TO caseterm_app;

-- Functions are executable by PUBLIC by default: take that back from the
-- SECURITY DEFINER ones and the internal ones, grant what the application
-- calls.  The pure validators stay public.
REVOKE EXECUTE ON FUNCTION caseterm.user_active(bigint),
    caseterm.acting_user_id(), caseterm.acting_unit_id(),
    caseterm.require_role(text),
    caseterm.audit_write(text, text, jsonb, bigint, bigint, text),
    caseterm.org_unit_set_path(), caseterm.org_unit_cascade_path(),
    caseterm.legal_case_touch(), caseterm.refuse_change()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.acting_user_id(), caseterm.acting_unit_id()
    TO caseterm_app;

-- ---------------------------------------------------------------- row-level security

-- Policies exist for caseterm_app only, for SELECT only; any other role
-- without BYPASSRLS sees no rows.  With no (or no active) acting user,
-- acting_unit_id() and acting_user_id() are NULL and nothing matches.

-- A case is visible when the unit holding it is in the acting user's unit
-- subtree, or the acting user created it.
ALTER TABLE caseterm.legal_case ENABLE ROW LEVEL SECURITY;
CREATE POLICY legal_case_visible ON caseterm.legal_case
    FOR SELECT TO caseterm_app
    USING (
        EXISTS (SELECT 1 FROM caseterm.org_unit o
                WHERE o.id = legal_case.unit_id
                  AND o.path @> ARRAY[(SELECT caseterm.acting_unit_id())])
        OR created_by = (SELECT caseterm.acting_user_id())
    );

-- An event is visible when its case is (the subquery is itself filtered by
-- the legal_case policy).
ALTER TABLE caseterm.case_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_event_visible ON caseterm.case_event
    FOR SELECT TO caseterm_app
    USING (EXISTS (SELECT 1 FROM caseterm.legal_case c
                   WHERE c.id = case_event.case_id));

-- A person is visible when he or she is the applicant of a visible case.
ALTER TABLE caseterm.person ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_visible ON caseterm.person
    FOR SELECT TO caseterm_app
    USING (EXISTS (SELECT 1 FROM caseterm.legal_case c
                   WHERE c.applicant_id = person.id));
