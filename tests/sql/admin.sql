-- admin.sql — administration functions (021_admin.sql): who may manage
-- which users, keys, units, code tables and sessions; a district
-- administrator only within the district; the operator (casetermctl)
-- everywhere; every change an audit row with before and after.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(121);
\ir fixture.psql

INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
    SELECT v.login, v.name, pg_temp.unit(v.unit), v.roles::text[]
    FROM (VALUES ('t_city_admin', '市管理员', 'T-CITY', '{admin,supervisor}'),
                 ('t_d1_admin', '一区管理员', 'T-D1', '{admin}'),
                 ('t_d2_admin', '二区管理员', 'T-D2', '{admin}'),
                 ('t_ta_admin', '甲所管理员', 'T-TA', '{admin,intake}')) v(login, name, unit, roles);

-- 'ok', or the SQLSTATE the statement raised.
CREATE FUNCTION pg_temp.try(p_sql text) RETURNS text
    LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE p_sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;

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

-- The newest audit row, as the superuser sees it (by id: a row gets its
-- seq in the chain only when its transaction commits, 040).
CREATE FUNCTION pg_temp.last_audit() RETURNS caseterm.audit_log
    LANGUAGE sql
AS $$ SELECT * FROM caseterm.audit_log ORDER BY id DESC LIMIT 1 $$;

\set hash '$y$j9T$F5Jx5fExrKuJdljLn7mYr.$0b9zPZrjHtp/0FHgKTLQ5XLxLrLxOt46bK8f/mhl0J6'
\set hash2 '$y$j9T$abcdefghijklmnopqrstuv$0123456789012345678901234567890123456789012'
\set key1 'AAAAC3NzaC1lZDI1NTE5AAAAIFf6KPE0YwzXkdOwEivKtTFk+8azcGMjuLjpNg4MzlET'
\set fp1 'SHA256:jnfVRHCgBpvms2XBly+hrr/UEA8rd6u0EjXBvzozh3k'
\set key2 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOwKWw7PxqyS7aEnPDAmkvYjmFyZe7wrB87XV2FxzW99t/VeZP8epv9ATvT1oNjBlVy+TpC6SRMUH+iKOzxlhnY='
\set fp2 'SHA256:qXBEbInwBhvCfonr0K/okr8MyPkiVeIcH1UBZORGKKM'

SET LOCAL ROLE caseterm_app;

-- ---- who is an administrator
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT caseterm.user_create('t_new', '新人', 'T-TA', '{intake}')$$,
                 '42501', 'not allowed: no acting user is set',
                 'no acting user: no administration (the application is never the operator)');
SELECT pg_temp.act('t_town_a');
SELECT throws_ok($$SELECT caseterm.user_create('t_new', '新人', 'T-TA', '{intake}')$$,
                 '42501', 'not allowed: the admin role is required', 'a clerk cannot create users');
SELECT throws_ok($$SELECT * FROM caseterm.user_list()$$,
                 '42501', 'not allowed: the admin role is required', 'a clerk cannot list users');
SELECT throws_ok($$SELECT caseterm.unit_rename('T-TA', '改名')$$,
                 '42501', 'not allowed: the admin role is required', 'a clerk cannot rename units');
SELECT pg_temp.act('t_city');
SELECT throws_ok($$SELECT caseterm.user_set_disabled('t_town_a', true)$$,
                 '42501', 'not allowed: the admin role is required', 'a city supervisor is no administrator');

-- ---- users
SELECT pg_temp.act('t_d1_admin');
SELECT ok(caseterm.user_create(' T_New ', ' 新人 ', 'T-TA', '{Intake, handler,intake}', NULL, :'hash') > 0,
          'a district administrator creates a user in a town of the district');
