-- register.sql — register_consultation: numbering, finding or creating the
-- applicant, validation messages, permissions, and what it records.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(50);
\ir fixture.psql

-- The form field a failing statement's error names (PG_DIAG_COLUMN_NAME).
CREATE FUNCTION pg_temp.error_column(p_sql text) RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    v text;
BEGIN
    EXECUTE p_sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v = COLUMN_NAME;
    RETURN v;
END
$$;

-- The number part of a case number, and the year part we expect.
CREATE FUNCTION pg_temp.seq(p_case_no text) RETURNS int
    LANGUAGE sql IMMUTABLE
AS $$ SELECT split_part(p_case_no, '-', 2)::int $$;

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');

-- ---- numbering and the first applicant
SELECT case_id AS c1, case_no AS n1
    FROM caseterm.register_consultation(' 王小明　', '+86 139-0000-1111', '32110219900307123x',
                                        '公司拖欠工资三个月，怎么办？', NULL) \gset
SELECT matches(:'n1'::text, '^[0-9]{4}-[0-9]{6}$', 'the case number has the form YYYY-NNNNNN');
SELECT is(split_part(:'n1', '-', 1), to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY'),
          'the case number starts with this year in China');
SELECT results_eq(format($$SELECT kind, state::text, channel, unit_id, created_by, subject, answer, version
                           FROM caseterm.legal_case WHERE id = %s$$, :c1),
                  format($$VALUES ('consultation'::text, 'registered'::text, 'hotline'::text, %s::bigint,
                                   %s::bigint, '公司拖欠工资三个月，怎么办？'::text, NULL::text, 1)$$,
                         pg_temp.unit('T-TA'), pg_temp.uid('t_town_a')),
                  'the case: consultation, registered, hotline by default, held by the user''s unit');
-- as the owner: the application reads no number in full (034)
RESET ROLE;
SELECT results_eq(format($$SELECT p.name, p.id_number, p.phone FROM caseterm.person p
                           JOIN caseterm.legal_case c ON c.applicant_id = p.id WHERE c.id = %s$$, :c1),
                  $$VALUES ('王小明'::text, '32110219900307123X'::text, '13900001111'::text)$$,
                  'the applicant: name trimmed, ID number upper-cased (x -> X), phone as 11 digits');
SET LOCAL ROLE caseterm_app;
SELECT results_eq(format($$SELECT kind, from_state::text, to_state::text, user_id, unit_id
                           FROM caseterm.case_event WHERE case_id = %s$$, :c1),
                  format($$VALUES ('register'::text, NULL::text, 'registered'::text, %s::bigint, %s::bigint)$$,
                         pg_temp.uid('t_town_a'), pg_temp.unit('T-TA')),
                  'one event register -> registered, by the user, at the user''s unit');

SELECT case_id AS c2, case_no AS n2
    FROM caseterm.register_consultation('王小明', NULL, '32110219900307123X', '追问：如何申请劳动仲裁？',
                                        '可向劳动人事争议仲裁委员会申请', 'walk_in') \gset
SELECT is(pg_temp.seq(:'n2'), pg_temp.seq(:'n1') + 1, 'the next case number is the next integer');
SELECT is((SELECT applicant_id FROM caseterm.legal_case WHERE id = :c2),
          (SELECT applicant_id FROM caseterm.legal_case WHERE id = :c1),
          'the same ID number finds the same person');
SELECT results_eq(format('SELECT channel, answer FROM caseterm.legal_case WHERE id = %s', :c2),
                  $$VALUES ('walk_in'::text, '可向劳动人事争议仲裁委员会申请'::text)$$,
                  'the channel and the answer are stored');

SELECT case_id AS c3, case_no AS n3
    FROM caseterm.register_consultation('王小明', '139 0000 1111', '', '再问：仲裁要钱吗？', NULL, '') \gset
SELECT is((SELECT applicant_id FROM caseterm.legal_case WHERE id = :c3),
          (SELECT applicant_id FROM caseterm.legal_case WHERE id = :c1),
          'name + phone find the same person (empty ID number = none)');
SELECT is((SELECT channel FROM caseterm.legal_case WHERE id = :c3), 'hotline', 'an empty channel means hotline');

-- ---- name + phone, then the ID number filled in
SELECT case_id AS c4 FROM caseterm.register_consultation('陈大文', '13700002222', NULL, '邻居漏水纠纷', NULL) \gset
SELECT case_id AS c5 FROM caseterm.register_consultation('陈大文', '137-0000-2222', '321111198511220045',
                                                         '邻居漏水纠纷（续）', NULL) \gset
SELECT is((SELECT applicant_id FROM caseterm.legal_case WHERE id = :c5),
          (SELECT applicant_id FROM caseterm.legal_case WHERE id = :c4),
          'name + phone find the person registered without ID number');
SELECT is((SELECT p.id_number_masked FROM caseterm.person p JOIN caseterm.legal_case c ON c.applicant_id = p.id
           WHERE c.id = :c4),
          caseterm.mask_id_number('321111198511220045'), 'the missing ID number is filled in');
