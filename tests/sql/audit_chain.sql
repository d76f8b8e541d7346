-- audit_chain.sql — the audit trail: the hash chain and its triggers (rows
-- chained at commit, 040: a pgTAP test never commits, so it chains them
-- with SET CONSTRAINTS ... IMMEDIATE, as COMMIT would), what the
-- application and administrators cannot do to it, audit_verify() finding
-- each kind of tampering by a superuser, the row-change trigger on users
-- and units (before and after, never a password hash), and the audit
-- viewer's scope (audit_search).
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(67);
-- The trail as committed before this test (its rows are written after).
SELECT coalesce(max(id), 0) AS id0 FROM caseterm.audit_log \gset
SELECT seq AS head0 FROM caseterm.audit_chain_head \gset
\ir fixture.psql

-- Administrators for this test.
INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
    SELECT v.login, v.name, pg_temp.unit(v.unit), v.roles::text[]
    FROM (VALUES ('t_city_admin', '市管理员', 'T-CITY', '{admin}'),
                 ('t_d1_admin', '一区管理员', 'T-D1', '{admin}'),
                 ('t_d1_super', '一区督办', 'T-D1', '{supervisor}')) v(login, name, unit, roles);

-- Some activity by the application: logins, a session, registrations.
SET LOCAL ROLE caseterm_app;
SELECT caseterm.auth_success(pg_temp.uid('t_town_a'), 'ssh 192.0.2.10:50000', 'password') AS tok \gset
SELECT session_id AS sid FROM caseterm.session_claim(:'tok') \gset
SELECT set_config('caseterm.session_id', :'sid', true) AS ignored \gset
SELECT pg_temp.act('t_town_a');
SELECT case_id AS ca, case_no AS ca_no FROM caseterm.register_consultation('审计甲', '13911110001', NULL, '审计问题甲', NULL) \gset
SELECT set_config('caseterm.session_id', '', true) AS ignored \gset
SELECT pg_temp.act('t_d2');
SELECT case_id AS cd2 FROM caseterm.register_consultation('审计乙', '13911110002', NULL, '审计问题乙', NULL) \gset
SELECT pg_temp.act(NULL);
SELECT caseterm.auth_failure('t_d2', 'ssh 203.0.113.9:40000', 'wrong password');
RESET ROLE;

-- ---- chained at commit (040)
SELECT results_eq(format($$SELECT count(*) > 0, bool_and(seq IS NULL AND prev_hash IS NULL AND row_hash IS NULL)
                           FROM caseterm.audit_log WHERE id > %s$$, :id0),
                  'VALUES (true, true)',
                  'until the transaction commits, its audit rows have no seq, prev_hash or row_hash');
SELECT is((SELECT seq FROM caseterm.audit_chain_head), :head0::bigint,
          '... and the chain head has not moved for them');
SELECT results_eq($$SELECT tgenabled::text, tgdeferrable, tginitdeferred, tgconstraint <> 0
                    FROM pg_trigger WHERE tgname = 'audit_log_zz_chain_commit'$$,
                  'VALUES (''A''::text, true, true, true)',
                  'the commit trigger is a deferred constraint trigger that fires always');
-- What COMMIT does (a pgTAP test never commits): the deferred chain
-- trigger runs now, and from here on at the end of each statement.
SET CONSTRAINTS caseterm.audit_log_zz_chain_commit IMMEDIATE;
SELECT results_eq(format($$SELECT count(*)::bigint, min(seq), max(seq), bool_and(seq IS NOT NULL)
                           FROM caseterm.audit_log WHERE id > %s$$, :id0),
                  format('VALUES (%s::bigint, %s::bigint, %s::bigint, true)',
                         (SELECT count(*) FROM caseterm.audit_log WHERE id > :id0),
                         :head0 + 1, :head0 + (SELECT count(*) FROM caseterm.audit_log WHERE id > :id0)),
                  'at commit the rows are chained: the next seq numbers, in the order they were written');