RESET ROLE;
SELECT results_eq($$SELECT login, display_name, unit_id, roles, locale, password_hash, disabled
                    FROM caseterm.app_user WHERE login = 't_new'$$,
                  format($$VALUES ('t_new'::text, '新人'::text, %s::bigint, '{intake,handler}'::text[],
                                   'zh_CN'::text, %L::text, false)$$, pg_temp.unit('T-TA'), :'hash'),
                  'the new user: login lower-cased, name trimmed, roles cleaned, zh_CN by default');
SELECT results_eq($$SELECT action, user_id, object, detail->'after'->>'login', detail->'after'->>'password_hash'
                    FROM pg_temp.last_audit()$$,
                  format($$VALUES ('user_create'::text, %s::bigint, 'app_user:%s'::text, 't_new'::text, '(set)'::text)$$,
                         pg_temp.uid('t_d1_admin'), pg_temp.uid('t_new')),
                  'audit user_create by the administrator, the hash redacted');
SET LOCAL ROLE caseterm_app;
SELECT throws_ok($$SELECT caseterm.user_create('t_new', '又一个', 'T-TA', '{intake}')$$,
                 '22023', 'a user with this login already exists', 'a login is taken once');
SELECT throws_ok($$SELECT caseterm.user_create('t_other', '外区', 'T-D2', '{intake}')$$,
                 '42501', 'not allowed: outside your jurisdiction',
                 'a district administrator cannot create a user in another district');
SELECT throws_ok($$SELECT caseterm.user_create('t_top', '市里', 'T-CITY', '{admin}')$$,
                 '42501', 'not allowed: outside your jurisdiction', '... nor at the city');
SELECT throws_ok($$SELECT caseterm.user_create('t_x', '某', 'NOPE', '{intake}')$$,
                 '22023', 'no such unit', 'an unknown unit');
SELECT throws_ok($$SELECT caseterm.user_create('Bad Login', '某', 'T-TA', '{intake}')$$,
                 '22023', 'a login is 2 to 32 lower-case letters, digits, dots, dashes or underscores, starting with a letter',
                 'a malformed login');
SELECT throws_ok($$SELECT caseterm.user_create('t_x', '  ', 'T-TA', '{intake}')$$,
                 '22023', 'name is required', 'an empty name');
SELECT throws_ok($$SELECT caseterm.user_create('t_x', '某', 'T-TA', '{intake,boss}')$$,
                 '22023', 'unknown role', 'an unknown role');
SELECT throws_ok($$SELECT caseterm.user_create('t_x', '某', 'T-TA', '{" "}')$$,
                 '22023', 'at least one role is required', 'no role');
SELECT throws_ok($$SELECT caseterm.user_create('t_x', '某', 'T-TA', '{intake}', 'fr')$$,
                 '22023', 'unknown language', 'an unknown language');
SELECT throws_ok($$SELECT caseterm.user_create('t_x', '某', 'T-TA', '{intake}', 'en', 'secret')$$,
                 '22023', 'the password hash is not a crypt(3) hash', 'a password instead of a hash');
SELECT is(pg_temp.error_column($$SELECT caseterm.user_create('t_x', '某', 'T-TA', '{boss}')$$), 'roles',
          'the error names the form field');

SELECT lives_ok($$SELECT caseterm.user_set_disabled('t_town_b', true)$$,
                'a district administrator disables a town clerk of the district');
RESET ROLE;
SELECT results_eq($$SELECT action, detail->'before', detail->'after' FROM pg_temp.last_audit()$$,
                  $$VALUES ('user_disable'::text, '{"disabled": false}'::jsonb, '{"disabled": true}'::jsonb)$$,
                  'audit user_disable with before and after');
SET LOCAL ROLE caseterm_app;
SELECT lives_ok($$SELECT caseterm.user_set_disabled('t_town_b', false)$$, '... and enables again');
SELECT throws_ok($$SELECT caseterm.user_set_disabled('t_d2', true)$$,
                 '42501', 'not allowed: outside your jurisdiction',
                 'a district administrator cannot disable another district''s user');
SELECT throws_ok($$SELECT caseterm.user_set_password('t_d2', NULL)$$,
                 '42501', 'not allowed: outside your jurisdiction', '... nor reset their password');
