-- knowledge.sql — the knowledge base (039_knowledge.sql): supervisors and
-- administrators write and change articles, every clerk reads and finds
-- them by words, withdrawn ones stay listed as such, every change is in
-- the audit trail.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(11);
\ir fixture.psql
SELECT coalesce(max(id), 0) AS id0 FROM caseterm.audit_log \gset

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_city');
SELECT caseterm.kb_save(NULL, ' 测试：工资被拖欠 ', E'先协商，再投诉或仲裁。\n仲裁时效一年。', 'labour') AS a1 \gset
SELECT results_eq(format('SELECT title, body, topic, updated_by FROM caseterm.kb_article WHERE id = %s', :a1),
                  format($$VALUES ('测试：工资被拖欠'::text, E'先协商，再投诉或仲裁。\n仲裁时效一年。'::text,
                                   'labour'::text, %s::bigint)$$, pg_temp.uid('t_city')),
                  'a supervisor writes an article: title trimmed, text kept line by line');
SELECT throws_ok($$SELECT caseterm.kb_save(NULL, '测试：工资被拖欠', '重复')$$, '22023',
                 'another article has this title', 'a title is taken once');
SELECT throws_ok($$SELECT caseterm.kb_save(NULL, '测试：空', '  ')$$, '22023',
                 'the text is required', 'an empty text is refused');
SELECT throws_ok($$SELECT caseterm.kb_save(NULL, '测试：类别', '内容', 'gossip')$$, '22023',
                 'unknown dispute category', 'an unknown category is refused');
SELECT is(caseterm.kb_save(:a1, '测试：工资被拖欠', '先协商。'), :a1::bigint, 'and changes it');

SELECT pg_temp.act('t_town_a');
SELECT throws_ok($$SELECT caseterm.kb_save(NULL, '测试：乙', '内容')$$, '42501',
                 'not allowed: supervisors and administrators keep the knowledge base',
                 'an intake clerk does not write articles');
SELECT is((SELECT string_agg(title, ',') FROM caseterm.kb_search('工资 协商') WHERE title LIKE '测试%'),
          '测试：工资被拖欠', '... but finds one by its words, every word');
SELECT is((SELECT count(*)::int FROM caseterm.kb_search('工资 离婚') WHERE title LIKE '测试%'), 0,
          'an article must hold every word');
SELECT pg_temp.act('t_city');
SELECT lives_ok(format('SELECT caseterm.kb_set_disabled(%s, true)', :a1), 'a supervisor withdraws it');
SELECT is((SELECT disabled FROM caseterm.kb_search('工资') WHERE id = :a1), true,
          'a withdrawn article is listed as such (the consultation form leaves it out)');
RESET ROLE;
SELECT is((SELECT string_agg(action, ',' ORDER BY id) FROM caseterm.audit_log
            WHERE id > :id0 AND object = 'kb_article:' || :a1),
          'kb_save,kb_save,kb_save', 'written, changed, withdrawn: three audit rows');

SELECT * FROM finish();
ROLLBACK;
