-- calendar.sql — the working-day calendar (sql/004_calendar.sql): importing
-- the official holiday list (data/holiday-cn), add_workdays and
-- workdays_between across weekends, public holidays and make-up working
-- days (the 2026 Spring Festival and National Day weeks), beyond the
-- imported years, in China's time zone; the deadline rules and who may
-- change them.
\pset format unaligned
\pset tuples_only on
\pset pager off
-- The files as the runner sees them (cwd: the top of the tree).
\set cal2026 `cat data/holiday-cn/2026.json`
\set cal2025 `cat data/holiday-cn/2025.json`
BEGIN;
SELECT plan(61);
\ir fixture.psql

INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
    SELECT v.login, v.name, o.id, '{admin}'
    FROM (VALUES ('t_admin', '测试管理员', 'T-CITY'), ('t_admin_d1', '一区管理员', 'T-D1')) v(login, name, unit)
    JOIN caseterm.org_unit o ON o.code = v.unit;

-- end of a day in China, for the expected values
CREATE FUNCTION pg_temp.eod(p date) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE
AS $$ SELECT (p + time '23:59:59') AT TIME ZONE 'Asia/Shanghai' $$;

-- ---- the demo loaded every file of data/holiday-cn
SELECT set_eq('SELECT year FROM caseterm.calendar_year WHERE year BETWEEN 2024 AND 2027',
              'VALUES (2024), (2025), (2026), (2027)',
              'casetermctl demo imported 2024 to 2027 (casetermctl calendar import)');
SELECT is((SELECT count(*)::int FROM caseterm.work_calendar WHERE extract(year FROM day) = 2026), 365,
          'every day of 2026 is in the calendar');

-- ---- import: from scratch, then again (idempotent)
DELETE FROM caseterm.work_calendar WHERE day BETWEEN '2026-01-01' AND '2026-12-31';
DELETE FROM caseterm.calendar_year WHERE year = 2026;
SELECT is(caseterm.is_workday('2026-10-05'), true,
          'without the 2026 list, Monday 2026-10-05 counts as a working day');
SELECT results_eq(format('SELECT * FROM caseterm.calendar_import(%L::jsonb)', :'cal2026'),
                  $$VALUES (2026, 365, 117, 248, 33, 6)$$,
                  'import 2026: 365 days, 117 off, 248 working; the list had 33 days off and 6 worked weekend days');
SELECT results_eq(format('SELECT * FROM caseterm.calendar_import(%L::jsonb)', :'cal2026'),
                  $$VALUES (2026, 365, 117, 248, 33, 6)$$,
                  'importing again gives the same');
SELECT is((SELECT count(*)::int FROM caseterm.work_calendar WHERE extract(year FROM day) = 2026), 365,
          '... and leaves one row per day');
SELECT results_eq($$SELECT is_workday, adjusted, name FROM caseterm.work_calendar WHERE day = '2026-10-01'$$,
                  $$VALUES (false, true, '国庆节'::text)$$, '2026-10-01: a holiday, named');
SELECT results_eq($$SELECT is_workday, adjusted, name FROM caseterm.work_calendar WHERE day = '2026-10-10'$$,
                  $$VALUES (true, true, '国庆节'::text)$$, 'Saturday 2026-10-10: a make-up working day');
SELECT results_eq($$SELECT is_workday, adjusted, name FROM caseterm.work_calendar WHERE day = '2026-11-28'$$,
                  $$VALUES (false, false, NULL::text)$$, 'Saturday 2026-11-28: an ordinary weekend day');
SELECT lives_ok(format('SELECT * FROM caseterm.calendar_import(%L::jsonb)', :'cal2025'), 'import 2025');

-- ---- malformed documents
SELECT throws_ok($$SELECT * FROM caseterm.calendar_import('[1, 2]')$$,
                 '22023', 'not a holiday calendar document', 'an array is refused');