SELECT is_empty(format($$SELECT 1 FROM caseterm.audit_log a JOIN caseterm.audit_log b ON b.id > a.id
                         WHERE a.id > %1$s AND b.id > %1$s AND b.seq < a.seq$$, :id0),
                '... seq follows id within the transaction');

-- ---- the chain
SELECT has_column('caseterm', 'audit_log', 'seq', 'audit_log has seq');
SELECT has_column('caseterm', 'audit_log', 'prev_hash', 'audit_log has prev_hash');
SELECT has_column('caseterm', 'audit_log', 'row_hash', 'audit_log has row_hash');
SELECT is((SELECT count(*)::int FROM caseterm.audit_log), (SELECT max(seq)::int FROM caseterm.audit_log),
          'seq numbers the rows 1..n without gaps');
SELECT is_empty($$SELECT 1 FROM caseterm.audit_log a JOIN caseterm.audit_log b ON b.seq = a.seq + 1
                  WHERE b.prev_hash <> a.row_hash$$,
                'each row''s prev_hash is the row_hash of the row before');
SELECT is((SELECT prev_hash FROM caseterm.audit_log WHERE seq = 1), decode(repeat('00', 32), 'hex'),
          'the first row''s prev_hash is 32 zero bytes');
SELECT is_empty($$SELECT 1 FROM caseterm.audit_log a
                  WHERE a.row_hash <> sha256(convert_to(caseterm.audit_canonical(a.seq, a.id, a.at, a.user_id,
                        a.session_id, a.source, a.action, a.object, a.detail, a.prev_hash), 'UTF8'))$$,
                'each row_hash is sha256 of the row''s canonical text');
SELECT is(caseterm.audit_canonical(7, 42, '2026-01-02 03:04:05.678901+00', NULL, 3, 'ssh 甲', 'login',
                                   NULL, '{"b": 1, "a": "x"}', decode(repeat('ab', 32), 'hex')),
          'caseterm-audit-11:72:4216:1767323045678901-1:37:ssh 甲5:login-18:{"a": "x", "b": 1}64:'
              || repeat('ab', 32),
          'the canonical text: tag, then length:value per field, - for NULL');
SELECT results_eq('SELECT seq, row_hash FROM caseterm.audit_chain_head',
                  'SELECT seq, row_hash FROM caseterm.audit_log ORDER BY seq DESC LIMIT 1',
                  'the chain head is the last row');
SELECT results_eq($$SELECT user_id, session_id, source FROM caseterm.audit_log
                    WHERE action = 'case_register' AND object = 'legal_case:' || $$ || :ca,
                  format($$VALUES (%s::bigint, %s::bigint, 'ssh 192.0.2.10:50000'::text)$$, pg_temp.uid('t_town_a'), :sid),
                  'an audit row names the user, the login session and its source');

-- What the inserter writes into the chain columns is replaced.
INSERT INTO caseterm.audit_log (source, action, seq, prev_hash, row_hash)
    VALUES ('test', 'forged', 1, decode(repeat('11', 32), 'hex'), decode(repeat('22', 32), 'hex'));
SELECT results_eq($$SELECT seq = (SELECT max(seq) FROM caseterm.audit_log),
                           prev_hash <> decode(repeat('11', 32), 'hex'),
                           row_hash <> decode(repeat('22', 32), 'hex')
                    FROM caseterm.audit_log WHERE action = 'forged'$$,
                  'VALUES (true, true, true)',
                  'the chain trigger assigns seq, prev_hash and row_hash whatever the insert says');
SELECT results_eq('SELECT ok, problem FROM caseterm.audit_verify()', 'VALUES (true, NULL::text)',
                  'audit_verify: the chain is intact');
SELECT is((SELECT checked FROM caseterm.audit_verify()), (SELECT count(*) FROM caseterm.audit_log),
          'audit_verify reads every row');
SELECT is((SELECT head_hash FROM caseterm.audit_verify()),
          (SELECT encode(row_hash, 'hex') FROM caseterm.audit_chain_head),
          'audit_verify gives the head hash, to keep as an anchor');
