-- schema.sql — privileges of the application role, append-only tables,
-- the org tree's path trigger, and the table constraints.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(47);
\ir fixture.psql

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SELECT case_id AS c1 FROM caseterm.register_consultation('测试人', '13911112222', NULL, '测试问题', NULL) \gset

-- ---- the application role
RESET ROLE;
SELECT results_eq($$SELECT rolsuper, rolinherit, rolcanlogin, rolbypassrls, rolcreaterole, rolcreatedb
                    FROM pg_roles WHERE rolname = 'caseterm_app'$$,
                  $$VALUES (false, false, true, false, false, false)$$,
                  'caseterm_app: LOGIN NOINHERIT, no superuser, no BYPASSRLS');
SELECT is_empty($$SELECT c.relname FROM pg_class c
                  WHERE c.relowner = 'caseterm_app'::regrole
                  UNION ALL
                  SELECT p.proname FROM pg_proc p WHERE p.proowner = 'caseterm_app'::regrole
                  UNION ALL
                  SELECT n.nspname FROM pg_namespace n WHERE n.nspowner = 'caseterm_app'::regrole$$,
                'caseterm_app owns nothing');
SELECT ok(EXISTS (SELECT 1 FROM pg_db_role_setting s
                  WHERE s.setrole = 'caseterm_app'::regrole AND s.setdatabase = 0
                    AND 'search_path=caseterm' = ANY (s.setconfig)),
          'caseterm_app has search_path = caseterm');
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
                  WHERE p.pronamespace = 'caseterm'::regnamespace AND p.prosecdef
                    AND (p.proacl IS NULL
                         OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
                                    WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))$$,
                'no SECURITY DEFINER function is executable by PUBLIC');
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
                  WHERE p.pronamespace = 'caseterm'::regnamespace AND p.prosecdef
                    AND NOT coalesce(p.proconfig::text[] && ARRAY['search_path=caseterm, pg_temp'], false)$$,
                'every SECURITY DEFINER function runs with search_path = caseterm, pg_temp');
SELECT ok(NOT has_schema_privilege('caseterm_app', 'caseterm', 'CREATE'),
          'caseterm_app cannot create objects in schema caseterm');
SELECT is_empty($$SELECT c.relname FROM pg_class c
                  WHERE c.relnamespace = 'caseterm'::regnamespace AND c.relkind IN ('r', 'p')
                    AND (has_table_privilege('caseterm_app', c.oid, 'INSERT')
                         OR has_table_privilege('caseterm_app', c.oid, 'UPDATE')
                         OR has_table_privilege('caseterm_app', c.oid, 'DELETE')
                         OR has_table_privilege('caseterm_app', c.oid, 'TRUNCATE'))$$,
                'caseterm_app may not write any table');
SELECT ok((SELECT bool_and(c.relrowsecurity) FROM pg_class c
           WHERE c.oid IN ('caseterm.legal_case'::regclass, 'caseterm.person'::regclass,
                           'caseterm.case_event'::regclass)),
          'row-level security is on for legal_case, person, case_event');

SET LOCAL ROLE caseterm_app;
SELECT throws_ok('SELECT password_hash FROM caseterm.app_user', '42501', NULL,
                 'the application cannot read app_user.password_hash');
SELECT throws_ok('SELECT * FROM caseterm.app_user', '42501', NULL,
                 'the application cannot SELECT * from app_user');
SELECT lives_ok('SELECT id, login, display_name, unit_id, roles, locale, disabled, created_at FROM caseterm.app_user',
                'the application reads the other app_user columns');
