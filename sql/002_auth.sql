-- 002_auth.sql — authentication and login sessions, for casetermd and the UI.
--
-- The flow (DESIGN.md §2):
--   1. casetermd (session process) calls auth_lookup(login) and verifies
--      the password against the returned crypt(3) hash itself; on failure
--      it calls auth_failure(login, source, reason).
--   2. On success it calls auth_success(user_id, source, method), which
--      opens a login_session and returns a one-time token (64 hex chars);
--      the database keeps only its SHA-256.  casetermd hands the token to
--      the UI process through an inherited descriptor.
--   3. The UI calls session_claim(token) within 120 s, once, and learns its
--      session id and user id; from then on every transaction starts with
--      set_config('caseterm.user_id', ..., true) (and caseterm.session_id).
--   4. At logout the UI calls session_end(session_id); casetermd may call
--      session_end_by_token(token) when the UI process has gone, so that a
--      crashed UI still ends its session.
-- No function here needs an acting user.  All are SECURITY DEFINER, run
-- with search_path = caseterm, pg_temp, and are executable by caseterm_app
-- only.  Applied by casetermctl migrate inside its own transaction.

-- One row (user id, password hash) for an active user (enabled, no
-- disabled unit on the path from the root to the user's unit) with that
-- login, compared after trimming and lower-casing; no row otherwise.
-- password_hash may be NULL: that user cannot log in with a password.
CREATE FUNCTION caseterm.auth_lookup(p_login text)
    RETURNS TABLE (user_id bigint, password_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT u.id, u.password_hash
    FROM app_user u
    WHERE u.login = lower(clean_text(p_login))
      AND user_active(u.id)
$$;

-- Open a login session for an authenticated user and return its one-time
-- token: 64 lower-case hex characters, of which only sha256 is stored.
-- p_source says where from (e.g. "ssh 10.0.0.5:53122"), p_method how
-- (e.g. "password", "publickey", "keyboard-interactive", "local").
-- Audit action 'login'.  Raises 28000 if the user is not active.
CREATE FUNCTION caseterm.auth_success(p_user_id bigint, p_source text,
                                      p_method text)
    RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_token  text;
    v_source text := left(coalesce(clean_text(p_source), 'unknown'), 200);
    v_method text := lower(clean_text(p_method));
    v_login  text;
    v_sid    bigint;
BEGIN
    IF NOT user_active(p_user_id) THEN
        RAISE EXCEPTION 'unknown or disabled user' USING ERRCODE = '28000';
    END IF;
    IF v_method IS NULL OR v_method !~ '^[a-z][a-z0-9_-]{0,31}$' THEN
        RAISE EXCEPTION 'invalid authentication method name'
            USING ERRCODE = '22023';
    END IF;
    v_token := replace(gen_random_uuid()::text, '-', '')
            || replace(gen_random_uuid()::text, '-', '');
    INSERT INTO login_session (user_id, token_hash, source, method, created_at)
        VALUES (p_user_id, sha256(convert_to(v_token, 'UTF8')), v_source,
                v_method, clock_timestamp())
        RETURNING id INTO v_sid;
    SELECT login INTO v_login FROM app_user WHERE id = p_user_id;
    PERFORM audit_write('login', 'app_user:' || p_user_id,
                        jsonb_build_object('login', v_login, 'method', v_method),
                        p_user_id, v_sid, v_source);
    RETURN v_token;
END
$$;

-- Record a failed login: audit action 'login_failed' with the reason.  The
-- login is recorded only when it is a syntactically valid login name (what
-- was typed into the login field may be a misplaced password); never a
-- password.  The audit row names the user when the login exists.
CREATE FUNCTION caseterm.auth_failure(p_login text, p_source text,
                                      p_reason text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_login  text := lower(clean_text(p_login));
    v_source text := left(coalesce(clean_text(p_source), 'unknown'), 200);
    v_uid    bigint;
BEGIN
    IF v_login IS NOT NULL AND v_login !~ '^[a-z][a-z0-9_.-]{1,31}$' THEN
        v_login := NULL;
    END IF;
    SELECT id INTO v_uid FROM app_user WHERE login = v_login;
    PERFORM audit_write('login_failed',
                        CASE WHEN v_uid IS NOT NULL THEN 'app_user:' || v_uid END,
                        jsonb_build_object('login', v_login,
                                           'known', v_uid IS NOT NULL,
                                           'reason', left(clean_text(p_reason), 200)),
                        v_uid, NULL, v_source);
END
$$;

-- Claim a session token: the session whose token hash matches, not yet
-- claimed nor ended, opened less than 120 s ago, of a user who is still
-- active.  Marks it claimed (so a second claim fails), audits
-- 'session_start', returns its id and user.  Otherwise raises 28000
-- 'invalid or expired session token'.
CREATE FUNCTION caseterm.session_claim(p_token text)
    RETURNS TABLE (session_id bigint, user_id bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_sid bigint;
    v_uid bigint;
BEGIN
    IF p_token IS NOT NULL AND p_token ~ '^[0-9a-f]{64}$' THEN
        UPDATE login_session s
           SET claimed_at = clock_timestamp()
         WHERE s.token_hash = sha256(convert_to(p_token, 'UTF8'))
           AND s.claimed_at IS NULL
           AND s.ended_at IS NULL
           AND s.created_at > clock_timestamp() - interval '120 seconds'
        RETURNING s.id, s.user_id INTO v_sid, v_uid;
    END IF;
    IF v_sid IS NULL OR NOT user_active(v_uid) THEN
        RAISE EXCEPTION 'invalid or expired session token'
            USING ERRCODE = '28000';
    END IF;
    PERFORM audit_write('session_start', 'login_session:' || v_sid, '{}',
                        v_uid, v_sid, NULL);
    session_id := v_sid;
    user_id := v_uid;
    RETURN NEXT;
END
$$;

-- End a session (logout): sets ended_at and audits 'logout'.  Ending an
-- ended session does nothing.  Raises 22023 for an unknown session, and
-- 42501 when an acting user is set and the session is someone else's.
CREATE FUNCTION caseterm.session_end(p_session_id bigint)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_uid   bigint;
    v_ended timestamptz;
BEGIN
    SELECT s.user_id, s.ended_at INTO v_uid, v_ended
        FROM login_session s WHERE s.id = p_session_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such session' USING ERRCODE = '22023';
    END IF;
    IF current_user_id() IS NOT NULL AND current_user_id() <> v_uid THEN
        RAISE EXCEPTION 'not allowed: the session belongs to another user'
            USING ERRCODE = '42501';
    END IF;
    IF v_ended IS NOT NULL THEN
        RETURN;
    END IF;
    UPDATE login_session SET ended_at = clock_timestamp() WHERE id = p_session_id;
    PERFORM audit_write('logout', 'login_session:' || p_session_id, '{}',
                        v_uid, p_session_id, NULL);
END
$$;

-- End the session opened with this token, claimed or not (for casetermd
-- when the UI process has exited).  true if this call ended it; false when
-- the token is unknown or the session had already ended.
CREATE FUNCTION caseterm.session_end_by_token(p_token text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_sid bigint;
    v_uid bigint;
BEGIN
    IF p_token IS NULL OR p_token !~ '^[0-9a-f]{64}$' THEN
        RETURN false;
    END IF;
    UPDATE login_session s
       SET ended_at = clock_timestamp()
     WHERE s.token_hash = sha256(convert_to(p_token, 'UTF8'))
       AND s.ended_at IS NULL
    RETURNING s.id, s.user_id INTO v_sid, v_uid;
    IF v_sid IS NULL THEN
        RETURN false;
    END IF;
    PERFORM audit_write('logout', 'login_session:' || v_sid,
                        '{"by": "server"}', v_uid, v_sid, NULL);
    RETURN true;
END
$$;

-- The acting user with unit and roles, for the UI's title bar and menus;
-- no row when no active user is acting.
CREATE FUNCTION caseterm.whoami()
    RETURNS TABLE (user_id bigint, login text, display_name text,
                   unit_id bigint, unit_code text, unit_name text,
                   unit_level text, roles text[], locale text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT u.id, u.login, u.display_name, o.id, o.code, o.name, o.level,
           u.roles, u.locale
    FROM app_user u
    JOIN org_unit o ON o.id = u.unit_id
    WHERE u.id = acting_user_id()
$$;

REVOKE EXECUTE ON FUNCTION caseterm.auth_lookup(text),
    caseterm.auth_success(bigint, text, text),
    caseterm.auth_failure(text, text, text),
    caseterm.session_claim(text), caseterm.session_end(bigint),
    caseterm.session_end_by_token(text), caseterm.whoami()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.auth_lookup(text),
    caseterm.auth_success(bigint, text, text),
    caseterm.auth_failure(text, text, text),
    caseterm.session_claim(text), caseterm.session_end(bigint),
    caseterm.session_end_by_token(text), caseterm.whoami()
    TO caseterm_app;
