-- 021_admin.sql — administration: users, their SSH public keys, the org
-- tree, code tables and active sessions, for the administration screens and
-- casetermctl alike.
--
-- Every function here is SECURITY DEFINER and starts with admin_scope()
-- (020_audit.sql): an active acting user with the role admin manages the
-- subtree of their own unit (a district administrator their district, the
-- city administrator the whole city); the operator (casetermctl, no acting
-- user) manages everything.  Code tables are city-wide: only a city
-- administrator (of a root unit) or the operator changes them.
--
-- The audit rows are written by the row triggers (audit_row_change): one
-- row per changed row with the changed columns before and after; each
-- function names the action with its SET caseterm.audit_action clause
-- (user_create, user_disable, unit_move, ...), which PostgreSQL restores
-- when the function returns.
--
-- Users are named by login, units by code, keys by id or fingerprint: what
-- an administrator reads on the screen and types at the shell.  Errors: 42501
-- not allowed (no admin role, outside your jurisdiction), 22023 invalid
-- input with COLUMN naming the form field (login, display_name, unit,
-- roles, locale, password, key, code, name, level, kind, parent, label).
--
-- Applied by casetermctl migrate inside its own transaction.

-- ---------------------------------------------------------------- tables

-- user_key: SSH public keys a user may log in with (OpenSSH's
-- authorized_keys, one row per key).  key_base64 is the key blob as in
-- authorized_keys; fingerprint is OpenSSH's SHA256:... form.
CREATE TABLE caseterm.user_key (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES caseterm.app_user (id),
    key_type    text NOT NULL
                CHECK (key_type IN ('ssh-ed25519', 'ssh-rsa',
                                    'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384',
                                    'ecdsa-sha2-nistp521',
                                    'sk-ssh-ed25519@openssh.com',
                                    'sk-ecdsa-sha2-nistp256@openssh.com')),
    key_base64  text NOT NULL
                CHECK (key_base64 ~ '^[A-Za-z0-9+/]+={0,2}$'
                       AND char_length(key_base64) % 4 = 0
                       AND char_length(key_base64) <= 4096),
    fingerprint text NOT NULL GENERATED ALWAYS AS
                ('SHA256:' || rtrim(encode(sha256(decode(key_base64, 'base64')),
                                           'base64'), '=')) STORED,
    comment     text CHECK (comment = caseterm.clean_text(comment)
                            AND char_length(comment) <= 200),
    added_at    timestamptz NOT NULL DEFAULT now(),
    added_by    bigint REFERENCES caseterm.app_user (id),
    UNIQUE (user_id, fingerprint)
);

-- code_table: the lists a form offers (dispute categories, channels, case
-- kinds, ...), one table for all, by kind.  label is what a clerk reads
-- (Chinese), label_en the English one (NULL: the Chinese label).
CREATE TABLE caseterm.code_table (
    kind     text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{0,31}$'),
    code     text NOT NULL CHECK (code = caseterm.clean_text(code)
                                  AND char_length(code) <= 64
                                  AND code !~ '[[:cntrl:]]'),
    label    text NOT NULL CHECK (label = caseterm.clean_text(label)
                                  AND char_length(label) <= 100),
    label_en text CHECK (label_en = caseterm.clean_text(label_en)
                         AND char_length(label_en) <= 100),
    sort     int NOT NULL DEFAULT 0,
    disabled boolean NOT NULL DEFAULT false,
    PRIMARY KEY (kind, code)
);

-- The channels and case kinds legal_case's CHECK constraints know; their
-- codes are fixed (code_save refuses new ones), labels and order may change.
INSERT INTO caseterm.code_table (kind, code, label, label_en, sort) VALUES
    ('channel', 'hotline', '12348热线', 'Hotline call', 10),
    ('channel', 'walk_in', '来访', 'Walk-in', 20),
    ('channel', 'online', '网上申请', 'Online form', 30),
    ('channel', 'wechat', '微信微博', 'WeChat/Weibo', 40),
    ('channel', 'transfer_110', '110转办', 'Transfer from 110', 50),
    ('channel', 'transfer_12345', '12345转办', 'Transfer from 12345', 60),
    ('channel', 'grid', '网格排查', 'Grid screening', 70),
    ('case_kind', 'consultation', '法律咨询', 'Legal consultation', 10),
    ('case_kind', 'legal_aid', '法律援助', 'Legal aid', 20),
    ('case_kind', 'legal_service', '法律服务', 'Legal service request', 30),
    ('case_kind', 'mediation', '矛盾纠纷调解', 'Dispute mediation', 40),
    ('case_kind', 'complaint', '投诉', 'Complaint', 50),
    ('case_kind', 'suggestion', '建议', 'Suggestion', 60);

CREATE TRIGGER user_key_audit
    AFTER INSERT OR UPDATE OR DELETE ON caseterm.user_key
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_row_change('id', '=user_id',
        '=fingerprint', '-key_base64');
ALTER TABLE caseterm.user_key ENABLE ALWAYS TRIGGER user_key_audit;
CREATE TRIGGER code_table_audit
    AFTER INSERT OR UPDATE OR DELETE ON caseterm.code_table
    FOR EACH ROW EXECUTE FUNCTION caseterm.audit_row_change('kind,code');
ALTER TABLE caseterm.code_table ENABLE ALWAYS TRIGGER code_table_audit;

-- ---------------------------------------------------------------- checks