SELECT throws_ok($$SELECT caseterm.user_set_roles('t_d2_admin', '{intake}')$$,
                 '42501', 'not allowed: outside your jurisdiction', '... nor change their roles');
SELECT throws_ok($$SELECT caseterm.user_set_roles('t_city_admin', '{intake}')$$,
                 '42501', 'not allowed: outside your jurisdiction', '... nor the city administrator''s');
SELECT throws_ok($$SELECT caseterm.user_set_disabled('nobody', true)$$,
                 '22023', 'no such user', 'an unknown login');
SELECT throws_ok($$SELECT caseterm.user_set_disabled('t_d1_admin', true)$$,
                 '42501', 'not allowed: you cannot disable your own account', 'no one disables themselves');
SELECT throws_ok($$SELECT caseterm.user_set_roles('t_d1_admin', '{supervisor}')$$,
                 '42501', 'not allowed: you cannot remove your own admin role', 'no one drops their own admin role');
SELECT lives_ok($$SELECT caseterm.user_set_roles('t_d1_admin', '{admin,supervisor}')$$,
                'an administrator may add roles to themselves');
SELECT lives_ok($$SELECT caseterm.user_set_roles('t_town_b', '{intake,followup}')$$, 'set roles');
SELECT lives_ok(format($$SELECT caseterm.user_set_password('t_town_b', %L)$$, :'hash2'), 'reset a password');
SELECT lives_ok($$SELECT caseterm.user_move('t_town_b', 'T-TA')$$, 'move a user between two towns of the district');
SELECT throws_ok($$SELECT caseterm.user_move('t_town_b', 'T-D2')$$,
                 '42501', 'not allowed: outside your jurisdiction', '... not into another district');
SELECT lives_ok($$SELECT caseterm.user_set_locale('t_town_b', 'en')$$, 'set the language');
SELECT lives_ok($$SELECT caseterm.user_set_name('t_town_b', '乙所李四（借调）')$$, 'set the name');
RESET ROLE;
SELECT results_eq($$SELECT roles, password_hash, unit_id, locale, display_name FROM caseterm.app_user WHERE login = 't_town_b'$$,
                  format($$VALUES ('{intake,followup}'::text[], %L::text, %s::bigint, 'en'::text, '乙所李四（借调）'::text)$$,
                         :'hash2', pg_temp.unit('T-TA')),
                  'the changes are made');
SELECT results_eq(format($$SELECT action, detail->'before', detail->'after', user_id
                           FROM caseterm.audit_log WHERE object = 'app_user:%s' AND id > (SELECT max(id) - 5 FROM caseterm.audit_log)
                           ORDER BY id$$, pg_temp.uid('t_town_b')),
                  format($$VALUES ('user_roles'::text, '{"roles": ["intake"]}'::jsonb, '{"roles": ["intake", "followup"]}'::jsonb, %1$s::bigint),
                                  ('user_password', '{"password_hash": "(set)"}', '{"password_hash": "(set)"}', %1$s),
                                  ('user_move', '{"unit_id": %2$s}', '{"unit_id": %3$s}', %1$s),
                                  ('user_locale', '{"locale": "zh_CN"}', '{"locale": "en"}', %1$s),
                                  ('user_rename', '{"display_name": "乙所李四"}', '{"display_name": "乙所李四（借调）"}', %1$s)$$,
                         pg_temp.uid('t_d1_admin'), pg_temp.unit('T-TB'), pg_temp.unit('T-TA')),
                  'one audit row per change, named after the function, with before and after');
SET LOCAL ROLE caseterm_app;

-- user_list: the jurisdiction
SELECT set_eq($$SELECT login FROM caseterm.user_list() WHERE login LIKE 't\_%'$$,
              $$VALUES ('t_district'), ('t_town_a'), ('t_town_a2'), ('t_town_b'), ('t_village_a'),
                       ('t_analyst'), ('t_disabled'), ('t_offunit'), ('t_nopass'), ('t_d1_admin'),
                       ('t_ta_admin'), ('t_new')$$,
              'a district administrator lists the users of the district only');
