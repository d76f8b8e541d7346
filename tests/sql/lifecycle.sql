-- lifecycle.sql — the work-order lifecycle (sql/007_steps.sql): every step
-- allowed and refused by state, by role and by jurisdiction; the events and
-- audit rows each writes; the version check; deadlines set by the steps and
-- the clock that pauses during a return or an extension review.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(168);
\ir fixture.psql
\ir lifecycle_fixture.psql

SET LOCAL ROLE caseterm_app;

-- =====================================================================
-- A dispute from the city hotline: review, dispatch down two levels,
-- sign-for, return (approved, then refused), extension, sub-dispatch,
-- reply, follow-up, reopen, close.
-- =====================================================================
SELECT pg_temp.act('t_hotline');
SELECT case_id AS m, case_no AS m_no FROM caseterm.register_mediation(
    '[{"role": "applicant", "name": "调解甲", "phone": "13911110001"},
      {"role": "respondent", "name": "调解乙", "phone": "13911110002"}]',
    '两户因院墙滴水发生争执', 'hotline', 'neighbour',
    (SELECT id FROM caseterm.org_unit WHERE code = 'T-VA'), 2, 0) \gset
SELECT results_eq(format('SELECT state::text, version, unit_id FROM pg_temp.c(%s)', :m),
                  format('VALUES (%L, 1, %s::bigint)', 'registered', pg_temp.unit('T-CITY')),
                  'registered at the hotline''s unit, version 1');
SELECT is((pg_temp.c(:m)).deadline,
          caseterm.rule_deadline((pg_temp.c(:m)).created_at, 'mediation', 'handle'),
          'the reply deadline: 22 working days (mediation) from registration');
SELECT is((pg_temp.c(:m)).due_at,
          caseterm.rule_deadline((pg_temp.c(:m)).created_at, 'mediation', 'review'),
          'due now: the review, 1 working day');

-- ---- review
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format('SELECT caseterm.case_review_accept(%s, 1)', :m), 'P0002', 'no such case',
                 'a town cannot see, so cannot review, a case held by the city');
SELECT pg_temp.act('t_followup');
SELECT throws_ok(format('SELECT caseterm.case_review_accept(%s, 1)', :m), '42501',
                 'not allowed: your role does not permit this step', 'a follow-up clerk cannot review');
SELECT pg_temp.act('t_hotline');
SELECT throws_ok(format('SELECT caseterm.case_review_accept(%s, 7)', :m), '40001',
                 'the case was changed by someone else; reload it', 'a stale version is refused');
SELECT matches(pg_temp.err(format('SELECT caseterm.case_review_accept(%s, 7)', :m)),
               '\| 市热线钱八 [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$',
               'DETAIL names who changed the case last and when');
SELECT throws_ok(format('SELECT caseterm.case_review_accept(%s, NULL)', :m), '22023',
                 'the version of the case is required', 'a step that changes the case needs the version');
SELECT throws_ok(format('SELECT caseterm.case_sign(%s, 1)', :m), '55000',
                 'this step is not possible in the case''s current state', 'no sign-for before dispatch');
SELECT throws_ok(format('SELECT caseterm.case_review_reject(%s, 1, %L)', :m, ' '), '22023',
                 'a reason is required', 'a rejection needs a reason');
SELECT caseterm.case_review_accept(:m, 1, '属实，受理') AS v \gset
SELECT is(:v, 2, 'accept returns the new version');
SELECT results_eq(format('SELECT state::text, step_deadline FROM pg_temp.c(%s)', :m),
                  $$VALUES ('accepted'::text, NULL::timestamptz)$$, 'accepted; the review deadline is gone');
SELECT throws_ok(format('SELECT caseterm.case_review_accept(%s, %s)', :m, :v), '55000',
                 'this step is not possible in the case''s current state', 'accepting twice is refused');

-- ---- dispatch: city -> district -> town
SELECT throws_ok(format('SELECT caseterm.case_dispatch(%s, %s, %s)', :m, :v, pg_temp.unit('T-VX')),
                 '22023', 'unknown unit', 'not to a disabled unit');
SELECT throws_ok(format('SELECT caseterm.case_dispatch(%s, %s, %s)', :m, :v, pg_temp.unit('T-CITY')),
                 '22023', 'the case is already at that unit', 'not to the unit holding it');
SELECT throws_ok(format('SELECT caseterm.case_dispatch(%s, %s, NULL)', :m, :v),
                 '22023', 'unknown unit', 'a unit is required');
SELECT caseterm.case_dispatch(:m, :v, pg_temp.unit('T-D1'), '请一区处理') AS v \gset
SELECT results_eq(format('SELECT state::text, unit_id, dispatched_by_unit, handler_id FROM pg_temp.c(%s)', :m),
                  format('VALUES (%L, %s::bigint, %s::bigint, NULL::bigint)', 'awaiting_signfor',
                         pg_temp.unit('T-D1'), pg_temp.unit('T-CITY')),
                  'dispatched: awaiting sign-for at the district, the city decides on a return');
SELECT is((pg_temp.c(:m)).step_deadline,
          caseterm.rule_deadline((pg_temp.c(:m)).dispatched_at, 'mediation', 'signfor'),
          'the sign-for deadline: 1 working day from the dispatch');
SELECT pg_temp.act('t_d2_disp');
SELECT throws_ok(format('SELECT caseterm.case_dispatch(%s, %s, %s)', :m, :v, pg_temp.unit('T-D2')),
                 'P0002', 'no such case', 'the other district does not see it');
SELECT pg_temp.act('t_district');
SELECT throws_ok(format('SELECT caseterm.case_dispatch(%s, %s, %s)', :m, :v, pg_temp.unit('T-D2')),
                 '42501', 'not allowed: the unit is outside your jurisdiction',
                 'a district dispatches only within its district');
