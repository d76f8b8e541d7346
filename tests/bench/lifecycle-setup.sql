-- tests/bench/lifecycle-setup.sql — what the pgbench scripts of the
-- lifecycle benchmark (tests/bench/lifecycle.sh) draw from, in a schema
-- "bench" that caseterm_app may read, after lifecycle-load.sql:
--
--   bench.clerk (grp, k, uid, unit_id)   the clerks of each kind, numbered
--       1..n per group: district_chief (dispatcher, supervisor),
--       district_followup, town_chief (intake, dispatcher, supervisor,
--       followup), town_handler, city_chief (the city's dispatcher and
--       supervisor)
--   bench.s_case (k, uid, unit_id, case_no, id_number, phone)   random
--       cases whose applicant has an ID number and a phone, with the chief
--       of the unit holding the case: who looks it up
--   bench.s_name2, bench.s_name3 (k, uid, unit_id, name)   random
--       applicants with a two- / three-character name (drawn by person, so
--       common names come up as often as they are), and the chief of the
--       unit holding one of their cases
--   bench.clerk 'hotline'   64 intake clerks of a hotline centre of their
--       own (BENCH-12348 under the city) for the intake benchmark
--   bench.args (n, name, phone, id_number, subject, answer, channel)   the
--       n-th new applicant and question for the intake benchmark: the name
--       of someone on file, a new mobile number, an ID number no one else
--       has (regions the load does not use, one per n)
--   bench.intake_seq, bench.raw_seq   n for the functions and for the raw
--       inserts (disjoint ranges of bench.args)
--   bench.search_cases_owner, bench.inbox_owner, bench.case_list_owner
--       copies that run as the owner, without row-level security
--       (lifecycle-owner.sql)
--
--   psql -v samples=20000 -v args=300000 -f tests/bench/lifecycle-setup.sql

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT setseed(0.2026);

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO caseterm_app;

CREATE TABLE bench.clerk (
    grp     text NOT NULL,
    k       int NOT NULL,
    uid     bigint NOT NULL,
    unit_id bigint NOT NULL,
    PRIMARY KEY (grp, k)
);
INSERT INTO bench.clerk
SELECT grp, row_number() OVER (PARTITION BY grp ORDER BY u.id), u.id, u.unit_id
FROM caseterm.app_user u
JOIN caseterm.org_unit o ON o.id = u.unit_id
CROSS JOIN LATERAL (VALUES
    (CASE WHEN o.level = 'district' AND o.kind = 'office' AND u.login LIKE '%\_1' THEN 'district_chief' END),
    (CASE WHEN o.level = 'district' AND o.kind = 'office' AND u.login LIKE '%\_2' THEN 'district_followup' END),
    (CASE WHEN o.level = 'town' AND u.login LIKE '%\_1' THEN 'town_chief' END),
    (CASE WHEN o.level = 'town' AND 'handler' = ANY (u.roles) THEN 'town_handler' END),
    (CASE WHEN o.level = 'city' AND u.roles @> '{dispatcher,supervisor}' THEN 'city_chief' END)) g(grp)
WHERE u.login ~ '^b[0-9a-z_]+_[0-9]+$' AND g.grp IS NOT NULL;

-- The chief of each unit: the first of its clerks with dispatcher or
-- supervisor, else its first clerk.
CREATE TEMP TABLE chief AS
SELECT DISTINCT ON (u.unit_id) u.unit_id, u.id AS uid
FROM caseterm.app_user u
WHERE u.login ~ '^b[0-9a-z_]+_[0-9]+$'
ORDER BY u.unit_id, NOT (u.roles && '{dispatcher,supervisor}'), u.id;

CREATE TABLE bench.s_case AS
SELECT row_number() OVER () AS k, h.uid, c.unit_id, c.case_no, p.id_number, p.phone
FROM (SELECT * FROM caseterm.legal_case ORDER BY random() LIMIT :samples * 3) c
JOIN caseterm.person p ON p.id = c.applicant_id
JOIN chief h ON h.unit_id = c.unit_id
WHERE p.id_number IS NOT NULL AND p.phone IS NOT NULL
LIMIT :samples;
ALTER TABLE bench.s_case ADD PRIMARY KEY (k);

CREATE TABLE bench.s_name2 AS
SELECT row_number() OVER () AS k, h.uid, c.unit_id, p.name
FROM (SELECT * FROM caseterm.person
      WHERE char_length(name) = 2 ORDER BY random() LIMIT :samples * 2) p
CROSS JOIN LATERAL (SELECT c.unit_id FROM caseterm.legal_case c
                    WHERE c.applicant_id = p.id ORDER BY c.id DESC LIMIT 1) c
JOIN chief h ON h.unit_id = c.unit_id
LIMIT :samples;
ALTER TABLE bench.s_name2 ADD PRIMARY KEY (k);