SELECT lives_ok('SELECT * FROM caseterm.org_unit', 'the application reads org_unit');
SELECT throws_ok($$SELECT nextval('caseterm.case_no_' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY'))$$,
                 '42501', NULL, 'the application cannot take case numbers from the year''s sequence');

SELECT throws_ok(format($$INSERT INTO caseterm.legal_case (case_no, kind, state, channel, unit_id, created_by, subject)
                          VALUES ('2099-000001', 'consultation', 'registered', 'hotline', %s, %s, 'x')$$,
                        pg_temp.unit('T-TA'), pg_temp.uid('t_town_a')),
                 '42501', NULL, 'the application cannot INSERT into legal_case');
SELECT throws_ok(format($$UPDATE caseterm.legal_case SET subject = 'x' WHERE id = %s$$, :c1),
                 '42501', NULL, 'the application cannot UPDATE legal_case');
SELECT throws_ok(format('DELETE FROM caseterm.legal_case WHERE id = %s', :c1),
                 '42501', NULL, 'the application cannot DELETE from legal_case');
SELECT throws_ok($$INSERT INTO caseterm.person (name) VALUES ('x')$$,
                 '42501', NULL, 'the application cannot INSERT into person');
SELECT throws_ok($$UPDATE caseterm.person SET phone = NULL$$,
                 '42501', NULL, 'the application cannot UPDATE person');
SELECT throws_ok($$UPDATE caseterm.app_user SET roles = '{admin}' WHERE login = 't_town_a'$$,
                 '42501', NULL, 'the application cannot UPDATE app_user (no self-promotion)');
SELECT throws_ok($$UPDATE caseterm.org_unit SET disabled = false$$,
                 '42501', NULL, 'the application cannot UPDATE org_unit');
SELECT throws_ok(format($$INSERT INTO caseterm.case_event (case_id, kind) VALUES (%s, 'note')$$, :c1),
                 '42501', NULL, 'the application cannot INSERT into case_event');
SELECT throws_ok('DELETE FROM caseterm.case_event', '42501', NULL,
                 'the application cannot DELETE from case_event');
SELECT throws_ok($$INSERT INTO caseterm.audit_log (source, action) VALUES ('x', 'forged')$$,
                 '42501', NULL, 'the application cannot INSERT into audit_log');
SELECT throws_ok('TRUNCATE caseterm.audit_log', '42501', NULL,
                 'the application cannot TRUNCATE audit_log');

-- ---- append-only: refused even for the superuser
RESET ROLE;
SELECT throws_ok(format('UPDATE caseterm.case_event SET detail = %L WHERE case_id = %s', '{}', :c1),
                 '42501', 'case_event is append-only: its rows cannot be changed or deleted',
                 'case_event refuses UPDATE (superuser)');
SELECT throws_ok(format('DELETE FROM caseterm.case_event WHERE case_id = %s', :c1),
                 '42501', 'case_event is append-only: its rows cannot be changed or deleted',
                 'case_event refuses DELETE (superuser)');
SELECT throws_ok('TRUNCATE caseterm.case_event CASCADE',
                 '42501', 'case_event is append-only: its rows cannot be changed or deleted',
                 'case_event refuses TRUNCATE (superuser)');
SELECT throws_ok($$UPDATE caseterm.audit_log SET action = 'nothing'$$,
                 '42501', 'audit_log is append-only: its rows cannot be changed or deleted',
                 'audit_log refuses UPDATE (superuser)');
SELECT throws_ok('DELETE FROM caseterm.audit_log',
                 '42501', 'audit_log is append-only: its rows cannot be changed or deleted',
                 'audit_log refuses DELETE (superuser)');
-- This transaction's audit rows chained now, as at commit (040): with
-- rows waiting for the commit trigger, TRUNCATE is refused (55006) before
-- the append-only trigger is reached.
SET CONSTRAINTS caseterm.audit_log_zz_chain_commit IMMEDIATE;
SELECT throws_ok('TRUNCATE caseterm.audit_log',
                 '42501', 'audit_log is append-only: its rows cannot be changed or deleted',
                 'audit_log refuses TRUNCATE (superuser)');
SET LOCAL session_replication_role = replica;
SELECT throws_ok('DELETE FROM caseterm.audit_log',
                 '42501', 'audit_log is append-only: its rows cannot be changed or deleted',
                 'audit_log refuses DELETE with session_replication_role = replica');
SET LOCAL session_replication_role = origin;
SELECT throws_ok(format('DELETE FROM caseterm.legal_case WHERE id = %s', :c1),
                 '23503', NULL, 'a case with events cannot be deleted');

-- ---- legal_case bookkeeping
UPDATE caseterm.legal_case SET answer = '已答复' WHERE id = :c1;
SELECT is((SELECT version FROM caseterm.legal_case WHERE id = :c1), 2, 'an update bumps the case version');
SELECT throws_ok(format($$UPDATE caseterm.legal_case SET case_no = '2000-000001' WHERE id = %s$$, :c1),
                 '42501', NULL, 'the case number cannot be changed');
SELECT throws_ok(format($$UPDATE caseterm.legal_case SET state = 'sleeping' WHERE id = %s$$, :c1),
                 '23514', NULL, 'an unknown state is refused');

-- ---- org tree paths
SELECT is((SELECT path FROM caseterm.org_unit WHERE code = 'T-VA'),
          ARRAY[pg_temp.unit('T-CITY'), pg_temp.unit('T-D1'), pg_temp.unit('T-TA'), pg_temp.unit('T-VA')],
          'path: the ids from the root to the unit');
UPDATE caseterm.org_unit SET parent_id = pg_temp.unit('T-D2') WHERE code = 'T-TB';
SELECT is((SELECT path FROM caseterm.org_unit WHERE code = 'T-VB'),
          ARRAY[pg_temp.unit('T-CITY'), pg_temp.unit('T-D2'), pg_temp.unit('T-TB'), pg_temp.unit('T-VB')],
          'moving a town moves the paths of its villages');
UPDATE caseterm.org_unit SET path = '{1,2,3}' WHERE code = 'T-VB';
SELECT is((SELECT path FROM caseterm.org_unit WHERE code = 'T-VB'),
          ARRAY[pg_temp.unit('T-CITY'), pg_temp.unit('T-D2'), pg_temp.unit('T-TB'), pg_temp.unit('T-VB')],
          'a hand-written path is recomputed');
SELECT throws_ok($$UPDATE caseterm.org_unit SET parent_id = (SELECT id FROM caseterm.org_unit WHERE code = 'T-VA')
                   WHERE code = 'T-D1'$$,
                 '23514', 'a unit cannot be placed under itself or its own subunit', 'a cycle is refused');
SELECT throws_ok($$INSERT INTO caseterm.org_unit (code, name, level, parent_id)
                   VALUES ('T-BAD', '错层', 'district', (SELECT id FROM caseterm.org_unit WHERE code = 'T-TA'))$$,
                 '23514', 'a unit cannot be at a higher level than its parent', 'a district under a town is refused');
SELECT lives_ok($$INSERT INTO caseterm.org_unit (code, name, level, kind, parent_id)
                  VALUES ('T-LA', '一区法律援助中心', 'district', 'legal_aid',
                          (SELECT id FROM caseterm.org_unit WHERE code = 'T-D1'))$$,
                'an agency at its parent''s level is accepted');
SELECT throws_ok($$INSERT INTO caseterm.org_unit (code, name, level) VALUES ('T-X', '坏', 'province')$$,
                 '23514', NULL, 'an unknown level is refused');

-- ---- constraints
SELECT throws_ok($$INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
                   VALUES ('Bad Login', 'x', (SELECT id FROM caseterm.org_unit WHERE code = 'T-TA'), '{intake}')$$,
                 '23514', NULL, 'a login with upper case and a space is refused');
SELECT throws_ok($$INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
                   VALUES ('t_noroles', 'x', (SELECT id FROM caseterm.org_unit WHERE code = 'T-TA'), '{}')$$,
                 '23514', NULL, 'a user without roles is refused');
SELECT throws_ok($$INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
                   VALUES ('t_boss', 'x', (SELECT id FROM caseterm.org_unit WHERE code = 'T-TA'), '{intake,boss}')$$,
                 '23514', NULL, 'an unknown role is refused');
SELECT throws_ok($$INSERT INTO caseterm.person (name, phone) VALUES ('x', '1381234567')$$,
                 '23514', NULL, 'person.phone must be 11 digits');
SELECT throws_ok($$INSERT INTO caseterm.person (name) VALUES (' x')$$,
                 '23514', NULL, 'person.name must be trimmed');

SELECT * FROM finish();
ROLLBACK;
