-- intake.sql — registering every kind of case (sql/006_intake.sql): what
-- each stores, deadlines and urgency, validation messages and the form
-- field they name, parties of a dispute, anonymous complaints; and the
-- conflict and duplicate check of the intake forms.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(66);
\ir fixture.psql
\ir lifecycle_fixture.psql

-- The form field (COLUMN) and DETAIL of the error a statement raises.
CREATE FUNCTION pg_temp.field(p_sql text) RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    v_col text;
    v_det text;
BEGIN
    EXECUTE p_sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_col = COLUMN_NAME, v_det = PG_EXCEPTION_DETAIL;
    RETURN v_col || coalesce(' ' || nullif(v_det, ''), '');
END
$$;

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');

-- ---- legal aid
SELECT case_id AS la, case_no AS la_no, deadline AS la_dl
    FROM caseterm.register_legal_aid(' 李援助 ', '139-1111-2001', '321102198001010017', '工伤赔偿纠纷',
                                     'walk_in', '工伤', 4, 650.5) \gset
SELECT matches(:'la_no'::text, '^[0-9]{4}-[0-9]{6}$', 'legal aid: a case number');
SELECT results_eq(format($$SELECT kind, state::text, channel, unit_id, intake_unit_id, details, urgent
                           FROM pg_temp.c(%s)$$, :la),
                  format($$VALUES ('legal_aid'::text, 'registered'::text, 'walk_in'::text, %s::bigint, %s::bigint,
                                   '{"aid_category": "工伤", "household_size": 4, "monthly_income": 650.5}'::jsonb, false)$$,
                         pg_temp.unit('T-TA'), pg_temp.unit('T-TA')),
                  'legal aid: kind, state, channel, unit, household and income');
SELECT is(:'la_dl'::timestamptz, (pg_temp.c(:la)).deadline, 'the returned deadline is the case''s');
SELECT is((pg_temp.c(:la)).deadline,
          caseterm.rule_deadline((pg_temp.c(:la)).created_at, 'legal_aid', 'handle'),
          'legal aid: due 10 working days after registration');
-- as the owner: the application reads no number in full (034)
RESET ROLE;
SELECT results_eq(format($$SELECT p.name, p.phone, p.id_number FROM caseterm.person p
                           JOIN caseterm.legal_case c ON c.applicant_id = p.id WHERE c.id = %s$$, :la),
                  $$VALUES ('李援助'::text, '13911112001'::text, '321102198001010017'::text)$$,
                  'the applicant: trimmed name, phone as 11 digits');
SET LOCAL ROLE caseterm_app;
SELECT results_eq(format($$SELECT kind, from_state, to_state::text, user_id, unit_id
                           FROM caseterm.case_event WHERE case_id = %s$$, :la),
                  format($$VALUES ('register'::text, NULL::caseterm.case_state, 'registered'::text, %s::bigint, %s::bigint)$$,
                         pg_temp.uid('t_town_a'), pg_temp.unit('T-TA')),
                  'the event register');
SELECT throws_ok($$SELECT * FROM caseterm.register_legal_aid('某', NULL, NULL, '事', NULL, NULL, 0)$$,
                 '22023', 'the household size must be between 1 and 30', 'a household of 0 is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_legal_aid('某', NULL, NULL, '事', NULL, NULL, NULL, -1)$$,
                 '22023', 'the income cannot be negative', 'a negative income is refused');
SELECT is(pg_temp.field($$SELECT * FROM caseterm.register_legal_aid('某', NULL, NULL, '事', NULL, NULL, NULL, -1)$$),
          'monthly_income', '... naming the field monthly_income');
SELECT throws_ok($$SELECT * FROM caseterm.register_legal_aid('某', NULL, NULL, '  ')$$,
                 '22023', 'the description is required', 'a description is required');
SELECT is(pg_temp.field($$SELECT * FROM caseterm.register_legal_aid('某', NULL, NULL, '  ')$$),
          'subject', '... naming the field subject');