SELECT caseterm.case_dispatch(:m, :v, pg_temp.unit('T-TA')) AS v \gset
SELECT results_eq(format('SELECT state::text, unit_id, dispatched_by_unit FROM pg_temp.c(%s)', :m),
                  format('VALUES (%L, %s::bigint, %s::bigint)', 'awaiting_signfor',
                         pg_temp.unit('T-TA'), pg_temp.unit('T-D1')),
                  'passed on down to the town without signing');

-- ---- sign-for
SELECT pg_temp.act('t_town_b');
SELECT throws_ok(format('SELECT caseterm.case_sign(%s, %s)', :m, :v), 'P0002', 'no such case',
                 'another town cannot sign for it');
SELECT pg_temp.act('t_town_a2');
SELECT throws_ok(format('SELECT caseterm.case_sign(%s, %s)', :m, :v), '42501',
                 'not allowed: your role does not permit this step', 'an intake clerk cannot sign for it');
SELECT pg_temp.act('t_district');
SELECT throws_ok(format('SELECT caseterm.case_sign(%s, %s)', :m, :v), '42501',
                 'not allowed: the case is not held by your unit', 'the district cannot sign for the town');
SELECT pg_temp.act('t_town_a');
SELECT caseterm.case_sign(:m, :v) AS v \gset
SELECT results_eq(format('SELECT state::text, step_deadline, signed_at IS NOT NULL FROM pg_temp.c(%s)', :m),
                  $$VALUES ('in_progress'::text, NULL::timestamptz, true)$$, 'signed for: in progress');

-- ---- return, approved: back to the district, re-dispatched
SELECT caseterm.case_return(:m, :v, '不属于本所辖区') AS v \gset
SELECT results_eq(format('SELECT state::text, deadline_paused_at IS NOT NULL FROM pg_temp.c(%s)', :m),
                  $$VALUES ('return_review'::text, true)$$, 'returned: in review, the clock paused');
SELECT results_eq(format($$SELECT kind, reason, requested_by FROM caseterm.case_request
                           WHERE case_id = %s AND decided_at IS NULL$$, :m),
                  format('VALUES (%L, %L, %s::bigint)', 'return', '不属于本所辖区', pg_temp.uid('t_town_a')),
                  'the return waits as a request with its reason');
SELECT throws_ok(format('SELECT caseterm.case_approve_return(%s, %s)', :m, :v), '42501',
                 'not allowed: the supervisor role is required', 'the town cannot approve its own return');
SELECT pg_temp.act('t_sup_a');
SELECT throws_ok(format('SELECT caseterm.case_approve_return(%s, %s)', :m, :v), '42501',
                 'not allowed: the case is outside your jurisdiction',
                 'a town supervisor does not decide on returns to the district');
SELECT pg_temp.act('t_district');
SELECT throws_ok(format('SELECT caseterm.case_refuse_return(%s, %s, NULL)', :m, :v), '22023',
                 'a reason is required', 'refusing a return needs a reason');
SELECT (pg_temp.c(:m)).deadline AS dl_before \gset
SELECT caseterm.case_approve_return(:m, :v, '同意，改派') AS v \gset
SELECT results_eq(format($$SELECT state::text, unit_id, handler_id, deadline_paused_at, deadline
                           FROM pg_temp.c(%s)$$, :m),
                  format('VALUES (%L, %s::bigint, NULL::bigint, NULL::timestamptz, %L::timestamptz)',
                         'accepted', pg_temp.unit('T-D1'), :'dl_before'),
                  'approved: accepted at the district again, clock running, deadline unchanged (paused today only)');
SELECT results_eq(format($$SELECT approved, decided_by FROM caseterm.case_request
                           WHERE case_id = %s AND kind = 'return'$$, :m),
                  format('VALUES (true, %s::bigint)', pg_temp.uid('t_district')),
                  'the request records the decision');
SELECT caseterm.case_dispatch(:m, :v, pg_temp.unit('T-TA'), '再次派发') AS v \gset

-- ---- return, refused: forced dispatch
SELECT pg_temp.act('t_town_a');
SELECT caseterm.case_return(:m, :v, '人手不足') AS v \gset
SELECT pg_temp.act('t_city');
SELECT caseterm.case_refuse_return(:m, :v, '属地管理，必须办理') AS v \gset
SELECT results_eq(format('SELECT state::text, unit_id, signed_at IS NOT NULL FROM pg_temp.c(%s)', :m),
                  format('VALUES (%L, %s::bigint, true)', 'in_progress', pg_temp.unit('T-TA')),
                  'refused by the city: forced on the town, in progress');
SELECT is((SELECT detail->>'forced' FROM caseterm.case_event WHERE case_id = :m AND kind = 'refuse_return'),
          'true', 'the event says the dispatch was forced');

-- ---- the return window: 2 working days after the dispatch
SELECT pg_temp.act('t_town_a');
RESET ROLE;
UPDATE caseterm.legal_case SET dispatched_at = now() - interval '20 days' WHERE id = :m;
SET LOCAL ROLE caseterm_app;
SELECT throws_ok(format('SELECT caseterm.case_return(%s, %s, %L)', :m, pg_temp.v(:m), '晚了'), '55000',
                 'the time for returning this case has passed', 'no return after the return window');
SELECT pg_temp.v(:m) AS v \gset

-- ---- assign
SELECT throws_ok(format('SELECT caseterm.case_assign(%s, %s, %s)', :m, :v, pg_temp.uid('t_town_a2')), '22023',
                 'the handler must be an active handler of the unit holding the case', 'not a user without the handler role');
SELECT throws_ok(format('SELECT caseterm.case_assign(%s, %s, %s)', :m, :v, pg_temp.uid('t_handler_b')), '22023',
                 'the handler must be an active handler of the unit holding the case', 'not a handler of another town');
SELECT caseterm.case_assign(:m, :v, pg_temp.uid('t_town_a')) AS v \gset
SELECT is((pg_temp.c(:m)).handler_id, pg_temp.uid('t_town_a'), 'a town handler takes the case himself');

