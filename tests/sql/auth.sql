-- auth.sql — auth_lookup, auth_success, auth_failure, session_claim,
-- session_end, session_end_by_token and whoami, called as caseterm_app the
-- way casetermd and the UI call them.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(46);
\ir fixture.psql

\set hash '$y$j9T$F5Jx5fExrKuJdljLn7mYr.$0b9zPZrjHtp/0FHgKTLQ5XLxLrLxOt46bK8f/mhl0J6'
SET LOCAL ROLE caseterm_app;

-- ---- auth_lookup
SELECT results_eq($$SELECT user_id, password_hash FROM caseterm.auth_lookup('t_town_a')$$,
                  format('VALUES (%s::bigint, %L::text)', pg_temp.uid('t_town_a'), :'hash'),
                  'auth_lookup: an enabled user gives its id and hash');
SELECT results_eq($$SELECT user_id FROM caseterm.auth_lookup(' T_Town_A ')$$,
                  format('VALUES (%s::bigint)', pg_temp.uid('t_town_a')),
                  'auth_lookup: the login is trimmed and lower-cased');
SELECT is_empty($$SELECT * FROM caseterm.auth_lookup('t_disabled')$$,
                'auth_lookup: a disabled user gives no row');
SELECT is_empty($$SELECT * FROM caseterm.auth_lookup('t_offunit')$$,
                'auth_lookup: a user of a disabled unit gives no row');
SELECT is_empty($$SELECT * FROM caseterm.auth_lookup('nobody')$$,
                'auth_lookup: an unknown login gives no row');
SELECT is_empty($$SELECT * FROM caseterm.auth_lookup(NULL)$$,
                'auth_lookup: NULL gives no row');
SELECT results_eq($$SELECT user_id, password_hash FROM caseterm.auth_lookup('t_nopass')$$,
                  format('VALUES (%s::bigint, NULL::text)', pg_temp.uid('t_nopass')),
                  'auth_lookup: a user without password gives a NULL hash');

-- ---- auth_success
SELECT caseterm.auth_success(pg_temp.uid('t_town_a'), 'ssh 192.0.2.7:50022', 'password') AS token \gset
SELECT matches(:'token'::text, '^[0-9a-f]{64}$', 'auth_success returns 64 hex characters');
SELECT isnt(caseterm.auth_success(pg_temp.uid('t_town_a'), 'ssh 192.0.2.7:50023', 'password'),
            (:'token')::text, 'each login gets a different token');
SELECT throws_ok(format('SELECT caseterm.auth_success(%s, %L, %L)', pg_temp.uid('t_disabled'), 'ssh x', 'password'),
                 '28000', 'unknown or disabled user', 'auth_success refuses a disabled user');
SELECT throws_ok(format('SELECT caseterm.auth_success(%s, %L, %L)', pg_temp.uid('t_town_a'), 'ssh x', 'pass word!'),
                 '22023', 'invalid authentication method name', 'auth_success refuses a malformed method');

RESET ROLE;
SELECT results_eq(format($$SELECT user_id, source, method, claimed_at IS NULL, ended_at IS NULL
                           FROM caseterm.login_session WHERE token_hash = sha256(convert_to(%L, 'UTF8'))$$, :'token'),
                  format($$VALUES (%s::bigint, 'ssh 192.0.2.7:50022'::text, 'password'::text, true, true)$$,
                         pg_temp.uid('t_town_a')),
                  'the session stores sha256(token), the source and the method');
SELECT is_empty(format($$SELECT 1 FROM caseterm.login_session
                         WHERE token_hash = convert_to(%1$L, 'UTF8') OR source LIKE '%%' || %1$L || '%%'
                            OR method LIKE '%%' || %1$L || '%%'$$, :'token'),
                'the plaintext token is not stored in login_session');
SELECT is_empty(format($$SELECT 1 FROM caseterm.audit_log WHERE detail::text LIKE '%%' || %1$L || '%%'
                            OR object LIKE '%%' || %1$L || '%%'$$, :'token'),
                'the plaintext token is not in the audit log');
