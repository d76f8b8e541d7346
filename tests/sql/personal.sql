-- personal.sql — personal data (022_personal_data.sql): the masks, the
-- masked columns, person_reveal by role and jurisdiction with its audit
-- rows (who, when, from which session and address, what), person_search
-- within the jurisdiction, and analysts who never see a person.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(49);
\ir fixture.psql
-- The audit rows of this test only (the end-to-end tests leave theirs);
-- by id: they get their seq in the chain only at commit (040).
SELECT coalesce(max(id), 0) AS id0 FROM caseterm.audit_log \gset
CREATE TEMP VIEW test_audit AS SELECT * FROM caseterm.audit_log WHERE id > :id0;

INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
    SELECT v.login, v.name, pg_temp.unit(v.unit), v.roles::text[]
    FROM (VALUES ('t_followup', '回访员', 'T-TA', '{followup}'),
                 ('t_dispatch', '一区派单员', 'T-D1', '{dispatcher}'),
                 ('t_d1_admin', '一区管理员', 'T-D1', '{admin}'),
                 ('t_city_analyst', '市分析员', 'T-CITY', '{analyst}')) v(login, name, unit, roles);

-- ---- masks
SELECT is(caseterm.mask_id_number('32110219900307123X'), '3211**********123X', 'an ID number: 4 + 10 stars + 4');
SELECT is(caseterm.mask_phone('13912345678'), '139****5678', 'a mobile number: 3 + 4 stars + 4');
SELECT is(caseterm.mask_id_number(NULL), NULL, 'NULL stays NULL');
SELECT is(caseterm.mask_id_number('12345'), '*****', 'a short value is all stars');
SELECT is(caseterm.mask_phone('1234567'), '*******', 'a short phone is all stars');

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SELECT case_id AS ca FROM caseterm.register_consultation('揭示甲', '13911112222', '32110219900307123X', '问题甲', NULL) \gset
SELECT applicant_id AS pa FROM caseterm.legal_case WHERE id = :ca \gset
SELECT pg_temp.act('t_town_b');
SELECT case_id AS cb FROM caseterm.register_consultation('揭示乙', '13922223333', NULL, '问题乙', NULL) \gset
SELECT applicant_id AS pb FROM caseterm.legal_case WHERE id = :cb \gset
SELECT pg_temp.act('t_d2');
SELECT case_id AS cd FROM caseterm.register_consultation('揭示丙', '13933334444', NULL, '问题丙', NULL) \gset
SELECT applicant_id AS pd FROM caseterm.legal_case WHERE id = :cd \gset

-- ---- masked columns
SELECT pg_temp.act('t_town_a');
SELECT results_eq(format('SELECT name, id_number_masked, phone_masked FROM caseterm.person WHERE id = %s', :pa),
                  $$VALUES ('揭示甲'::text, '3211**********123X'::text, '139****2222'::text)$$,
                  'person has masked columns for lists');
-- the numbers in full are not the application's to read (034): only
-- person_reveal and the functions built on caseterm_rls give them out
SELECT throws_ok(format('SELECT id_number FROM caseterm.person WHERE id = %s', :pa),
                 '42501', NULL, 'the application cannot read an ID number in full');
SELECT throws_ok(format('SELECT phone FROM caseterm.person WHERE id = %s', :pa),
                 '42501', NULL, '... nor a mobile number');
SELECT throws_ok(format('SELECT * FROM caseterm.person WHERE id = %s', :pa),
                 '42501', NULL, '... nor all of a person');
SELECT is((SELECT count(*) FROM caseterm.person WHERE id = :pa AND id_number_masked LIKE '3211%'),
          1::bigint, 'the masks stay readable');