-- ---- extension: refused, approved; the paused clock
SELECT throws_ok(format('SELECT caseterm.case_request_extension(%s, %s, 11, %L)', :m, :v, '复杂'), '22023',
                 'an extension must be between 1 and the allowed number of working days', 'at most 10 working days');
SELECT throws_ok(format('SELECT caseterm.case_request_extension(%s, %s, 0, %L)', :m, :v, '复杂'), '22023',
                 'an extension must be between 1 and the allowed number of working days', 'at least 1');
SELECT throws_ok(format('SELECT caseterm.case_request_extension(%s, %s, 3, NULL)', :m, :v), '22023',
                 'a reason is required', 'an extension needs a reason');
SELECT caseterm.case_request_extension(:m, :v, 5, '需要现场勘查') AS v \gset
SELECT results_eq(format('SELECT state::text, deadline_paused_at IS NOT NULL FROM pg_temp.c(%s)', :m),
                  $$VALUES ('extension_review'::text, true)$$, 'extension asked: in review, the clock paused');
SELECT throws_ok(format('SELECT caseterm.case_reply(%s, %s, %L)', :m, :v, '答复'), '55000',
                 'this step is not possible in the case''s current state', 'no reply during the review');
SELECT pg_temp.act('t_district');
SELECT caseterm.case_refuse_extension(:m, :v, '期限充足') AS v \gset
SELECT results_eq(format('SELECT state::text, deadline_paused_at, deadline FROM pg_temp.c(%s)', :m),
                  format('VALUES (%L, NULL::timestamptz, %L::timestamptz)', 'in_progress', :'dl_before'),
                  'refused: in progress, clock running, the deadline unchanged');
SELECT pg_temp.act('t_town_a');
SELECT caseterm.case_request_extension(:m, :v, 3, '当事人外出') AS v \gset
-- The review took 15 calendar days: pretend the pause started then.
RESET ROLE;
UPDATE caseterm.legal_case SET deadline_paused_at = now() - interval '15 days' WHERE id = :m;
SET LOCAL ROLE caseterm_app;
SELECT caseterm.workdays_between(now() - interval '15 days', now()) AS shift,
       (pg_temp.c(:m)).deadline AS dl_old, pg_temp.v(:m) AS v \gset
SELECT cmp_ok(:shift, '>', 0, 'the pause covered working days');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format('SELECT caseterm.case_approve_extension(%s, %s)', :m, :v), '42501',
                 'not allowed: the supervisor role is required', 'the handler cannot approve his extension');
SELECT pg_temp.act('t_district');
SELECT throws_ok(format('SELECT caseterm.case_approve_extension(%s, %s, 4)', :m, :v), '22023',
                 'the days granted must be between 1 and the days asked for', 'not more than asked');
SELECT caseterm.case_approve_extension(:m, :v, 2, '同意延期2天') AS v \gset
SELECT results_eq(format('SELECT state::text, deadline_paused_at, deadline, paused_workdays FROM pg_temp.c(%s)', :m),
                  format('VALUES (%L, NULL::timestamptz, %L::timestamptz, %s)', 'in_progress',
                         caseterm.add_workdays(caseterm.add_workdays(:'dl_old', :shift), 2), :shift),
                  'approved: the deadline moved by the paused working days, then by the 2 days granted');
SELECT results_eq(format($$SELECT (detail->>'shift')::int, (detail->>'days')::int FROM caseterm.case_event
                           WHERE case_id = %s AND kind = 'approve_extension'$$, :m),
                  format('VALUES (%s, 2)', :shift), 'the event records the shift and the days');
SELECT is((SELECT granted_days FROM caseterm.case_request WHERE case_id = :m AND approved AND kind = 'extension'),
          2, 'the request records the days granted');
-- after the deadline: no extension
RESET ROLE;
UPDATE caseterm.legal_case SET deadline = now() - interval '1 hour' WHERE id = :m;
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format('SELECT caseterm.case_request_extension(%s, %s, 2, %L)', :m, pg_temp.v(:m), '太晚'), '55000',
                 'an extension must be requested before the deadline', 'no extension after the deadline');
RESET ROLE;
UPDATE caseterm.legal_case SET deadline = caseterm.add_workdays(now(), 10) WHERE id = :m;
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.v(:m) AS v \gset

-- ---- sub-dispatch: a child case at the village
SELECT throws_ok(format('SELECT * FROM caseterm.case_sub_dispatch(%s, %s, %s, %L, 2)', :m, :v,
                        pg_temp.unit('T-TB'), '调查'), '42501',
                 'not allowed: the unit is outside your jurisdiction', 'only within the jurisdiction');
SELECT throws_ok(format('SELECT * FROM caseterm.case_sub_dispatch(%s, %s, %s, %L, 30)', :m, :v,
                        pg_temp.unit('T-VA'), '调查'), '22023',
                 'the child case''s deadline cannot be later than the parent''s', 'not later than the parent');
SELECT case_id AS k, deadline AS k_dl FROM caseterm.case_sub_dispatch(:m, :v, pg_temp.unit('T-VA'),
                                                                     '请村调委会入户了解情况', 2) \gset
SELECT results_eq(format($$SELECT kind, state::text, unit_id, parent_id, applicant_id, deadline
                           FROM pg_temp.c(%s)$$, :k),
                  format($$SELECT kind, 'awaiting_signfor'::text, %s::bigint, id, applicant_id, %L::timestamptz
                           FROM pg_temp.c(%s)$$, pg_temp.unit('T-VA'), caseterm.add_workdays(now(), 2), :m),
                  'the child: same kind and applicant, awaiting sign-for at the village, its own deadline');
SELECT is(pg_temp.v(:m), :v, 'the parent does not change');
SELECT is(pg_temp.events(:k), 'sub_dispatch', 'the child starts with a sub_dispatch event');
SELECT throws_ok(format('SELECT caseterm.case_reply(%s, %s, %L)', :m, :v, '答复'), '55000',
                 'the case has child cases that are still open', 'no reply while a child is open');