SELECT results_eq(format($$SELECT a.user_id, a.source, a.detail->>'method', a.session_id IS NOT NULL
                           FROM caseterm.audit_log a JOIN caseterm.login_session s ON s.id = a.session_id
                           WHERE a.action = 'login' AND s.token_hash = sha256(convert_to(%L, 'UTF8'))$$, :'token'),
                  format($$VALUES (%s::bigint, 'ssh 192.0.2.7:50022'::text, 'password'::text, true)$$,
                         pg_temp.uid('t_town_a')),
                  'auth_success writes audit action login with the session');
SELECT id AS sid FROM caseterm.login_session WHERE token_hash = sha256(convert_to(:'token', 'UTF8')) \gset
SET LOCAL ROLE caseterm_app;

-- ---- session_claim
SELECT results_eq(format('SELECT session_id, user_id FROM caseterm.session_claim(%L)', :'token'),
                  format('VALUES (%s::bigint, %s::bigint)', :sid, pg_temp.uid('t_town_a')),
                  'session_claim returns the session and its user');
SELECT throws_ok(format('SELECT * FROM caseterm.session_claim(%L)', :'token'),
                 '28000', 'invalid or expired session token', 'a second claim of the same token fails');
SELECT throws_ok(format('SELECT * FROM caseterm.session_claim(%L)', repeat('0123456789abcdef', 4)),
                 '28000', 'invalid or expired session token', 'a wrong token fails');
SELECT throws_ok(format('SELECT * FROM caseterm.session_claim(%L)', upper(:'token')),
                 '28000', 'invalid or expired session token', 'a malformed token fails');
SELECT throws_ok('SELECT * FROM caseterm.session_claim(NULL)',
                 '28000', 'invalid or expired session token', 'a NULL token fails');

RESET ROLE;
SELECT ok((SELECT claimed_at IS NOT NULL FROM caseterm.login_session WHERE id = :sid),
          'the claimed session has claimed_at set');
SELECT is((SELECT count(*)::int FROM caseterm.audit_log
           WHERE action = 'session_start' AND session_id = :sid AND user_id = pg_temp.uid('t_town_a')),
          1, 'session_claim writes audit action session_start once');
SET LOCAL ROLE caseterm_app;

-- expired: claimed more than 120 s after the login
SELECT caseterm.auth_success(pg_temp.uid('t_town_a'), 'ssh 192.0.2.7:50030', 'password') AS token_old \gset
RESET ROLE;
UPDATE caseterm.login_session SET created_at = clock_timestamp() - interval '121 seconds'
    WHERE token_hash = sha256(convert_to(:'token_old', 'UTF8'));
SET LOCAL ROLE caseterm_app;
SELECT throws_ok(format('SELECT * FROM caseterm.session_claim(%L)', :'token_old'),
                 '28000', 'invalid or expired session token', 'a token older than 120 s fails');

-- the user was disabled between login and claim
SELECT caseterm.auth_success(pg_temp.uid('t_town_a2'), 'ssh 192.0.2.8:40000', 'publickey') AS token_a2 \gset
RESET ROLE;
UPDATE caseterm.app_user SET disabled = true WHERE login = 't_town_a2';
SET LOCAL ROLE caseterm_app;
SELECT throws_ok(format('SELECT * FROM caseterm.session_claim(%L)', :'token_a2'),
                 '28000', 'invalid or expired session token', 'the token of a user disabled since fails');

-- ---- session_end
SELECT pg_temp.act('t_town_b');
SELECT throws_ok(format('SELECT caseterm.session_end(%s)', :sid), '42501',
                 'not allowed: the session belongs to another user',
                 'session_end refuses another user''s session');
SELECT pg_temp.act('t_town_a');
SELECT lives_ok(format('SELECT caseterm.session_end(%s)', :sid), 'session_end ends the own session');
SELECT lives_ok(format('SELECT caseterm.session_end(%s)', :sid), 'session_end again does nothing');
SELECT throws_ok('SELECT caseterm.session_end(-1)', '22023', 'no such session',
                 'session_end of an unknown session fails');
SELECT pg_temp.act(NULL);
RESET ROLE;
SELECT ok((SELECT ended_at IS NOT NULL FROM caseterm.login_session WHERE id = :sid),
          'the ended session has ended_at set');