SELECT throws_ok($$SELECT * FROM caseterm.register_legal_aid('某', NULL, NULL, '事', 'fax')$$,
                 '22023', 'unknown channel', 'an unknown channel is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_legal_aid(NULL, '13911112001', NULL, '事')$$,
                 '22023', 'name is required', 'the applicant''s name is required');
SELECT throws_ok($$SELECT * FROM caseterm.register_legal_aid('别人', NULL, '321102198001010017', '事')$$,
                 '22023', 'this ID number is already registered under another name',
                 'an ID number under another name is refused');

-- ---- urgent: the same day
SELECT case_id AS u FROM caseterm.register_legal_aid('急某', '13911112002', NULL, '明日开庭', 'hotline',
                                                     NULL, NULL, NULL, true) \gset
SELECT results_eq(format('SELECT urgent, deadline, step_deadline FROM pg_temp.c(%s)', :u),
                  format('VALUES (true, %L::timestamptz, %L::timestamptz)',
                         caseterm.add_workdays(now(), 0), caseterm.add_workdays(now(), 0)),
                  'urgent: reply and review due the same working day');

-- ---- legal service
SELECT case_id AS ls FROM caseterm.register_legal_service('服务人', '13911112003', NULL, '需要办理遗嘱公证',
                                                          'online', 'notary') \gset
SELECT results_eq(format('SELECT kind, details FROM pg_temp.c(%s)', :ls),
                  $$VALUES ('legal_service'::text, '{"service": "notary"}'::jsonb)$$, 'legal service: notary');
SELECT throws_ok($$SELECT * FROM caseterm.register_legal_service('某', NULL, NULL, '事', NULL, 'doctor')$$,
                 '22023', 'choose the legal service: lawyer, notary or judicial appraisal', 'an unknown service is refused');

-- ---- mediation with parties
SELECT case_id AS md FROM caseterm.register_mediation(
    '[{"role": "applicant", "name": "王大", "phone": "13911113001", "id_number": "321102197505050018"},
      {"role": "applicant", "name": "王二", "phone": "13911113002"},
      {"role": "respondent", "name": "赵三", "phone": "13911113003", "note": "承包方"},
      {"role": "other", "name": "钱四", "note": "证人"}]',
    '土地承包合同纠纷，涉及八户村民', 'grid', 'land_forest',
    (SELECT id FROM caseterm.org_unit WHERE code = 'T-VA'), 8, 52000.456) \gset
SELECT results_eq(format($$SELECT kind, channel, category, place_unit_id, people_involved, amount
                           FROM pg_temp.c(%s)$$, :md),
                  format($$VALUES ('mediation'::text, 'grid'::text, 'land_forest'::text, %s::bigint, 8, 52000.46::numeric)$$,
                         pg_temp.unit('T-VA')),
                  'mediation: channel, category, place, people, amount in yuan and fen');
SELECT results_eq(format($$SELECT q.role, p.name, q.note FROM caseterm.case_party q
                           JOIN caseterm.person p ON p.id = q.person_id WHERE q.case_id = %s ORDER BY q.id$$, :md),
                  $$VALUES ('applicant'::text, '王大'::text, NULL::text), ('applicant', '王二', NULL),
                           ('respondent', '赵三', '承包方'), ('other', '钱四', '证人')$$,
                  'the parties with their roles, in order');
SELECT is((SELECT p.name FROM caseterm.person p JOIN caseterm.legal_case c ON c.applicant_id = p.id WHERE c.id = :md),
          '王大', 'the first applicant is the case''s applicant');