SELECT pg_temp.act('t_handler_va');
SELECT caseterm.case_sign(:k, 1) AS kv \gset
SELECT caseterm.case_reply(:k, :kv, '已入户了解，双方同意调解') AS kv \gset
SELECT pg_temp.act('t_district');
SELECT caseterm.case_approve_reply(:k, :kv) AS kv \gset
SELECT results_eq(format('SELECT state::text, answer FROM pg_temp.c(%s)', :k),
                  $$VALUES ('closed'::text, '已入户了解，双方同意调解'::text)$$,
                  'the child''s approved reply closes it');

-- ---- reply: refused, then approved
SELECT pg_temp.act('t_town_a2');
SELECT throws_ok(format('SELECT caseterm.case_reply(%s, %s, %L)', :m, :v, '答复'), '42501',
                 'not allowed: the handler role is required', 'only a handler replies');
SELECT pg_temp.act('t_sup_a');
SELECT throws_ok(format('SELECT caseterm.case_reply(%s, %s, %L)', :m, :v, '答复'), '42501',
                 'not allowed: only the assigned handler can do this', 'another handler of the town cannot reply');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format('SELECT caseterm.case_reply(%s, %s, %L)', :m, :v, ' '), '22023',
                 'the reply is required', 'an empty reply is refused');
SELECT caseterm.case_reply(:m, :v, '经调解，双方达成协议') AS v \gset
SELECT is((pg_temp.c(:m)).state::text, 'reply_review', 'replied: in review');
SELECT pg_temp.act('t_district');
SELECT caseterm.case_refuse_reply(:m, :v, '请附调解协议') AS v \gset
SELECT is((pg_temp.c(:m)).state::text, 'in_progress', 'reply refused: in progress again');
SELECT pg_temp.act('t_town_a');
SELECT caseterm.case_reply(:m, :v, '经调解，双方达成协议，协议书已签订') AS v \gset
SELECT pg_temp.act('t_sup_a');
SELECT caseterm.case_approve_reply(:m, :v, '同意') AS v \gset
SELECT results_eq(format('SELECT state::text, answer, replied_at IS NOT NULL FROM pg_temp.c(%s)', :m),
                  $$VALUES ('awaiting_followup'::text, '经调解，双方达成协议，协议书已签订'::text, true)$$,
                  'approved by the town''s supervisor: the reply is the answer, awaiting follow-up');
SELECT is((pg_temp.c(:m)).due_at, caseterm.rule_deadline(now(), 'mediation', 'followup'),
          'due now: the follow-up call, 1 working day');

-- ---- follow-up: unsatisfied and justified reopens; then satisfied closes
SELECT pg_temp.act('t_town_a2');
SELECT throws_ok(format('SELECT caseterm.case_followup(%s, %s, %L)', :m, :v, 'satisfied'), '42501',
                 'not allowed: the case is outside your jurisdiction',
                 'an intake clerk follows up only the cases his unit registered');
SELECT pg_temp.act('t_followup');
SELECT throws_ok(format('SELECT caseterm.case_followup(%s, %s, %L)', :m, :v, 'happy'), '22023',
                 'choose the applicant''s opinion: satisfied, basically satisfied or unsatisfied',
                 'an unknown opinion is refused');
SELECT caseterm.case_followup(:m, :v, 'unsatisfied', true, '对方未履行') AS v \gset
SELECT results_eq(format('SELECT state::text, satisfaction, reopen_count, deadline FROM pg_temp.c(%s)', :m),
                  format('VALUES (%L, %L, 1, %L::timestamptz)', 'in_progress', 'unsatisfied',
                         caseterm.rule_deadline(now(), 'mediation', 'reopen')),
                  'unsatisfied and justified: in progress again, with the reopen deadline');
SELECT pg_temp.act('t_town_a');
SELECT caseterm.case_reply(:m, :v, '已督促履行完毕') AS v \gset
SELECT pg_temp.act('t_district');
SELECT caseterm.case_approve_reply(:m, :v) AS v \gset
SELECT pg_temp.act('t_hotline');
SELECT caseterm.case_followup(:m, :v, 'satisfied') AS v \gset
SELECT results_eq(format('SELECT state::text, satisfaction, closed_at IS NOT NULL, due_at FROM pg_temp.c(%s)', :m),
                  $$VALUES ('closed'::text, 'satisfied'::text, true, NULL::timestamptz)$$,
                  'the hotline that registered it calls back: satisfied, closed, no deadline');

-- ---- reopen and close
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format('SELECT caseterm.case_reopen(%s, %s, %L)', :m, :v, '再查'), '42501',
                 'not allowed: the supervisor role is required', 'a handler cannot reopen');
SELECT pg_temp.act('t_district');
SELECT throws_ok(format('SELECT caseterm.case_reopen(%s, %s, NULL)', :m, :v), '22023',
                 'a reason is required', 'reopening needs a reason');
SELECT caseterm.case_reopen(:m, :v, '当事人再次来访') AS v \gset
SELECT results_eq(format('SELECT state::text, reopen_count, closed_at FROM pg_temp.c(%s)', :m),
                  $$VALUES ('in_progress'::text, 2, NULL::timestamptz)$$, 'reopened');
SELECT caseterm.case_close(:m, :v, '申请人撤回') AS v \gset
SELECT is((pg_temp.c(:m)).state::text, 'closed', 'closed by the supervisor');
SELECT throws_ok(format('SELECT caseterm.case_close(%s, %s, %L)', :m, :v, 'x'), '55000',
                 'this step is not possible in the case''s current state', 'a closed case cannot be closed');

-- ---- a closed case refuses the steps of other states
SELECT pg_temp.act('t_district');
SELECT throws_ok(format(x.sql, :m, :v), '55000', 'this step is not possible in the case''s current state',
                 'closed: ' || x.step || ' refused')