SELECT is((SELECT count(*)::int FROM caseterm.audit_log WHERE action = 'logout' AND session_id = :sid),
          1, 'one audit action logout for the session');
SET LOCAL ROLE caseterm_app;

-- session_end_by_token (casetermd, after the UI process has gone)
SELECT caseterm.auth_success(pg_temp.uid('t_town_b'), 'ssh 192.0.2.9:40001', 'keyboard-interactive') AS token_b \gset
SELECT is(caseterm.session_end_by_token(:'token_b'), true, 'session_end_by_token ends an unclaimed session');
SELECT is(caseterm.session_end_by_token(:'token_b'), false, 'session_end_by_token again returns false');
SELECT is(caseterm.session_end_by_token('nonsense'), false, 'session_end_by_token of a malformed token returns false');
SELECT throws_ok(format('SELECT * FROM caseterm.session_claim(%L)', :'token_b'),
                 '28000', 'invalid or expired session token', 'an ended session cannot be claimed');

-- ---- auth_failure
SELECT lives_ok($$SELECT caseterm.auth_failure('t_town_a', 'ssh 198.51.100.4:61000', 'wrong password')$$,
                'auth_failure for a known login');
SELECT lives_ok($$SELECT caseterm.auth_failure('Secret#Passw0rd!', 'ssh 198.51.100.4:61001', 'unknown user')$$,
                'auth_failure for something that is no login name');
RESET ROLE;
SELECT results_eq($$SELECT user_id, object, source, detail->>'login', detail->>'reason'
                    FROM caseterm.audit_log WHERE action = 'login_failed' AND source = 'ssh 198.51.100.4:61000'$$,
                  format($$VALUES (%1$s::bigint, 'app_user:%1$s'::text, 'ssh 198.51.100.4:61000'::text,
                                   't_town_a'::text, 'wrong password'::text)$$, pg_temp.uid('t_town_a')),
                  'auth_failure writes login_failed naming the user, the source and the reason');
SELECT results_eq($$SELECT user_id, detail->>'login', detail::text LIKE '%Secret%'
                    FROM caseterm.audit_log WHERE action = 'login_failed' AND source = 'ssh 198.51.100.4:61001'$$,
                  $$VALUES (NULL::bigint, NULL::text, false)$$,
                  'auth_failure does not record what is not a login name');
SET LOCAL ROLE caseterm_app;

-- ---- whoami
SELECT pg_temp.act('t_town_a');
SELECT results_eq($$SELECT user_id, login, display_name, unit_code, unit_name, unit_level, roles, locale
                    FROM caseterm.whoami()$$,
                  format($$VALUES (%s::bigint, 't_town_a'::text, '甲所张三'::text, 'T-TA'::text,
                                   '甲街道'::text, 'town'::text, '{intake,handler}'::text[], 'zh_CN'::text)$$,
                         pg_temp.uid('t_town_a')),
                  'whoami describes the acting user');
SELECT pg_temp.act('t_disabled');
SELECT is_empty('SELECT * FROM caseterm.whoami()', 'whoami: nothing for a disabled user');
SELECT pg_temp.act(NULL);
SELECT is_empty('SELECT * FROM caseterm.whoami()', 'whoami: nothing without an acting user');

-- ---- the application cannot go round the functions
SELECT throws_ok('SELECT * FROM caseterm.login_session', '42501', NULL,
                 'the application cannot read login_session');
SELECT throws_ok('SELECT * FROM caseterm.audit_log', '42501', NULL,
                 'the application cannot read audit_log');
SELECT throws_ok($$SELECT caseterm.audit_write('login', NULL)$$, '42501', NULL,
                 'the application cannot call audit_write');

-- ---- a disabled unit higher up disables everyone below it
RESET ROLE;
UPDATE caseterm.org_unit SET disabled = true WHERE code = 'T-TA';
SET LOCAL ROLE caseterm_app;
SELECT is_empty($$SELECT * FROM caseterm.auth_lookup('t_village_a')$$,
                'auth_lookup: a user below a disabled unit gives no row');
SELECT isnt_empty($$SELECT * FROM caseterm.auth_lookup('t_town_b')$$,
                  'auth_lookup: a user in the sibling town is unaffected');

SELECT * FROM finish();
ROLLBACK;