-- The unit with this code, or 22023 'no such unit' naming p_column.
CREATE FUNCTION caseterm.unit_by_code(p_code text, p_column text)
    RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_id bigint;
BEGIN
    SELECT id INTO v_id FROM org_unit WHERE code = clean_text(p_code);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such unit' USING ERRCODE = '22023',
            COLUMN = p_column, DETAIL = coalesce(p_code, '');
    END IF;
    RETURN v_id;
END
$$;

-- The user with this login, if within p_scope; else 22023 'no such user'
-- or 42501.  Locks the row.
CREATE FUNCTION caseterm.admin_target_user(p_login text, p_scope bigint)
    RETURNS caseterm.app_user
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v app_user;
BEGIN
    SELECT * INTO v FROM app_user WHERE login = lower(clean_text(p_login))
        FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such user' USING ERRCODE = '22023',
            COLUMN = 'login', DETAIL = coalesce(p_login, '');
    END IF;
    PERFORM require_admin_unit(v.unit_id, p_scope);
    RETURN v;
END
$$;

-- Roles as typed (any case, spaces, repeats) in the canonical order; 22023
-- naming the field roles when empty or unknown.
CREATE FUNCTION caseterm.roles_normalize(p_roles text[]) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_all  text[] := ARRAY['intake', 'dispatcher', 'handler', 'supervisor',
                           'followup', 'analyst', 'admin'];
    v_in   text[];
    v_bad  text;
BEGIN
    SELECT coalesce(array_agg(DISTINCT lower(clean_text(r))), '{}') INTO v_in
        FROM unnest(p_roles) r WHERE clean_text(r) IS NOT NULL;
    IF cardinality(v_in) = 0 THEN
        RAISE EXCEPTION 'at least one role is required'
            USING ERRCODE = '22023', COLUMN = 'roles';
    END IF;
    SELECT r INTO v_bad FROM unnest(v_in) r WHERE r <> ALL (v_all) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'unknown role' USING ERRCODE = '22023',
            COLUMN = 'roles', DETAIL = v_bad,
            HINT = array_to_string(v_all, ', ');
    END IF;
    RETURN ARRAY(SELECT r FROM unnest(v_all) WITH ORDINALITY AS t(r, i)
                 WHERE r = ANY (v_in) ORDER BY i);
END
$$;

