-- cases.sql — my_cases, unit_cases and row-level security on legal_case,
-- case_event and person: who sees which case.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(31);
\ir fixture.psql

-- Cases, registered in this order (ids ascending):
--   a1 a2 a3  by t_town_a    at T-TA
--   ax        by t_town_a2   at T-TA
--   b1        by t_town_b    at T-TB
--   v1        by t_village_a at T-VA (below T-TA)
--   d2        by t_d2        at T-D2 (the other district)
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SELECT case_id AS a1 FROM caseterm.register_consultation('甲申请人一', '13811110001', NULL, '问题甲一', NULL) \gset
SELECT case_id AS a2 FROM caseterm.register_consultation('甲申请人二', '13811110002', NULL, '问题甲二', NULL) \gset
SELECT case_id AS a3 FROM caseterm.register_consultation('甲申请人三', '13811110003', NULL, '问题甲三', NULL) \gset
SELECT pg_temp.act('t_town_a2');
SELECT case_id AS ax FROM caseterm.register_consultation('甲申请人四', '13811110004', NULL, '问题甲四', NULL) \gset
SELECT pg_temp.act('t_town_b');
SELECT case_id AS b1 FROM caseterm.register_consultation('乙申请人', '13822220001', NULL, '问题乙一', NULL) \gset
SELECT pg_temp.act('t_village_a');
SELECT case_id AS v1 FROM caseterm.register_consultation('村申请人', '13833330001', NULL, '问题村一', NULL) \gset
SELECT pg_temp.act('t_d2');
SELECT case_id AS d2 FROM caseterm.register_consultation('二区申请人', '13844440001', NULL, '问题二区', NULL) \gset
SELECT pg_temp.act(NULL);

-- Give t_town_a's cases distinct times, in an order that differs from the
-- ids: a1 newest, then a3, then a2.  (The bookkeeping trigger refuses to
-- change created_at, so it is off for this fixture update.)
RESET ROLE;
ALTER TABLE caseterm.legal_case DISABLE TRIGGER legal_case_touch;
UPDATE caseterm.legal_case SET created_at = now() - interval '1 minute' WHERE id = :a1;
UPDATE caseterm.legal_case SET created_at = now() - interval '3 minutes' WHERE id = :a2;
UPDATE caseterm.legal_case SET created_at = now() - interval '2 minutes' WHERE id = :a3;
ALTER TABLE caseterm.legal_case ENABLE TRIGGER legal_case_touch;
SET LOCAL ROLE caseterm_app;

-- ---- my_cases
SELECT pg_temp.act('t_town_a');
SELECT results_eq('SELECT case_id FROM caseterm.my_cases()',
                  format('VALUES (%s::bigint), (%s), (%s)', :a1, :a3, :a2),
                  'my_cases: the user''s own cases, newest first');
SELECT results_eq('SELECT case_id FROM caseterm.my_cases(2)',
                  format('VALUES (%s::bigint), (%s)', :a1, :a3),
                  'my_cases(2): the two newest');
SELECT results_eq(format('SELECT case_no, kind, state, applicant_name, subject FROM caseterm.my_cases() WHERE case_id = %s', :a1),
                  format($$SELECT case_no, 'consultation'::text, 'registered'::text, '甲申请人一'::text, '问题甲一'::text
                           FROM caseterm.legal_case WHERE id = %s$$, :a1),
                  'my_cases: number, kind, state, applicant and question');
SELECT pg_temp.act('t_town_a2');
SELECT results_eq('SELECT case_id FROM caseterm.my_cases()',
                  format('VALUES (%s::bigint)', :ax),
                  'my_cases: not the cases of a colleague in the same unit');
SELECT pg_temp.act(NULL);
SELECT is_empty('SELECT * FROM caseterm.my_cases()', 'my_cases: nothing without an acting user');

-- ---- unit_cases and SELECT on legal_case
SELECT pg_temp.act('t_town_a');
SELECT set_eq('SELECT id FROM caseterm.legal_case',
              format('VALUES (%s::bigint), (%s), (%s), (%s), (%s)', :a1, :a2, :a3, :ax, :v1),
              'town A sees its town''s cases and its village''s');
SELECT results_eq('SELECT case_id FROM caseterm.unit_cases()',
                  format('VALUES (%s::bigint), (%s), (%s), (%s), (%s)', :v1, :ax, :a1, :a3, :a2),
                  'unit_cases: the same cases, newest first');
SELECT results_eq(format('SELECT unit_name, applicant_name FROM caseterm.unit_cases() WHERE case_id = %s', :v1),
                  $$VALUES ('甲一村'::text, '村申请人'::text)$$,
                  'unit_cases: the holding unit''s name and the applicant');