SELECT case_id AS c6 FROM caseterm.register_consultation('陈大文', '13600003333', NULL, '另一个陈大文', NULL) \gset
SELECT isnt((SELECT applicant_id FROM caseterm.legal_case WHERE id = :c6),
            (SELECT applicant_id FROM caseterm.legal_case WHERE id = :c4),
            'the same name with another phone is another person');
SELECT case_id AS c6b FROM caseterm.register_consultation('陈大文', '13700002222', '321183197006150004',
                                                          '同名同号但身份证不同', NULL) \gset
SELECT isnt((SELECT applicant_id FROM caseterm.legal_case WHERE id = :c6b),
            (SELECT applicant_id FROM caseterm.legal_case WHERE id = :c4),
            'name + phone do not match a person who has another ID number');

-- ---- ID number, then the phone filled in
SELECT case_id AS c7 FROM caseterm.register_consultation('刘一', NULL, '32110220000101001' || '7', '遗嘱怎么写', NULL) \gset
SELECT case_id AS c8 FROM caseterm.register_consultation('刘一', '+8613500004444', '321102200001010017', '遗嘱公证', NULL) \gset
SELECT is((SELECT applicant_id FROM caseterm.legal_case WHERE id = :c8),
          (SELECT applicant_id FROM caseterm.legal_case WHERE id = :c7),
          'the ID number finds the person registered without phone');
SELECT is((SELECT p.phone_masked FROM caseterm.person p JOIN caseterm.legal_case c ON c.applicant_id = p.id
           WHERE c.id = :c7),
          caseterm.mask_phone('13500004444'), 'the missing phone is filled in');
SELECT case_id AS c9 FROM caseterm.register_consultation('刘一', '13500005555', '321102200001010017', '换了号码', NULL) \gset
SELECT is((SELECT p.phone_masked FROM caseterm.person p JOIN caseterm.legal_case c ON c.applicant_id = p.id
           WHERE c.id = :c9),
          caseterm.mask_phone('13500004444'), 'a phone on file is not overwritten');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('别人', NULL, '321102200001010017', '问题', NULL)$$,
                 '22023', 'this ID number is already registered under another name',
                 'an ID number registered under another name is refused');

-- a person without phone or ID number is created each time (nothing to match on)
SELECT case_id AS c10 FROM caseterm.register_consultation('匿名老人', NULL, NULL, '赡养问题', NULL) \gset
SELECT case_id AS c11 FROM caseterm.register_consultation('匿名老人', NULL, NULL, '赡养问题', NULL) \gset
SELECT isnt((SELECT applicant_id FROM caseterm.legal_case WHERE id = :c11),
            (SELECT applicant_id FROM caseterm.legal_case WHERE id = :c10),
            'a name alone does not find a person');

-- ---- validation: message, SQLSTATE 22023, and the form field
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', '12345', NULL, '问题', NULL)$$,
                 '22023', 'mobile number must be 11 digits starting with 1', 'a short phone is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', '12812345678', NULL, '问题', NULL)$$,
                 '22023', 'mobile number must be 11 digits starting with 1', 'a phone starting 12 is refused');
SELECT is(pg_temp.error_column($$SELECT * FROM caseterm.register_consultation('张三', '12345', NULL, '问题', NULL)$$),
          'phone', 'the phone error names the field phone');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, '321111198511220046', '问题', NULL)$$,
                 '22023', 'ID number check digit is wrong', 'a wrong check digit is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, '321102202602300019', '问题', NULL)$$,
                 '22023', 'ID number birth date is not valid', 'the birth date 20260230 is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, '32111119851122004', '问题', NULL)$$,
                 '22023', 'ID number must be 18 characters: 17 digits and a digit or X',
                 'an ID number of the wrong length is refused');
SELECT is(pg_temp.error_column($$SELECT * FROM caseterm.register_consultation('张三', NULL, '32111119851122004', '问题', NULL)$$),
          'id_number', 'the ID number error names the field id_number');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('  ', NULL, NULL, '问题', NULL)$$,
                 '22023', 'name is required', 'a blank name is refused');
SELECT throws_ok(format('SELECT * FROM caseterm.register_consultation(%L, NULL, NULL, %L, NULL)', repeat('名', 51), '问题'),
                 '22023', 'name must be at most 50 characters', 'a name of 51 characters is refused');
SELECT lives_ok(format('SELECT * FROM caseterm.register_consultation(%L, NULL, NULL, %L, NULL)', repeat('名', 50), '问题'),
                'a name of 50 characters is accepted');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, E'\u3000 ', NULL)$$,
                 '22023', 'the question is required', 'a blank question is refused');
SELECT throws_ok(format('SELECT * FROM caseterm.register_consultation(%L, NULL, NULL, %L, NULL)', '张三', repeat('问', 2001)),
                 '22023', 'the question must be at most 2000 characters', 'a question of 2001 characters is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL, 'fax')$$,
                 '22023', 'unknown channel', 'an unknown channel is refused');