CREATE FUNCTION caseterm.check_login(p_login text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v text := lower(clean_text(p_login));
BEGIN
    IF v IS NULL OR v !~ '^[a-z][a-z0-9_.-]{1,31}$' THEN
        RAISE EXCEPTION 'a login is 2 to 32 lower-case letters, digits, dots, dashes or underscores, starting with a letter'
            USING ERRCODE = '22023', COLUMN = 'login';
    END IF;
    RETURN v;
END
$$;

CREATE FUNCTION caseterm.check_display_name(p_name text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v text := clean_text(p_name);
BEGIN
    IF v IS NULL THEN
        RAISE EXCEPTION 'name is required'
            USING ERRCODE = '22023', COLUMN = 'display_name';
    END IF;
    IF char_length(v) > 50 THEN
        RAISE EXCEPTION 'name must be at most 50 characters'
            USING ERRCODE = '22023', COLUMN = 'display_name';
    END IF;
    RETURN v;
END
$$;

CREATE FUNCTION caseterm.check_locale(p_locale text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF clean_text(p_locale) IS NULL OR clean_text(p_locale) NOT IN ('zh_CN', 'en') THEN
        RAISE EXCEPTION 'unknown language' USING ERRCODE = '22023',
            COLUMN = 'locale', HINT = 'zh_CN, en';
    END IF;
    RETURN clean_text(p_locale);
END
$$;

-- A crypt(3) hash as app_user.password_hash accepts it, or NULL.
CREATE FUNCTION caseterm.check_password_hash(p_hash text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF p_hash IS NOT NULL AND p_hash !~ '^\$[0-9a-z]+\$[^[:space:]:]+$' THEN
        RAISE EXCEPTION 'the password hash is not a crypt(3) hash'
            USING ERRCODE = '22023', COLUMN = 'password';
    END IF;
    RETURN p_hash;
END
$$;

-- End the open sessions of users of these ids (disabled account or unit);
-- casetermd learns it at its next heartbeat.  One audit row when any.
CREATE FUNCTION caseterm.end_sessions_of(p_user_ids bigint[], p_reason text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_ids bigint[];
BEGIN
    WITH e AS (
        UPDATE login_session SET ended_at = clock_timestamp()
         WHERE user_id = ANY (p_user_ids) AND ended_at IS NULL
        RETURNING id)
    SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO v_ids FROM e;
    IF cardinality(v_ids) > 0 THEN
        PERFORM audit_write('session_terminate', NULL,
                            jsonb_build_object('sessions', to_jsonb(v_ids),
                                               'reason', p_reason));
    END IF;
    RETURN cardinality(v_ids);
END
$$;

-- ---------------------------------------------------------------- users

-- Create a user in unit p_unit_code (within your jurisdiction) with roles
-- p_roles, language p_locale (NULL: zh_CN) and, optionally, a crypt(3)
-- password hash computed by the caller (NULL: no password; the user logs
-- in with a key, or gets a password later).  Returns the new user's id.
CREATE FUNCTION caseterm.user_create(p_login text, p_display_name text,
                                     p_unit_code text, p_roles text[],
                                     p_locale text DEFAULT NULL,
                                     p_password_hash text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_create'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v_login text := check_login(p_login);
    v_name  text := check_display_name(p_display_name);
    v_unit  bigint;
    v_roles text[];
    v_id    bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM app_user WHERE login = v_login) THEN
        RAISE EXCEPTION 'a user with this login already exists'
            USING ERRCODE = '22023', COLUMN = 'login', DETAIL = v_login;
    END IF;
    v_unit := unit_by_code(p_unit_code, 'unit');
    PERFORM require_admin_unit(v_unit, v_scope);
    v_roles := roles_normalize(p_roles);
    INSERT INTO app_user (login, display_name, unit_id, roles, locale,
                          password_hash)
        VALUES (v_login, v_name, v_unit, v_roles,
                check_locale(coalesce(clean_text(p_locale), 'zh_CN')),
                check_password_hash(p_password_hash))
        RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- Disable (p_disabled true) or enable a user.  Disabling ends the user's
-- open sessions.  Nobody disables their own account.
CREATE FUNCTION caseterm.user_set_disabled(p_login text, p_disabled boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = ''
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
BEGIN
    IF p_disabled IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = 'p_disabled must not be NULL',
            ERRCODE = '22004';
    END IF;
    IF p_disabled AND v.id = current_user_id() THEN
        RAISE EXCEPTION 'not allowed: you cannot disable your own account'
            USING ERRCODE = '42501';
    END IF;
    -- Sessions first: login_session before the audit chain head, the
    -- order session_end takes them in too (no deadlock between the two).
    IF p_disabled THEN
        PERFORM end_sessions_of(ARRAY[v.id], 'account disabled');
    END IF;
    PERFORM set_config('caseterm.audit_action',
                       CASE WHEN p_disabled THEN 'user_disable' ELSE 'user_enable' END,
                       true);
    UPDATE app_user SET disabled = p_disabled WHERE id = v.id;
END
$$;

-- Set (or, with NULL, remove) a user's password hash.  The hash is made
-- by the caller with crypt(3); the trail records that it changed, never
-- the hash.
CREATE FUNCTION caseterm.user_set_password(p_login text, p_password_hash text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_password'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
BEGIN
    UPDATE app_user SET password_hash = check_password_hash(p_password_hash)
     WHERE id = v.id;
    IF NOT FOUND OR v.password_hash IS NOT DISTINCT FROM p_password_hash THEN
        PERFORM audit_write('user_password', 'app_user:' || v.id,
                            jsonb_build_object('ident', jsonb_build_object('login', v.login),
                                               'unchanged', true));
    END IF;
END
$$;

-- Replace a user's roles.  Nobody removes their own admin role.
CREATE FUNCTION caseterm.user_set_roles(p_login text, p_roles text[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_roles'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
    v_roles text[] := roles_normalize(p_roles);
BEGIN
    IF v.id = current_user_id() AND NOT ('admin' = ANY (v_roles)) THEN
        RAISE EXCEPTION 'not allowed: you cannot remove your own admin role'
            USING ERRCODE = '42501';
    END IF;
    UPDATE app_user SET roles = v_roles WHERE id = v.id;
END
$$;

-- Move a user to another unit; both units within your jurisdiction.
CREATE FUNCTION caseterm.user_move(p_login text, p_unit_code text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_move'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
    v_unit  bigint := unit_by_code(p_unit_code, 'unit');
BEGIN
    PERFORM require_admin_unit(v_unit, v_scope);
    UPDATE app_user SET unit_id = v_unit WHERE id = v.id;
END
$$;

-- A user's language: zh_CN or en.
CREATE FUNCTION caseterm.user_set_locale(p_login text, p_locale text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_locale'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
BEGIN
    UPDATE app_user SET locale = check_locale(p_locale) WHERE id = v.id;
END
$$;

-- A user's display name.
CREATE FUNCTION caseterm.user_set_name(p_login text, p_display_name text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_rename'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
BEGIN
    UPDATE app_user SET display_name = check_display_name(p_display_name)
     WHERE id = v.id;
END
$$;

-- The users of your jurisdiction (of p_unit_code's subtree when given),
-- in tree order, then by login.  has_password: a password hash is set;
-- keys: the number of SSH keys; last_login: the last successful login.
CREATE FUNCTION caseterm.user_list(p_unit_code text DEFAULT NULL)
    RETURNS TABLE (user_id bigint, login text, display_name text,
                   unit_code text, unit_name text, unit_level text,
                   roles text[], locale text, disabled boolean,
                   has_password boolean, keys int, created_at timestamptz,
                   last_login timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_scope bigint := admin_scope();
    v_root  bigint;
BEGIN
    IF clean_text(p_unit_code) IS NOT NULL THEN
        v_root := unit_by_code(p_unit_code, 'unit');
        PERFORM require_admin_unit(v_root, v_scope);
    END IF;
    RETURN QUERY
    SELECT u.id, u.login, u.display_name, o.code, o.name, o.level, u.roles,
           u.locale, u.disabled, u.password_hash IS NOT NULL,
           (SELECT count(*)::int FROM user_key k WHERE k.user_id = u.id),
           u.created_at,
           (SELECT max(s.created_at) FROM login_session s WHERE s.user_id = u.id)
      FROM app_user u
      JOIN org_unit o ON o.id = u.unit_id
     WHERE (v_scope IS NULL OR o.path @> ARRAY[v_scope])
       AND (v_root IS NULL OR o.path @> ARRAY[v_root])
     ORDER BY o.path, u.login;
END
$$;

-- ---------------------------------------------------------------- keys

-- NULL when p_base64 is an SSH public key blob of type p_type (the wire
-- format starts with the type name, length-prefixed), else why not.
CREATE FUNCTION caseterm.key_problem(p_type text, p_base64 text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_blob bytea;
    v_len  bigint;
BEGIN
    IF p_type IS NULL OR p_type NOT IN ('ssh-ed25519', 'ssh-rsa',
            'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384',
            'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com',
            'sk-ecdsa-sha2-nistp256@openssh.com') THEN
        RETURN 'unknown key type';
    END IF;
    IF p_base64 IS NULL OR p_base64 !~ '^[A-Za-z0-9+/]+={0,2}$'
       OR char_length(p_base64) % 4 <> 0 OR char_length(p_base64) > 4096 THEN
        RETURN 'the key is not a valid public key of its type';
    END IF;
    v_blob := decode(p_base64, 'base64');
    IF octet_length(v_blob) < 8 THEN
        RETURN 'the key is not a valid public key of its type';
    END IF;
    v_len := (get_byte(v_blob, 0)::bigint << 24) | (get_byte(v_blob, 1) << 16)
           | (get_byte(v_blob, 2) << 8) | get_byte(v_blob, 3);
    IF v_len <> octet_length(convert_to(p_type, 'UTF8'))
       OR octet_length(v_blob) < 4 + v_len + 4
       OR substring(v_blob FROM 5 FOR v_len::int) <> convert_to(p_type, 'UTF8') THEN
        RETURN 'the key is not a valid public key of its type';
    END IF;
    RETURN NULL;
END
$$;

-- Add an SSH public key to a user of your jurisdiction; returns its id.
CREATE FUNCTION caseterm.user_key_add(p_login text, p_key_type text,
                                      p_key_base64 text,
                                      p_comment text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_key_add'
AS $$
DECLARE
    v_scope   bigint := admin_scope();
    v         app_user := admin_target_user(p_login, v_scope);
    v_type    text := clean_text(p_key_type);
    v_b64     text := clean_text(p_key_base64);
    v_problem text := key_problem(v_type, v_b64);
    v_id      bigint;
BEGIN
    IF v_problem = 'unknown key type' THEN
        RAISE EXCEPTION 'unknown key type' USING ERRCODE = '22023',
            COLUMN = 'key', DETAIL = coalesce(left(p_key_type, 60), '');
    ELSIF v_problem IS NOT NULL THEN
        RAISE EXCEPTION 'the key is not a valid public key of its type'
            USING ERRCODE = '22023', COLUMN = 'key';
    END IF;
    IF EXISTS (SELECT 1 FROM user_key k
               WHERE k.user_id = v.id AND k.key_type = v_type
                 AND k.key_base64 = v_b64) THEN
        RAISE EXCEPTION 'this key is already registered for this user'
            USING ERRCODE = '22023', COLUMN = 'key';
    END IF;
    INSERT INTO user_key (user_id, key_type, key_base64, comment, added_by)
        VALUES (v.id, v_type, v_b64, left(clean_text(p_comment), 200),
                current_user_id())
        RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- The same from one line of an authorized_keys / id_*.pub file:
-- "TYPE BASE64 [COMMENT]".  Lines with options are refused (unknown key
-- type), as are empty lines.
CREATE FUNCTION caseterm.user_key_add_openssh(p_login text, p_line text)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_parts text[] := regexp_split_to_array(clean_text(p_line), '[[:space:]]+');
BEGIN
    IF clean_text(p_line) IS NULL OR cardinality(v_parts) < 2 THEN
        RAISE EXCEPTION 'the key is not a valid public key of its type'
            USING ERRCODE = '22023', COLUMN = 'key';
    END IF;
    RETURN user_key_add(p_login, v_parts[1], v_parts[2],
                        array_to_string(v_parts[3:], ' '));
END
$$;

-- Remove a key of a user of your jurisdiction, named by its id or its
-- fingerprint (SHA256:...).
CREATE FUNCTION caseterm.user_key_remove(p_login text, p_key text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'user_key_remove'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
    v_key   text := clean_text(p_key);
BEGIN
    DELETE FROM user_key k
     WHERE k.user_id = v.id
       AND (k.fingerprint = v_key
            OR (v_key ~ '^[0-9]{1,18}$' AND k.id = v_key::bigint));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such key' USING ERRCODE = '22023',
            COLUMN = 'key', DETAIL = coalesce(v_key, '');
    END IF;
END
$$;

-- The keys of a user of your jurisdiction, oldest first.
CREATE FUNCTION caseterm.user_key_list(p_login text)
    RETURNS TABLE (key_id bigint, key_type text, fingerprint text,
                   comment text, added_at timestamptz, added_by text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_scope bigint := admin_scope();
    v       app_user := admin_target_user(p_login, v_scope);
BEGIN
    RETURN QUERY
    SELECT k.id, k.key_type, k.fingerprint, k.comment, k.added_at, a.login
      FROM user_key k LEFT JOIN app_user a ON a.id = k.added_by
     WHERE k.user_id = v.id
     ORDER BY k.added_at, k.id;
END
$$;

-- For casetermd's public-key authentication: the id of the active user
-- with this login (trimmed, lower-cased) who has this key, else NULL.
-- p_key_type as libssh names it (ssh_key_type_to_char), p_key_base64 the
-- blob as ssh_pki_export_pubkey_base64 gives it.
CREATE FUNCTION caseterm.auth_pubkey_ok(p_login text, p_key_type text,
                                        p_key_base64 text)
    RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT u.id
      FROM app_user u
      JOIN user_key k ON k.user_id = u.id
     WHERE u.login = lower(clean_text(p_login))
       AND k.key_type = p_key_type
       AND k.key_base64 = p_key_base64
       AND user_active(u.id)
     LIMIT 1
$$;

-- ---------------------------------------------------------------- units

-- The office level one below p_level (a grid stays a grid).
CREATE FUNCTION caseterm.level_below(p_level text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE p_level WHEN 'city' THEN 'district' WHEN 'district' THEN 'town'
        WHEN 'town' THEN 'village' ELSE 'grid' END
$$;

CREATE FUNCTION caseterm.check_unit_fields(p_code text, p_name text,
                                           p_level text, p_kind text)
    RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    IF p_code IS NULL OR p_code !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$' THEN
        RAISE EXCEPTION 'a unit code is 1 to 32 letters, digits, dots, dashes or underscores'
            USING ERRCODE = '22023', COLUMN = 'code';
    END IF;
    IF p_name IS NULL THEN
        RAISE EXCEPTION 'unit name is required'
            USING ERRCODE = '22023', COLUMN = 'name';
    END IF;
    IF char_length(p_name) > 100 THEN
        RAISE EXCEPTION 'unit name must be at most 100 characters'
            USING ERRCODE = '22023', COLUMN = 'name';
    END IF;
    IF p_level IS NULL OR level_rank(p_level) IS NULL THEN
        RAISE EXCEPTION 'unknown office level' USING ERRCODE = '22023',
            COLUMN = 'level', HINT = 'city, district, town, village, grid';
    END IF;
    IF p_kind IS NULL OR p_kind NOT IN ('office', 'station', 'mediation',
                                        'legal_aid', 'notary', 'law_firm') THEN
        RAISE EXCEPTION 'unknown unit kind' USING ERRCODE = '22023',
            COLUMN = 'kind',
            HINT = 'office, station, mediation, legal_aid, notary, law_firm';
    END IF;
END
$$;

-- The unit itself may not be the one the caller administers from (moving
-- or disabling it would change the caller's own jurisdiction).
CREATE FUNCTION caseterm.require_admin_below(p_unit bigint, p_scope bigint)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    PERFORM require_admin_unit(p_unit, p_scope);
    IF p_unit = p_scope THEN
        RAISE EXCEPTION 'not allowed: this is the unit you administer from'
            USING ERRCODE = '42501';
    END IF;
END
$$;

-- Add a unit under p_parent_code (within your jurisdiction; only the
-- operator adds a top-level unit, with p_parent_code NULL).  p_level NULL:
-- one level below the parent; p_kind NULL: office.  Returns its id.
CREATE FUNCTION caseterm.unit_add(p_code text, p_name text,
                                  p_parent_code text,
                                  p_level text DEFAULT NULL,
                                  p_kind text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'unit_add'
AS $$
DECLARE
    v_scope  bigint := admin_scope();
    v_code   text := clean_text(p_code);
    v_name   text := clean_text(p_name);
    v_parent bigint;
    v_level  text := lower(clean_text(p_level));
    v_kind   text := coalesce(lower(clean_text(p_kind)), 'office');
    v_id     bigint;
BEGIN
    IF clean_text(p_parent_code) IS NOT NULL THEN
        v_parent := unit_by_code(p_parent_code, 'parent');
        PERFORM require_admin_unit(v_parent, v_scope);
        v_level := coalesce(v_level,
            level_below((SELECT level FROM org_unit WHERE id = v_parent)));
    ELSIF v_scope IS NOT NULL THEN
        RAISE EXCEPTION 'not allowed: outside your jurisdiction'
            USING ERRCODE = '42501';
    ELSE
        v_level := coalesce(v_level, 'city');
    END IF;
    PERFORM check_unit_fields(v_code, v_name, v_level, v_kind);
    IF EXISTS (SELECT 1 FROM org_unit WHERE code = v_code) THEN
        RAISE EXCEPTION 'a unit with this code already exists'
            USING ERRCODE = '22023', COLUMN = 'code', DETAIL = v_code;
    END IF;
    INSERT INTO org_unit (code, name, level, kind, parent_id)
        VALUES (v_code, v_name, v_level, v_kind, v_parent)
        RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- Rename a unit of your jurisdiction (your own unit included).
CREATE FUNCTION caseterm.unit_rename(p_code text, p_name text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'unit_rename'
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v_unit  bigint := unit_by_code(p_code, 'code');
    v_name  text := clean_text(p_name);
    v_row   org_unit;
BEGIN
    PERFORM require_admin_unit(v_unit, v_scope);
    SELECT * INTO v_row FROM org_unit WHERE id = v_unit FOR UPDATE;
    PERFORM check_unit_fields(v_row.code, v_name, v_row.level, v_row.kind);
    UPDATE org_unit SET name = v_name WHERE id = v_unit;
END
$$;

-- Move a unit (below the one you administer from) under another unit of
-- your jurisdiction; its subtree moves with it.  Only the operator makes a
-- unit top-level (p_parent_code NULL).
CREATE FUNCTION caseterm.unit_move(p_code text, p_parent_code text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'unit_move'
AS $$
DECLARE
    v_scope  bigint := admin_scope();
    v_unit   bigint := unit_by_code(p_code, 'code');
    v_parent bigint;
BEGIN
    PERFORM require_admin_below(v_unit, v_scope);
    IF clean_text(p_parent_code) IS NOT NULL THEN
        v_parent := unit_by_code(p_parent_code, 'parent');
        PERFORM require_admin_unit(v_parent, v_scope);
    ELSIF v_scope IS NOT NULL THEN
        RAISE EXCEPTION 'not allowed: outside your jurisdiction'
            USING ERRCODE = '42501';
    END IF;
    UPDATE org_unit SET parent_id = v_parent WHERE id = v_unit;
END
$$;

-- Disable (p_disabled true) or enable a unit below the one you administer
-- from.  A disabled unit's users, and those of its subtree, cannot log in
-- and see nothing; their open sessions are ended.
CREATE FUNCTION caseterm.unit_set_disabled(p_code text, p_disabled boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = ''
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v_unit  bigint := unit_by_code(p_code, 'code');
BEGIN
    IF p_disabled IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = 'p_disabled must not be NULL',
            ERRCODE = '22004';
    END IF;
    PERFORM require_admin_below(v_unit, v_scope);
    -- Sessions first (see user_set_disabled).
    IF p_disabled THEN
        PERFORM end_sessions_of(ARRAY(
            SELECT u.id FROM app_user u JOIN org_unit o ON o.id = u.unit_id
             WHERE o.path @> ARRAY[v_unit]), 'unit disabled');
    END IF;
    PERFORM set_config('caseterm.audit_action',
                       CASE WHEN p_disabled THEN 'unit_disable' ELSE 'unit_enable' END,
                       true);
    UPDATE org_unit SET disabled = p_disabled WHERE id = v_unit;
END
$$;

-- Add or update one unit, for imports: a new code is added (as unit_add);
-- an existing unit gets this name, parent, level (NULL: kept) and kind
-- (NULL: kept), each change checked as unit_rename / unit_move would.
-- Returns 'added', 'updated' or 'unchanged'.
CREATE FUNCTION caseterm.unit_save(p_code text, p_name text,
                                   p_parent_code text,
                                   p_level text DEFAULT NULL,
                                   p_kind text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'unit_import'
AS $$
DECLARE
    v_scope  bigint := admin_scope();
    v_code   text := clean_text(p_code);
    v_name   text := clean_text(p_name);
    v_row    org_unit;
    v_parent bigint;
    v_level  text;
    v_kind   text;
    v_result text;
BEGIN
    SELECT * INTO v_row FROM org_unit WHERE code = v_code FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM unit_add(p_code, p_name, p_parent_code, p_level, p_kind);
        v_result := 'added';
        RETURN v_result;
    END IF;
    PERFORM require_admin_unit(v_row.id, v_scope);
    IF clean_text(p_parent_code) IS NOT NULL THEN
        v_parent := unit_by_code(p_parent_code, 'parent');
    END IF;
    v_level := coalesce(lower(clean_text(p_level)), v_row.level);
    v_kind := coalesce(lower(clean_text(p_kind)), v_row.kind);
    PERFORM check_unit_fields(v_code, v_name, v_level, v_kind);
    IF v_parent IS DISTINCT FROM v_row.parent_id OR v_level <> v_row.level THEN
        PERFORM require_admin_below(v_row.id, v_scope);
        IF v_parent IS NULL AND v_scope IS NOT NULL THEN
            RAISE EXCEPTION 'not allowed: outside your jurisdiction'
                USING ERRCODE = '42501';
        END IF;
        IF v_parent IS NOT NULL THEN
            PERFORM require_admin_unit(v_parent, v_scope);
        END IF;
    END IF;
    IF v_name = v_row.name AND v_parent IS NOT DISTINCT FROM v_row.parent_id
       AND v_level = v_row.level AND v_kind = v_row.kind THEN
        v_result := 'unchanged';
        RETURN v_result;
    END IF;
    UPDATE org_unit SET name = v_name, parent_id = v_parent, level = v_level,
                        kind = v_kind
     WHERE id = v_row.id;
    v_result := 'updated';
    RETURN v_result;
END
$$;

-- The units of your jurisdiction (of p_code's subtree when given) in tree
-- order, with their parent's code, depth (1: a root), and user count.
CREATE FUNCTION caseterm.unit_list(p_code text DEFAULT NULL)
    RETURNS TABLE (unit_id bigint, code text, name text, level text,
                   kind text, parent_code text, depth int, disabled boolean,
                   users int)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_scope bigint := admin_scope();
    v_root  bigint;
BEGIN
    IF clean_text(p_code) IS NOT NULL THEN
        v_root := unit_by_code(p_code, 'code');
        PERFORM require_admin_unit(v_root, v_scope);
    END IF;
    RETURN QUERY
    SELECT o.id, o.code, o.name, o.level, o.kind, p.code,
           cardinality(o.path), o.disabled,
           (SELECT count(*)::int FROM app_user u WHERE u.unit_id = o.id)
      FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id
     WHERE (v_scope IS NULL OR o.path @> ARRAY[v_scope])
       AND (v_root IS NULL OR o.path @> ARRAY[v_root])
     ORDER BY o.path;
END
$$;

-- ---------------------------------------------------------------- code tables

-- Code tables are city-wide: the operator, or an administrator of a root
-- unit.  Raises 42501 otherwise.
CREATE FUNCTION caseterm.require_city_admin() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_scope bigint := admin_scope();
BEGIN
    IF v_scope IS NOT NULL
       AND (SELECT parent_id FROM org_unit WHERE id = v_scope) IS NOT NULL THEN
        RAISE EXCEPTION 'not allowed: only a city administrator can do this'
            USING ERRCODE = '42501';
    END IF;
END
$$;

-- Add or update one code: its label (and English label, NULL: none) and
-- sort order (NULL: after the others for a new code, kept for an existing
-- one).  p_code NULL: the code that has this label already, else the label
-- itself becomes the code (for lists that are only labels, such as
-- data/dispute_categories.txt).  The kinds channel and case_kind are fixed lists (legal_case checks
-- them): their codes can be relabelled and reordered, not added.
-- Returns 'added', 'updated' or 'unchanged'.
CREATE FUNCTION caseterm.code_save(p_kind text, p_code text, p_label text,
                                   p_sort int DEFAULT NULL,
                                   p_label_en text DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = 'code_save'
AS $$
DECLARE
    v_kind   text := lower(clean_text(p_kind));
    v_code   text := clean_text(p_code);
    v_label  text := clean_text(p_label);
    v_en     text := clean_text(p_label_en);
    v_row    code_table;
    v_result text;
BEGIN
    PERFORM require_city_admin();
    IF v_code IS NULL THEN
        v_code := coalesce((SELECT c.code FROM code_table c
                            WHERE c.kind = lower(clean_text(p_kind))
                              AND c.label = v_label
                            ORDER BY c.sort, c.code LIMIT 1), v_label);
        v_en := coalesce(v_en, (SELECT c.label_en FROM code_table c
                                WHERE c.kind = lower(clean_text(p_kind))
                                  AND c.code = v_code));
    END IF;
    IF v_kind IS NULL OR v_kind !~ '^[a-z][a-z_]{0,31}$' THEN
        RAISE EXCEPTION 'a code table name is lower-case letters and underscores'
            USING ERRCODE = '22023', COLUMN = 'kind';
    END IF;
    IF v_code IS NULL OR char_length(v_code) > 64 OR v_code ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'a code is 1 to 64 characters'
            USING ERRCODE = '22023', COLUMN = 'code';
    END IF;
    IF v_label IS NULL THEN
        RAISE EXCEPTION 'label is required'
            USING ERRCODE = '22023', COLUMN = 'label';
    END IF;
    IF char_length(v_label) > 100 OR char_length(v_en) > 100 THEN
        RAISE EXCEPTION 'label must be at most 100 characters'
            USING ERRCODE = '22023', COLUMN = 'label';
    END IF;
    SELECT * INTO v_row FROM code_table WHERE kind = v_kind AND code = v_code
        FOR UPDATE;
    IF NOT FOUND THEN
        IF v_kind IN ('channel', 'case_kind') THEN
            RAISE EXCEPTION 'this code table is fixed: codes cannot be added'
                USING ERRCODE = '22023', COLUMN = 'code', DETAIL = v_kind;
        END IF;
        INSERT INTO code_table (kind, code, label, label_en, sort)
            VALUES (v_kind, v_code, v_label, v_en,
                    coalesce(p_sort, (SELECT coalesce(max(sort), 0) + 10
                                      FROM code_table WHERE kind = v_kind)));
        v_result := 'added';
        RETURN v_result;
    END IF;
    IF v_row.label = v_label AND v_row.label_en IS NOT DISTINCT FROM v_en
       AND v_row.sort = coalesce(p_sort, v_row.sort) THEN
        v_result := 'unchanged';
        RETURN v_result;
    END IF;
    UPDATE code_table SET label = v_label, label_en = v_en,
                          sort = coalesce(p_sort, v_row.sort)
     WHERE kind = v_kind AND code = v_code;
    v_result := 'updated';
    RETURN v_result;
END
$$;

-- Disable (no longer offered in forms; old cases keep it) or enable a code.
CREATE FUNCTION caseterm.code_set_disabled(p_kind text, p_code text,
                                           p_disabled boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
    SET caseterm.audit_action = ''
AS $$
BEGIN
    PERFORM require_city_admin();
    PERFORM set_config('caseterm.audit_action',
                       CASE WHEN p_disabled THEN 'code_disable' ELSE 'code_enable' END,
                       true);
    UPDATE code_table SET disabled = coalesce(p_disabled, disabled)
     WHERE kind = lower(clean_text(p_kind)) AND code = clean_text(p_code);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such code' USING ERRCODE = '22023', COLUMN = 'code';
    END IF;
END
$$;

-- ---------------------------------------------------------------- sessions

-- The open login sessions of users of your jurisdiction, oldest first:
-- claimed by a UI and not ended.  last_seen is the session process's last
-- heartbeat (login_session.last_seen, when casetermd records one), else
-- the claim time; stale: not heard of for two minutes (a casetermd host
-- that died), listed only with p_include_stale.
CREATE FUNCTION caseterm.admin_sessions(p_include_stale boolean DEFAULT false)
    RETURNS TABLE (session_id bigint, login text, display_name text,
                   unit_code text, unit_name text, source text, method text,
                   started timestamptz, last_seen timestamptz, stale boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_scope bigint := admin_scope();
BEGIN
    RETURN QUERY
    SELECT x.id, x.login, x.display_name, x.code, x.name, x.source, x.method,
           x.created_at, x.seen, x.seen < clock_timestamp() - interval '2 minutes'
      FROM (SELECT s.id, u.login, u.display_name, o.code, o.name, s.source,
                   s.method, s.created_at,
                   -- last_seen comes with casetermd's heartbeat (011); read
                   -- through to_jsonb so that this works without it too.
                   coalesce((to_jsonb(s) ->> 'last_seen')::timestamptz,
                            s.claimed_at) AS seen
              FROM login_session s
              JOIN app_user u ON u.id = s.user_id
              JOIN org_unit o ON o.id = u.unit_id
             WHERE s.ended_at IS NULL AND s.claimed_at IS NOT NULL
               AND (v_scope IS NULL OR o.path @> ARRAY[v_scope])) x
     WHERE p_include_stale OR x.seen >= clock_timestamp() - interval '2 minutes'
     ORDER BY x.created_at, x.id;
END
$$;

-- End a session of a user of your jurisdiction (casetermd closes it at
-- its next heartbeat).  true if this call ended it, false if it had ended.
CREATE FUNCTION caseterm.session_terminate(p_session_id bigint,
                                           p_reason text DEFAULT NULL)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_scope bigint := admin_scope();
    v_uid   bigint;
    v_unit  bigint;
    v_ended timestamptz;
    v_login text;
    v_src   text;
BEGIN
    SELECT s.user_id, s.ended_at, u.unit_id, u.login, s.source
      INTO v_uid, v_ended, v_unit, v_login, v_src
      FROM login_session s JOIN app_user u ON u.id = s.user_id
     WHERE s.id = p_session_id
       FOR UPDATE OF s;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such session' USING ERRCODE = '22023';
    END IF;
    PERFORM require_admin_unit(v_unit, v_scope);
    IF v_ended IS NOT NULL THEN
        RETURN false;
    END IF;
    UPDATE login_session SET ended_at = clock_timestamp() WHERE id = p_session_id;
    PERFORM audit_write('session_terminate', 'login_session:' || p_session_id,
                        jsonb_build_object('login', v_login, 'user_id', v_uid,
                                           'session_source', v_src,
                                           'reason', left(clean_text(p_reason), 200)));
    RETURN true;
END
$$;

-- ---------------------------------------------------------------- privileges

GRANT SELECT ON caseterm.code_table TO caseterm_app;

REVOKE EXECUTE ON FUNCTION
    caseterm.unit_by_code(text, text), caseterm.admin_target_user(text, bigint),
    caseterm.roles_normalize(text[]), caseterm.check_login(text),
    caseterm.check_display_name(text), caseterm.check_locale(text),
    caseterm.check_password_hash(text), caseterm.end_sessions_of(bigint[], text),
    caseterm.user_create(text, text, text, text[], text, text),
    caseterm.user_set_disabled(text, boolean),
    caseterm.user_set_password(text, text),
    caseterm.user_set_roles(text, text[]),
    caseterm.user_move(text, text),
    caseterm.user_set_locale(text, text),
    caseterm.user_set_name(text, text),
    caseterm.user_list(text),
    caseterm.key_problem(text, text),
    caseterm.user_key_add(text, text, text, text),
    caseterm.user_key_add_openssh(text, text),
    caseterm.user_key_remove(text, text),
    caseterm.user_key_list(text),
    caseterm.auth_pubkey_ok(text, text, text),
    caseterm.check_unit_fields(text, text, text, text),
    caseterm.require_admin_below(bigint, bigint),
    caseterm.unit_add(text, text, text, text, text),
    caseterm.unit_rename(text, text),
    caseterm.unit_move(text, text),
    caseterm.unit_set_disabled(text, boolean),
    caseterm.unit_save(text, text, text, text, text),
    caseterm.unit_list(text),
    caseterm.require_city_admin(),
    caseterm.code_save(text, text, text, int, text),
    caseterm.code_set_disabled(text, text, boolean),
    caseterm.admin_sessions(boolean),
    caseterm.session_terminate(bigint, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    caseterm.user_create(text, text, text, text[], text, text),
    caseterm.user_set_disabled(text, boolean),
    caseterm.user_set_password(text, text),
    caseterm.user_set_roles(text, text[]),
    caseterm.user_move(text, text),
    caseterm.user_set_locale(text, text),
    caseterm.user_set_name(text, text),
    caseterm.user_list(text),
    caseterm.user_key_add(text, text, text, text),
    caseterm.user_key_add_openssh(text, text),
    caseterm.user_key_remove(text, text),
    caseterm.user_key_list(text),
    caseterm.auth_pubkey_ok(text, text, text),
    caseterm.unit_add(text, text, text, text, text),
    caseterm.unit_rename(text, text),
    caseterm.unit_move(text, text),
    caseterm.unit_set_disabled(text, boolean),
    caseterm.unit_save(text, text, text, text, text),
    caseterm.unit_list(text),
    caseterm.code_save(text, text, text, int, text),
    caseterm.code_set_disabled(text, text, boolean),
    caseterm.admin_sessions(boolean),
    caseterm.session_terminate(bigint, text)
    TO caseterm_app;