SELECT is_empty(format('SELECT 1 FROM caseterm.legal_case WHERE id = %s', :b1),
                'town A cannot see town B''s case');

SELECT pg_temp.act('t_town_b');
SELECT set_eq('SELECT id FROM caseterm.legal_case', format('VALUES (%s::bigint)', :b1),
              'town B sees only its own case in legal_case');
SELECT set_eq('SELECT case_id FROM caseterm.unit_cases()', format('VALUES (%s::bigint)', :b1),
              'town B sees only its own case in unit_cases');
SELECT set_eq('SELECT case_id FROM caseterm.case_event', format('VALUES (%s::bigint)', :b1),
              'town B sees only its own case''s events');
SELECT set_eq('SELECT name FROM caseterm.person', $$VALUES ('乙申请人'::text)$$,
              'town B sees only its own case''s applicant');

SELECT pg_temp.act('t_district');
SELECT set_eq('SELECT id FROM caseterm.legal_case',
              format('VALUES (%s::bigint), (%s), (%s), (%s), (%s), (%s)', :a1, :a2, :a3, :ax, :b1, :v1),
              'the district sees both towns and the village, not the other district');
SELECT set_eq('SELECT case_id FROM caseterm.unit_cases()',
              format('VALUES (%s::bigint), (%s), (%s), (%s), (%s), (%s)', :a1, :a2, :a3, :ax, :b1, :v1),
              'unit_cases for the district: the same');

SELECT pg_temp.act('t_city');
SELECT set_eq('SELECT id FROM caseterm.legal_case',
              format('VALUES (%s::bigint), (%s), (%s), (%s), (%s), (%s), (%s)', :a1, :a2, :a3, :ax, :b1, :v1, :d2),
              'the city sees every case of its tree');

SELECT pg_temp.act('t_village_a');
SELECT set_eq('SELECT id FROM caseterm.legal_case', format('VALUES (%s::bigint)', :v1),
              'the village sees only its own case');
SELECT pg_temp.act('t_d2');
SELECT set_eq('SELECT case_id FROM caseterm.unit_cases()', format('VALUES (%s::bigint)', :d2),
              'the other district sees only its own case');

-- ---- no acting user, unknown or disabled acting user: nothing
SELECT pg_temp.act(NULL);
SELECT is_empty('SELECT id FROM caseterm.legal_case', 'no acting user: no case');
SELECT is_empty('SELECT * FROM caseterm.unit_cases()', 'no acting user: unit_cases is empty');
SELECT is_empty('SELECT * FROM caseterm.case_event', 'no acting user: no event');
SELECT is_empty('SELECT id FROM caseterm.person', 'no acting user: no person');
SELECT set_config('caseterm.user_id', '999999999', true) AS ignored \gset
SELECT is_empty('SELECT id FROM caseterm.legal_case', 'an acting user id that does not exist: no case');

-- ---- the creator keeps seeing a case that moved away
RESET ROLE;
UPDATE caseterm.legal_case SET unit_id = pg_temp.unit('T-TB') WHERE id = :a2;
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SELECT isnt_empty(format('SELECT 1 FROM caseterm.legal_case WHERE id = %s', :a2),
                  'the creator still sees a case moved to another town');
SELECT isnt_empty(format('SELECT 1 FROM caseterm.case_event WHERE case_id = %s', :a2),
                  '... and its events');
SELECT isnt_empty($$SELECT 1 FROM caseterm.person WHERE name = '甲申请人二'$$,
                  '... and its applicant');
SELECT pg_temp.act('t_town_a2');
SELECT is_empty(format('SELECT 1 FROM caseterm.legal_case WHERE id = %s', :a2),
                'a colleague in the old unit no longer sees it');
SELECT pg_temp.act('t_town_b');
SELECT isnt_empty(format('SELECT 1 FROM caseterm.unit_cases() WHERE case_id = %s', :a2),
                  'the new unit sees it');

-- ---- a disabled account sees nothing, not even its own cases
RESET ROLE;
UPDATE caseterm.app_user SET disabled = true WHERE login = 't_town_a2';
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a2');
SELECT is_empty('SELECT id FROM caseterm.legal_case', 'a disabled user sees no case');
SELECT is_empty('SELECT * FROM caseterm.my_cases()', 'a disabled user has no my_cases');
-- a disabled unit above: town A disabled, the village user sees nothing
RESET ROLE;
UPDATE caseterm.org_unit SET disabled = true WHERE code = 'T-TA';
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_village_a');
SELECT is_empty('SELECT id FROM caseterm.legal_case', 'a user below a disabled unit sees no case');

SELECT * FROM finish();
ROLLBACK;