SELECT is((pg_temp.c(:md)).deadline,
          caseterm.rule_deadline((pg_temp.c(:md)).created_at, 'mediation', 'handle'),
          'mediation: due 22 working days after registration');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[]', '事', NULL, 'neighbour')$$,
                 '22023', 'a dispute needs at least one applicant', 'no parties: refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[{"role": "respondent", "name": "甲"}]', '事', NULL, 'neighbour')$$,
                 '22023', 'a dispute needs at least one applicant', 'only a respondent: refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事', NULL, NULL)$$,
                 '22023', 'choose the dispute category', 'the category is required');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事', NULL, 'gossip')$$,
                 '22023', 'unknown dispute category', 'an unknown category is refused');
-- what the form asks besides (035): kept in details, checked
SELECT case_id AS mdd FROM caseterm.register_mediation('[{"role": "applicant", "name": "细节甲"}]', '邻里纠纷',
    'walk_in', 'neighbour', NULL, NULL, NULL, true,
    '{"began_on": "2026-01-05", "received_at": "2026-01-06T09:30:00+08:00", "urgent_reason": " 双方情绪激动 ",
      "groups": ["women", "elderly", "women"]}') \gset
SELECT is((SELECT details FROM caseterm.legal_case WHERE id = :mdd),
          '{"began_on": "2026-01-05", "received_at": "2026-01-06 09:30", "urgent_reason": "双方情绪激动",
            "groups": ["elderly", "women"]}'::jsonb,
          'mediation details: began, received (Beijing time), why urgent (trimmed), groups (once each)');
SELECT is(pg_temp.field($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事',
                            NULL, 'neighbour', NULL, NULL, NULL, false, '{"began_on": "2999-01-01"}')$$),
          'began_on', 'a dispute that begins in the future is refused, naming began_on');
SELECT is(pg_temp.field($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事',
                            NULL, 'neighbour', NULL, NULL, NULL, false, '{"received_at": "yesterday-ish"}')$$),
          'received_at', 'a time that is not one is refused, naming received_at');
SELECT is(pg_temp.field($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事',
                            NULL, 'neighbour', NULL, NULL, NULL, false, '{"groups": ["aliens"]}')$$),
          'groups', 'an unknown special group is refused');
SELECT is(pg_temp.field($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事',
                            NULL, 'neighbour', NULL, NULL, NULL, false, '{"salary": 1}')$$),
          'salary', 'an unknown detail is refused, not kept');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[{"role": "judge", "name": "甲"}]', '事', NULL, 'neighbour')$$,
                 '22023', 'a party''s role must be applicant, respondent or other', 'an unknown role is refused');
SELECT is(pg_temp.field($$SELECT * FROM caseterm.register_mediation(
                            '[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙", "phone": "123"}]',
                            '事', NULL, 'neighbour')$$),
          'phone 2', 'a bad phone of the second party names the field phone and party 2');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation(
                     '[{"role": "applicant", "name": "甲", "phone": "13911113009"},
                       {"role": "respondent", "name": "甲", "phone": "13911113009"}]', '事', NULL, 'neighbour')$$,
                 '22023', 'the same person cannot be both applicant and respondent', 'one person on both sides: refused');
SELECT throws_ok(format($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事',
                          NULL, 'neighbour', %s)$$, pg_temp.unit('T-VX')),
                 '22023', 'unknown place', 'a disabled place is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事',
                   NULL, 'neighbour', NULL, 0)$$,
                 '22023', 'the number of people involved must be at least 1', 'nobody involved: refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事',
                   NULL, 'neighbour', NULL, NULL, -5)$$,
                 '22023', 'the amount cannot be negative', 'a negative amount is refused');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('{"role": "applicant"}', '事', NULL, 'neighbour')$$,
                 '22023', 'a dispute needs at least one applicant', 'parties must be an array');

-- ---- complaint and suggestion, anonymous allowed
SELECT case_id AS cp FROM caseterm.register_complaint(NULL, NULL, NULL, '办事窗口推诿', 'wechat', '某司法所窗口') \gset
SELECT results_eq(format('SELECT kind, applicant_id, details FROM pg_temp.c(%s)', :cp),
                  $$VALUES ('complaint'::text, NULL::bigint, '{"about": "某司法所窗口"}'::jsonb)$$,
                  'an anonymous complaint, with whom it is about');