FROM (VALUES ('dispatch', 'SELECT caseterm.case_dispatch(%s, %s, ' || pg_temp.unit('T-TB') || ')'),
             ('urge', 'SELECT caseterm.case_urge(%s, %s)'),
             ('supervise', 'SELECT caseterm.case_supervise(%s, %s)'),
             ('merge', 'SELECT caseterm.case_merge(%s, %s, ' || :k || ')'),
             ('review_reject', 'SELECT caseterm.case_review_reject(%s, %s, ''x'')'),
             ('approve_return', 'SELECT caseterm.case_approve_return(%s, %s)'),
             ('refuse_extension', 'SELECT caseterm.case_refuse_extension(%s, %s, ''x'')'),
             ('refuse_reply', 'SELECT caseterm.case_refuse_reply(%s, %s, ''x'')'),
             ('transfer', 'SELECT caseterm.case_transfer(%s, %s, ' || pg_temp.unit('T-TB') || ', ''x'')'),
             ('assign', 'SELECT caseterm.case_assign(%s, %s, ' || pg_temp.uid('t_town_a') || ')'),
             ('sub_dispatch', 'SELECT * FROM caseterm.case_sub_dispatch(%s, %s, ' || pg_temp.unit('T-TA') || ', ''x'', 1)'),
             ('add_party', 'SELECT caseterm.case_add_party(%s, %s, ''other'', ''某人'', NULL, NULL)')
     ) x(step, sql);
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format(x.sql, :m, :v), '55000', 'this step is not possible in the case''s current state',
                 'closed: ' || x.step || ' refused')
FROM (VALUES ('sign', 'SELECT caseterm.case_sign(%s, %s)'),
             ('request_extension', 'SELECT caseterm.case_request_extension(%s, %s, 1, ''x'')'),
             ('reply', 'SELECT caseterm.case_reply(%s, %s, ''x'')'),
             ('followup', 'SELECT caseterm.case_followup(%s, %s, ''satisfied'')')
     ) x(step, sql);

-- ---- a case in progress refuses users without the role
SELECT case_id AS r FROM caseterm.register_mediation(
    '[{"role": "applicant", "name": "角色甲", "phone": "13911110009"}]', '债务纠纷', 'walk_in', 'contract') \gset
SELECT caseterm.case_review_accept(:r, 1) AS rv \gset
SELECT caseterm.case_sign(:r, :rv) AS rv \gset
SELECT pg_temp.act('t_town_a2');
SELECT throws_ok(format(x.sql, :r, :rv), '42501', x.msg, 'an intake clerk: ' || x.step || ' refused')
FROM (VALUES ('transfer', 'SELECT caseterm.case_transfer(%s, %s, ' || pg_temp.unit('T-TB') || ', ''x'')',
              'not allowed: your role does not permit this step'),
             ('return', 'SELECT caseterm.case_return(%s, %s, ''x'')',
              'not allowed: your role does not permit this step'),
             ('assign', 'SELECT caseterm.case_assign(%s, %s, ' || pg_temp.uid('t_town_a') || ')',
              'not allowed: your role does not permit this step'),
             ('sub_dispatch', 'SELECT * FROM caseterm.case_sub_dispatch(%s, %s, ' || pg_temp.unit('T-VA') || ', ''x'', 1)',
              'not allowed: your role does not permit this step'),
             ('request_extension', 'SELECT caseterm.case_request_extension(%s, %s, 1, ''x'')',
              'not allowed: the handler role is required'),
             ('dispatch', 'SELECT caseterm.case_dispatch(%s, %s, ' || pg_temp.unit('T-VA') || ')',
              'not allowed: the dispatcher role is required'),
             ('close', 'SELECT caseterm.case_close(%s, %s, ''x'')',
              'not allowed: the supervisor role is required'),
             ('urge', 'SELECT caseterm.case_urge(%s, %s)',
              'not allowed: the supervisor role is required'),
             ('supervise', 'SELECT caseterm.case_supervise(%s, %s)',
              'not allowed: the supervisor role is required'),
             ('approve_reply', 'SELECT caseterm.case_approve_reply(%s, %s)',
              'not allowed: the supervisor role is required')
     ) x(step, sql, msg);
SELECT pg_temp.act('t_hotline');
SELECT throws_ok(format('SELECT caseterm.case_dispatch(%s, %s, %s)', :r, :rv, pg_temp.unit('T-TB')), '42501',
                 'not allowed: the case is not held by your unit',
                 'the city cannot pull a case in progress away from the town by dispatching it');
SELECT pg_temp.act('t_district');
SELECT throws_ok(format('SELECT caseterm.case_answer(%s, %s, %L)', :r, :rv, 'x'), '42501',
                 'not allowed: the intake role is required', 'only intake answers on the spot');
SELECT lives_ok(format('SELECT caseterm.case_transfer(%s, %s, %s, %L)', :r, :rv, pg_temp.unit('T-TB'), '改由乙街道'),
                'the district transfers a case in progress within its district');

-- ---- the record
SELECT is(pg_temp.events(:m),
          'register,review_accept,dispatch,dispatch,sign,return,approve_return,dispatch,return,'
          'refuse_return,assign,request_extension,refuse_extension,request_extension,approve_extension,'
          'sub_dispatch,reply,refuse_reply,reply,approve_reply,followup,reply,approve_reply,followup,'
          'reopen,close',
          'every step wrote its event, in order');
SELECT is(pg_temp.v(:m), :v, 'the last step returned the current version');
RESET ROLE;
SELECT is_empty(format($$SELECT e.id FROM caseterm.case_event e WHERE e.case_id = %s
                         AND (e.user_id IS NULL OR e.unit_id IS NULL OR e.at IS NULL)$$, :m),
                'every event names who and from which unit');
