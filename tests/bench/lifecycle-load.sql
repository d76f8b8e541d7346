-- tests/bench/lifecycle-load.sql — the data of the lifecycle benchmark
-- (tests/bench/lifecycle.sh), loaded set-based as a superuser into a
-- database that holds the schema and the demo (the org tree of Zhenjiang).
--
--   psql -v cases=2000000 -v persons=1500000 -f tests/bench/lifecycle-load.sql
--
-- What it makes:
--   clerks     about 400 users, logins b<unit code>_<n>: per town office a
--              chief (intake, dispatcher, supervisor, followup) and two
--              handlers (handler, intake); per village station one (intake,
--              handler); per district office a dispatcher/supervisor, an
--              intake/followup clerk and an intake clerk; 20 hotline clerks
--              and 2 dispatchers at the city; two handlers per mediation
--              committee and legal aid centre.  No passwords.
--   persons    :persons people with Chinese names: surnames by their
--              frequency; 25% two-character names whose given character
--              comes from a short, skewed list (many namesakes, 张伟-like),
--              74% three-character names from two longer lists (few
--              namesakes), 1% compound surnames; 70% with a resident ID
--              number (GB 11643 check digit; Zhenjiang districts mostly,
--              born 1941-2008), 90% with a mobile number 1[3-9]xxxxxxxxx.
--   cases      :cases cases registered over the last 1000 days, numbered
--              per year in order of registration (the year's number sequence follows):
--              60% consultations, 20% mediation, 10% legal aid, 5% legal
--              service, 3% complaints, 2% suggestions; taken in by the city
--              hotline (30%), district offices (10%), towns (35%) and
--              villages (25%); dispatched down the tree (city -> district ->
--              town, town -> village, to the mediation committees and legal
--              aid centres) by state; the state follows the age of the case
--              (recent ones open in every state, old ones closed, rejected
--              or merged, a few left overdue); deadlines, step deadlines and
--              due_at exactly as the trigger legal_case_track and the step
--              functions set them (from the working-day calendar and
--              deadline_rule), held_units and intake_unit_id as the trigger
--              keeps them.
--   parties    applicant, respondent (and 10% a third party) of every
--              mediation, in case_party; 20% of the people are only ever
--              respondents.
--   events     the case's path through the lifecycle up to its state:
--              register, answer, review, dispatch, sign, return, extension,
--              reply, approval, follow-up, merge (1 to 7, about 3.4 a case),
--              and the open request (case_request) of a case in review.
--
-- Speed: foreign-key and user triggers are skipped (session_replication_role
-- = replica; what the triggers would derive is computed here, and checked at
-- the end), the plain indexes of the four big tables are dropped before and
-- built again after (same definitions, from pg_get_indexdef).  The audit
-- trail is not back-filled.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET work_mem = '256MB';
SET maintenance_work_mem = '1GB';
SET max_parallel_maintenance_workers = 2;
SET synchronous_commit = off;
SET jit = off;
SELECT setseed(0.12348);

-- ---------------------------------------------------------------- clerks

CREATE TEMP TABLE b_unit AS
SELECT o.id, o.code, o.level, o.kind, o.parent_id,
       (SELECT a.id FROM caseterm.org_unit a
        WHERE a.id = ANY (o.path) AND a.level = 'district' AND a.kind = 'office') AS district,
       (SELECT a.id FROM caseterm.org_unit a
        WHERE a.id = ANY (o.path) AND a.level = 'town' AND a.kind = 'office') AS town
FROM caseterm.org_unit o
WHERE NOT o.disabled;

INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
SELECT 'b' || lower(replace(u.code, '-', '_')) || '_' || r.n,
       left(u.code, 40) || '-' || r.n, u.id, r.roles
FROM b_unit u
CROSS JOIN LATERAL (
    SELECT n, roles FROM (VALUES
        ('city', 'office', 1, '{intake}'::text[]),
        ('district', 'office', 1, '{dispatcher,supervisor}'),
        ('district', 'office', 2, '{intake,followup}'),
        ('district', 'office', 3, '{intake}'),
        ('town', 'office', 1, '{intake,dispatcher,supervisor,followup}'),
        ('town', 'office', 2, '{handler,intake}'),
        ('town', 'office', 3, '{handler,intake}'),
        ('village', 'station', 1, '{intake,handler}'),
        ('district', 'mediation', 1, '{handler}'),
        ('district', 'mediation', 2, '{handler}'),
        ('district', 'legal_aid', 1, '{handler,intake}'),
        ('district', 'legal_aid', 2, '{handler,intake}')) v(level, kind, n, roles)
    WHERE v.level = u.level AND v.kind = u.kind
    UNION ALL   -- the city: 20 hotline clerks, 2 dispatchers
    SELECT g, CASE WHEN g <= 20 THEN '{intake}'::text[]
                   WHEN g = 21 THEN '{dispatcher,supervisor}' ELSE '{dispatcher}' END
    FROM generate_series(2, 22) g WHERE u.level = 'city') r
ON CONFLICT (login) DO NOTHING;

CREATE TEMP TABLE b_clerk AS
SELECT u.id AS uid, u.unit_id, u.roles,
       split_part(u.login, '_', array_length(string_to_array(u.login, '_'), 1))::int AS n
FROM caseterm.app_user u WHERE u.login ~ '^b[0-9a-z_]+_[0-9]+$';
CREATE INDEX ON b_clerk (unit_id, n);
ANALYZE b_clerk;

-- Per unit: who registers there, who decides (chief), the handlers.
CREATE TEMP TABLE b_staff AS
SELECT u.id AS unit_id,
       array(SELECT c.uid FROM b_clerk c WHERE c.unit_id = u.id
             AND 'intake' = ANY (c.roles) ORDER BY c.n) AS intake,
       coalesce((SELECT c.uid FROM b_clerk c WHERE c.unit_id = u.id
                 AND c.roles && '{dispatcher,supervisor}' ORDER BY c.n LIMIT 1),
                (SELECT c.uid FROM b_clerk c WHERE c.unit_id = u.id ORDER BY c.n LIMIT 1)) AS chief,
       array(SELECT c.uid FROM b_clerk c WHERE c.unit_id = u.id
             AND 'handler' = ANY (c.roles) ORDER BY c.n) AS handlers
FROM b_unit u;
CREATE UNIQUE INDEX ON b_staff (unit_id);
ANALYZE b_staff;

-- ---------------------------------------------------------------- drop the plain indexes

CREATE TEMP TABLE b_index AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid IN ('caseterm.person'::regclass, 'caseterm.legal_case'::regclass,
                     'caseterm.case_event'::regclass, 'caseterm.case_party'::regclass,
                     'caseterm.case_request'::regclass, 'caseterm.case_gram'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);
SELECT format('DROP INDEX %s', name) FROM b_index \gexec

SET session_replication_role = replica;

-- ---------------------------------------------------------------- persons

CREATE FUNCTION pg_temp.expand(p_items text[], p_weights int[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT array_agg(x.s ORDER BY x.o, g)
    FROM unnest(p_items, p_weights) WITH ORDINALITY x(s, w, o),
         generate_series(1, x.w) g
$$;

-- The resident ID number: 17 digits and the check digit (GB 11643).
CREATE FUNCTION pg_temp.idno(p17 text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT p17 || substr('10X98765432', ((
          substr(p17, 1, 1)::int * 7 + substr(p17, 2, 1)::int * 9
        + substr(p17, 3, 1)::int * 10 + substr(p17, 4, 1)::int * 5
        + substr(p17, 5, 1)::int * 8 + substr(p17, 6, 1)::int * 4
        + substr(p17, 7, 1)::int * 2 + substr(p17, 8, 1)::int * 1
        + substr(p17, 9, 1)::int * 6 + substr(p17, 10, 1)::int * 3
        + substr(p17, 11, 1)::int * 7 + substr(p17, 12, 1)::int * 9
        + substr(p17, 13, 1)::int * 10 + substr(p17, 14, 1)::int * 5
        + substr(p17, 15, 1)::int * 8 + substr(p17, 16, 1)::int * 4
        + substr(p17, 17, 1)::int * 2) % 11) + 1, 1)
$$;

CREATE TEMP TABLE b_names AS SELECT
    -- surnames, weight ~ per mille of the population
    pg_temp.expand(
        '{王,李,张,刘,陈,杨,黄,赵,吴,周,徐,孙,马,朱,胡,郭,何,高,林,罗,郑,梁,谢,宋,唐,许,韩,冯,邓,曹,彭,曾,肖,田,董,袁,潘,于,蒋,蔡,余,杜,叶,程,苏,魏,吕,丁,任,沈,姚,卢,姜,崔,钟,谭,陆,汪,范,金,石,廖,贾,夏,韦,付,方,白,邹,孟,熊,秦,邱,江,尹,薛,闫,段,雷,侯,龙,史,陶,黎,贺,顾,毛,郝,龚,邵,万,钱,严,覃,武,戴,莫,孔,向,汤,殷,葛,储,束,眭,荆}',
        '{71,70,67,54,45,31,22,20,20,19,13,13,12,12,11,11,10,10,10,9,8,8,6,6,6,6,6,5,5,5,5,5,5,4,4,4,4,4,4,4,4,4,4,4,3,3,3,3,3,3,3,3,3,3,3,3,4,3,3,3,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,1,1,1,2,1,1,1,1,1,2,1,1,1,1,1,1,1,1,1,1,1,1,1,1}') AS sur,
    '{欧阳,司马,诸葛,上官,东方,皇甫,尉迟,公孙}'::text[] AS sur2,
    -- the given character of a two-character name: few, skewed
    pg_temp.expand(
        '{伟,芳,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,霞,平,刚,华,英,玲,红,斌,鹏,辉,飞,燕,波,宁,萍,健,俊,峰,琳,雪,梅,林,凤,兰,云,亮,浩,宇,鑫,婷,颖,慧,娜,晶,莉,倩,丹,帆,阳,凯,旭,毅,岩,坤}',
        '{40,34,30,28,27,26,25,24,22,21,20,19,18,17,17,16,15,15,14,14,13,13,12,12,12,11,11,11,10,10,10,9,9,9,9,8,8,8,8,7,7,7,7,7,6,6,6,6,6,6,5,5,5,5,5,5,4,4,4,4}') AS given1,
    -- the two given characters of a three-character name: many, mildly skewed
    pg_temp.expand(
        '{建,国,志,晓,小,海,文,明,永,春,秀,德,立,丽,玉,金,子,宇,浩,俊,思,雨,欣,佳,嘉,梓,一,诗,雅,家,庆,光,成,新,世,长,兴,荣,祥,福,学,东,中,美,红,桂,凤,云,亚,爱,振,宏,天,博,晨,睿,泽,若,可,心,梦,雪,志,伟,卫,正,军,少,先,宝,继,锦,俊,思,婉,慧,静,晶,翠,秋,冬,春,国,清,晓,紫,书,逸,奕,安}',
        '{20,20,18,18,16,14,14,12,12,11,11,10,10,10,10,9,9,9,8,8,8,8,8,7,7,7,7,6,6,6,6,6,6,5,5,5,5,5,5,5,5,5,5,4,4,4,4,4,4,4,4,4,4,4,4,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2}') AS given2a,
    pg_temp.expand(
        '{华,明,强,平,军,伟,芳,英,红,玲,兰,霞,燕,萍,娟,丽,敏,静,杰,涛,斌,辉,鹏,飞,波,峰,林,刚,勇,东,亮,龙,凯,磊,超,洋,宇,轩,涵,浩,然,阳,琪,瑶,璐,蕾,倩,菲,萌,悦,怡,彤,妍,薇,萱,晨,博,睿,泽,航,宁,毅,帆,昊,皓,铭,哲,豪,凡,成,生,荣,祥,福,贵,发,才,山,海,江,民,忠,义,礼,信,仁,德,武,文,春,秋,梅,菊,莲,珍,琴,凤,云,雪,月,星,晶,娇,婷,颖,慧,蓉,艳,媛,佳,欣,雯,岚,清,洁,琳,淑,秀,美,香,宏,斌}',
        '{12,12,11,11,10,10,9,9,9,9,8,8,8,8,8,8,8,8,7,7,7,7,7,7,7,7,7,6,6,6,6,6,6,6,6,6,6,6,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3}') AS given2b,
    -- where ID numbers come from: Zhenjiang's districts mostly
    pg_temp.expand('{321102,321111,321112,321181,321182,321183,320102,320106,320411,321002,341103,410522,511623,362424,130682}',
                   '{14,14,10,20,8,10,3,3,3,3,3,3,2,2,2}') AS region;

CREATE TEMP TABLE b_person AS
SELECT n,
       CASE WHEN r_len < 0.01 THEN sur2[1 + floor(random() * cardinality(sur2))::int]
                                   || given2a[1 + floor(random() * cardinality(given2a))::int]
            ELSE sur[1 + floor(random() * cardinality(sur))::int] END
       || CASE WHEN r_len >= 0.01 AND r_len < 0.26
               THEN given1[1 + floor(random() * cardinality(given1))::int]
               WHEN r_len >= 0.26
               THEN given2a[1 + floor(random() * cardinality(given2a))::int]
                    || given2b[1 + floor(random() * cardinality(given2b))::int]
               ELSE '' END AS name,
       CASE WHEN random() < 0.7 THEN pg_temp.idno(
           region[1 + floor(random() * cardinality(region))::int]
           || to_char(date '1941-01-01' + floor(random() * 24800)::int, 'YYYYMMDD')
           || lpad(floor(random() * 1000)::int::text, 3, '0')) END AS id_number,
       CASE WHEN random() < 0.9 THEN '1' || (3 + floor(random() * 7)::int)::text
           || lpad(floor(random() * 1e9)::bigint::text, 9, '0') END AS phone
FROM (SELECT n, random() AS r_len FROM generate_series(1, :persons) n) g, b_names;
-- The few ID numbers drawn twice: the later ones have none.
UPDATE b_person b SET id_number = NULL
FROM (SELECT n, row_number() OVER (PARTITION BY id_number ORDER BY n) AS k
      FROM b_person WHERE id_number IS NOT NULL) d
WHERE d.n = b.n AND d.k > 1;

SELECT coalesce(max(id), 0) AS person_base FROM caseterm.person \gset
INSERT INTO caseterm.person (id, name, id_number, phone, created_at)
    OVERRIDING SYSTEM VALUE
SELECT :person_base + n, name, id_number, phone, now() - interval '1000 days'
FROM b_person ORDER BY n;
SELECT setval(pg_get_serial_sequence('caseterm.person', 'id'), (SELECT max(id) FROM caseterm.person));
DROP TABLE b_person;

-- ---------------------------------------------------------------- cases

-- Deadlines by the calendar: what rule_deadline gives for a moment
-- depends on its date in China only.
CREATE TEMP TABLE b_dl AS
SELECT d.day, k.kind, s.step, ug.urgent,
       caseterm.rule_deadline((d.day + time '12:00') AT TIME ZONE 'Asia/Shanghai',
                              k.kind, s.step, ug.urgent) AS at
FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date - 1010,
                     (now() AT TIME ZONE 'Asia/Shanghai')::date + 1, interval '1 day') d0(d)
CROSS JOIN LATERAL (SELECT d0.d::date AS day) d
CROSS JOIN unnest('{consultation,legal_aid,legal_service,mediation,complaint,suggestion}'::text[]) k(kind)
CROSS JOIN unnest('{handle,review,signfor,followup}'::text[]) s(step)
CROSS JOIN (VALUES (false), (true)) ug(urgent);
CREATE UNIQUE INDEX ON b_dl (day, kind, step, urgent);
ANALYZE b_dl;

CREATE TEMP TABLE b_sets AS SELECT
    (SELECT id FROM b_unit WHERE level = 'city') AS city,
    (SELECT array_agg(id ORDER BY id) FROM b_unit WHERE level = 'district' AND kind = 'office') AS districts,
    -- towns and villages, busier ones more often (weights 1..4)
    (SELECT array_agg(id ORDER BY id, g) FROM b_unit, generate_series(1, 1 + (id * 7919) % 4) g
     WHERE level = 'town' AND kind = 'office') AS towns,
    (SELECT array_agg(id ORDER BY id, g) FROM b_unit, generate_series(1, 1 + (id * 7919) % 4) g
     WHERE level = 'village' AND kind = 'station') AS villages,
    (SELECT count(*) FROM caseterm.person WHERE id > :person_base) AS npersons,
    '{marriage_family,neighbour,housing_land,contract,business,damages,land_forest,labour,consumer,medical,traffic,property_mgmt,village_affairs,other,neighbour,marriage_family,damages,traffic,labour}'::text[] AS categories;

-- Step 1: when, what, where it came in, who.
CREATE TEMP TABLE b_case0 AS
SELECT g, created_at, kind, channel, intake_unit_id, r_state, r1, r2, r3, urgent,
       extract(epoch FROM now() - created_at) / 86400.0 AS age
FROM (
    SELECT g,
           now() - random() * interval '1000 days' AS created_at,
           (ARRAY['consultation','consultation','consultation','consultation','consultation',
                  'consultation','consultation','consultation','consultation','consultation',
                  'consultation','consultation','mediation','mediation','mediation','mediation',
                  'legal_aid','legal_aid','legal_service','complaint'])[1 + floor(random() * 20)::int]
               AS kind0,
           random() AS r_kind, random() AS r_lvl, random() AS r_state,
           random() AS r1, random() AS r2, random() AS r3,
           random() < 0.02 AS urgent
    FROM generate_series(1, :cases) g) x
CROSS JOIN LATERAL (SELECT
    CASE WHEN x.kind0 = 'complaint' AND x.r_kind < 0.33 THEN 'suggestion' ELSE x.kind0 END AS kind,
    CASE WHEN x.r_lvl < 0.30 THEN 'city' WHEN x.r_lvl < 0.40 THEN 'district'
         WHEN x.r_lvl < 0.75 THEN 'town' ELSE 'village' END AS lvl) k
CROSS JOIN b_sets s
CROSS JOIN LATERAL (SELECT
    CASE k.lvl WHEN 'city' THEN s.city
               WHEN 'district' THEN s.districts[1 + floor(x.r1 * cardinality(s.districts))::int]
               WHEN 'town' THEN s.towns[1 + floor(x.r1 * cardinality(s.towns))::int]
               ELSE s.villages[1 + floor(x.r1 * cardinality(s.villages))::int] END AS intake_unit_id,
    CASE WHEN k.lvl = 'city' THEN (ARRAY['hotline','hotline','hotline','hotline','online','wechat',
                                         'transfer_12345','transfer_110'])[1 + floor(x.r2 * 8)::int]
         ELSE (ARRAY['walk_in','walk_in','walk_in','hotline','online','wechat','grid'])[1 + floor(x.r2 * 7)::int]
    END AS channel) i;

-- Step 2: the state from the age (days) of the case.
CREATE TEMP TABLE b_case1 AS
SELECT c.*,
       CASE WHEN c.kind = 'consultation' THEN
           CASE WHEN c.age < 1 THEN CASE WHEN c.r_state < 0.3 THEN 'registered' ELSE 'awaiting_followup' END
                WHEN c.age < 5 THEN CASE WHEN c.r_state < 0.03 THEN 'registered'
                                         WHEN c.r_state < 0.23 THEN 'awaiting_followup' ELSE 'closed' END
                ELSE CASE WHEN c.r_state < 0.001 THEN 'awaiting_followup'   -- left overdue
                          WHEN c.r_state < 0.006 THEN 'merged' ELSE 'closed' END END
       ELSE
           CASE WHEN c.age < 1 THEN CASE WHEN c.r_state < 0.8 THEN 'registered' ELSE 'accepted' END
                WHEN c.age < 3 THEN CASE WHEN c.r_state < 0.10 THEN 'registered'
                                         WHEN c.r_state < 0.25 THEN 'accepted'
                                         WHEN c.r_state < 0.50 THEN 'awaiting_signfor'
                                         WHEN c.r_state < 0.95 THEN 'in_progress' ELSE 'rejected' END
                WHEN c.age < 40 THEN
                    -- closed grows with age: about 15% at 3 days, 90% at 40
                    CASE WHEN c.r_state < 0.03 THEN 'rejected'
                         WHEN c.r_state < 0.045 THEN 'merged'
                         WHEN c.r_state < 0.045 + 0.85 * (c.age - 3) / 37 THEN 'closed'
                         ELSE (ARRAY['in_progress','in_progress','in_progress','in_progress',
                                     'in_progress','in_progress','in_progress','in_progress',
                                     'awaiting_signfor','return_review','extension_review',
                                     'extension_review','reply_review','reply_review',
                                     'awaiting_followup','awaiting_followup','awaiting_followup',
                                     'awaiting_followup'])[1 + floor(c.r3 * 18)::int] END
                ELSE CASE WHEN c.r_state < 0.02 THEN 'rejected'
                          WHEN c.r_state < 0.03 THEN 'merged'
                          WHEN c.r_state < 0.033 THEN 'in_progress'      -- left overdue
                          WHEN c.r_state < 0.034 THEN 'awaiting_followup'
                          ELSE 'closed' END END
       END AS state
FROM b_case0 c;
DROP TABLE b_case0;

-- Step 3: where it went.  moved: it left the intake unit.
CREATE TEMP TABLE b_ux AS
SELECT u.id, u.level, u.kind, u.parent_id, u.district, u.town,
       array(SELECT t.id FROM b_unit t WHERE t.district = u.id AND t.level = 'town'
             AND t.kind = 'office' ORDER BY t.id) AS d_towns,
       array(SELECT m.id FROM b_unit m WHERE m.parent_id = u.id AND m.kind = 'mediation'
             ORDER BY m.id) AS d_mediation,
       (SELECT m.id FROM b_unit m WHERE m.parent_id = u.id AND m.kind = 'legal_aid'
        ORDER BY m.id LIMIT 1) AS d_legal_aid,
       array(SELECT v.id FROM b_unit v WHERE v.parent_id = u.id AND v.level = 'village'
             ORDER BY v.id) AS t_villages,
       (SELECT v.id FROM b_unit v WHERE v.parent_id = u.parent_id AND v.level = 'village'
        AND v.id <> u.id ORDER BY v.id LIMIT 1) AS sibling
FROM b_unit u;
CREATE UNIQUE INDEX ON b_ux (id);
ANALYZE b_ux;

CREATE TEMP TABLE b_case2 AS
SELECT c.*, coalesce(h.holder, c.intake_unit_id) AS holder,
       CASE WHEN h.holder IS NOT NULL THEN h.dispatched_by END AS dispatched_by,
       CASE WHEN h.holder IS NOT NULL THEN h.hop END AS hop
FROM b_case1 c
JOIN b_ux iu ON iu.id = c.intake_unit_id
CROSS JOIN b_sets s
CROSS JOIN LATERAL (SELECT
    -- a town of the case's district (any town for the city)
    CASE WHEN iu.level = 'city' THEN s.towns[1 + floor(c.r2 * cardinality(s.towns))::int]
         WHEN iu.level = 'district' THEN iu.d_towns[1 + floor(c.r2 * cardinality(iu.d_towns))::int]
    END AS town) t
LEFT JOIN b_ux tu ON tu.id = t.town
LEFT JOIN b_ux du ON du.id = tu.district
CROSS JOIN LATERAL (SELECT
    c.kind <> 'consultation'
    AND c.state NOT IN ('registered', 'accepted', 'rejected', 'merged')
    AND (iu.level IN ('city', 'district')
         OR c.state IN ('awaiting_signfor', 'return_review')
         OR (iu.level = 'town' AND c.r3 < 0.3)) AS moved) mv
CROSS JOIN LATERAL (SELECT
    CASE WHEN NOT mv.moved THEN NULL
         WHEN iu.level = 'town'      -- to one of its villages
             THEN iu.t_villages[1 + floor(c.r3 * 10)::int % greatest(cardinality(iu.t_villages), 1)]
         WHEN iu.level = 'village'   -- the town sends it on to the other village
             THEN iu.sibling
         WHEN c.kind = 'mediation' AND c.r1 < 0.2 AND cardinality(du.d_mediation) > 0
             THEN du.d_mediation[1 + floor(c.r1 * 50)::int % cardinality(du.d_mediation)]
         WHEN c.kind = 'legal_aid' AND c.r1 < 0.5 AND du.d_legal_aid IS NOT NULL
             THEN du.d_legal_aid
         ELSE t.town END AS holder,
    -- the city sends 60% through the district (two hops)
    CASE WHEN iu.level = 'city' AND c.r3 < 0.6 THEN tu.district
         WHEN iu.level = 'village' THEN iu.parent_id
         ELSE c.intake_unit_id END AS dispatched_by,
    CASE WHEN iu.level = 'city' AND c.r3 < 0.6 THEN tu.district END AS hop) h;
DROP TABLE b_case1;


-- Step 4: who, when.
CREATE TEMP TABLE b_case3 AS
SELECT c.*, p.created_by, p.handler_id, p.holder_chief, p.intake_chief,
       p.applicant_no, p.respondent_no, p.other_no,
       t.dispatched_at, t.signed_at, t.replied_at,
       CASE WHEN c.state IN ('closed', 'rejected', 'merged')
            THEN least(now(), coalesce(t.replied_at, t.signed_at, t.dispatched_at, c.created_at)
                              + (0.2 + 3 * c.r1) * interval '1 day') END AS closed_at,
       CASE WHEN c.state IN ('return_review', 'extension_review')
            THEN least(now(), coalesce(t.signed_at, t.dispatched_at, c.created_at)
                              + (0.1 + 2 * c.r2) * interval '1 day') END AS paused_at
FROM b_case2 c
CROSS JOIN b_sets s
JOIN b_staff cs ON cs.unit_id = c.intake_unit_id
JOIN b_staff hs ON hs.unit_id = c.holder
CROSS JOIN LATERAL (SELECT
    cs.intake[1 + floor(c.r3 * 1000)::int % cardinality(cs.intake)] AS created_by,
    CASE WHEN c.state IN ('in_progress', 'extension_review', 'reply_review',
                          'awaiting_followup', 'closed')
              AND c.kind <> 'consultation' AND cardinality(hs.handlers) > 0 AND c.r2 < 0.7
         THEN hs.handlers[1 + floor(c.r1 * 1000)::int % cardinality(hs.handlers)] END AS handler_id,
    hs.chief AS holder_chief, cs.chief AS intake_chief,
    -- applicants: the first 80% of the people (repeat applicants among
    -- them); respondents: the last 20%; anonymous complaints and suggestions
    CASE WHEN c.kind IN ('complaint', 'suggestion') AND c.r3 < 0.3 THEN NULL
         ELSE 1 + floor(random() * 0.8 * s.npersons)::bigint END AS applicant_no,
    CASE WHEN c.kind = 'mediation'
         THEN 1 + floor((0.8 + 0.2 * random()) * s.npersons - 1)::bigint END AS respondent_no,
    CASE WHEN c.kind = 'mediation' AND c.r2 < 0.1
         THEN 1 + floor(random() * 0.8 * s.npersons)::bigint END AS other_no) p
CROSS JOIN LATERAL (SELECT d.dispatched_at, d.signed_at,
    CASE WHEN c.state IN ('awaiting_followup', 'closed') THEN
        CASE WHEN c.kind = 'consultation'
             THEN c.created_at + least(c.age * 0.5, c.r2 * 0.02) * interval '1 day'
             ELSE greatest(coalesce(d.signed_at, c.created_at) + least(c.age * 0.05, 0.1) * interval '1 day',
                           c.created_at + least(c.age * 0.6, 2 + c.r2 * 15) * interval '1 day') END
    END AS replied_at
    FROM (SELECT
        CASE WHEN c.holder <> c.intake_unit_id
             THEN c.created_at + least(c.age * 0.1, 0.1 + c.r1 * 1.5) * interval '1 day' END AS dispatched_at,
        CASE WHEN c.kind <> 'consultation' AND c.state IN ('in_progress', 'extension_review',
                 'reply_review', 'awaiting_followup', 'closed')
             THEN c.created_at + least(c.age * 0.2, 0.3 + c.r1 * 2) * interval '1 day' END AS signed_at) d) t;
DROP TABLE b_case2;

-- Step 5: the rows as the functions would have left them.
SELECT coalesce(max(id), 0) AS case_base FROM caseterm.legal_case \gset
CREATE TEMP TABLE b_case AS
SELECT :case_base + row_number() OVER (ORDER BY c.created_at, c.g) AS id,
       extract(year FROM c.created_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
       row_number() OVER (PARTITION BY extract(year FROM c.created_at AT TIME ZONE 'Asia/Shanghai')
                          ORDER BY c.created_at, c.g) AS year_no,
       c.*
FROM b_case3 c;
DROP TABLE b_case3;
CREATE UNIQUE INDEX ON b_case (id);
ANALYZE b_case;

-- The numbers already given out per year (the demo data's): the highest
-- on file, or past it the year's sequence (040); the loaded cases are
-- numbered after them.
CREATE TEMP TABLE b_counter AS
SELECT y.year, max(y.last_no) AS last_no
FROM (SELECT split_part(case_no, '-', 1)::int AS year,
             split_part(case_no, '-', 2)::bigint AS last_no
      FROM caseterm.legal_case
      UNION ALL
      SELECT substr(sequencename, 9)::int, last_value
      FROM pg_sequences
      WHERE schemaname = 'caseterm' AND sequencename ~ '^case_no_[0-9]{4}$'
        AND last_value IS NOT NULL) y
GROUP BY y.year;

INSERT INTO caseterm.legal_case (
    id, case_no, kind, state, channel, unit_id, applicant_id, created_by, created_at,
    updated_at, version, subject, answer, intake_unit_id, held_units, handler_id,
    dispatched_by_unit, dispatched_at, signed_at, deadline, step_deadline, due_at,
    deadline_paused_at, urgent, supervised, supervised_by, supervised_at, merged_into,
    category, place_unit_id, people_involved, amount, details, satisfaction,
    replied_at, closed_at, updated_by, applicant_name)
    OVERRIDING SYSTEM VALUE
SELECT c.id,
       c.year || '-' || lpad((c.year_no + coalesce(k.last_no, 0))::text, 6, '0'),
       c.kind, c.state, c.channel, c.holder,
       CASE WHEN c.applicant_no IS NOT NULL THEN :person_base + c.applicant_no END,
       c.created_by, c.created_at,
       greatest(c.created_at, c.dispatched_at, c.signed_at, c.replied_at, c.closed_at, c.paused_at),
       x.version,
       subj.subject,
       CASE WHEN c.kind = 'consultation' AND c.state IN ('awaiting_followup', 'closed')
            THEN '已当场解答：' || left(subj.subject, 20) || '，建议依法协商或申请调解。'
            WHEN c.state IN ('awaiting_followup', 'closed')
            THEN '经办理，已向申请人答复处理结果。' END,
       c.intake_unit_id,
       ARRAY[c.intake_unit_id]
           || CASE WHEN c.hop IS NOT NULL THEN ARRAY[c.hop] ELSE '{}' END
           || CASE WHEN c.holder <> c.intake_unit_id THEN ARRAY[c.holder] ELSE '{}' END,
       c.handler_id, c.dispatched_by, c.dispatched_at, c.signed_at,
       dl.at, x.step_deadline,
       caseterm.case_due(c.state, dl.at, x.step_deadline),
       c.paused_at, c.urgent,
       x.supervised, CASE WHEN x.supervised THEN sv.chief END,
       CASE WHEN x.supervised THEN c.created_at + interval '2 days' END,
       CASE WHEN c.state = 'merged' THEN
            CASE WHEN c.id - 1 - floor(c.r3 * 500)::int > :case_base
                 THEN c.id - 1 - floor(c.r3 * 500)::int ELSE c.id + 1 END END,
       CASE WHEN c.kind = 'mediation' THEN s.categories[1 + floor(c.r3 * cardinality(s.categories))::int] END,
       CASE WHEN c.kind = 'mediation' THEN
            coalesce(hu.t_villages[1 + floor(c.r2 * 2)::int], c.holder) END,
       CASE WHEN c.kind = 'mediation' THEN 2 + floor(c.r1 * 4)::int END,
       CASE WHEN c.kind = 'mediation' AND c.r2 < 0.6 THEN round((500 + c.r3 * 80000)::numeric, 2) END,
       CASE c.kind
            WHEN 'legal_aid' THEN jsonb_build_object('aid_category',
                (ARRAY['劳动报酬','工伤','婚姻家庭','交通事故','人身损害'])[1 + floor(c.r1 * 5)::int],
                'household_size', 1 + floor(c.r2 * 5)::int,
                'monthly_income', round((800 + c.r3 * 2500)::numeric))
            WHEN 'legal_service' THEN jsonb_build_object('service',
                (ARRAY['lawyer','lawyer','notary','appraisal'])[1 + floor(c.r1 * 4)::int])
            WHEN 'complaint' THEN jsonb_build_object('about', '某律师事务所服务态度')
            ELSE '{}'::jsonb END,
       CASE WHEN c.state = 'closed' THEN
            CASE WHEN c.r2 < 0.85 THEN 'satisfied' WHEN c.r2 < 0.97 THEN 'basically'
                 ELSE 'unsatisfied' END END,
       c.replied_at, c.closed_at,
       CASE WHEN x.version > 1 THEN coalesce(c.handler_id, c.holder_chief) END,
       ap.name
FROM b_case c
CROSS JOIN b_sets s
LEFT JOIN caseterm.person ap ON ap.id = :person_base + c.applicant_no
LEFT JOIN b_counter k ON k.year = c.year
JOIN b_dl dl ON dl.day = (c.created_at AT TIME ZONE 'Asia/Shanghai')::date
            AND dl.kind = c.kind AND dl.step = 'handle' AND dl.urgent = c.urgent
JOIN b_staff sv ON sv.unit_id = coalesce(c.hop, c.dispatched_by, c.intake_unit_id)
JOIN b_ux hu ON hu.id = c.holder
CROSS JOIN LATERAL (SELECT
    CASE c.state
        WHEN 'registered' THEN (SELECT d.at FROM b_dl d WHERE d.day = (c.created_at AT TIME ZONE 'Asia/Shanghai')::date
                                AND d.kind = c.kind AND d.step = 'review' AND d.urgent = c.urgent)
        WHEN 'awaiting_signfor' THEN (SELECT d.at FROM b_dl d WHERE d.day = (c.dispatched_at AT TIME ZONE 'Asia/Shanghai')::date
                                AND d.kind = c.kind AND d.step = 'signfor' AND d.urgent = c.urgent)
        WHEN 'awaiting_followup' THEN (SELECT d.at FROM b_dl d WHERE d.day = (c.replied_at AT TIME ZONE 'Asia/Shanghai')::date
                                AND d.kind = c.kind AND d.step = 'followup' AND d.urgent = c.urgent)
    END AS step_deadline,
    -- one version per step (see the events below)
    CASE WHEN c.kind = 'consultation' THEN
         CASE c.state WHEN 'registered' THEN 1 WHEN 'awaiting_followup' THEN 2
                      WHEN 'closed' THEN 3 ELSE 2 END
    ELSE CASE c.state WHEN 'registered' THEN 1 WHEN 'rejected' THEN 2 WHEN 'merged' THEN 2
                      WHEN 'accepted' THEN 2 ELSE 2 + (c.dispatched_at IS NOT NULL)::int
                          + (c.hop IS NOT NULL)::int
                          + CASE c.state WHEN 'awaiting_signfor' THEN 0 WHEN 'return_review' THEN 1
                                 WHEN 'in_progress' THEN 1 WHEN 'extension_review' THEN 2
                                 WHEN 'reply_review' THEN 2 WHEN 'awaiting_followup' THEN 3
                                 WHEN 'closed' THEN 4 END END
    END AS version,
    c.state NOT IN ('closed', 'rejected', 'merged', 'registered') AND c.r1 < 0.01 AS supervised) x
CROSS JOIN LATERAL (SELECT
    (ARRAY['劳动合同解除后经济补偿怎么算','拖欠工资如何维权','离婚后子女抚养费标准','宅基地使用权继承',
           '交通事故赔偿标准','房屋租赁押金不退','民间借贷诉讼时效','工伤认定怎么申请','遗产继承顺序',
           '物业费纠纷','邻居装修噪音扰民','相邻通行纠纷','承包地流转合同','消费者退款纠纷',
           '医疗费用赔偿','赡养老人义务','婚前财产认定','农民工讨薪','网购商品质量问题','土地征收补偿'])
        [1 + floor(c.r2 * 20)::int]
    || '（' || (ARRAY['申请人来电','现场来访','网上留言','微信咨询','网格员上报'])[1 + floor(c.r1 * 5)::int]
    || '，编号' || c.g || '）' AS subject) subj
ORDER BY c.id;

-- The numbers given out per year: the year's sequence (040) moved past
-- the loaded numbers, or, without 040, the gap-free counter.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.year, max(c.year_no + coalesce(k.last_no, 0)) AS last_no
               FROM b_case c LEFT JOIN b_counter k ON k.year = c.year
              GROUP BY c.year LOOP
        IF to_regclass('caseterm.case_counter') IS NOT NULL THEN
            EXECUTE 'INSERT INTO caseterm.case_counter AS k (year, last_no) VALUES ($1, $2)
                     ON CONFLICT (year) DO UPDATE SET last_no = greatest(k.last_no, EXCLUDED.last_no)'
                USING r.year, r.last_no;
        ELSE
            PERFORM setval(caseterm.case_no_seq(r.year),
                           greatest(r.last_no, (SELECT last_value FROM pg_sequences
                                                WHERE schemaname = 'caseterm'
                                                  AND sequencename = 'case_no_' || r.year)));
        END IF;
    END LOOP;
END
$$;
SELECT setval(pg_get_serial_sequence('caseterm.legal_case', 'id'), (SELECT max(id) FROM caseterm.legal_case));

-- ---------------------------------------------------------------- parties, requests, events

INSERT INTO caseterm.case_party (case_id, person_id, role, note, added_by, added_at)
SELECT c.id, :person_base + p.no, p.role, p.note, c.created_by, c.created_at
FROM b_case c
CROSS JOIN LATERAL (VALUES (c.applicant_no, 'applicant', NULL),
                           (c.respondent_no, 'respondent', NULL),
                           (c.other_no, 'other', '第三人')) p(no, role, note)
WHERE c.kind = 'mediation' AND p.no IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO caseterm.case_request (case_id, kind, requested_by, requested_unit, requested_at,
                                   reason, days, reply)
SELECT c.id,
       CASE c.state WHEN 'return_review' THEN 'return' WHEN 'extension_review' THEN 'extension'
                    ELSE 'reply' END,
       coalesce(c.handler_id, c.holder_chief), c.holder,
       coalesce(c.paused_at, c.signed_at + interval '1 day', now()),
       CASE c.state WHEN 'return_review' THEN '不属于本单位管辖'
                    WHEN 'extension_review' THEN '当事人外出，需延期调解' END,
       CASE WHEN c.state = 'extension_review' THEN 5 END,
       CASE WHEN c.state = 'reply_review' THEN '已组织双方调解，达成一致意见。' END
FROM b_case c
WHERE c.state IN ('return_review', 'extension_review', 'reply_review');

-- The path of each case up to its state.  From-states are those of the path.
INSERT INTO caseterm.case_event (case_id, at, user_id, unit_id, kind, from_state, to_state,
                                 reason, detail)
SELECT c.id, e.at, e.uid, cl.unit_id, e.kind, e.from_state, e.to_state, e.reason, e.detail
FROM b_case c
CROSS JOIN LATERAL (SELECT
    c.kind <> 'consultation' AS work,
    c.state IN ('in_progress', 'extension_review', 'reply_review', 'awaiting_followup', 'closed')
        AS signed,
    c.state IN ('reply_review', 'awaiting_followup', 'closed') AS replied,
    c.created_at + (coalesce(c.dispatched_at, c.signed_at, c.paused_at, c.closed_at,
                             least(now(), c.created_at + interval '4 hours')) - c.created_at) / 2
        AS accepted_at) f
CROSS JOIN LATERAL (VALUES
    ('register', NULL, 'registered', c.created_at, c.created_by, true, NULL::text,
     jsonb_build_object('kind', c.kind, 'channel', c.channel, 'urgent', c.urgent)),
    ('answer', 'registered', 'awaiting_followup', c.replied_at, c.created_by,
     NOT f.work AND c.state IN ('awaiting_followup', 'closed'), NULL,
     '{"on_the_spot": true}'::jsonb),
    ('review_reject', 'registered', 'rejected', c.closed_at, c.intake_chief,
     c.state = 'rejected', '不属于法律援助范围', '{}'),
    ('merge', 'registered', 'merged', c.closed_at, c.intake_chief,
     c.state = 'merged', NULL, '{}'),
    ('review_accept', 'registered', 'accepted', f.accepted_at, c.intake_chief,
     f.work AND c.state NOT IN ('registered', 'rejected', 'merged'), NULL, '{}'),
    ('dispatch', 'accepted', 'awaiting_signfor',
     f.accepted_at + (c.dispatched_at - f.accepted_at) / 2, c.intake_chief,
     c.hop IS NOT NULL, NULL, jsonb_build_object('from_unit', c.intake_unit_id, 'to_unit', c.hop)),
    ('dispatch', CASE WHEN c.hop IS NULL THEN 'accepted' ELSE 'awaiting_signfor' END,
     'awaiting_signfor', c.dispatched_at,
     CASE WHEN c.hop IS NULL THEN c.intake_chief ELSE (SELECT chief FROM b_staff WHERE unit_id = c.hop) END,
     c.dispatched_at IS NOT NULL, NULL,
     jsonb_build_object('from_unit', coalesce(c.hop, c.intake_unit_id), 'to_unit', c.holder)),
    ('sign', CASE WHEN c.dispatched_at IS NULL THEN 'accepted' ELSE 'awaiting_signfor' END,
     'in_progress', c.signed_at, coalesce(c.handler_id, c.holder_chief), f.work AND f.signed, NULL,
     jsonb_build_object('self', c.dispatched_at IS NULL)),
    ('return', 'awaiting_signfor', 'return_review', c.paused_at, c.holder_chief,
     c.state = 'return_review', '不属于本单位管辖', '{}'),
    ('request_extension', 'in_progress', 'extension_review', c.paused_at,
     coalesce(c.handler_id, c.holder_chief), c.state = 'extension_review',
     '当事人外出，需延期调解', '{"days": 5}'),
    ('reply', 'in_progress', 'reply_review',
     c.signed_at + (coalesce(c.replied_at, now()) - c.signed_at) * 0.8,
     coalesce(c.handler_id, c.holder_chief), f.work AND f.replied, NULL, '{}'),
    ('approve_reply', 'reply_review', 'awaiting_followup', c.replied_at, c.holder_chief,
     f.work AND c.state IN ('awaiting_followup', 'closed'), NULL, '{}'),
    ('followup', 'awaiting_followup', 'closed', c.closed_at, c.intake_chief,
     c.state = 'closed', NULL, '{"satisfaction": "satisfied"}')
    ) e(kind, from_state, to_state, at, uid, inc, reason, detail)
JOIN b_clerk cl ON cl.uid = e.uid
WHERE e.inc;

-- case_gram as the triggers of 042 keep it: every bigram of the names of
-- a case's applicant and parties, with the columns the policies read.
INSERT INTO caseterm.case_gram (case_id, gram, created_at, unit_id, created_by,
                                handler_id, dispatched_by_unit)
SELECT c.id, g.gram, c.created_at, c.unit_id, c.created_by, c.handler_id,
       c.dispatched_by_unit
FROM (SELECT DISTINCT x.case_id, x.gram
      FROM (SELECT c.id AS case_id, unnest(p.name_grams) AS gram
            FROM b_case b JOIN caseterm.legal_case c ON c.id = b.id
            JOIN caseterm.person p ON p.id = c.applicant_id
            UNION ALL
            SELECT q.case_id, unnest(p.name_grams)
            FROM b_case b JOIN caseterm.case_party q ON q.case_id = b.id
            JOIN caseterm.person p ON p.id = q.person_id) x) g
JOIN caseterm.legal_case c ON c.id = g.case_id;

DROP TABLE b_case;
RESET session_replication_role;

-- ---------------------------------------------------------------- indexes, statistics

SELECT def FROM b_index \gexec
VACUUM (FREEZE, ANALYZE) caseterm.person, caseterm.legal_case, caseterm.case_event,
    caseterm.case_party, caseterm.case_request, caseterm.app_user, caseterm.case_gram;

-- ---------------------------------------------------------------- check

-- What the triggers and the step functions would have derived.
DO $$
DECLARE
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM caseterm.legal_case
    WHERE due_at IS DISTINCT FROM caseterm.case_due(state, deadline, step_deadline)
       OR NOT (unit_id = ANY (held_units)) OR intake_unit_id IS NULL
       OR held_units[1] <> intake_unit_id;
    IF n > 0 THEN
        RAISE EXCEPTION 'lifecycle-load: % cases with due_at or held_units not as the trigger keeps them', n;
    END IF;
    SELECT count(*) INTO n FROM caseterm.legal_case c TABLESAMPLE BERNOULLI (0.2)
    WHERE c.deadline IS DISTINCT FROM caseterm.rule_deadline(c.created_at, c.kind, 'handle', c.urgent)
       OR (c.state = 'registered' AND c.step_deadline IS DISTINCT FROM
               caseterm.rule_deadline(c.created_at, c.kind, 'review', c.urgent))
       OR (c.state = 'awaiting_signfor' AND c.step_deadline IS DISTINCT FROM
               caseterm.rule_deadline(c.dispatched_at, c.kind, 'signfor', c.urgent))
       OR (c.state = 'awaiting_followup' AND c.step_deadline IS DISTINCT FROM
               caseterm.rule_deadline(c.replied_at, c.kind, 'followup', c.urgent));
    IF n > 0 THEN
        RAISE EXCEPTION 'lifecycle-load: % sampled cases with deadlines other than rule_deadline gives', n;
    END IF;
    -- The foreign keys the load did not have checked.
    SELECT count(*) INTO n FROM caseterm.legal_case c
    WHERE (c.applicant_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM caseterm.person p WHERE p.id = c.applicant_id))
       OR NOT EXISTS (SELECT 1 FROM caseterm.org_unit o WHERE o.id = c.unit_id)
       OR NOT EXISTS (SELECT 1 FROM caseterm.app_user u WHERE u.id = c.created_by)
       OR (c.handler_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM caseterm.app_user u WHERE u.id = c.handler_id))
       OR (c.merged_into IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM caseterm.legal_case m WHERE m.id = c.merged_into));
    IF n > 0 THEN
        RAISE EXCEPTION 'lifecycle-load: % cases refer to missing rows', n;
    END IF;
    SELECT count(*) INTO n FROM caseterm.legal_case c
    LEFT JOIN caseterm.person p ON p.id = c.applicant_id
    WHERE c.applicant_name IS DISTINCT FROM p.name;
    IF n > 0 THEN
        RAISE EXCEPTION 'lifecycle-load: % cases without their applicant''s name', n;
    END IF;
    -- a sampled case's grams: the bigrams of its people's names, each
    -- row with the case's own columns
    SELECT count(*) INTO n FROM caseterm.legal_case c TABLESAMPLE BERNOULLI (0.2)
    WHERE ARRAY(SELECT g.gram FROM caseterm.case_gram g WHERE g.case_id = c.id ORDER BY 1)
          IS DISTINCT FROM
          ARRAY(SELECT DISTINCT x
                FROM (SELECT p.name_grams FROM caseterm.person p WHERE p.id = c.applicant_id
                      UNION ALL
                      SELECT p.name_grams FROM caseterm.case_party q
                      JOIN caseterm.person p ON p.id = q.person_id
                      WHERE q.case_id = c.id) n, unnest(n.name_grams) x
                ORDER BY 1)
       OR EXISTS (SELECT 1 FROM caseterm.case_gram g
                  WHERE g.case_id = c.id
                    AND (g.created_at, g.unit_id, g.created_by, g.handler_id, g.dispatched_by_unit)
                        IS DISTINCT FROM
                        (c.created_at, c.unit_id, c.created_by, c.handler_id, c.dispatched_by_unit));
    IF n > 0 THEN
        RAISE EXCEPTION 'lifecycle-load: % sampled cases whose case_gram rows are not as the triggers keep them', n;
    END IF;
    SELECT count(*) INTO n FROM caseterm.case_event e
    WHERE NOT EXISTS (SELECT 1 FROM caseterm.legal_case c WHERE c.id = e.case_id);
    IF n > 0 THEN
        RAISE EXCEPTION 'lifecycle-load: % events of missing cases', n;
    END IF;
    SELECT count(*) INTO n FROM caseterm.case_party q
    WHERE NOT EXISTS (SELECT 1 FROM caseterm.person p WHERE p.id = q.person_id);
    IF n > 0 THEN
        RAISE EXCEPTION 'lifecycle-load: % parties are missing persons', n;
    END IF;
END
$$;
