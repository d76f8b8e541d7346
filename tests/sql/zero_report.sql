-- zero_report.sql — the zero report (038_zero_report.sql): an intake
-- clerk files their unit's report for today, once; a unit that registered
-- a dispute today cannot; the levels above see who reported, who had
-- disputes and who is silent; audited; other jurisdictions unseen.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(9);
\ir fixture.psql
SELECT coalesce(max(id), 0) AS id0 FROM caseterm.audit_log \gset

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_village_a');
SELECT ok(caseterm.zero_report_file() <= now(), 'a village clerk files today''s zero report');
SELECT is((SELECT count(*)::int FROM caseterm.zero_report), 1, '... one row');
SELECT is(caseterm.zero_report_file(), (SELECT reported_at FROM caseterm.zero_report),
          'filed twice: the first report stands');
SELECT pg_temp.act('t_town_a');
SELECT case_id AS m FROM caseterm.register_mediation('[{"role": "applicant", "name": "零报甲"}]',
    '邻里纠纷', 'walk_in', 'neighbour') \gset
SELECT throws_ok('SELECT caseterm.zero_report_file()', '22023',
                 'your unit registered disputes today: there is no zero to report',
                 'a town that registered a dispute today has no zero to report');
SELECT results_eq($$SELECT unit_code, own, reported_at IS NOT NULL, reported_by_name, disputes
                      FROM caseterm.zero_report_status()$$,
                  $$VALUES ('T-TA'::text, true, false, NULL::text, 1), ('T-VA', false, true, '甲一村王五', 0)$$,
                  'the town sees itself (one dispute) and its village (reported)');
SELECT pg_temp.act('t_district');
SELECT is((SELECT string_agg(unit_code || ':' || (reported_at IS NOT NULL)::text, ',' ORDER BY unit_code)
             FROM caseterm.zero_report_status()),
          'T-TA:false,T-TB:false,T-VA:true,T-VB:false', 'the district sees every town and village below it, the silent ones too');
SELECT pg_temp.act('t_d2');
SELECT is((SELECT count(*)::int FROM caseterm.zero_report), 0, 'another district does not see the report');
SELECT pg_temp.act('t_analyst');
SELECT throws_ok('SELECT caseterm.zero_report_file()', '42501', NULL, 'an analyst files no report');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM caseterm.audit_log
            WHERE id > :id0 AND action = 'zero_report' AND object = 'org_unit:' || pg_temp.unit('T-VA')),
          1, 'the report is in the audit trail, once');

SELECT * FROM finish();
ROLLBACK;