-- ---- person_reveal: a session with a source, so that the row says from where
SELECT pg_temp.act(NULL);
SELECT caseterm.auth_success(pg_temp.uid('t_town_a'), 'ssh 192.0.2.50:40404', 'password') AS tok \gset
SELECT session_id AS sid FROM caseterm.session_claim(:'tok') \gset
SELECT set_config('caseterm.session_id', :'sid', true) AS ignored \gset
SELECT pg_temp.act('t_town_a');
SELECT is(caseterm.person_reveal(:pa, 'id_number', :ca), '32110219900307123X',
          'an intake clerk opens the full ID number of an applicant of the town');
SELECT is(caseterm.person_reveal(:pa, ' Phone '), '13911112222', '... and the phone');
RESET ROLE;
SELECT results_eq($$SELECT user_id, session_id, source, action, object, detail
                    FROM pg_temp.test_audit WHERE action = 'person_reveal' ORDER BY id$$,
                  format($$VALUES (%1$s::bigint, %2$s::bigint, 'ssh 192.0.2.50:40404'::text, 'person_reveal'::text,
                                   'person:%3$s'::text,
                                   '{"field": "id_number", "case_id": %4$s, "present": true, "person_id": %3$s}'::jsonb),
                                  (%1$s, %2$s, 'ssh 192.0.2.50:40404', 'person_reveal', 'person:%3$s',
                                   '{"field": "phone", "case_id": null, "present": true, "person_id": %3$s}')$$,
                         pg_temp.uid('t_town_a'), :sid, :pa, :ca),
                  'each full view is audited: who, session, source, which person, field and case');
SELECT is_empty($$SELECT 1 FROM pg_temp.test_audit WHERE action = 'person_reveal'
                  AND (detail::text LIKE '%32110219900307123X%' OR detail::text LIKE '%13911112222%')$$,
                'the revealed value is not copied into the trail');
SELECT ok((SELECT at FROM pg_temp.test_audit WHERE action = 'person_reveal' LIMIT 1) IS NOT NULL,
          '... with the time');
SET LOCAL ROLE caseterm_app;
SELECT set_config('caseterm.session_id', '', true) AS ignored \gset

SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'id_number')$$, :pb),
                 '42501', 'not allowed: this person is outside your jurisdiction',
                 'not the applicant of another town');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'phone')$$, :pd),
                 '42501', 'not allowed: this person is outside your jurisdiction',
                 'not the applicant of another district');
SELECT throws_ok($$SELECT caseterm.person_reveal(-1, 'phone')$$,
                 '42501', 'not allowed: this person is outside your jurisdiction',
                 'a person who does not exist: the same answer');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'id_number', %s)$$, :pa, :cb),
                 '42501', 'not allowed: outside your jurisdiction',
                 'not from a case of another town');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'name')$$, :pa),
                 '22023', 'unknown personal data field', 'only id_number and phone');
SELECT pg_temp.act('t_town_b');
SELECT is(caseterm.person_reveal(:pb, 'id_number'), NULL, 'a person without ID number: NULL');

SELECT pg_temp.act('t_district');
SELECT is(caseterm.person_reveal(:pa, 'id_number'), '32110219900307123X',
          'a district supervisor opens a town applicant''s ID number');
SELECT pg_temp.act('t_d1_admin');
SELECT is(caseterm.person_reveal(:pb, 'phone'), '13922223333', 'a district administrator, within the district');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'phone')$$, :pd),
                 '42501', 'not allowed: this person is outside your jurisdiction',
                 '... not in another district');
SELECT pg_temp.act('t_followup');
SELECT is(caseterm.person_reveal(:pa, 'phone'), '13911112222', 'a follow-up clerk opens the phone, to call back');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'id_number')$$, :pa),
                 '42501', 'not allowed: your roles do not allow opening personal data in full',
                 '... not the ID number');
SELECT pg_temp.act('t_dispatch');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'phone')$$, :pa),
                 '42501', 'not allowed: your roles do not allow opening personal data in full',
                 'a dispatcher does not open personal data');
SELECT pg_temp.act('t_analyst');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'phone')$$, :pa),
                 '42501', 'not allowed: your roles do not allow opening personal data in full',
                 'an analyst never opens personal data');
