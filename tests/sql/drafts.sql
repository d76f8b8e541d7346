-- drafts.sql — form drafts (010_drafts.sql): each user keeps and sees only
-- their own; the application cannot write the table; person_find finds
-- only persons the user may see and audits each one it shows.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(27);
\ir fixture.psql

SET LOCAL ROLE caseterm_app;

-- ---- drafts
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT caseterm.draft_save('consultation', 'question', 0, '{}')$$,
                 '42501', NULL, 'no acting user: no draft');
SELECT pg_temp.act('t_town_a');
SELECT lives_ok($$SELECT caseterm.draft_save('consultation', 'question', 3,
                  '{"applicant_name": "张三", "question": "工资拖欠"}')$$,
                'a clerk saves a draft');
SELECT results_eq($$SELECT field, cursor_pos, name, value FROM caseterm.draft_load('consultation') ORDER BY name$$,
                  $$VALUES ('question', 3, 'applicant_name', '张三'), ('question', 3, 'question', '工资拖欠')$$,
                  'the draft comes back field by field, with the cursor');
SELECT lives_ok($$SELECT caseterm.draft_save('consultation', 'applicant_name', 1,
                  '{"applicant_name": "张三丰"}')$$,
                'saving again replaces the draft');
SELECT results_eq($$SELECT field, cursor_pos, name, value FROM caseterm.draft_load('consultation')$$,
                  $$VALUES ('applicant_name', 1, 'applicant_name', '张三丰')$$,
                  'only the newest draft is kept');
SELECT lives_ok($$SELECT caseterm.draft_save('mediation', 'app_name', 0, '{}')$$,
                'a draft of another form');
SELECT is((SELECT count(*)::int FROM caseterm.draft_list()), 2, 'two drafts listed');
SELECT is((SELECT form FROM caseterm.draft_list() LIMIT 1), 'mediation', 'newest first');
SELECT results_eq($$SELECT field, name FROM caseterm.draft_load('mediation')$$,
                  $$VALUES ('app_name', NULL::text)$$,
                  'an empty draft gives one row without values');
SELECT throws_ok($$SELECT caseterm.draft_save('Bad Form', 'x', 0, '{}')$$,
                 '22023', 'the draft is not valid', 'a bad form name is refused');
SELECT throws_ok($$SELECT caseterm.draft_save('consultation', 'x', 0, '[]')$$,
                 '22023', 'the draft is not valid', 'data must be an object');

SELECT pg_temp.act('t_town_a2');
SELECT is_empty($$SELECT * FROM caseterm.draft_list()$$, 'another clerk sees no drafts of mine');
SELECT is_empty($$SELECT * FROM caseterm.draft_load('consultation')$$, 'nor loads them');
SELECT is_empty($$SELECT * FROM caseterm.form_draft$$, 'nor reads the table');
SELECT lives_ok($$SELECT caseterm.draft_delete('consultation')$$, 'deleting my (absent) draft');
SELECT pg_temp.act('t_town_a');
SELECT is((SELECT count(*)::int FROM caseterm.draft_list()), 2, '...leaves the other clerk''s drafts alone');

SELECT throws_ok($$INSERT INTO caseterm.form_draft (user_id, form, field, data)
                   VALUES (pg_temp.uid('t_town_a'), 'x', 'x', '{}')$$,
                 '42501', NULL, 'the application cannot write drafts directly');
SELECT throws_ok($$DELETE FROM caseterm.form_draft$$, '42501', NULL,
                 'nor delete them directly');

SELECT lives_ok($$SELECT case_id, caseterm.draft_delete('consultation')
                  FROM caseterm.register_consultation('张三丰', NULL, '32118119660101777X', '问题', NULL)$$,
                'registering deletes the draft in the same statement');
SELECT is_empty($$SELECT * FROM caseterm.draft_load('consultation')$$, 'the draft is gone');

-- ---- person_find
SELECT lives_ok($$SELECT caseterm.register_consultation('李四', '13655550123', NULL, '问题', NULL)$$,
                'a second applicant, by phone only');
SELECT results_eq($$SELECT name, id_number, phone FROM caseterm.person_find('32118119660101777x')$$,
                  $$VALUES ('张三丰', '32118119660101777X', NULL::text)$$,
                  'found by ID number (lower-case x)');
SELECT results_eq($$SELECT name FROM caseterm.person_find('+86 136-5555-0123')$$,
                  $$VALUES ('李四')$$, 'found by mobile number');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM caseterm.audit_log
           WHERE action = 'person_view' AND user_id = pg_temp.uid('t_town_a')),
          2, 'each person shown is audited');
SET LOCAL ROLE caseterm_app;
SELECT throws_ok($$SELECT * FROM caseterm.person_find('张三')$$, '22023',
                 'type a resident ID number or a mobile number', 'neither an ID nor a phone');
SELECT pg_temp.act('t_town_b');
SELECT is_empty($$SELECT * FROM caseterm.person_find('32118119660101777X')$$,
                'a clerk of another town does not find them');
SELECT pg_temp.act('t_district');
SELECT is((SELECT count(*)::int FROM caseterm.person_find('13655550123')), 1,
          'the district above finds them');

SELECT * FROM finish();
ROLLBACK;