SELECT results_eq($$SELECT unit_code, has_password, keys, disabled FROM caseterm.user_list('T-TA') WHERE login = 't_nopass'$$,
                  $$VALUES ('T-TA'::text, false, 0, false)$$, 'user_list of a unit: unit, password, keys, status');
SELECT throws_ok($$SELECT * FROM caseterm.user_list('T-D2')$$,
                 '42501', 'not allowed: outside your jurisdiction', 'another district''s list is refused');
SELECT pg_temp.act('t_city_admin');
SELECT ok((SELECT count(*) FROM caseterm.user_list() WHERE login IN ('t_d2', 't_town_a', 't_city')) = 3,
          'the city administrator lists every district');
SELECT pg_temp.act('t_ta_admin');
SELECT throws_ok($$SELECT caseterm.user_set_disabled('t_town_b2', true)$$,
                 '22023', 'no such user', 'a town administrator: unknown login');
SELECT is(pg_temp.try($$SELECT caseterm.user_set_disabled('t_district', true)$$), '42501',
          'a town administrator cannot touch the district''s users');
SELECT is(pg_temp.try($$SELECT caseterm.user_set_locale('t_village_a', 'en')$$), 'ok',
          'a town administrator manages its villages'' users');

-- ---- keys
SELECT pg_temp.act('t_d1_admin');
SELECT caseterm.user_key_add('t_town_a', 'ssh-ed25519', :'key1', 'zhang@pc') AS k1 \gset
SELECT results_eq($$SELECT key_type, fingerprint, comment, added_by FROM caseterm.user_key_list('t_town_a')$$,
                  format($$VALUES ('ssh-ed25519'::text, %L::text, 'zhang@pc'::text, 't_d1_admin'::text)$$, :'fp1'),
                  'a key is added, with the fingerprint ssh-keygen -l shows');
SELECT ok(caseterm.user_key_add_openssh('t_town_a', 'ecdsa-sha2-nistp256 ' || :'key2' || ' second key') > 0,
          'a key from an authorized_keys line');
SELECT throws_ok(format($$SELECT caseterm.user_key_add('t_town_a', 'ssh-ed25519', %L)$$, :'key1'),
                 '22023', 'this key is already registered for this user', 'the same key twice');
SELECT throws_ok(format($$SELECT caseterm.user_key_add('t_town_a', 'ssh-rsa', %L)$$, :'key1'),
                 '22023', 'the key is not a valid public key of its type', 'a key of another type than said');
SELECT throws_ok($$SELECT caseterm.user_key_add('t_town_a', 'ssh-ed25519', 'AAAA!!')$$,
                 '22023', 'the key is not a valid public key of its type', 'not base64');
SELECT throws_ok($$SELECT caseterm.user_key_add_openssh('t_town_a', 'from="10.0.0.1" ssh-ed25519 AAAA x')$$,
                 '22023', 'unknown key type', 'an authorized_keys line with options');
SELECT throws_ok(format($$SELECT caseterm.user_key_add('t_d2', 'ssh-ed25519', %L)$$, :'key1'),
                 '42501', 'not allowed: outside your jurisdiction', 'no keys for another district''s users');
SELECT is(caseterm.auth_pubkey_ok(' T_TOWN_A', 'ssh-ed25519', :'key1'), pg_temp.uid('t_town_a'),
          'auth_pubkey_ok: the user''s key gives the user id');
SELECT is(caseterm.auth_pubkey_ok('t_town_a2', 'ssh-ed25519', :'key1'), NULL,
          'auth_pubkey_ok: not for another login');
SELECT is(caseterm.auth_pubkey_ok('t_town_a', 'ssh-rsa', :'key1'), NULL,
          'auth_pubkey_ok: not with another key type');