SELECT results_eq(format($$SELECT from_state::text, to_state::text, reason, user_id, unit_id
                           FROM caseterm.case_event WHERE case_id = %s AND kind = 'return' ORDER BY id LIMIT 1$$, :m),
                  format($$VALUES ('in_progress'::text, 'return_review'::text, '不属于本所辖区'::text,
                                   %s::bigint, %s::bigint)$$, pg_temp.uid('t_town_a'), pg_temp.unit('T-TA')),
                  'an event: from and to state, the reason, the user and the unit');
SELECT is((SELECT count(*)::int FROM caseterm.case_event WHERE case_id = :m AND kind = 'assign' AND to_state IS NULL),
          1, 'a step without a state change has no to_state');
SELECT is_empty(format($$SELECT e.id FROM caseterm.case_event e WHERE e.case_id = %s AND e.kind <> 'register'
                         AND NOT EXISTS (SELECT 1 FROM caseterm.audit_log a
                                         WHERE a.action = 'case_' || e.kind AND a.object = 'legal_case:%s'
                                           AND (a.detail->>'event_id')::bigint = e.id
                                           AND a.user_id = e.user_id)$$, :m, :m),
                'every step has its audit row case_<step>, by the same user');
SET LOCAL ROLE caseterm_app;

-- =====================================================================
-- The other steps
-- =====================================================================

-- ---- a consultation answered on the spot; follow-up by the intake clerk
SELECT pg_temp.act('t_town_a');
SELECT case_id AS q FROM caseterm.register_consultation('咨询人', '13922220001', NULL, '工伤怎么认定？', NULL) \gset
SELECT throws_ok(format('SELECT caseterm.case_answer(%s, 1)', :q), '22023', 'the answer is required',
                 'an answer is needed when none was given at registration');
SELECT caseterm.case_answer(:q, 1, '向人社部门申请工伤认定') AS qv \gset
SELECT results_eq(format('SELECT state::text, answer, step_deadline FROM pg_temp.c(%s)', :q),
                  format('VALUES (%L, %L, %L::timestamptz)', 'awaiting_followup', '向人社部门申请工伤认定',
                         caseterm.rule_deadline(now(), 'consultation', 'followup')),
                  'answered on the spot: awaiting follow-up');
SELECT pg_temp.act('t_town_a2');
SELECT caseterm.case_followup(:q, :qv, 'basically') AS qv \gset
SELECT results_eq(format('SELECT state::text, satisfaction FROM pg_temp.c(%s)', :q),
                  $$VALUES ('closed'::text, 'basically'::text)$$,
                  'a colleague at the registering unit records "basically satisfied": closed');
SELECT pg_temp.act('t_town_a');
SELECT case_id AS la FROM caseterm.register_legal_aid('援助人', '13922220002', NULL, '追索劳动报酬',
                                                      'walk_in', '劳动报酬', 3, 800) \gset
SELECT throws_ok(format('SELECT caseterm.case_answer(%s, 1, %L)', :la, 'x'), '55000',
                 'only a consultation can be answered on the spot', 'a legal aid application is not answered on the spot');
SELECT is((pg_temp.c(:la)).step_deadline, caseterm.rule_deadline((pg_temp.c(:la)).created_at, 'legal_aid', 'review'),
          'legal aid: the eligibility review takes 7 working days');

-- ---- review by a town handler; reject
SELECT caseterm.case_review_reject(:la, 1, '不符合经济困难标准') AS lav \gset
SELECT results_eq(format('SELECT state::text, closed_at IS NOT NULL, due_at FROM pg_temp.c(%s)', :la),
                  $$VALUES ('rejected'::text, true, NULL::timestamptz)$$, 'rejected: over, no deadline');
SELECT is((SELECT reason FROM caseterm.case_event WHERE case_id = :la AND kind = 'review_reject'),
          '不符合经济困难标准', 'the reason is on the event');

-- ---- a case the town handles itself: accept, sign at its own unit, transfer
SELECT case_id AS t FROM caseterm.register_mediation(
    '[{"role": "applicant", "name": "转办甲", "phone": "13922220003"}]', '宅基地边界纠纷', 'walk_in',
    'housing_land') \gset
SELECT caseterm.case_review_accept(:t, 1) AS tv \gset
SELECT throws_ok(format('SELECT caseterm.case_return(%s, %s, %L)', :t, :tv, 'x'), '55000',
                 'this step is not possible in the case''s current state', 'an accepted case cannot be returned');
SELECT caseterm.case_sign(:t, :tv) AS tv \gset
SELECT results_eq(format($$SELECT state::text, detail->>'self' FROM pg_temp.c(%s) c
                           JOIN caseterm.case_event e ON e.case_id = c.id AND e.kind = 'sign'$$, :t),
                  $$VALUES ('in_progress'::text, 'true'::text)$$, 'the town handles it itself (sign from accepted)');
SELECT throws_ok(format('SELECT caseterm.case_return(%s, %s, %L)', :t, :tv, 'x'), '55000',
                 'this case was not dispatched to your unit, so it cannot be returned',
                 'a case never dispatched cannot be returned');
SELECT throws_ok(format('SELECT caseterm.case_transfer(%s, %s, %s, NULL)', :t, :tv, pg_temp.unit('T-TB')), '22023',
                 'a reason is required', 'a transfer needs a reason');
SELECT caseterm.case_transfer(:t, :tv, pg_temp.unit('T-TB'), '争议地在乙街道') AS tv \gset
SELECT results_eq(format('SELECT state::text, unit_id, dispatched_by_unit, held_units FROM pg_temp.c(%s)', :t),
                  format('VALUES (%L, %s::bigint, %s::bigint, ARRAY[%s, %s]::bigint[])', 'awaiting_signfor',
                         pg_temp.unit('T-TB'), pg_temp.unit('T-TA'), pg_temp.unit('T-TA'), pg_temp.unit('T-TB')),
                  'transferred: awaiting sign-for at town B; both towns have held it');
SELECT throws_ok(format('SELECT caseterm.case_sign(%s, %s)', :t, :tv), '42501',
                 'not allowed: the case is not held by your unit', 'the old town sees it but cannot sign for it');