SELECT is((SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_log_zz_chain'), 'A',
          'the chain trigger fires always, even with session_replication_role = replica');
SELECT throws_ok($$UPDATE caseterm.audit_log SET seq = NULL, prev_hash = NULL, row_hash = NULL
                   WHERE id = (SELECT max(id) FROM caseterm.audit_log)$$,
                 '42501', 'audit_log is append-only: its rows cannot be changed or deleted',
                 'a chained row cannot be unchained (superuser)');

-- ---- the application cannot alter the trail
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_city_admin');
SELECT throws_ok($$UPDATE caseterm.audit_log SET action = 'x'$$, '42501', NULL,
                 'the application cannot UPDATE audit_log (even acting as an administrator)');
SELECT throws_ok('DELETE FROM caseterm.audit_log', '42501', NULL,
                 'the application cannot DELETE from audit_log');
SELECT throws_ok('TRUNCATE caseterm.audit_log', '42501', NULL,
                 'the application cannot TRUNCATE audit_log');
SELECT throws_ok($$INSERT INTO caseterm.audit_log (source, action) VALUES ('x', 'forged')$$, '42501', NULL,
                 'the application cannot INSERT into audit_log');
SELECT throws_ok('UPDATE caseterm.audit_chain_head SET seq = 0', '42501', NULL,
                 'the application cannot UPDATE the chain head');
SELECT throws_ok('SELECT * FROM caseterm.audit_chain_head', '42501', NULL,
                 'the application cannot read the chain head');
SELECT throws_ok('ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only', '42501', NULL,
                 'the application cannot disable the append-only trigger');
SELECT throws_ok($$SELECT caseterm.audit_row_change()$$, '42501', NULL,
                 'the application cannot call the row-change trigger function');
SELECT ok(NOT has_table_privilege('caseterm_rls', 'caseterm.audit_log', 'UPDATE')
          AND NOT has_table_privilege('caseterm_rls', 'caseterm.audit_log', 'DELETE')
          AND NOT has_table_privilege('caseterm_rls', 'caseterm.audit_log', 'TRUNCATE'),
          'caseterm_rls (person_reveal''s owner) may only append to audit_log');
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p
                  WHERE p.pronamespace = 'caseterm'::regnamespace
                    AND has_function_privilege('caseterm_app', p.oid, 'EXECUTE')
                    AND p.prosrc ~* '(update|delete\s+from|truncate)\s+(caseterm\.)?(audit_log|audit_chain_head)\M'$$,
                'no function the application may call updates or deletes audit rows');
SELECT pg_temp.act(NULL);
RESET ROLE;
SELECT throws_ok('DELETE FROM caseterm.audit_chain_head', '42501', NULL,
                 'the chain head cannot be deleted (superuser)');

-- ---- tampering by a superuser, found by audit_verify
-- Each attempt in a savepoint, rolled back after the verdict is kept.
SELECT id AS mid, seq AS mseq FROM caseterm.audit_log
    WHERE action = 'case_register' AND object = 'legal_case:' || :ca \gset
SELECT id AS nid FROM caseterm.audit_log WHERE seq = :mseq + 1 \gset

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
UPDATE caseterm.audit_log SET detail = detail || '{"case_no": "2000-000001"}' WHERE id = :mid;
SELECT ok AS t1_ok, bad_id AS t1_id, problem AS t1_problem FROM caseterm.audit_verify() \gset
ROLLBACK TO tamper;
SELECT is(:'t1_ok'::text, 'f', 'a changed detail: verify fails');
SELECT is(:'t1_id'::bigint, :mid::bigint, '... naming the changed row');
SELECT is(:'t1_problem'::text, 'content_changed', '... as content_changed');

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
UPDATE caseterm.audit_log SET at = at - interval '1 hour' WHERE id = :mid;
SELECT bad_id AS t2_id, problem AS t2_problem FROM caseterm.audit_verify() \gset
ROLLBACK TO tamper;
SELECT results_eq(format('VALUES (%s::bigint, %L::text)', :'t2_id', :'t2_problem'),
                  format($$VALUES (%s::bigint, 'content_changed'::text)$$, :mid),
                  'a changed time is found at that row');

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
UPDATE caseterm.audit_log a SET user_id = NULL,
       row_hash = caseterm.audit_hash(a.seq, a.id, a.at, NULL, a.session_id, a.source, a.action,
                                      a.object, a.detail, a.prev_hash)
    WHERE id = :mid;
