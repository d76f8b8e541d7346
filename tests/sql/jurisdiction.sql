-- jurisdiction.sql — the whole matrix: for each role at each office level
-- (city, district, town, village), which cases, events and people it
-- reads (its unit's subtree and its own; nothing else by id or by search),
-- and what it may change: register, open personal data, administer units.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(114);
\ir fixture.psql

INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
    SELECT v.login, v.name, pg_temp.unit(v.unit), v.roles::text[]
    FROM (VALUES ('t_city_intake', '市热线', 'T-CITY', '{intake,dispatcher}'),
                 ('t_city_admin', '市管理员', 'T-CITY', '{admin}'),
                 ('t_d1_intake', '一区受理', 'T-D1', '{intake}'),
                 ('t_d1_admin', '一区管理员', 'T-D1', '{admin}'),
                 ('t_d2_admin', '二区管理员', 'T-D2', '{admin}'),
                 ('t_ta_admin', '甲所管理员', 'T-TA', '{admin}'),
                 ('t_vb_intake', '乙一村受理', 'T-VB', '{intake}'),
                 ('t_vb_followup', '乙一村回访', 'T-VB', '{followup}')) v(login, name, unit, roles);

-- One case at each unit, registered by a user of that unit; its label,
-- id and applicant.
CREATE TEMP TABLE mcase (label text PRIMARY KEY, id bigint, person_id bigint);
GRANT SELECT ON mcase TO caseterm_app;
SET LOCAL ROLE caseterm_app;
CREATE FUNCTION pg_temp.reg(p_login text, p_label text) RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    v bigint;
BEGIN
    PERFORM pg_temp.act(p_login);
    SELECT case_id INTO v FROM caseterm.register_consultation(
        '矩阵' || p_label, '1390000' || lpad((100 + length(p_label) * 7 + ascii(p_label))::text, 4, '0'),
        NULL, '矩阵问题 ' || p_label, NULL);
    RETURN v::text;
END
$$;
RESET ROLE;
CREATE TEMP TABLE mreg (label text, login text);
INSERT INTO mreg VALUES ('city', 't_city_intake'), ('d1', 't_d1_intake'), ('ta', 't_town_a2'),
    ('va', 't_village_a'), ('tb', 't_town_b'), ('vb', 't_vb_intake'), ('d2', 't_d2');
GRANT SELECT ON mreg TO caseterm_app;
SET LOCAL ROLE caseterm_app;
CREATE TEMP TABLE mreg_out AS SELECT label, pg_temp.reg(login, label)::bigint AS id FROM mreg;
RESET ROLE;
INSERT INTO mcase SELECT o.label, o.id, c.applicant_id FROM mreg_out o JOIN caseterm.legal_case c ON c.id = o.id;
SELECT is((SELECT count(*)::int FROM mcase WHERE id IS NOT NULL AND person_id IS NOT NULL), 7,
          'seven cases, one at each unit of the fixture tree but the disabled village');

-- Expected visibility: the unit's subtree (and the user's own cases).
CREATE TEMP TABLE mexp (login text PRIMARY KEY, labels text[], level text);
GRANT SELECT ON mexp TO caseterm_app;
INSERT INTO mexp VALUES
    ('t_city',        '{city,d1,ta,va,tb,vb,d2}', 'city supervisor+analyst'),
    ('t_city_intake', '{city,d1,ta,va,tb,vb,d2}', 'city intake'),
    ('t_city_admin',  '{city,d1,ta,va,tb,vb,d2}', 'city admin'),
    ('t_district',    '{d1,ta,va,tb,vb}',         'district supervisor'),
    ('t_d1_intake',   '{d1,ta,va,tb,vb}',         'district intake'),
    ('t_d1_admin',    '{d1,ta,va,tb,vb}',         'district admin'),
    ('t_d2',          '{d2}',                     'other district intake'),
    ('t_d2_admin',    '{d2}',                     'other district admin'),
    ('t_town_a',      '{ta,va}',                  'town intake+handler'),
    ('t_town_a2',     '{ta,va}',                  'town intake'),
    ('t_analyst',     '{ta,va}',                  'town analyst'),
    ('t_ta_admin',    '{ta,va}',                  'town admin'),
    ('t_town_b',      '{tb,vb}',                  'other town intake'),
    ('t_village_a',   '{va}',                     'village intake'),
    ('t_vb_intake',   '{vb}',                     'other village intake'),
    ('t_vb_followup', '{vb}',                     'village followup'),
    ('t_disabled',    '{}',                       'disabled account'),
    ('t_offunit',     '{}',                       'user of a disabled unit');