SELECT pg_temp.act('t_handler_b');
SELECT caseterm.case_sign(:t, :tv) AS tv \gset
SELECT is((pg_temp.c(:t)).state::text, 'in_progress', 'town B signs for it');

-- ---- urge and supervise
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format('SELECT caseterm.case_urge(%s, NULL, %L)', :t, '快'), '42501',
                 'not allowed: the supervisor role is required', 'a handler cannot urge');
SELECT pg_temp.act('t_district');
SELECT is(caseterm.case_urge(:t, NULL, '请加快办理'), :tv, 'urging returns the version unchanged');
SELECT is(pg_temp.v(:t), :tv, '... and does not change the case');
SELECT throws_ok(format('SELECT caseterm.case_urge(%s, %s, %L)', :t, :tv - 1, 'x'), '40001',
                 'the case was changed by someone else; reload it', 'a given version is still checked');
SELECT caseterm.case_supervise(:t, :tv, true, '重点督办') AS tv \gset
SELECT results_eq(format('SELECT supervised, supervised_by FROM pg_temp.c(%s)', :t),
                  format('VALUES (true, %s::bigint)', pg_temp.uid('t_district')), 'supervised, with its owner');
SELECT throws_ok(format('SELECT caseterm.case_supervise(%s, %s)', :t, :tv), '55000',
                 'the case is already supervised', 'supervising twice is refused');
SELECT caseterm.case_supervise(:t, :tv, false) AS tv \gset
SELECT results_eq(format('SELECT supervised, supervised_by FROM pg_temp.c(%s)', :t),
                  $$VALUES (false, NULL::bigint)$$, 'supervision lifted');
SELECT pg_temp.act('t_d2_disp');
SELECT throws_ok(format('SELECT caseterm.case_supervise(%s, %s)', :t, :tv), 'P0002',
                 'no such case', 'another district cannot supervise it');

-- ---- notes
SELECT pg_temp.act('t_analyst');
SELECT throws_ok(format('SELECT caseterm.case_note(%s, NULL, %L)', :t, '看看'), '42501',
                 'not allowed: your role does not permit this step',
                 'an analyst of town A sees the case town A held, but cannot add notes');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok(format('SELECT caseterm.case_note(%s, NULL, %L)', :t, ' '), '22023',
                 'the note is required', 'an empty note is refused');
SELECT is(caseterm.case_note(:t, NULL, '已电话告知申请人转办情况'), :tv,
          'the town that held it adds a note; the version does not change');

-- ---- add a party
SELECT pg_temp.act('t_handler_b');
SELECT ok(caseterm.case_add_party(:t, :tv, 'respondent', '转办乙', '13922220004', NULL, '邻居') > 0,
          'the handler adds the respondent');
SELECT throws_ok(format('SELECT caseterm.case_add_party(%s, %s, %L, %L, %L, NULL)', :t, :tv,
                        'respondent', '转办乙', '13922220004'), '22023',
                 'this person is already a party of the case in that role', 'not twice');
SELECT throws_ok(format('SELECT caseterm.case_add_party(%s, %s, %L, %L, %L, NULL)', :t, :tv,
                        'respondent', '转办甲', '13922220003'), '22023',
                 'the same person cannot be both applicant and respondent', 'not the applicant as respondent');
SELECT throws_ok(format('SELECT caseterm.case_add_party(%s, %s, %L, %L, NULL, NULL)', :t, :tv,
                        'witness', '证人'), '22023',
                 'a party''s role must be applicant, respondent or other', 'an unknown role is refused');

-- ---- merge and link
SELECT pg_temp.act('t_town_a');
SELECT case_id AS d1 FROM caseterm.register_consultation('重复人', '13922220005', NULL, '拆迁补偿', NULL) \gset
SELECT case_id AS d2 FROM caseterm.register_consultation('重复人', '13922220005', NULL, '拆迁补偿（重复来电）', NULL) \gset
SELECT throws_ok(format('SELECT caseterm.case_merge(%s, 1, %s)', :d2, :d2), '22023',
                 'a case cannot be merged into itself', 'not into itself');
SELECT throws_ok(format('SELECT caseterm.case_merge(%s, 1, %s)', :d2, :la), '22023',
                 'a case cannot be merged into a merged or rejected case', 'not into a rejected case');
SELECT caseterm.case_merge(:d2, 1, :d1, '同一事项重复来电') AS d2v \gset
SELECT results_eq(format('SELECT state::text, merged_into, due_at FROM pg_temp.c(%s)', :d2),
                  format('VALUES (%L, %s::bigint, NULL::timestamptz)', 'merged', :d1),
                  'merged into the first case: over');
SELECT is(pg_temp.events(:d1), 'register,merge_in', 'the case merged into gets an event');
SELECT is(pg_temp.v(:d1), 1, '... and does not change');
SELECT throws_ok(format('SELECT caseterm.case_merge(%s, 1, %s)', :d1, :d2), '22023',
                 'a case cannot be merged into a merged or rejected case', 'not into a merged case');
SELECT throws_ok(format('SELECT caseterm.case_link(%s, NULL, %s)', :d2, :d1), '55000',
                 'this step is not possible in the case''s current state', 'a merged case is not linked');
SELECT is(caseterm.case_link(:d1, NULL, :q), 1, 'two cases linked');
SELECT lives_ok(format('SELECT caseterm.case_link(%s, NULL, %s)', :q, :d1), 'linking again does nothing');
SELECT is((SELECT count(*)::int FROM caseterm.case_link WHERE case_a = least(:d1, :q) AND case_b = greatest(:d1, :q)),
          1, 'one link');
SELECT is(pg_temp.events(:q), 'register,answer,followup,link', 'the other case has its link event');
SELECT throws_ok(format('SELECT caseterm.case_link(%s, NULL, %s)', :d1, :d1), '22023',
                 'a case cannot be linked to itself', 'not to itself');