SELECT bad_id AS t3_id, problem AS t3_problem FROM caseterm.audit_verify() \gset
ROLLBACK TO tamper;
SELECT results_eq(format('VALUES (%s::bigint, %L::text)', :'t3_id', :'t3_problem'),
                  format($$VALUES (%s::bigint, 'link_broken'::text)$$, :nid),
                  'a changed row with a recomputed row_hash breaks the link of the next row');

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
DELETE FROM caseterm.audit_log WHERE id = :mid;
SELECT bad_id AS t4_id, problem AS t4_problem FROM caseterm.audit_verify() \gset
ROLLBACK TO tamper;
SELECT results_eq(format('VALUES (%s::bigint, %L::text)', :'t4_id', :'t4_problem'),
                  format($$VALUES (%s::bigint, 'seq_gap'::text)$$, :nid),
                  'a deleted row is found as a gap before the next row');

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
DELETE FROM caseterm.audit_log WHERE seq = (SELECT max(seq) FROM caseterm.audit_log);
SELECT ok AS t5_ok, problem AS t5_problem FROM caseterm.audit_verify() \gset
ROLLBACK TO tamper;
SELECT results_eq(format('VALUES (%L::boolean, %L::text)', :'t5_ok', :'t5_problem'),
                  $$VALUES (false, 'tail_missing'::text)$$,
                  'a deleted last row is found against the chain head');

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_zz_chain;
INSERT INTO caseterm.audit_log (source, action, seq, prev_hash, row_hash)
    SELECT 'psql', 'forged', seq + 1, row_hash, decode(repeat('33', 32), 'hex')
    FROM caseterm.audit_chain_head;
SELECT id AS t6_row FROM caseterm.audit_log WHERE action = 'forged' AND source = 'psql' \gset
SELECT bad_id AS t6_id, problem AS t6_problem FROM caseterm.audit_verify() \gset
ROLLBACK TO tamper;
SELECT results_eq(format('VALUES (%s::bigint, %L::text)', :'t6_id', :'t6_problem'),
                  format($$VALUES (%s::bigint, 'content_changed'::text)$$, :t6_row),
                  'a row slipped in with the chain trigger disabled is found');

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_zz_chain_commit;
INSERT INTO caseterm.audit_log (source, action) VALUES ('psql', 'slipped_in');
SELECT id AS t8_row FROM caseterm.audit_log WHERE action = 'slipped_in' \gset
SELECT results_eq(format('SELECT seq IS NULL FROM caseterm.audit_log WHERE id = %s', :t8_row),
                  'VALUES (true)', 'a row inserted with the commit trigger disabled stays unchained');
SELECT bad_id AS t8_id, problem AS t8_problem FROM caseterm.audit_verify() \gset
SELECT throws_ok(format($$UPDATE caseterm.audit_log SET seq = 1000000, prev_hash = decode(repeat('00', 32), 'hex'),
                                row_hash = decode(repeat('00', 32), 'hex') WHERE id = %s$$, :t8_row),
                 '42501', 'audit_log is append-only: its rows cannot be changed or deleted',
                 '... and cannot be filled in by hand (superuser)');
SELECT set_config('caseterm.audit_chain_fill', 'on', true) AS ignored \gset
SELECT throws_ok(format($$UPDATE caseterm.audit_log SET seq = 1000000, prev_hash = decode(repeat('00', 32), 'hex'),
                                row_hash = decode(repeat('00', 32), 'hex') WHERE id = %s$$, :t8_row),
                 '42501', 'audit_log is append-only: its rows cannot be changed or deleted',
                 '... not even with the chain function''s setting faked (superuser)');
