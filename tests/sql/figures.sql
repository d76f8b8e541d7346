-- figures.sql — the Figures screen's functions (030_figures.sql): counts
-- by area and kind, by state, and the KPIs, each over the caller's
-- jurisdiction only (row-level security, SECURITY INVOKER), for analysts
-- and supervisors only, and never a person.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(22);
\ir fixture.psql

INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
    SELECT v.login, v.name, pg_temp.unit(v.unit), v.roles::text[]
    FROM (VALUES ('t_d2_analyst', '二区分析员', 'T-D2', '{analyst}'),
                 ('t_city_intake', '市热线', 'T-CITY', '{intake}'),
                 ('t_vb_intake', '乙一村受理', 'T-VB', '{intake}')) v(login, name, unit, roles);

-- Cases: two at T-TA, one at T-VA, one at T-VB, one at T-D2, one at the
-- city itself; the applicants are named 统计<n>.
CREATE TEMP TABLE fcase (n int, login text, id bigint);
INSERT INTO fcase (n, login) VALUES (1, 't_town_a'), (2, 't_town_a'),
    (3, 't_village_a'), (4, 't_vb_intake'), (5, 't_d2'), (6, 't_city_intake');
GRANT SELECT, UPDATE ON fcase TO caseterm_app;
SET LOCAL ROLE caseterm_app;
CREATE FUNCTION pg_temp.reg(p_n int, p_login text) RETURNS bigint
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_temp.act(p_login);
    RETURN (SELECT case_id FROM caseterm.register_consultation('统计' || p_n,
        '1360000' || lpad(p_n::text, 4, '0'), NULL, '统计问题 ' || p_n, NULL));
END
$$;
UPDATE fcase SET id = pg_temp.reg(n, login);
RESET ROLE;
SELECT is((SELECT count(*)::int FROM fcase WHERE id IS NOT NULL), 6,
          'six cases registered across the fixture tree');

-- Two of T-TA's cases become mediation cases at the end of their life:
-- case 1 mediated, closed on time, satisfied; case 2 accepted only.  Case
-- 3 (a consultation) was closed late after a basically satisfied call.
UPDATE caseterm.legal_case SET kind = 'mediation', state = 'closed',
       replied_at = created_at + interval '1 day',
       closed_at = created_at + interval '2 days',
       deadline = created_at + interval '5 days', satisfaction = 'satisfied'
 WHERE id = (SELECT id FROM fcase WHERE n = 1);
UPDATE caseterm.legal_case SET kind = 'mediation', state = 'in_progress'
 WHERE id = (SELECT id FROM fcase WHERE n = 2);
UPDATE caseterm.legal_case SET state = 'closed',
       replied_at = created_at + interval '9 days',
       closed_at = created_at + interval '10 days',
       deadline = created_at + interval '5 days', satisfaction = 'basically'
 WHERE id = (SELECT id FROM fcase WHERE n = 3);

SET LOCAL ROLE caseterm_app;

SELECT pg_temp.act('t_city');
SELECT results_eq($$SELECT unit_code, own, consultation, mediation, total
                    FROM caseterm.figures_by_area()$$,
                  $$VALUES ('T-CITY'::text, true, 1, 0, 1), ('T-D1', false, 2, 2, 4),
                           ('T-D2', false, 1, 0, 1)$$,
                  'the city: its own cases, then each district with everything below it');
SELECT results_eq($$SELECT state, cases FROM caseterm.figures_by_state()$$,
                  $$VALUES ('registered'::text, 3), ('in_progress', 1), ('closed', 2)$$,
                  'the city: cases by state, in the order of the lifecycle');
SELECT results_eq($$SELECT accepted, mediated, mediation_rate, succeeded, success_rate,
                           followed_up, satisfied, satisfaction_rate, closed, on_time,
                           on_time_rate
                      FROM caseterm.figures_kpi()$$,
                  $$VALUES (2, 1, 50.0, 1, 100.0, 2, 2, 100.0, 2, 1, 50.0)$$,
                  'the city: mediation, success, satisfaction and on-time rates');

-- the dashboard (037): open cases now, by area; the closed ones are not
-- there, the in-progress mediation is
SELECT results_eq($$SELECT unit_code, own, open, new_today, signfor, handling, overdue
                    FROM caseterm.dashboard()$$,
                  $$VALUES ('T-CITY'::text, true, 1, 1, 0, 0, 0), ('T-D1', false, 2, 2, 0, 1, 0),
                           ('T-D2', false, 1, 1, 0, 0, 0)$$,
                  'the dashboard of the city: open cases by district, new today, being handled');