SELECT pg_temp.act('t_town_b');
SELECT throws_ok(format('SELECT caseterm.case_link(%s, NULL, %s)', :t, :d1), '22023',
                 'the case to link was not found', 'not to a case one cannot see');

-- ---- close from in progress needs a supervisor
SELECT pg_temp.act('t_handler_b');
SELECT throws_ok(format('SELECT caseterm.case_close(%s, %s, %L)', :t, :tv, '撤回'), '42501',
                 'not allowed: your role does not permit this step', 'a handler cannot close');
SELECT pg_temp.act('t_district');
SELECT lives_ok(format('SELECT caseterm.case_close(%s, %s, %L)', :t, :tv, '当事人撤回申请'),
                'a supervisor closes a case in progress (withdrawn)');

-- ---- four eyes: nobody decides on his own request
RESET ROLE;
UPDATE caseterm.app_user SET roles = '{supervisor,handler,intake}' WHERE login = 't_sup_a';
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_sup_a');
SELECT case_id AS f FROM caseterm.register_complaint(NULL, NULL, NULL, '窗口工作人员态度差', 'online') \gset
SELECT caseterm.case_review_accept(:f, 1) AS fv \gset
SELECT caseterm.case_sign(:f, :fv) AS fv \gset
SELECT caseterm.case_reply(:f, :fv, '已核实并批评教育') AS fv \gset
SELECT throws_ok(format('SELECT caseterm.case_approve_reply(%s, %s)', :f, :fv), '42501',
                 'not allowed: you cannot decide on your own request', 'a supervisor cannot approve his own reply');
SELECT pg_temp.act('t_city');
SELECT lives_ok(format('SELECT caseterm.case_approve_reply(%s, %s)', :f, :fv), 'the city approves it');

-- ---- no acting user, disabled user, unknown case
SELECT pg_temp.act(NULL);
SELECT throws_ok(format('SELECT caseterm.case_note(%s, NULL, %L)', :q, 'x'), '42501',
                 'not allowed: no acting user is set', 'no acting user: refused');
SELECT pg_temp.act('t_disabled');
SELECT throws_ok(format('SELECT caseterm.case_note(%s, NULL, %L)', :q, 'x'), '42501',
                 'not allowed: the user account or its unit is disabled', 'a disabled user: refused');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok('SELECT caseterm.case_note(-1, NULL, ''x'')', 'P0002', 'no such case', 'an unknown case');

-- =====================================================================
-- allowed_actions: the menu offers exactly what the steps accept
-- =====================================================================
SELECT pg_temp.act('t_town_a');
SELECT case_id AS a FROM caseterm.register_consultation('菜单人', '13922220006', NULL, '遗产继承', NULL) \gset
SELECT set_eq(format('SELECT action FROM caseterm.allowed_actions(%s)', :a),
              $$VALUES ('review_accept'), ('review_reject'), ('answer'), ('merge'), ('link'),
                       ('add_party'), ('note')$$,
              'a registered consultation, for the town''s intake-and-handler clerk');
SELECT is((SELECT function_name FROM caseterm.allowed_actions(:a) WHERE action = 'review_accept'),
          'case_review_accept', 'each action names its function');
SELECT pg_temp.act('t_town_a2');
SELECT set_eq(format('SELECT action FROM caseterm.allowed_actions(%s)', :a),
              $$VALUES ('answer'), ('merge'), ('link'), ('add_party'), ('note')$$,
              '... for an intake clerk of the same town');
SELECT pg_temp.act('t_district');
SELECT set_eq(format('SELECT action FROM caseterm.allowed_actions(%s)', :a),
              $$VALUES ('review_accept'), ('review_reject'), ('close'), ('urge'), ('supervise'),
                       ('merge'), ('link'), ('add_party'), ('note')$$,
              '... for the district''s dispatcher and supervisor');
SELECT pg_temp.act('t_town_b');
SELECT is_empty(format('SELECT * FROM caseterm.allowed_actions(%s)', :a), '... nothing for another town');
SELECT pg_temp.act('t_district');
SELECT set_eq(format('SELECT action FROM caseterm.allowed_actions(%s)', :f),
              $$VALUES ('close'), ('urge'), ('supervise'), ('link'), ('add_party'), ('note')$$,
              'a complaint awaiting follow-up, for the district (no follow-up role)');
SELECT pg_temp.act('t_followup');
SELECT set_eq(format('SELECT action FROM caseterm.allowed_actions(%s)', :f),
              $$VALUES ('followup'), ('close'), ('link'), ('note')$$,
              '... for the city''s follow-up clerk');
SELECT pg_temp.act('t_district');
SELECT set_eq(format('SELECT action FROM caseterm.allowed_actions(%s)', :m),
              $$VALUES ('reopen'), ('link'), ('note')$$, 'a closed case, for the district');
-- every offered action is accepted: take the first offered step on a fresh case
SELECT pg_temp.act('t_town_a');
SELECT ok(NOT EXISTS (SELECT 1 FROM caseterm.allowed_actions(:a) x
                      WHERE x.action IN ('dispatch', 'transfer', 'reply', 'approve_reply')),
          'steps of other states are not offered');
SELECT has_function_privilege('caseterm_app', 'caseterm.allowed_actions(bigint)', 'EXECUTE')
       AS ignored \gset
SELECT ok(:'ignored'::boolean AND
          has_function_privilege('caseterm_app', 'caseterm.case_sign(bigint, int)', 'EXECUTE') AND
          NOT has_function_privilege('caseterm_app', 'caseterm.action_problem(caseterm.legal_case, text)', 'EXECUTE') AND
          NOT has_function_privilege('caseterm_app', 'caseterm.case_record(caseterm.legal_case, text, text, text, jsonb)', 'EXECUTE'),
          'the application calls the steps, not the internal helpers');

SELECT * FROM finish();
ROLLBACK;