SELECT throws_ok($$SELECT * FROM caseterm.calendar_import('{"year": 2026}')$$,
                 '22023', 'not a holiday calendar document', 'a document without days is refused');
SELECT throws_ok($$SELECT * FROM caseterm.calendar_import('{"year": 2026, "days": [{"date": "2025-10-01", "isOffDay": true}]}')$$,
                 '22023', 'the holiday calendar has a day that is not valid', 'a day of another year is refused');
SELECT throws_ok($$SELECT * FROM caseterm.calendar_import('{"year": 2026, "days": [{"date": "2026-10-01", "isOffDay": "yes"}]}')$$,
                 '22023', 'the holiday calendar has a day that is not valid', 'isOffDay must be true or false');
SELECT throws_ok($$SELECT * FROM caseterm.calendar_import('{"year": 2026, "days": [{"date": "2026-10-01", "isOffDay": true}, {"date": "2026-10-01", "isOffDay": false}]}')$$,
                 '22023', 'the holiday calendar lists a day twice', 'a day listed twice is refused');
SELECT is(caseterm.is_workday('2026-10-01'), false, 'a refused import changes nothing');

-- ---- add_workdays: the 2026 National Day week (10-01..10-07 off, Sat 10-10 worked)
SELECT is(caseterm.add_workdays('2026-09-30 15:00+08', 0), pg_temp.eod('2026-09-30'),
          '0 working days from Wednesday 09-30: the end of that day');
SELECT is(caseterm.add_workdays('2026-09-30 15:00+08', 1), pg_temp.eod('2026-10-08'),
          '1 working day from 09-30: Thursday 10-08, after the holiday week');
SELECT is(caseterm.add_workdays('2026-09-30 15:00+08', 2), pg_temp.eod('2026-10-09'),
          '2 working days from 09-30: Friday 10-09');
SELECT is(caseterm.add_workdays('2026-09-30 15:00+08', 3), pg_temp.eod('2026-10-10'),
          '3 working days from 09-30: Saturday 10-10, a make-up working day');
SELECT is(caseterm.add_workdays('2026-09-30 15:00+08', 4), pg_temp.eod('2026-10-12'),
          '4 working days from 09-30: Monday 10-12 (Sunday 10-11 is off)');
SELECT is(caseterm.add_workdays('2026-10-03 10:00+08', 0), pg_temp.eod('2026-10-08'),
          'the same day, asked on a holiday: the next working day');
SELECT is(caseterm.add_workdays('2026-10-03 10:00+08', 1), pg_temp.eod('2026-10-08'),
          '1 working day from a holiday: the first working day after it');
SELECT is(caseterm.add_workdays('2026-09-30 17:00+00', 0), pg_temp.eod('2026-10-08'),
          '09-30 17:00 UTC is 10-01 in China: the day counts in Asia/Shanghai');
SELECT is(caseterm.add_workdays('2026-09-18 10:00+08', 1), pg_temp.eod('2026-09-20'),
          '1 working day from Friday 09-18: Sunday 09-20, a make-up working day');
SELECT is(caseterm.add_workdays('2026-09-24 10:00+08', 1), pg_temp.eod('2026-09-28'),
          '1 working day from Thursday 09-24: Monday 09-28 (Mid-Autumn 09-25..27 off)');
SELECT is(caseterm.add_workdays('2026-09-24 10:00+08', 15), pg_temp.eod('2026-10-22'),
          '15 working days from 09-24 cross both holidays and the make-up Saturday: 10-22');
-- the Spring Festival: 02-15..23 off, Saturdays 02-14 and 02-28 worked
SELECT is(caseterm.add_workdays('2026-02-13 10:00+08', 1), pg_temp.eod('2026-02-14'),
          'Spring Festival: 1 working day from Friday 02-13 is Saturday 02-14');
SELECT is(caseterm.add_workdays('2026-02-14 10:00+08', 1), pg_temp.eod('2026-02-24'),
          'Spring Festival: 1 working day from 02-14 is Tuesday 02-24');