CREATE FUNCTION pg_temp.ids(p_labels text[]) RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT coalesce('VALUES ' || string_agg(format('(%s::bigint)', id), ', '), 'SELECT NULL::bigint WHERE false')
    FROM pg_temp.mcase WHERE label = ANY (p_labels)
$$;

-- The read tests for one user, as that user.
CREATE FUNCTION pg_temp.reads(p_login text) RETURNS SETOF text
    LANGUAGE plpgsql
AS $$
DECLARE
    e       record;
    v_other bigint[];
BEGIN
    SELECT * INTO e FROM pg_temp.mexp WHERE login = p_login;
    PERFORM pg_temp.act(p_login);
    SELECT coalesce(array_agg(id), '{}') INTO v_other FROM pg_temp.mcase WHERE label <> ALL (e.labels);
    RETURN NEXT set_eq('SELECT id FROM caseterm.legal_case WHERE id IN (SELECT id FROM pg_temp.mcase)',
                       pg_temp.ids(e.labels), e.level || ': the cases it reads');
    RETURN NEXT set_eq('SELECT case_id FROM caseterm.unit_cases(1000) WHERE case_id IN (SELECT id FROM pg_temp.mcase)',
                       pg_temp.ids(e.labels), e.level || ': the same in unit_cases');
    RETURN NEXT set_eq('SELECT DISTINCT case_id FROM caseterm.case_event WHERE case_id IN (SELECT id FROM pg_temp.mcase)',
                       pg_temp.ids(e.labels), e.level || ': the events of those cases only');
    RETURN NEXT is((SELECT count(*)::int FROM unnest(v_other) o
                    WHERE EXISTS (SELECT 1 FROM caseterm.legal_case c WHERE c.id = o)
                       OR EXISTS (SELECT 1 FROM caseterm.case_event ev WHERE ev.case_id = o)),
                   0, e.level || ': no other case, nor its events, by id');
    RETURN NEXT set_eq($q$SELECT id FROM caseterm.legal_case WHERE subject LIKE '%矩阵问题%'$q$,
                       pg_temp.ids(e.labels), e.level || ': a search matching every case finds its own only');
END
$$;

SET LOCAL ROLE caseterm_app;
SELECT pg_temp.reads(login) FROM mexp ORDER BY login;

-- People: the applicants of the cases it reads; analysts none.
CREATE FUNCTION pg_temp.people(p_login text) RETURNS text
    LANGUAGE plpgsql
AS $$
DECLARE
    e record;
BEGIN
    SELECT * INTO e FROM pg_temp.mexp WHERE login = p_login;
    PERFORM pg_temp.act(p_login);
    RETURN set_eq($q$SELECT name FROM caseterm.person WHERE name LIKE '矩阵%'$q$,
                  CASE WHEN p_login IN ('t_analyst') OR cardinality(e.labels) = 0
                       THEN 'SELECT NULL::text WHERE false'
                       ELSE (SELECT 'VALUES ' || string_agg(format('(%L::text)', '矩阵' || l), ', ')
                             FROM unnest(e.labels) l) END,
                  e.level || ': the people it reads');
END
$$;
SELECT pg_temp.people(login) FROM mexp ORDER BY login;

-- ---- changes: who may register a case
-- 'ok', or the SQLSTATE p_sql raised, acting as p_login.
CREATE FUNCTION pg_temp.try(p_login text, p_sql text) RETURNS text
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_temp.act(p_login);
    EXECUTE p_sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;
SELECT pg_temp.act(NULL);
SELECT results_eq($$SELECT m.login, pg_temp.try(m.login, format('SELECT caseterm.register_consultation(%L, NULL, NULL, %L, NULL)',
                                                                     '试登记', '试登记问题'))
                    FROM (VALUES ('t_city'), ('t_city_intake'), ('t_district'), ('t_d1_intake'), ('t_town_a'),
                                 ('t_analyst'), ('t_village_a'), ('t_vb_followup'), ('t_d1_admin'),
                                 ('t_disabled')) m(login)
                    ORDER BY 1$$,
                  $$VALUES ('t_analyst'::text, '42501'::text), ('t_city', '42501'), ('t_city_intake', 'ok'),
                           ('t_d1_admin', '42501'), ('t_d1_intake', 'ok'), ('t_disabled', '42501'),
                           ('t_district', '42501'), ('t_town_a', 'ok'), ('t_vb_followup', '42501'),
                           ('t_village_a', 'ok')$$,
                  'register: the intake role at any level, nobody else');