SELECT is(caseterm.auth_pubkey_ok('t_town_a', 'ssh-ed25519', 'AAAA'), NULL,
          'auth_pubkey_ok: not for an unknown key');
SELECT throws_ok('SELECT * FROM caseterm.user_key', '42501', NULL, 'the application cannot read user_key');
SELECT lives_ok(format($$SELECT caseterm.user_key_remove('t_town_a', %L)$$, :'fp2'), 'remove a key by fingerprint');
SELECT throws_ok(format($$SELECT caseterm.user_key_remove('t_town_a', %L)$$, :'fp2'),
                 '22023', 'no such key', 'a removed key is gone');
RESET ROLE;
SELECT results_eq($$SELECT action, detail->'before'->>'fingerprint', detail->'before'->>'key_type' FROM pg_temp.last_audit()$$,
                  format($$VALUES ('user_key_remove'::text, %L::text, 'ecdsa-sha2-nistp256'::text)$$, :'fp2'),
                  'audit user_key_remove with the removed key');
UPDATE caseterm.app_user SET disabled = true WHERE login = 't_town_a';
SELECT is(caseterm.auth_pubkey_ok('t_town_a', 'ssh-ed25519', :'key1'), NULL,
          'auth_pubkey_ok: not for a disabled user');
UPDATE caseterm.app_user SET disabled = false WHERE login = 't_town_a';
SET LOCAL ROLE caseterm_app;
SELECT lives_ok(format($$SELECT caseterm.user_key_remove('t_town_a', %L)$$, :k1), 'remove a key by id');

-- ---- units
SELECT ok(caseterm.unit_add('T-TC', ' 丙街道 ', 'T-D1') > 0, 'a district administrator adds a town');
SELECT results_eq($$SELECT name, level, kind FROM caseterm.org_unit WHERE code = 'T-TC'$$,
                  $$VALUES ('丙街道'::text, 'town'::text, 'office'::text)$$,
                  'the level is one below the parent''s, the kind office');
SELECT ok(caseterm.unit_add('T-LA', '一区法援中心', 'T-D1', 'district', 'legal_aid') > 0,
          'an agency at the district''s level');
SELECT throws_ok($$SELECT caseterm.unit_add('T-TC', '重复', 'T-D1')$$,
                 '22023', 'a unit with this code already exists', 'a code is used once');
SELECT throws_ok($$SELECT caseterm.unit_add('T-X', '外区', 'T-D2')$$,
                 '42501', 'not allowed: outside your jurisdiction', 'not under another district');
SELECT throws_ok($$SELECT caseterm.unit_add('T-X', '顶层', NULL, 'city')$$,
                 '42501', 'not allowed: outside your jurisdiction', 'no top-level unit but by the operator');
SELECT throws_ok($$SELECT caseterm.unit_add('T-X', '错层', 'T-TA', 'district')$$,
                 '23514', 'a unit cannot be at a higher level than its parent', 'the level rule holds');
SELECT throws_ok($$SELECT caseterm.unit_add('T X', '空格', 'T-TA')$$,
                 '22023', 'a unit code is 1 to 32 letters, digits, dots, dashes or underscores', 'a bad code');
SELECT throws_ok($$SELECT caseterm.unit_add('T-X', '某', 'T-TA', 'province')$$,
                 '22023', 'unknown office level', 'an unknown level');
SELECT lives_ok($$SELECT caseterm.unit_rename('T-D1', '测试第一区')$$, 'an administrator renames their own unit');
SELECT lives_ok($$SELECT caseterm.unit_move('T-VB', 'T-TC')$$, 'moves a village to another town');
SELECT is((SELECT path FROM caseterm.org_unit WHERE code = 'T-VB'),
          ARRAY[pg_temp.unit('T-CITY'), pg_temp.unit('T-D1'), pg_temp.unit('T-TC'), pg_temp.unit('T-VB')],
          '... and its path follows');
SELECT throws_ok($$SELECT caseterm.unit_move('T-D1', 'T-D2')$$,
                 '42501', 'not allowed: this is the unit you administer from',
                 'an administrator cannot move their own unit');