SELECT is((pg_temp.c(:cp)).deadline,
          caseterm.rule_deadline((pg_temp.c(:cp)).created_at, 'complaint', 'handle'),
          'complaint: due 15 working days after registration');
SELECT throws_ok($$SELECT * FROM caseterm.register_complaint(NULL, '13911114001', NULL, '事')$$,
                 '22023', 'name is required', 'a phone without a name is refused');
SELECT case_id AS sg FROM caseterm.register_suggestion('建议人', '13911114002', NULL, '建议延长周末窗口时间') \gset
SELECT results_eq(format('SELECT kind, channel, state::text FROM pg_temp.c(%s)', :sg),
                  $$VALUES ('suggestion'::text, 'hotline'::text, 'registered'::text)$$, 'a suggestion, hotline by default');
SELECT lives_ok($$SELECT * FROM caseterm.register_suggestion(NULL, NULL, NULL, '匿名建议')$$,
                'an anonymous suggestion');

-- ---- permissions and the record
SELECT pg_temp.act('t_district');
SELECT throws_ok($$SELECT * FROM caseterm.register_complaint(NULL, NULL, NULL, '事')$$,
                 '42501', 'not allowed: the intake role is required', 'registering needs the intake role');
SELECT throws_ok($$SELECT * FROM caseterm.register_mediation('[{"role": "applicant", "name": "甲"}]', '事', NULL, 'neighbour')$$,
                 '42501', 'not allowed: the intake role is required', '... for every kind');
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT * FROM caseterm.register_suggestion(NULL, NULL, NULL, '事')$$,
                 '42501', 'not allowed: no acting user is set', 'no acting user: refused');
RESET ROLE;
SELECT is_empty(format($$SELECT c.id FROM caseterm.legal_case c WHERE c.id IN (%s, %s, %s, %s, %s)
                         AND NOT EXISTS (SELECT 1 FROM caseterm.audit_log a WHERE a.action = 'case_register'
                                         AND a.object = 'legal_case:' || c.id AND a.detail->>'kind' = c.kind)$$,
                       :la, :ls, :md, :cp, :sg),
                'every registration has its audit row case_register with the kind');
SELECT is((SELECT count(*)::int FROM caseterm.person WHERE id_number = '321102197505050018'), 1,
          'a party with an ID number exists once');
SET LOCAL ROLE caseterm_app;

-- =====================================================================
-- The conflict and duplicate check
-- =====================================================================
-- 王大 (ID 321102197505050018) applied for mediation :md at T-TA; 赵三 is
-- its respondent.  Another dispute, at town B: 王大 is a respondent there.
SELECT pg_temp.act('t_town_b');
SELECT case_id AS mb FROM caseterm.register_mediation(
    '[{"role": "applicant", "name": "孙五", "phone": "13911115001"},
      {"role": "respondent", "name": "王大", "id_number": "321102197505050018"}]',
    '借款纠纷', 'walk_in', 'contract') \gset

SELECT pg_temp.act('t_town_a');
SELECT results_eq($$SELECT match, matched_on, case_id, role, visible
                    FROM caseterm.intake_check('mediation', '王大', NULL, '321102197505050018')$$,
                  format($$VALUES ('same_kind'::text, 'id_number'::text, %s::bigint, 'applicant'::text, true),
                                  ('adverse_party', 'id_number', %s, 'respondent', false)$$, :md, :mb),
                  'by ID number: his open dispute here (offer to link or merge) and, at town B, the one where he is the respondent');
SELECT is((SELECT subject FROM caseterm.intake_check('mediation', '王大', NULL, '321102197505050018')
           WHERE match = 'adverse_party'),
          NULL, 'a case the clerk cannot open shows no subject');
SELECT is((SELECT case_no FROM caseterm.intake_check('mediation', '王大', NULL, '321102197505050018')
           WHERE match = 'adverse_party'),
          (pg_temp.c(:mb)).case_no, '... but its number, for the warning');