ROLLBACK TO tamper;
SELECT results_eq(format('VALUES (%s::bigint, %L::text)', :'t8_id', :'t8_problem'),
                  format($$VALUES (%s::bigint, 'outside_chain'::text)$$, :t8_row),
                  '... and audit_verify reports it outside the chain');

SAVEPOINT tamper;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
DELETE FROM caseterm.audit_log WHERE id = :mid;
UPDATE caseterm.audit_log SET seq = seq + 1000000 WHERE seq > :mseq;
UPDATE caseterm.audit_log SET seq = seq - 1000001 WHERE seq > 1000000;
UPDATE caseterm.audit_chain_head SET seq = seq - 1;
SELECT bad_id AS t7_id, problem AS t7_problem FROM caseterm.audit_verify() \gset
ROLLBACK TO tamper;
SELECT results_eq(format('VALUES (%s::bigint, %L::text)', :'t7_id', :'t7_problem'),
                  format($$VALUES (%s::bigint, 'link_broken'::text)$$, :nid),
                  'a deleted row with the later rows renumbered is found at the next row');
SELECT results_eq('SELECT ok FROM caseterm.audit_verify()', 'VALUES (true)',
                  'after the rollbacks the chain is intact again');

-- ---- who may verify
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_city_admin');
SELECT results_eq('SELECT ok FROM caseterm.audit_verify()', 'VALUES (true)',
                  'the city administrator may run audit_verify');
SELECT pg_temp.act('t_d1_admin');
SELECT throws_ok('SELECT * FROM caseterm.audit_verify()', '42501',
                 'not allowed: only a city administrator can do this',
                 'a district administrator may not');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok('SELECT * FROM caseterm.audit_verify()', '42501',
                 'not allowed: the admin role is required', 'a clerk may not');
SELECT pg_temp.act(NULL);
SELECT throws_ok('SELECT * FROM caseterm.audit_verify()', '42501',
                 'not allowed: no acting user is set',
                 'the application without an acting user is not the operator');
RESET ROLE;

-- ---- changes to users and units, as rows of the trail
UPDATE caseterm.app_user SET roles = '{intake,handler,followup}', display_name = '甲所张三丰',
       password_hash = '$y$j9T$abcdefghijklmnopqrstuv$0123456789012345678901234567890123456789012'
    WHERE login = 't_town_a';
SELECT results_eq($$SELECT action, object, user_id, detail->'before', detail->'after', detail->'ident'
                    FROM caseterm.audit_log WHERE seq = (SELECT max(seq) FROM caseterm.audit_log)$$,
                  format($$VALUES ('app_user_update'::text, 'app_user:%s'::text, NULL::bigint,
                                   '{"roles": ["intake", "handler"], "display_name": "甲所张三", "password_hash": "(set)"}'::jsonb,
                                   '{"roles": ["intake", "handler", "followup"], "display_name": "甲所张三丰", "password_hash": "(set)"}'::jsonb,
                                   '{"login": "t_town_a"}'::jsonb)$$, pg_temp.uid('t_town_a')),
                  'a user change: the changed columns before and after, the password hash redacted');
SELECT is_empty($$SELECT 1 FROM caseterm.audit_log WHERE detail::text LIKE '%$y$%'$$,
                'no password hash is ever copied into the trail');
SELECT set_config('caseterm.source', 'psql maintenance', true) AS ignored \gset
UPDATE caseterm.org_unit SET parent_id = pg_temp.unit('T-D2') WHERE code = 'T-TB';
SELECT results_eq($$SELECT action, source, detail->'before', detail->'after', detail->'changed'
                    FROM caseterm.audit_log WHERE action = 'org_unit_update'
                     AND object = 'org_unit:' || $$ || pg_temp.unit('T-TB'),
                  format($$VALUES ('org_unit_update'::text, 'psql maintenance'::text, '{"parent_id": %s}'::jsonb,
                                   '{"parent_id": %s}'::jsonb, '["parent_id"]'::jsonb)$$,
                         pg_temp.unit('T-D1'), pg_temp.unit('T-D2')),
                  'moving a unit: one row with the parent before and after, from the given source');