SELECT is(caseterm.add_workdays('2026-02-24 10:00+08', 4), pg_temp.eod('2026-02-28'),
          'Spring Festival: 4 working days from 02-24 is Saturday 02-28');
-- ordinary weekends
SELECT is(caseterm.add_workdays('2026-11-27 10:00+08', 1), pg_temp.eod('2026-11-30'),
          '1 working day from Friday 11-27: Monday 11-30');
SELECT is(caseterm.add_workdays('2026-11-28 10:00+08', 0), pg_temp.eod('2026-11-30'),
          'the same day, asked on a Saturday: Monday');
SELECT is(caseterm.add_workdays('2026-11-23 10:00+08', 5), pg_temp.eod('2026-11-30'),
          '5 working days from Monday 11-23: the next Monday');
-- beyond the imported years: plain weekends
SELECT is(caseterm.add_workdays('2031-09-30 10:00+08', 1), pg_temp.eod('2031-10-01'),
          'beyond the imported years 10-01 is an ordinary Wednesday');
SELECT is(caseterm.add_workdays('2031-10-03 10:00+08', 1), pg_temp.eod('2031-10-06'),
          'beyond the imported years Friday 10-03 + 1 is Monday 10-06');
SELECT is(caseterm.add_workdays('2026-12-31 10:00+08', 1), pg_temp.eod('2027-01-01'),
          '2027 has no official list in data/holiday-cn: 2027-01-01 (Friday) counts as a working day');
SELECT is(caseterm.add_workdays('2026-09-30 10:00+08', 60),
          (SELECT pg_temp.eod(day) FROM caseterm.work_calendar
           WHERE day > '2026-09-30' AND is_workday ORDER BY day OFFSET 59 LIMIT 1),
          '60 working days: the 60th working day of the calendar');
-- the fast path (work_calendar.ordinal) agrees with counting day by day,
-- for every day of 2026 and 2027 (whose end leaves the calendar) and 0..25
CREATE FUNCTION pg_temp.slow_add(p_from date, p_n int) RETURNS date
    LANGUAGE sql STABLE
AS $$
    SELECT g.d::date FROM generate_series((p_from + (p_n > 0)::int)::timestamp,
                                           (p_from + 2 * p_n + 40)::timestamp, '1 day') g(d)
    WHERE coalesce((SELECT w.is_workday FROM caseterm.work_calendar w WHERE w.day = g.d::date),
                   extract(isodow FROM g.d) < 6)
    ORDER BY g.d OFFSET greatest(p_n - 1, 0) LIMIT 1
$$;
SELECT is_empty($$SELECT d, n FROM generate_series('2026-01-01'::date, '2027-12-31'::date, '1 day') d,
                                    generate_series(0, 25) n
                  WHERE caseterm.add_workdays((d::date + time '12:00') AT TIME ZONE 'Asia/Shanghai', n)
                        <> pg_temp.eod(pg_temp.slow_add(d::date, n))$$,
                'add_workdays agrees with counting day by day (2026-2027, 0 to 25 days)');
SELECT is_empty($$SELECT d FROM generate_series('2026-01-01'::date, '2027-12-31'::date, '7 day') d
                  WHERE caseterm.workdays_between('2026-06-15 12:00+08', (d::date + time '12:00') AT TIME ZONE 'Asia/Shanghai')
                        <> sign(d::date - '2026-06-15'::date)::int * (
                             SELECT count(*)::int FROM generate_series(least(d::date, '2026-06-15'::date) + 1,
                                                                       greatest(d::date, '2026-06-15'::date), '1 day') g
                             WHERE caseterm.is_workday(g::date))$$,
                'workdays_between agrees with counting day by day');
SELECT throws_ok($$SELECT caseterm.add_workdays(now(), -1)$$, '22023',
                 'the number of working days cannot be negative', 'a negative number is refused');
SELECT is(caseterm.add_workdays(NULL, 1), NULL, 'NULL in, NULL out');