SELECT pg_temp.act('t_city_analyst');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'id_number')$$, :pa),
                 '42501', 'not allowed: your roles do not allow opening personal data in full',
                 '... not even at the city');
SELECT pg_temp.act('t_disabled');
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'phone')$$, :pa),
                 '42501', 'not allowed: the user account or its unit is disabled', 'a disabled user');
SELECT pg_temp.act(NULL);
SELECT throws_ok(format($$SELECT caseterm.person_reveal(%s, 'phone')$$, :pa),
                 '42501', 'not allowed: no acting user is set', 'no acting user');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM pg_temp.test_audit WHERE action = 'person_reveal'), 6,
          'only the views that happened are in the trail');
SET LOCAL ROLE caseterm_app;

-- ---- analysts see figures, not people
SELECT pg_temp.act('t_analyst');
SELECT is_empty('SELECT id FROM caseterm.person', 'an analyst sees no person');
SELECT isnt_empty('SELECT id FROM caseterm.legal_case', '... but the cases of the unit, for figures');
SELECT is_empty('SELECT 1 FROM caseterm.unit_cases() WHERE applicant_name IS NOT NULL',
                '... without the applicants'' names');
SELECT is_empty($$SELECT * FROM caseterm.person_search('揭示')$$, '... and finds nobody');
SELECT pg_temp.act('t_city_analyst');
SELECT is_empty('SELECT id FROM caseterm.person', 'a city analyst sees no person either');
SELECT pg_temp.act('t_city');
SELECT is((SELECT count(*)::int FROM caseterm.person WHERE name LIKE '揭示%'), 3,
          'a city supervisor who is also an analyst sees them');

-- ---- person_search
SELECT pg_temp.act('t_town_a');
SELECT results_eq($$SELECT name, id_number_masked, phone_masked, cases FROM caseterm.person_search('32110219900307123x')$$,
                  $$VALUES ('揭示甲'::text, '3211**********123X'::text, '139****2222'::text, 1)$$,
                  'search by ID number: masked');
SELECT results_eq($$SELECT name FROM caseterm.person_search('+86 139-1111-2222')$$,
                  $$VALUES ('揭示甲'::text)$$, 'search by mobile number');
SELECT results_eq($$SELECT name FROM caseterm.person_search('揭示')$$,
                  $$VALUES ('揭示甲'::text)$$, 'search by name: only the town''s people');
SELECT is_empty($$SELECT * FROM caseterm.person_search('13922223333')$$,
                'another town''s applicant is not found by phone');
SELECT is_empty($$SELECT * FROM caseterm.person_search('%')$$, 'LIKE wildcards are taken literally');
SELECT pg_temp.act('t_d2');
SELECT is_empty($$SELECT * FROM caseterm.person_search('32110219900307123X')$$,
                'another district: a search by the ID number finds nothing');
SELECT results_eq($$SELECT name FROM caseterm.person_search('揭示')$$, $$VALUES ('揭示丙'::text)$$,
                  'another district: a name search finds only its own');
SELECT pg_temp.act('t_district');
SELECT set_eq($$SELECT name FROM caseterm.person_search('揭示')$$,
              $$VALUES ('揭示甲'::text), ('揭示乙')$$, 'the district finds both towns'' people');
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT * FROM caseterm.person_search('揭示')$$, '42501',
                 'not allowed: no acting user is set', 'search needs an acting user');

-- ---- how it is built
RESET ROLE;
SELECT results_eq($$SELECT rolcanlogin, rolsuper, rolbypassrls, pg_has_role('caseterm_rls', 'caseterm_app', 'USAGE')
                    FROM pg_roles WHERE rolname = 'caseterm_rls'$$,
                  'VALUES (false, false, false, true)',
                  'caseterm_rls: cannot log in, no bypass, under the application''s policies');
SELECT ok(NOT pg_has_role('caseterm_app', 'caseterm_rls', 'USAGE'),
          'the application does not get caseterm_rls''s privileges');

SELECT * FROM finish();
ROLLBACK;