SELECT results_eq($$SELECT match, matched_on, case_id FROM caseterm.intake_check('mediation', '赵三', '13911113003', NULL)$$,
                  format($$VALUES ('adverse_party'::text, 'name_phone'::text, %s::bigint)$$, :md),
                  'by name + phone: 赵三 is the respondent in an open dispute');
SELECT is_empty($$SELECT * FROM caseterm.intake_check('legal_aid', '王大', NULL, '321102197505050018')
                  WHERE match = 'same_kind'$$,
                'no open legal aid case of his: nothing of the same kind');
SELECT results_eq(format($$SELECT match, case_id FROM caseterm.intake_check('legal_aid', '李援助', '13911112001', NULL)$$),
                  format($$VALUES ('same_kind'::text, %s::bigint)$$, :la),
                  'by name + phone: an open legal aid application');
SELECT is_empty($$SELECT * FROM caseterm.intake_check('mediation', '赵三', NULL, NULL)$$,
                'a name alone finds nothing');
SELECT is_empty($$SELECT * FROM caseterm.intake_check('mediation', '无名', '13911119999', NULL)$$,
                'an unknown person: nothing');
SELECT throws_ok($$SELECT * FROM caseterm.intake_check('mediation', '某', '123', NULL)$$,
                 '22023', 'mobile number must be 11 digits starting with 1', 'a bad phone is refused');
SELECT throws_ok($$SELECT * FROM caseterm.intake_check('mediation', '某', NULL, '321102197505050012')$$,
                 '22023', 'ID number check digit is wrong', 'a bad ID number is refused');
-- closed cases do not count
SELECT caseterm.case_review_reject(:la, 1, '不符合条件') AS ignored \gset
SELECT is_empty($$SELECT * FROM caseterm.intake_check('legal_aid', '李援助', '13911112001', NULL)$$,
                'a rejected application is not open: nothing');
SELECT pg_temp.act('t_analyst');
SELECT throws_ok($$SELECT * FROM caseterm.intake_check('mediation', '王大', NULL, '321102197505050018')$$,
                 '42501', 'not allowed: the intake role is required', 'the check needs the intake role');
RESET ROLE;
SELECT ok(EXISTS (SELECT 1 FROM caseterm.audit_log WHERE action = 'intake_check'
                  AND user_id = pg_temp.uid('t_town_a') AND detail->>'matched_on' = 'id_number'),
          'a check that found something is audited');

-- ---- the found cases can be linked or merged at once
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SELECT case_id AS md2 FROM caseterm.register_mediation(
    '[{"role": "applicant", "name": "王大", "id_number": "321102197505050018"}]',
    '土地承包合同纠纷（再次来访）', 'walk_in', 'land_forest') \gset
SELECT is((SELECT count(*)::int FROM caseterm.intake_check('mediation', '王大', NULL, '321102197505050018')
           WHERE match = 'same_kind'), 2, 'now two open disputes of his');
SELECT lives_ok(format('SELECT caseterm.case_merge(%s, 1, %s, %L)', :md2, :md, '重复登记'),
                'the new one merged into the first');
SELECT is((SELECT count(*)::int FROM caseterm.intake_check('mediation', '王大', NULL, '321102197505050018')
           WHERE match = 'same_kind'), 1, 'a merged case is not open');

-- ---- the person is found again, not created twice
SELECT is((SELECT count(*)::int FROM caseterm.person WHERE name = '王大'), 1, '王大 exists once');
SELECT pg_temp.act('t_town_a');
SELECT lives_ok($$SELECT * FROM caseterm.register_legal_service('赵三', '13911113003', NULL, '咨询律师', NULL, 'lawyer')$$,
                'a respondent applies for a legal service');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM caseterm.person WHERE name = '赵三'), 1, '赵三 is found by name + phone');

SELECT * FROM finish();
ROLLBACK;