CREATE TABLE bench.s_name3 AS
SELECT row_number() OVER () AS k, h.uid, c.unit_id, p.name
FROM (SELECT * FROM caseterm.person
      WHERE char_length(name) = 3 ORDER BY random() LIMIT :samples * 2) p
CROSS JOIN LATERAL (SELECT c.unit_id FROM caseterm.legal_case c
                    WHERE c.applicant_id = p.id ORDER BY c.id DESC LIMIT 1) c
JOIN chief h ON h.unit_id = c.unit_id
LIMIT :samples;
ALTER TABLE bench.s_name3 ADD PRIMARY KEY (k);

-- The intake benchmark's clerks: a hotline centre of its own under the
-- city, so that the cases it registers do not land in the inboxes the
-- lookups open.
INSERT INTO caseterm.org_unit (code, name, level, kind, parent_id)
SELECT 'BENCH-12348', '12348热线测试中心', 'district', 'office', o.id
FROM caseterm.org_unit o WHERE o.parent_id IS NULL ORDER BY o.id LIMIT 1;
INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
SELECT 'bhot_' || g, '热线' || g, o.id, '{intake}'
FROM caseterm.org_unit o, generate_series(1, 64) g WHERE o.code = 'BENCH-12348';
INSERT INTO bench.clerk
SELECT 'hotline', row_number() OVER (ORDER BY u.id), u.id, u.unit_id
FROM caseterm.app_user u WHERE u.login LIKE 'bhot\_%';

-- The new applicants and questions of the intake benchmark, n = 1 .. :args
-- for the functions, 50000001 .. 50000000 + :args for the raw inserts.
-- The ID number: a region the load does not use, a sequence number and a
-- birth date from n (unique below 100 million), its check digit.
SELECT max(id) AS person_max FROM caseterm.person \gset
CREATE TABLE bench.args AS
SELECT n,
       -- the name of someone on file: names as common as they are
       coalesce((SELECT p.name FROM caseterm.person p WHERE p.id = 1 + (n * 7919) % :person_max),
                '王伟') AS name,
       '1' || (3 + n % 7) || lpad(((n * 104729) % 1000000000)::text, 9, '0') AS phone,
       x.p17 || substr('10X98765432', ((
             substr(x.p17, 1, 1)::int * 7 + substr(x.p17, 2, 1)::int * 9
           + substr(x.p17, 3, 1)::int * 10 + substr(x.p17, 4, 1)::int * 5
           + substr(x.p17, 5, 1)::int * 8 + substr(x.p17, 6, 1)::int * 4
           + substr(x.p17, 7, 1)::int * 2 + substr(x.p17, 8, 1)::int * 1
           + substr(x.p17, 9, 1)::int * 6 + substr(x.p17, 10, 1)::int * 3
           + substr(x.p17, 11, 1)::int * 7 + substr(x.p17, 12, 1)::int * 9
           + substr(x.p17, 13, 1)::int * 10 + substr(x.p17, 14, 1)::int * 5
           + substr(x.p17, 15, 1)::int * 8 + substr(x.p17, 16, 1)::int * 4
           + substr(x.p17, 17, 1)::int * 2) % 11) + 1, 1) AS id_number,
       (ARRAY['拖欠工资如何维权','离婚后子女抚养费标准','交通事故赔偿标准','房屋租赁押金不退',
              '民间借贷诉讼时效','工伤认定怎么申请','遗产继承顺序','邻居装修噪音扰民'])
           [1 + n % 8] || '（来电咨询，编号' || n || '）' AS subject,
       CASE WHEN n % 2 = 0 THEN '已当场解答，建议先行协商。' END AS answer,
       (ARRAY['hotline','hotline','walk_in','online','wechat'])[1 + n % 5] AS channel
FROM (SELECT g AS n FROM generate_series(1::bigint, :args) g
      UNION ALL SELECT g FROM generate_series(50000001::bigint, 50000000 + :args) g) g
CROSS JOIN LATERAL (SELECT (ARRAY['320281','320582','321023','321281','321321'])[1 + n % 5]
             || to_char(date '1950-01-01' + (((n / 5000) * 7919) % 20000)::int, 'YYYYMMDD')
             || lpad(((n / 5) % 1000)::text, 3, '0') AS p17) x;
ALTER TABLE bench.args ADD PRIMARY KEY (n);
CREATE SEQUENCE bench.intake_seq;
CREATE SEQUENCE bench.raw_seq START 50000001;

-- The other side of the RLS comparison: case_list, inbox and search_cases
-- as the owner's.
\ir lifecycle-owner.sql

GRANT SELECT ON ALL TABLES IN SCHEMA bench TO caseterm_app;
GRANT USAGE ON SEQUENCE bench.intake_seq TO caseterm_app;
ANALYZE bench.clerk, bench.s_case, bench.s_name2, bench.s_name3, bench.args;