SELECT throws_ok($$SELECT caseterm.unit_move('T-TA', 'T-D2')$$,
                 '42501', 'not allowed: outside your jurisdiction', 'nor a town into another district');
SELECT throws_ok($$SELECT caseterm.unit_move('T-TA', 'T-VA')$$,
                 '23514', 'a unit cannot be placed under itself or its own subunit', 'no cycles');
SELECT throws_ok($$SELECT caseterm.unit_set_disabled('T-D2', true)$$,
                 '42501', 'not allowed: outside your jurisdiction', 'another district cannot be disabled');

-- disabling a unit ends the sessions of its users
SELECT caseterm.auth_success(pg_temp.uid('t_town_a2'), 'ssh 192.0.2.20:1', 'password') AS tok_a2 \gset
SELECT session_id AS sid_a2 FROM caseterm.session_claim(:'tok_a2') \gset
SELECT lives_ok($$SELECT caseterm.unit_set_disabled('T-TA', true)$$, 'a district administrator disables a town');
RESET ROLE;
SELECT ok((SELECT ended_at IS NOT NULL FROM caseterm.login_session WHERE id = :sid_a2),
          'the open sessions of its users are ended');
SELECT ok(EXISTS (SELECT 1 FROM caseterm.audit_log WHERE action = 'session_terminate'
                  AND detail->>'reason' = 'unit disabled' AND detail->'sessions' @> to_jsonb(:sid_a2)),
          '... and audited');
SELECT ok(EXISTS (SELECT 1 FROM caseterm.audit_log WHERE action = 'unit_disable'
                  AND object = 'org_unit:' || pg_temp.unit('T-TA') AND detail->'after' = '{"disabled": true}'),
          'audit unit_disable');
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_ta_admin');
SELECT throws_ok($$SELECT caseterm.unit_rename('T-VA', '新名')$$,
                 '42501', 'not allowed: the user account or its unit is disabled',
                 'the disabled town''s administrator can do nothing');
SELECT pg_temp.act('t_d1_admin');
SELECT lives_ok($$SELECT caseterm.unit_set_disabled('T-TA', false)$$, 'and enables it again');

-- unit_save (imports)
SELECT results_eq($$VALUES (caseterm.unit_save('T-TD', '丁街道', 'T-D1'),
                            caseterm.unit_save('T-TD', '丁街道', 'T-D1'),
                            caseterm.unit_save('T-TD', '丁镇', 'T-D1', NULL, 'office'))$$,
                  $$VALUES ('added'::text, 'unchanged'::text, 'updated'::text)$$,
                  'unit_save: added, unchanged, updated');
SELECT throws_ok($$SELECT caseterm.unit_save('T-TD', '丁镇', 'T-D2')$$,
                 '42501', 'not allowed: outside your jurisdiction', 'unit_save cannot move out of the district');
SELECT throws_ok($$SELECT caseterm.unit_save('T-D2', '改', 'T-CITY')$$,
                 '42501', 'not allowed: outside your jurisdiction', 'unit_save cannot touch another district');
SELECT set_eq($$SELECT code FROM caseterm.unit_list()$$,
              $$VALUES ('T-D1'), ('T-TA'), ('T-TB'), ('T-VA'), ('T-VX'), ('T-VB'), ('T-TC'), ('T-LA'), ('T-TD')$$,
              'unit_list: the district''s subtree');

-- ---- the operator (casetermctl: the schema owner, no acting user)
SELECT pg_temp.act(NULL);
RESET ROLE;
SELECT set_config('caseterm.source', 'casetermctl root@test', true) AS ignored \gset
SELECT ok(caseterm.unit_add('T-ROOT2', '另一市', NULL, 'city') > 0, 'the operator adds a top-level unit');
SELECT results_eq($$SELECT action, user_id, source FROM pg_temp.last_audit()$$,
                  $$VALUES ('unit_add'::text, NULL::bigint, 'casetermctl root@test'::text)$$,
                  'audited as the operator, from casetermctl');