-- refused calls are refused before they take a number: the next one is
-- consecutive (a registration rolled back after taking its number leaves
-- a gap: see the end)
SELECT case_no AS n12 FROM caseterm.register_consultation('周二', NULL, NULL, '离婚财产分割', NULL) \gset
SELECT case_no AS n13 FROM caseterm.register_consultation('周二', NULL, NULL, '离婚财产分割（续）', NULL) \gset
SELECT is(pg_temp.seq(:'n13'), pg_temp.seq(:'n12') + 1, 'refused registrations take no number');
SELECT pg_temp.act('t_town_b');
SELECT case_no AS n14 FROM caseterm.register_consultation('吴三', NULL, NULL, '租房押金不退', NULL) \gset
SELECT is(pg_temp.seq(:'n14'), pg_temp.seq(:'n13') + 1, 'numbers are one sequence for all users and units');

-- ---- permissions
SELECT pg_temp.act('t_analyst');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL)$$,
                 '42501', 'not allowed: the intake role is required', 'a user without the intake role is refused');
SELECT pg_temp.act('t_district');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL)$$,
                 '42501', 'not allowed: the intake role is required', 'a district dispatcher without intake is refused');
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL)$$,
                 '42501', 'not allowed: no acting user is set', 'no acting user: refused');
SELECT pg_temp.act('t_disabled');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL)$$,
                 '42501', 'not allowed: the user account or its unit is disabled', 'a disabled user is refused');
SELECT pg_temp.act('t_offunit');
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL)$$,
                 '42501', 'not allowed: the user account or its unit is disabled', 'a user of a disabled unit is refused');
SELECT set_config('caseterm.user_id', '999999999', true) AS ignored \gset
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL)$$,
                 '42501', 'not allowed: the user account or its unit is disabled', 'a user id that does not exist is refused');
SELECT set_config('caseterm.user_id', 'abc', true) AS ignored \gset
SELECT throws_ok($$SELECT * FROM caseterm.register_consultation('张三', NULL, NULL, '问题', NULL)$$,
                 '22P02', NULL, 'a malformed acting user setting is an error');
SELECT pg_temp.act('t_village_a');
SELECT lives_ok($$SELECT * FROM caseterm.register_consultation('郑四', NULL, NULL, '土地承包纠纷', NULL, 'grid')$$,
                'a village intake clerk registers');
SELECT is((SELECT unit_id FROM caseterm.legal_case WHERE created_by = pg_temp.uid('t_village_a')),
          pg_temp.unit('T-VA'), 'the case is held by the village');

-- ---- the record: events and audit rows, as the superuser sees them
RESET ROLE;
SELECT is((SELECT count(*)::int FROM caseterm.legal_case c
           JOIN caseterm.org_unit o ON o.id = c.unit_id WHERE o.code LIKE 'T-%'),
          (SELECT count(*)::int FROM caseterm.case_event e JOIN caseterm.legal_case c ON c.id = e.case_id
           JOIN caseterm.org_unit o ON o.id = c.unit_id WHERE o.code LIKE 'T-%' AND e.kind = 'register'),
          'every registered case has one register event');
SELECT is_empty($$SELECT c.id FROM caseterm.legal_case c JOIN caseterm.org_unit o ON o.id = c.unit_id
                  WHERE o.code LIKE 'T-%'
                    AND NOT EXISTS (SELECT 1 FROM caseterm.audit_log a
                                    WHERE a.action = 'case_register' AND a.object = 'legal_case:' || c.id
                                      AND a.user_id = c.created_by AND a.detail->>'case_no' = c.case_no)$$,
                'every registered case has its audit row case_register, by its author');
SELECT is((SELECT count(*)::int FROM caseterm.person WHERE id_number = '32110219900307123X'), 1,
          'the applicant with that ID number exists once');
SELECT is((SELECT last_value::int FROM pg_sequences WHERE schemaname = 'caseterm'
             AND sequencename = 'case_no_' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY')),
          (SELECT max(pg_temp.seq(case_no)) FROM caseterm.legal_case
           WHERE case_no LIKE to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-%'),
          'the year''s sequence holds the last number given out');
SELECT is((SELECT max(pg_temp.seq(c.case_no)) - pg_temp.seq(:'n1') + 1 FROM caseterm.legal_case c),
          (SELECT count(*)::int FROM caseterm.legal_case c JOIN caseterm.org_unit o ON o.id = c.unit_id
           WHERE o.code LIKE 'T-%'),
          'as many numbers as cases were given out');

-- ---- a registration rolled back after taking its number: a gap, no
-- reuse (numbers are unique per year, not gap-free: 040)
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SAVEPOINT undo;
SELECT case_no AS n15 FROM caseterm.register_consultation('钱五', NULL, NULL, '撤回的登记', NULL) \gset
ROLLBACK TO undo;
SELECT case_no AS n16 FROM caseterm.register_consultation('钱五', NULL, NULL, '重新登记', NULL) \gset
SELECT is(pg_temp.seq(:'n16'), pg_temp.seq(:'n15') + 1,
          'a number taken by a rolled-back registration is not given out again (a gap)');
SELECT is_empty(format('SELECT 1 FROM caseterm.legal_case WHERE case_no = %L', :'n15'),
                '... and no case has it');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