-- ---- workdays_between
SELECT is(caseterm.workdays_between('2026-09-30 10:00+08', '2026-10-10 09:00+08'), 3,
          'from 09-30 to 10-10: three working days (10-08, 10-09, 10-10)');
SELECT is(caseterm.workdays_between('2026-10-10 09:00+08', '2026-09-30 10:00+08'), -3,
          'backwards: negative');
SELECT is(caseterm.workdays_between('2026-10-02 09:00+08', '2026-10-07 18:00+08'), 0,
          'inside the holiday week: none');
SELECT is(caseterm.workdays_between('2026-11-23 09:00+08', '2026-11-23 18:00+08'), 0,
          'on the same day: none');
SELECT is(caseterm.workdays_between('2026-11-23 09:00+08', '2026-11-25 08:00+08'), 2,
          'Monday to Wednesday: two');

-- ---- deadline rules
SELECT is(caseterm.rule_workdays('mediation', 'handle'), 22, 'mediation: 22 working days (a month)');
SELECT is(caseterm.rule_workdays('legal_aid', 'review'), 7, 'legal aid review: 7 working days');
SELECT is(caseterm.rule_workdays('complaint', 'signfor'), 1, 'sign-for: the default rule, 1 working day');
SELECT is(caseterm.rule_workdays('complaint', 'handle', true), 0, 'urgent: the same day');
SELECT is(caseterm.rule_deadline('2026-09-30 10:00+08', 'consultation', 'handle'), pg_temp.eod('2026-10-13'),
          'a consultation of 09-30 is due 5 working days later: 10-13');

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_district');
SELECT throws_ok($$SELECT caseterm.deadline_rule_set('complaint', 'handle', 10)$$,
                 '42501', 'not allowed: the admin role is required', 'only an administrator changes a rule');
SELECT throws_ok($$SELECT * FROM caseterm.calendar_import_admin('{}')$$,
                 '42501', 'not allowed: the admin role is required', 'only an administrator imports a calendar');
SELECT throws_ok($$SELECT * FROM caseterm.calendar_import('{}')$$,
                 '42501', NULL, 'the application cannot call calendar_import directly');
SELECT pg_temp.act('t_admin_d1');
SELECT throws_ok($$SELECT caseterm.deadline_rule_set('complaint', 'handle', 10)$$,
                 '42501', 'not allowed: only a city administrator can do this',
                 'a district administrator cannot change the city''s rules');
SELECT pg_temp.act('t_admin');
SELECT lives_ok($$SELECT caseterm.deadline_rule_set('complaint', 'handle', 10)$$, 'the city administrator changes a rule');
SELECT results_eq(format('SELECT year, listed_off FROM caseterm.calendar_import_admin(%L::jsonb)', :'cal2026'),
                  $$VALUES (2026, 33)$$, 'the city administrator imports a calendar');
SELECT throws_ok($$SELECT caseterm.deadline_rule_set('complaint', 'handle', 300)$$,
                 '22023', 'the number of working days must be between 0 and 250', 'a rule of 300 days is refused');
RESET ROLE;
SELECT results_eq($$SELECT workdays, urgent_workdays, updated_by FROM caseterm.deadline_rule
                    WHERE kind = 'complaint' AND step = 'handle'$$,
                  format('VALUES (10, 10, %s::bigint)', pg_temp.uid('t_admin')),
                  'the rule is changed, with who changed it');
SELECT ok(EXISTS (SELECT 1 FROM caseterm.audit_log WHERE action = 'calendar_import'
                  AND object = 'calendar_year:2026' AND user_id = pg_temp.uid('t_admin')),
          'an import is audited');
SELECT ok(EXISTS (SELECT 1 FROM caseterm.audit_log WHERE action = 'deadline_rule_set'
                  AND object = 'deadline_rule:complaint/handle' AND user_id = pg_temp.uid('t_admin')
                  AND (detail->>'old_workdays')::int = 15),
          'the change is audited with the old value');

SELECT * FROM finish();
ROLLBACK;