-- ---- changes: who may open the town A case's applicant's ID number and phone
SELECT results_eq(format($$SELECT m.login,
                                  pg_temp.try(m.login, format('SELECT caseterm.person_reveal(%%s, %%L)', %1$s, 'id_number')),
                                  pg_temp.try(m.login, format('SELECT caseterm.person_reveal(%%s, %%L)', %1$s, 'phone'))
                           FROM mexp m ORDER BY 1$$, (SELECT person_id FROM mcase WHERE label = 'ta')),
                  $$VALUES ('t_analyst'::text, '42501'::text, '42501'::text),
                           ('t_city', 'ok', 'ok'),
                           ('t_city_admin', 'ok', 'ok'),
                           ('t_city_intake', 'ok', 'ok'),
                           ('t_d1_admin', 'ok', 'ok'),
                           ('t_d1_intake', 'ok', 'ok'),
                           ('t_d2', '42501', '42501'),
                           ('t_d2_admin', '42501', '42501'),
                           ('t_disabled', '42501', '42501'),
                           ('t_district', 'ok', 'ok'),
                           ('t_offunit', '42501', '42501'),
                           ('t_ta_admin', 'ok', 'ok'),
                           ('t_town_a', 'ok', 'ok'),
                           ('t_town_a2', 'ok', 'ok'),
                           ('t_town_b', '42501', '42501'),
                           ('t_vb_followup', '42501', '42501'),
                           ('t_vb_intake', '42501', '42501'),
                           ('t_village_a', '42501', '42501')$$,
                  'person_reveal: roles that work with people, within the jurisdiction; never an analyst only');
SELECT pg_temp.act(NULL);
RESET ROLE;
SELECT is((SELECT count(*)::int FROM caseterm.audit_log WHERE action = 'person_reveal'
           AND object = 'person:' || (SELECT person_id FROM mcase WHERE label = 'ta')), 18,
          'each of the 18 allowed views is in the trail');

-- ---- changes: which administrator may rename which unit
CREATE TEMP TABLE madmin (login text, code text);
INSERT INTO madmin SELECT l, c FROM unnest(ARRAY['t_city_admin', 't_d1_admin', 't_d2_admin', 't_ta_admin', 't_district']) l,
    unnest(ARRAY['T-CITY', 'T-D1', 'T-TA', 'T-VA', 'T-TB', 'T-VB', 'T-D2']) c;
GRANT SELECT ON madmin TO caseterm_app;
SET LOCAL ROLE caseterm_app;
SELECT results_eq($$SELECT login, string_agg(code, ' ' ORDER BY code)
                    FROM madmin
                    WHERE pg_temp.try(login, format('SELECT caseterm.unit_rename(%L, %L)', code, '改名' || code)) = 'ok'
                    GROUP BY login ORDER BY login$$,
                  $$VALUES ('t_city_admin'::text, 'T-CITY T-D1 T-D2 T-TA T-TB T-VA T-VB'::text),
                           ('t_d1_admin', 'T-D1 T-TA T-TB T-VA T-VB'),
                           ('t_d2_admin', 'T-D2'),
                           ('t_ta_admin', 'T-TA T-VA')$$,
                  'unit_rename: each administrator its own subtree; a supervisor nothing');
SELECT results_eq($$SELECT login, string_agg(code, ' ' ORDER BY code)
                    FROM madmin
                    WHERE code <> 'T-CITY'
                      AND pg_temp.try(login, format('SELECT caseterm.user_list(%L)', code)) = 'ok'
                    GROUP BY login ORDER BY login$$,
                  $$VALUES ('t_city_admin'::text, 'T-D1 T-D2 T-TA T-TB T-VA T-VB'::text),
                           ('t_d1_admin', 'T-D1 T-TA T-TB T-VA T-VB'),
                           ('t_d2_admin', 'T-D2'),
                           ('t_ta_admin', 'T-TA T-VA')$$,
                  'user_list: the same scopes');

SELECT * FROM finish();
ROLLBACK;