RESET ROLE;
UPDATE caseterm.legal_case SET deadline = now() - interval '1 hour'
 WHERE id = (SELECT id FROM fcase WHERE n = 2);
SET LOCAL ROLE caseterm_app;
SELECT is((SELECT overdue FROM caseterm.dashboard() WHERE unit_code = 'T-D1'), 1,
          'an overdue case counts for its district');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok('SELECT * FROM caseterm.dashboard()', '42501',
                 'not allowed: the dashboard is for supervisors and analysts', 'a clerk has no dashboard');
SELECT pg_temp.act('t_d2_analyst');
SELECT is((SELECT sum(open)::int FROM caseterm.dashboard()), 1,
          'another district''s analyst counts only that district');

SELECT pg_temp.act('t_district');
SELECT results_eq($$SELECT unit_code, own, consultation, mediation, total
                    FROM caseterm.figures_by_area()$$,
                  $$VALUES ('T-D1'::text, true, 0, 0, 0), ('T-TA', false, 1, 2, 3),
                           ('T-TB', false, 1, 0, 1)$$,
                  'a district: its towns, each with its villages');

SELECT pg_temp.act('t_analyst');
SELECT results_eq($$SELECT unit_code, own, total FROM caseterm.figures_by_area()$$,
                  $$VALUES ('T-TA'::text, true, 2), ('T-VA', false, 1)$$,
                  'a town analyst: the town and its villages (not the disabled one without cases)');
SELECT results_eq($$SELECT accepted, mediated, closed, on_time FROM caseterm.figures_kpi()$$,
                  $$VALUES (2, 1, 2, 1)$$,
                  'a town analyst: the KPIs of the town');

SELECT pg_temp.act('t_d2_analyst');
SELECT results_eq($$SELECT unit_code, total FROM caseterm.figures_by_area()$$,
                  $$VALUES ('T-D2'::text, 1)$$,
                  'the other district''s analyst: its own case only');
SELECT results_eq($$SELECT mediation_rate, satisfaction_rate, on_time_rate
                      FROM caseterm.figures_kpi()$$,
                  $$VALUES (NULL::numeric, NULL::numeric, NULL::numeric)$$,
                  'nothing to divide by: no rate');
SELECT is((SELECT count(*)::int FROM caseterm.figures_by_area('2000-01-01', '2000-12-31')
           WHERE total > 0), 0, 'a period without cases counts none');
SELECT is((SELECT total FROM caseterm.figures_by_area(
               (now() AT TIME ZONE 'Asia/Shanghai')::date,
               (now() AT TIME ZONE 'Asia/Shanghai')::date)), 1,
          'today, both days included, counts today''s case');

-- Only analysts and supervisors; not without an acting user.
SELECT pg_temp.act('t_town_a');
SELECT throws_ok('SELECT * FROM caseterm.figures_by_area()', '42501',
                 'not allowed: figures are for analysts and supervisors',
                 'an intake clerk and handler gets no figures');
SELECT throws_ok('SELECT * FROM caseterm.figures_kpi()', '42501', NULL,
                 'nor KPIs');
SELECT pg_temp.act(NULL);
SELECT throws_ok('SELECT * FROM caseterm.figures_kpi()', '42501', NULL,
                 'no acting user: refused');
SELECT is((SELECT count(*)::int FROM caseterm.figures_by_area()), 0,
          'no acting user: no areas');

-- Aggregates only: no person's name, phone or ID number comes out.
SELECT pg_temp.act('t_city');
SELECT is((SELECT count(*)::int FROM caseterm.figures_by_area() f
           WHERE f::text ~ '统计|13600'), 0, 'no applicant in the figures');
RESET ROLE;
SELECT is((SELECT array_agg(DISTINCT prosecdef) FROM pg_proc
           WHERE proname LIKE 'figures\_%' AND pronamespace = 'caseterm'::regnamespace),
          ARRAY[false], 'every figures function runs as the caller (row-level security applies)');
SELECT is((SELECT count(*)::int FROM information_schema.routine_privileges
           WHERE routine_schema = 'caseterm' AND routine_name LIKE 'figures\_%'
             AND routine_name <> 'figures_rate'
             AND grantee = 'PUBLIC'), 0, 'none is executable by PUBLIC');

SELECT * FROM finish();
ROLLBACK;
