-- rls_speed.sql — 033_rls_speed.sql: acting_subtree (now through the
-- GIN index of org_unit.path) gives the same units as the path rule and
-- fails closed; person_case_ids is internal; search_cases (case ids
-- first, then case_list) finds a case through its applicant or a party
-- only within the jurisdiction, and nothing by a person for an analyst.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(16);
\ir fixture.psql

-- ---- acting_subtree
SELECT pg_temp.act('t_district');
SELECT is(caseterm.acting_subtree(),
          ARRAY(SELECT o.id FROM caseterm.org_unit o
                WHERE o.path @> ARRAY[pg_temp.unit('T-D1')] ORDER BY o.id),
          'acting_subtree: the unit and every unit below it, in order');
SELECT pg_temp.act('t_village_a');
SELECT is(caseterm.acting_subtree(), ARRAY[pg_temp.unit('T-VA')],
          'acting_subtree of a village: itself');
SELECT pg_temp.act(NULL);
SELECT is(caseterm.acting_subtree(), ARRAY[]::bigint[], 'acting_subtree without an acting user: empty');
SELECT pg_temp.act('t_disabled');
SELECT is(caseterm.acting_subtree(), ARRAY[]::bigint[], 'acting_subtree of a disabled account: empty');
SELECT pg_temp.act('t_offunit');
SELECT is(caseterm.acting_subtree(), ARRAY[]::bigint[], 'acting_subtree below a disabled unit: empty');
SELECT set_config('caseterm.user_id', '999999999', true);
SELECT is(caseterm.acting_subtree(), ARRAY[]::bigint[], 'acting_subtree of an unknown user id: empty');

-- ---- person_case_ids is internal
SELECT ok(NOT has_function_privilege('caseterm_app', 'caseterm.person_case_ids(bigint[])', 'EXECUTE'),
          'person_case_ids: not executable by the application');
SELECT ok(has_function_privilege('caseterm_rls', 'caseterm.person_case_ids(bigint[])', 'EXECUTE'),
          'person_case_ids: executable by caseterm_rls (search_cases)');

-- ---- person_party_case_ids (041) is internal
SELECT ok(NOT has_function_privilege('caseterm_app', 'caseterm.person_party_case_ids(bigint[])', 'EXECUTE'),
          'person_party_case_ids: not executable by the application');
SELECT ok(has_function_privilege('caseterm_rls', 'caseterm.person_party_case_ids(bigint[])', 'EXECUTE'),
          'person_party_case_ids: executable by caseterm_rls (search_cases)');

-- ---- search through applicant and party, within the jurisdiction
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SELECT case_id AS ca FROM caseterm.register_consultation('速查甲', '13955556666', NULL, '问题甲', NULL) \gset
SELECT pg_temp.act('t_town_b');
SELECT case_id AS cb FROM caseterm.register_consultation('速查乙', '13977778888', NULL, '问题乙', NULL) \gset
RESET ROLE;
-- the applicant of the case at T-TA is also a party of the case at T-TB
INSERT INTO caseterm.case_party (case_id, person_id, role, added_by)
    SELECT :cb, c.applicant_id, 'respondent', pg_temp.uid('t_town_b')
    FROM caseterm.legal_case c WHERE c.id = :ca;
SET LOCAL ROLE caseterm_app;

SELECT pg_temp.act('t_district');
SELECT set_eq($$SELECT case_id FROM caseterm.search_cases(p_name => '速查甲')$$,
              ARRAY[:ca, :cb]::bigint[],
              'the district finds the applicant''s case and the case the person is a party of');
SELECT set_eq($$SELECT case_id FROM caseterm.search_cases(p_phone => '13955556666')$$,
              ARRAY[:ca, :cb]::bigint[], 'the same by mobile number');
SELECT pg_temp.act('t_town_a');
SELECT set_eq($$SELECT case_id FROM caseterm.search_cases(p_name => '速查甲')$$,
              ARRAY[:ca]::bigint[], 'town A: only its own case, not the party''s case at town B');
SELECT pg_temp.act('t_d2');
SELECT is_empty($$SELECT 1 FROM caseterm.search_cases(p_name => '速查甲')$$,
                'another district: nothing');
SELECT pg_temp.act('t_analyst');
SELECT is_empty($$SELECT 1 FROM caseterm.search_cases(p_name => '速查甲')$$,
                'an analyst finds nothing by a person');
SELECT pg_temp.act(NULL);
SELECT is_empty($$SELECT 1 FROM caseterm.search_cases(p_name => '速查甲')$$,
                'no acting user: nothing');

SELECT * FROM finish();
ROLLBACK;
