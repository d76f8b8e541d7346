-- 011_sessions.sql — what casetermd needs to be a careful front door:
--
--   auth_throttled() whether a login or an address is locked out now, from
--                    the failed logins in the audit trail, so the count
--                    holds across all session processes and hosts;
--   auth_unlock()    an administrator lifts a lockout (casetermctl unlock);
--   session_heartbeat() the session process says it is alive every few
--                    seconds and learns whether an administrator ended it;
--   session_count()  the user's live sessions, for the per-user cap.

ALTER TABLE caseterm.login_session ADD COLUMN last_seen timestamptz;

-- Failed logins are counted where they are recorded anyway: the audit
-- trail's 'login_failed' rows (auth_failure() in 002 writes them, with the
-- login in detail and the address in source).  These indexes keep the
-- count cheap however long the trail grows.
CREATE INDEX audit_login_failed_login ON caseterm.audit_log
    ((detail ->> 'login'), at) WHERE action = 'login_failed';
CREATE INDEX audit_login_failed_source ON caseterm.audit_log
    (source, at) WHERE action = 'login_failed';

-- An administrator lifted the lockout of a login or an address: failures
-- before this moment no longer count for it.
CREATE TABLE caseterm.auth_unlock (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    login  text,
    source text,
    CHECK (login IS NOT NULL OR source IS NOT NULL)
);
CREATE INDEX auth_unlock_login ON caseterm.auth_unlock (login, at);
CREATE INDEX auth_unlock_source ON caseterm.auth_unlock (source, at);

-- Were there p_max failures within p_window seconds, the last of them less
-- than p_lockout seconds ago?  For one key: a login or (else) a source.
CREATE FUNCTION caseterm.auth_locked(p_login text, p_source text, p_max int,
                                     p_window int, p_lockout int)
    RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    WITH since AS (
        SELECT greatest(clock_timestamp()
                        - make_interval(secs => p_window + p_lockout),
                        (SELECT max(u.at) FROM auth_unlock u
                          WHERE (p_login IS NOT NULL AND u.login = p_login)
                             OR (p_login IS NULL AND u.source = p_source)))
               AS t)
    SELECT EXISTS (
        SELECT 1
          FROM (SELECT a.at,
                       count(*) OVER (ORDER BY a.at RANGE BETWEEN
                           make_interval(secs => p_window) PRECEDING
                           AND CURRENT ROW) AS n
                  FROM audit_log a, since
                 WHERE a.action = 'login_failed'
                   AND a.at > coalesce(since.t, '-infinity')
                   AND CASE WHEN p_login IS NOT NULL
                            THEN a.detail ->> 'login' = p_login
                            ELSE a.source = p_source END) w
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
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = caseterm, pg_temp
AS $$
BEGIN
    INSERT INTO auth_unlock (login, source) VALUES (lower(p_login), p_source);
    PERFORM audit_write('auth_unlock', NULL,
                        jsonb_build_object('login', p_login, 'source', p_source),
                        NULL, NULL, 'casetermctl');
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