SELECT lives_ok($$SELECT caseterm.user_set_disabled('t_d2_admin', true)$$, 'the operator manages every district');
SELECT ok((SELECT count(*) FROM caseterm.user_list()) >= 15, 'the operator lists every user');

-- ---- code tables
SET LOCAL ROLE caseterm_app;
SELECT pg_temp.act('t_d1_admin');
SELECT throws_ok($$SELECT caseterm.code_save('dispute_category', '邻里', '邻里')$$,
                 '42501', 'not allowed: only a city administrator can do this',
                 'a district administrator cannot change code tables');
SELECT pg_temp.act('t_city_admin');
SELECT results_eq($$VALUES (caseterm.code_save('t_kind', '甲', '甲类'),
                            caseterm.code_save('t_kind', '乙', '乙类'),
                            caseterm.code_save('t_kind', '甲', '甲类'),
                            caseterm.code_save('t_kind', '甲', '甲类', NULL, 'Class A'))$$,
                  $$VALUES ('added'::text, 'added'::text, 'unchanged'::text, 'updated'::text)$$,
                  'the city administrator adds and updates codes');
SELECT results_eq($$SELECT code, label, label_en, sort FROM caseterm.code_table WHERE kind = 't_kind' ORDER BY sort$$,
                  $$VALUES ('甲'::text, '甲类'::text, 'Class A'::text, 10), ('乙', '乙类', NULL, 20)$$,
                  'new codes go to the end; the application reads code_table');
SELECT throws_ok($$SELECT caseterm.code_save('channel', 'fax', '传真')$$,
                 '22023', 'this code table is fixed: codes cannot be added',
                 'the channels are a fixed list');
SELECT is(caseterm.code_save('channel', 'hotline', '12348公共法律服务热线'), 'updated', '... that can be relabelled');
SELECT lives_ok($$SELECT caseterm.code_set_disabled('t_kind', '乙', true)$$, 'a code is disabled');
SELECT throws_ok($$SELECT caseterm.code_set_disabled('t_kind', '丙', true)$$,
                 '22023', 'no such code', 'an unknown code');
SELECT throws_ok($$SELECT caseterm.code_save('t_kind', '丙', '  ')$$, '22023', 'label is required', 'a label is required');
SELECT throws_ok($$SELECT caseterm.code_save('T Kind', '丙', '丙')$$, '22023',
                 'a code table name is lower-case letters and underscores', 'a bad table name');
RESET ROLE;
SELECT results_eq($$SELECT action, object, detail->'before', detail->'after' FROM pg_temp.last_audit()$$,
                  $$VALUES ('code_disable'::text, 'code_table:t_kind/乙'::text, '{"disabled": false}'::jsonb,
                            '{"disabled": true}'::jsonb)$$,
                  'audit code_disable');
SET LOCAL ROLE caseterm_app;

-- dispute categories are the mediation form's list itself (036)
SELECT is(caseterm.code_save('dispute_category', NULL, '信鸽纠纷', NULL, 'Pigeons'), 'added',
          'the city administrator adds a dispute category by its name');
SELECT code AS pet FROM caseterm.dispute_category WHERE name = '信鸽纠纷' \gset
SELECT ok(:'pet' ~ '^cat_[0-9a-f]{8}$', 'its code is made from the name');
SELECT is((SELECT string_agg(label || '/' || label_en, ',') FROM caseterm.code_list('dispute_category')
            WHERE code = :'pet'), '信鸽纠纷/Pigeons', 'code_list shows it');
SELECT is(caseterm.code_save('dispute_category', 't_noise', '噪音扰民'), 'added', '... or by a code of its own');
SELECT throws_ok($$SELECT caseterm.code_save('dispute_category', 'Traffic Jam', '堵车')$$, '22023',
                 'a category''s code is lower-case letters, digits and underscores', 'a code of the wrong form');
