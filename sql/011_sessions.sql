-- 011_sessions.sql — what casetermd needs to be a careful front door:
--
--   auth_fail        every failed login, per login and per source address,
--                    so that failures are throttled across all session
--                    processes and all casetermd hosts;
--   auth_throttled() whether a login or an address is locked out now;
--   auth_unlock()    an administrator lifts a lockout (casetermctl unlock);
--   session_heartbeat() the session process says it is alive every few
--                    seconds and learns whether an administrator ended it;
--   session_count()  the user's live sessions, for the per-user cap.

ALTER TABLE caseterm.login_session ADD COLUMN last_seen timestamptz;

-- One row per failed attempt.  cleared: lifted by an administrator.
CREATE TABLE caseterm.auth_fail (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    login   text CHECK (login ~ '^[a-z][a-z0-9_.-]{1,31}$'),
    source  text NOT NULL CHECK (char_length(source) <= 200),
    cleared boolean NOT NULL DEFAULT false
);
CREATE INDEX auth_fail_login ON caseterm.auth_fail (login, at) WHERE NOT cleared;
CREATE INDEX auth_fail_source ON caseterm.auth_fail (source, at) WHERE NOT cleared;

-- The audit row as before, and the attempt counted for throttling.
CREATE OR REPLACE FUNCTION caseterm.auth_failure(p_login text, p_source text,
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
    INSERT INTO auth_fail (login, source) VALUES (v_login, v_source);
END
$$;

-- Were there p_max failures within p_window seconds, the last of them less
-- than p_lockout seconds ago?  For one key: a login or a source.
CREATE FUNCTION caseterm.auth_locked(p_login text, p_source text, p_max int,
                                     p_window int, p_lockout int)
    RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1
          FROM (SELECT f.at,
                       count(*) OVER (ORDER BY f.at RANGE BETWEEN
                           make_interval(secs => p_window) PRECEDING
                           AND CURRENT ROW) AS n
                  FROM auth_fail f
                 WHERE NOT f.cleared
                   AND (f.login = p_login OR f.source = p_source)
                   AND f.at > clock_timestamp()
                             - make_interval(secs => p_window + p_lockout)) w
         WHERE w.n >= p_max
           AND w.at > clock_timestamp() - make_interval(secs => p_lockout))
$$;

-- 'account' when the login is locked out (p_max_user failures), 'address'
-- when the source is (p_max_source failures), NULL when neither.  Called by
-- casetermd before it checks anything.
CREATE FUNCTION caseterm.auth_throttled(p_login text, p_source text,
                                        p_max_user int, p_max_source int,
                                        p_window int, p_lockout int)
    RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_login text := lower(clean_text(p_login));
BEGIN
    IF p_lockout <= 0 THEN
        RETURN NULL;
    END IF;
    IF v_login IS NOT NULL
       AND auth_locked(v_login, NULL, p_max_user, p_window, p_lockout) THEN
        RETURN 'account';
    END IF;
    IF auth_locked(NULL, p_source, p_max_source, p_window, p_lockout) THEN
        RETURN 'address';
    END IF;
    RETURN NULL;
END
$$;

-- Lift the lockout of a login or a source address (either may be NULL).
-- For casetermctl unlock, run by the operator; audited.
CREATE FUNCTION caseterm.auth_unlock(p_login text, p_source text)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_n int;
BEGIN
    UPDATE auth_fail SET cleared = true
     WHERE NOT cleared
       AND ((p_login IS NOT NULL AND login = lower(p_login))
            OR (p_source IS NOT NULL AND source = p_source));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    PERFORM audit_write('auth_unlock', NULL,
                        jsonb_build_object('login', p_login, 'source', p_source,
                                           'cleared', v_n),
                        NULL, NULL, 'casetermctl');
    RETURN v_n;
END
$$;

-- The session process's pulse: records that the session is alive and
-- answers whether it may go on (false once ended, e.g. by an administrator).
CREATE FUNCTION caseterm.session_heartbeat(p_token text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_token IS NULL OR p_token !~ '^[0-9a-f]{64}$' THEN
        RETURN false;
    END IF;
    UPDATE login_session SET last_seen = clock_timestamp()
     WHERE token_hash = sha256(convert_to(p_token, 'UTF8'))
       AND ended_at IS NULL
    RETURNING id INTO v_id;
    RETURN v_id IS NOT NULL;
END
$$;

-- Live sessions of a user: not ended, and heard of in the last two minutes
-- (a session whose server died stops counting by itself).
CREATE FUNCTION caseterm.session_count(p_user_id bigint)
    RETURNS int
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT count(*)::int FROM login_session
     WHERE user_id = p_user_id AND ended_at IS NULL AND claimed_at IS NOT NULL
       AND coalesce(last_seen, claimed_at) > clock_timestamp() - interval '2 minutes'
$$;

-- Active sessions, for casetermctl sessions and the administration screen.
CREATE FUNCTION caseterm.session_list()
    RETURNS TABLE (session_id bigint, login text, unit_name text, source text,
                   started timestamptz, last_seen timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
    SELECT s.id, u.login, o.name, s.source, s.created_at,
           coalesce(s.last_seen, s.claimed_at)
      FROM login_session s
      JOIN app_user u ON u.id = s.user_id
      JOIN org_unit o ON o.id = u.unit_id
     WHERE s.ended_at IS NULL AND s.claimed_at IS NOT NULL
       AND coalesce(s.last_seen, s.claimed_at) > clock_timestamp() - interval '2 minutes'
     ORDER BY s.created_at
$$;

-- End a session from outside (casetermctl kill): its session process sees
-- it at its next heartbeat, wherever it runs, and closes the UI.
CREATE FUNCTION caseterm.session_kill(p_session_id bigint)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
DECLARE
    v_uid bigint;
BEGIN
    UPDATE login_session SET ended_at = clock_timestamp()
     WHERE id = p_session_id AND ended_at IS NULL
    RETURNING user_id INTO v_uid;
    IF v_uid IS NULL THEN
        RETURN false;
    END IF;
    PERFORM audit_write('session_kill', 'login_session:' || p_session_id,
                        '{"by": "casetermctl"}', v_uid, p_session_id,
                        'casetermctl');
    RETURN true;
END
$$;

REVOKE EXECUTE ON FUNCTION caseterm.session_kill(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION caseterm.auth_locked(text, text, int, int, int),
                           caseterm.auth_throttled(text, text, int, int, int, int),
                           caseterm.auth_unlock(text, text),
                           caseterm.session_heartbeat(text),
                           caseterm.session_count(bigint),
                           caseterm.session_list()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION caseterm.auth_throttled(text, text, int, int, int, int),
                          caseterm.session_heartbeat(text),
                          caseterm.session_count(bigint)
    TO caseterm_app;