SELECT is_empty(format($$SELECT 1 FROM caseterm.audit_log WHERE object = 'org_unit:%s'
                         AND action <> 'org_unit_insert'$$, pg_temp.unit('T-VB')),
                'the recomputed path of the units below is not audited (derived data)');
UPDATE caseterm.org_unit SET parent_id = pg_temp.unit('T-D1') WHERE code = 'T-TB';
UPDATE caseterm.app_user SET disabled = disabled WHERE login = 't_town_b';
SELECT is_empty(format($$SELECT 1 FROM caseterm.audit_log WHERE object = 'app_user:%s' AND action = 'app_user_update'$$,
                       pg_temp.uid('t_town_b')),
                'an update that changes nothing writes nothing');
SELECT results_eq($$SELECT detail->'after'->>'login', detail->'after'->>'password_hash', detail->>'op'
                    FROM caseterm.audit_log WHERE action = 'app_user_insert'
                     AND detail->'after'->>'login' = 't_town_b'$$,
                  $$VALUES ('t_town_b'::text, '(set)'::text, 'insert'::text)$$,
                  'a new user: the whole row as after, the hash redacted');

-- ---- audit_search: the viewer's scope
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_d1_super');
SELECT isnt_empty($$SELECT 1 FROM caseterm.audit_search(p_login => 't_town_a') WHERE action = 'case_register'$$,
                  'a district supervisor sees what a town clerk of the district did');
SELECT is_empty($$SELECT 1 FROM caseterm.audit_search(p_login => 't_d2')$$,
                'a district supervisor sees nothing done by a user of another district');
SELECT is_empty(format('SELECT 1 FROM caseterm.audit_search(p_case => %L)', :cd2),
                '... nor about another district''s case');
SELECT results_eq(format($$SELECT action FROM caseterm.audit_search(p_case => %L)$$, :'ca_no'),
                  $$VALUES ('case_register'::text)$$,
                  'filter by case number');
SELECT is_empty($$SELECT 1 FROM caseterm.audit_search() a
                  WHERE a.login IS NULL AND a.object IS NULL$$,
                'rows by nobody in particular (failed logins of unknown users) are not shown to a district');
SELECT isnt_empty(format($$SELECT 1 FROM caseterm.audit_search(p_since => now() - interval '1 minute',
                                                               p_unit_code => 'T-TA', p_action => 'login')
                           WHERE session_id = %s AND source = 'ssh 192.0.2.10:50000'$$, :sid),
                  'filter by unit, time and action');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok('SELECT * FROM caseterm.audit_search()', '42501',
                 'not allowed: the supervisor or admin role is required',
                 'a clerk cannot read the trail');
SELECT pg_temp.act('t_d1_admin');
SELECT isnt_empty(format($$SELECT 1 FROM caseterm.audit_search(p_action => 'app_user_update')
                           WHERE object = 'app_user:%s'$$, pg_temp.uid('t_town_a')),
                  'a district administrator sees changes to its users made by the operator');
SELECT pg_temp.act(NULL);
RESET ROLE;
SELECT isnt_empty($$SELECT 1 FROM caseterm.audit_search(p_login => 't_d2')$$,
                  'the operator sees everything');
SELECT results_eq($$SELECT count(*)::int FROM caseterm.audit_search(p_limit => 3)$$, 'VALUES (3)',
                  'p_limit limits');
SELECT results_eq($$SELECT (array_agg(seq))[1] > (array_agg(seq))[2] FROM caseterm.audit_search(p_limit => 2)$$,
                  'VALUES (true)', 'newest first');

SELECT * FROM finish();
ROLLBACK;