SELECT lives_ok($$SELECT caseterm.code_set_disabled('dispute_category', 't_noise', true)$$,
                'a dispute category is disabled');
RESET ROLE;
SELECT results_eq($$SELECT action, object, detail->'after' FROM pg_temp.last_audit()$$,
                  $$VALUES ('code_disable'::text, 'dispute_category:t_noise'::text, '{"disabled": true}'::jsonb)$$,
                  'audit code_disable of a dispute category');
SET LOCAL ROLE caseterm_app;

-- ---- sessions
SELECT pg_temp.act(NULL);
SELECT caseterm.auth_success(pg_temp.uid('t_village_a'), 'ssh 192.0.2.30:1', 'password') AS tok_v \gset
SELECT session_id AS sid_v FROM caseterm.session_claim(:'tok_v') \gset
SELECT caseterm.auth_success(pg_temp.uid('t_d2'), 'ssh 192.0.2.31:1', 'publickey') AS tok_d2 \gset
SELECT session_id AS sid_d2 FROM caseterm.session_claim(:'tok_d2') \gset
SELECT caseterm.auth_success(pg_temp.uid('t_town_a'), 'ssh 192.0.2.32:1', 'password') AS tok_unclaimed \gset
SELECT pg_temp.act('t_d1_admin');
SELECT results_eq(format($$SELECT login, source, method, stale FROM caseterm.admin_sessions() WHERE session_id = %s$$, :sid_v),
                  $$VALUES ('t_village_a'::text, 'ssh 192.0.2.30:1'::text, 'password'::text, false)$$,
                  'a district administrator lists the district''s sessions');
SELECT is_empty(format('SELECT 1 FROM caseterm.admin_sessions() WHERE session_id = %s', :sid_d2),
                '... not another district''s');
SELECT is_empty($$SELECT 1 FROM caseterm.admin_sessions() WHERE source = 'ssh 192.0.2.32:1'$$,
                '... nor a login whose UI never started');
SELECT throws_ok(format('SELECT caseterm.session_terminate(%s)', :sid_d2),
                 '42501', 'not allowed: outside your jurisdiction', 'cannot end another district''s session');
SELECT is(caseterm.session_terminate(:sid_v, '离岗未退出'), true, 'ends a session of the district');
SELECT is(caseterm.session_terminate(:sid_v), false, 'ending it again: false');
SELECT throws_ok('SELECT caseterm.session_terminate(-1)', '22023', 'no such session', 'an unknown session');
SELECT is_empty(format('SELECT 1 FROM caseterm.admin_sessions() WHERE session_id = %s', :sid_v),
                'an ended session is no longer listed');
RESET ROLE;
SELECT results_eq($$SELECT action, user_id, detail->>'login', detail->>'reason' FROM pg_temp.last_audit()$$,
                  format($$VALUES ('session_terminate'::text, %s::bigint, 't_village_a'::text, '离岗未退出'::text)$$,
                         pg_temp.uid('t_d1_admin')),
                  'audit session_terminate: who ended whose session and why');
SELECT pg_temp.act(NULL);
SELECT results_eq(format($$SELECT count(*)::int FROM caseterm.admin_sessions() WHERE session_id = %s$$, :sid_d2),
                  'VALUES (1)', 'the operator lists every session');

-- ---- privileges
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p
                  WHERE p.pronamespace = 'caseterm'::regnamespace
                    AND p.proname IN ('admin_scope', 'operator_session', 'admin_target_user',
                                      'require_admin_unit', 'end_sessions_of', 'unit_by_code')
                    AND has_function_privilege('caseterm_app', p.oid, 'EXECUTE')$$,
                'the internal helpers are not executable by the application');
SELECT ok(NOT has_table_privilege('caseterm_app', 'caseterm.code_table', 'INSERT')
          AND NOT has_table_privilege('caseterm_app', 'caseterm.user_key', 'SELECT'),
          'the application reads code_table and writes nothing');

SELECT * FROM finish();
ROLLBACK;
