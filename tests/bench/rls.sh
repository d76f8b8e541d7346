#!/usr/bin/env bash
#
# tests/bench/rls.sh — what row-level security costs the lists a clerk
# opens most: the inboxes, the unit's case list and case search, timed with
# the policies (as caseterm_app, the way the UI runs them) and without
# (as the tables' owner, which bypasses row-level security, with the
# jurisdiction written into the query where the function does not filter
# by itself).  Server-side time per call, p50 and p99 over RUNS calls
# after a warm-up, on a private PostgreSQL with CASES cases.
#
#   tests/bench/rls.sh                      200000 cases, 100 runs
#   CASES=50000 RUNS=50 tests/bench/rls.sh
#   KEEP=1 tests/bench/rls.sh               keep the cluster folder
#   EXTRA=try.sql tests/bench/rls.sh        apply try.sql (as superuser)
#                                           after loading: try a policy
#
# The data: the demo org tree (Zhenjiang: 7 districts, their towns and
# villages) with one clerk per unit (intake, handler, dispatcher,
# supervisor), CASES cases spread over the towns and villages (a tenth at
# district level), in every state, about one applicant per case (half with
# an ID number), Chinese names from common surnames.  Prints a table and
# the overhead of the policies: (with - without) / without, at p50.

set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
cd "$ct_top" || exit 1

CASES=${CASES:-200000}
RUNS=${RUNS:-100}
[ -x "${CT_BUILD:-build}/casetermctl" ] || ct_die "build first: make"

inst=$(mktemp -d /tmp/caseterm-bench.XXXXXX)
chmod 755 "$inst"
cleanup() {
	"$ct_top/scripts/pgcluster" stop "$inst/pg" >/dev/null 2>&1
	if [ -n "${KEEP:-}" ]; then echo "kept $inst"; else rm -rf "$inst"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ct_db_up "$inst" --fast
ct_write_config "$inst" 0 warning
ct_db_load "$inst/caseterm.conf" > "$inst/load.log" 2>&1 ||
	{ cat "$inst/load.log"; ct_die "cannot load the schema and demo data"; }
psql_su=(psql -X -q -At -v ON_ERROR_STOP=1 -h "$inst/pg/sock" -U postgres caseterm)
# The application's login: its role settings (search_path, jit) apply.
psql_app=(psql -X -q -At -v ON_ERROR_STOP=1 -h "$inst/pg/sock" -U caseterm_app caseterm)

echo "rls bench: loading $CASES cases ..." >&2
start=$(date +%s)
"${psql_su[@]}" -v cases="$CASES" <<'SQL' || ct_die "cannot load the bench data"
SET client_min_messages = warning;
-- One clerk per unit (login b_<code>), all roles but admin and analyst.
INSERT INTO caseterm.app_user (login, display_name, unit_id, roles)
    SELECT 'b_' || lower(replace(o.code, '-', '_')), '测' || o.id, o.id,
           '{intake,dispatcher,handler,supervisor,followup}'
    FROM caseterm.org_unit o
    ON CONFLICT (login) DO NOTHING;

-- Applicants: about one per case; half with a valid ID number.
CREATE FUNCTION pg_temp.with_check(p17 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT p17 || substr('10X98765432',
        (SELECT sum(substr(p17, i::int, 1)::int * w)
         FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS t(w, i))::int % 11 + 1, 1)
$$;
INSERT INTO caseterm.person (name, phone, id_number)
    SELECT (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','林','高','罗'])[1 + (g * 7) % 20]
           || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀','霞','平'])[1 + (g * 13) % 20]
           || CASE WHEN g % 3 = 0 THEN '' ELSE (ARRAY['华','英','兰','红','玲','斌','鹏','辉','飞','燕'])[1 + (g * 17) % 10] END,
           '13' || lpad((g * 7919 % 1000000000)::text, 9, '0'),
           CASE WHEN g % 2 = 0 THEN pg_temp.with_check('3211' || lpad((g % 100)::text, 2, '0')
                || to_char(date '1950-01-01' + (g * 37 % 20000), 'YYYYMMDD') || lpad((g % 1000)::text, 3, '0')) END
    FROM generate_series(1, :cases) g
    ON CONFLICT DO NOTHING;

-- Cases: at towns and villages, a tenth at districts; every state.
ALTER TABLE caseterm.legal_case DISABLE TRIGGER USER;
CREATE TEMP TABLE bunit AS
    SELECT row_number() OVER (ORDER BY o.id) AS n, o.id, u.id AS uid
    FROM caseterm.org_unit o JOIN caseterm.app_user u ON u.unit_id = o.id AND u.login LIKE 'b\_%'
    WHERE o.level IN ('town', 'village') AND o.kind IN ('office', 'station');
CREATE TEMP TABLE bdist AS
    SELECT row_number() OVER (ORDER BY o.id) AS n, o.id, u.id AS uid
    FROM caseterm.org_unit o JOIN caseterm.app_user u ON u.unit_id = o.id AND u.login LIKE 'b\_%'
    WHERE o.level = 'district' AND o.kind = 'office';
CREATE TEMP TABLE bperson AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM caseterm.person;
INSERT INTO caseterm.legal_case (case_no, kind, state, channel, unit_id, applicant_id,
                                 created_by, created_at, subject, intake_unit_id, held_units,
                                 handler_id, due_at)
    SELECT '2025-' || lpad(g::text, 7, '0'),
           (ARRAY['consultation','legal_aid','legal_service','mediation','complaint','suggestion'])[1 + g % 6],
           s.state, (ARRAY['hotline','walk_in','online','wechat','grid'])[1 + g % 5],
           u.id, p.id, u.uid, now() - (g % 400) * interval '1 day' - (g % 86400) * interval '1 second',
           '测试问题' || g, u.id, ARRAY[u.id],
           CASE WHEN s.state = 'in_progress' AND g % 2 = 0 THEN u.uid END,
           CASE WHEN s.state NOT IN ('closed', 'rejected') THEN now() + ((g % 30) - 10) * interval '1 day' END
    FROM generate_series(1, :cases) g
    CROSS JOIN LATERAL (SELECT (ARRAY['registered','accepted','awaiting_signfor','in_progress','in_progress',
                                      'awaiting_followup','closed','closed','closed','closed'])[1 + (g / 3) % 10] AS state) s
    JOIN LATERAL (SELECT * FROM (SELECT b.id, b.uid FROM bunit b
                                 WHERE b.n = 1 + g % (SELECT count(*) FROM bunit) AND g % 10 <> 0
                                 UNION ALL
                                 SELECT d.id, d.uid FROM bdist d
                                 WHERE d.n = 1 + g % (SELECT count(*) FROM bdist) AND g % 10 = 0) x LIMIT 1) u ON true
    JOIN bperson p ON p.n = 1 + (g * 31) % (SELECT count(*) FROM bperson);
ALTER TABLE caseterm.legal_case ENABLE TRIGGER USER;
ANALYZE;
SQL
echo "rls bench: loaded in $(( $(date +%s) - start ))s" >&2
if [ -n "${EXTRA:-}" ]; then
	"${psql_su[@]}" -f "$EXTRA" || ct_die "$EXTRA failed"
	"${psql_su[@]}" -c "ANALYZE"
fi

"${psql_su[@]}" <<'SQL' || ct_die "cannot create the timing function"
-- Server-side milliseconds of RUNS executions of p_sql (all rows fetched
-- through count(*)), after 5 warm-up runs: p50, p99, rows.
CREATE FUNCTION public.bench_time(p_sql text, p_runs int,
                                  OUT p50 numeric, OUT p99 numeric, OUT nrows bigint)
    LANGUAGE plpgsql
AS $$
DECLARE
    t  timestamptz;
    ms float8[] := '{}';
BEGIN
    FOR i IN 1 .. 5 LOOP
        EXECUTE 'SELECT count(*) FROM (' || p_sql || ') s' INTO nrows;
    END LOOP;
    FOR i IN 1 .. p_runs LOOP
        t := clock_timestamp();
        EXECUTE 'SELECT count(*) FROM (' || p_sql || ') s' INTO nrows;
        ms := ms || extract(epoch FROM clock_timestamp() - t) * 1000;
    END LOOP;
    SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)::numeric, 2),
           round(percentile_cont(0.99) WITHIN GROUP (ORDER BY x)::numeric, 2)
      INTO p50, p99 FROM unnest(ms) x;
END
$$;
-- unit_cases (003_cases.sql) with the jurisdiction written into its query
-- instead of left to the policies: the owner's side of the comparison,
-- planned the same way (a SQL function with its own search_path).
CREATE FUNCTION public.bench_unit_cases(p_limit int DEFAULT 100)
    RETURNS TABLE (case_id bigint, case_no text, kind text, state text,
                   created_at timestamptz, applicant_name text, subject text,
                   unit_name text)
    LANGUAGE sql STABLE
    SET search_path = caseterm, pg_temp
AS $$
    SELECT c.id, c.case_no, c.kind, c.state, c.created_at, p.name, c.subject,
           o.name
    FROM legal_case c
    JOIN org_unit o ON o.id = c.unit_id
    LEFT JOIN person p ON p.id = c.applicant_id
    WHERE c.unit_id IN (SELECT u.id FROM org_unit u WHERE u.path @> ARRAY[(SELECT acting_unit_id())])
       OR c.created_by = (SELECT acting_user_id()) OR c.handler_id = (SELECT acting_user_id())
       OR c.dispatched_by_unit IN (SELECT u.id FROM org_unit u
                                   WHERE u.path @> ARRAY[(SELECT acting_unit_id())])
    ORDER BY c.created_at DESC, c.id DESC
    LIMIT greatest(1, least(coalesce(p_limit, 100), 1000))
$$;
SQL

# The clerks: a town (正东路街道 321102001), a village below it, its
# district (京口区 321102), the city (321100).
town=b_321102001 village=b_321102001201 district=b_321102 city=b_321100
uid() { "${psql_su[@]}" -c "SELECT id FROM caseterm.app_user WHERE login = '$1'"; }
unit() { "${psql_su[@]}" -c "SELECT unit_id FROM caseterm.app_user WHERE login = '$1'"; }
name2=$("${psql_su[@]}" -c "SELECT substr(name, 1, 2) FROM caseterm.person p WHERE char_length(name) = 2 LIMIT 1")
phone=$("${psql_su[@]}" -c "SELECT p.phone FROM caseterm.person p JOIN caseterm.legal_case c ON c.applicant_id = p.id
                             JOIN caseterm.org_unit o ON o.id = c.unit_id WHERE o.code LIKE '321102%' LIMIT 1")

# time LABEL LOGIN WITH-POLICIES-SQL WITHOUT-SQL: one line of the table.
# The "without" statement runs as the owner with the same acting user set,
# so the functions' own filters on the acting user still apply, and without
# JIT like caseterm_app (023_rls_speed.sql).
results=()
time_query() {
	local label=$1 login=$2 with=$3 without=$4 u a b
	u=$(uid "$login")
	a=$("${psql_app[@]}" -F ' ' <<SQL
BEGIN;
SELECT set_config('caseterm.user_id', '$u', true) \\g /dev/null
SELECT p50, p99, nrows FROM public.bench_time(\$q\$$with\$q\$, $RUNS);
COMMIT;
SQL
)
	b=$("${psql_su[@]}" -F ' ' <<SQL
SET jit = off;
BEGIN;
SELECT set_config('caseterm.user_id', '$u', true) \\g /dev/null
SELECT p50, p99, nrows FROM public.bench_time(\$q\$$without\$q\$, $RUNS);
COMMIT;
SQL
)
	read -r ap50 ap99 arows <<<"$a"
	read -r bp50 bp99 brows <<<"$b"
	printf '%-44s %9s %9s %6s   %9s %9s %6s   %+6.0f%%\n' "$label" "$ap50" "$ap99" "$arows" \
	    "$bp50" "$bp99" "$brows" "$(awk -v a="$ap50" -v b="$bp50" 'BEGIN { print (b > 0 ? (a - b) * 100 / b : 0) }')"
}

# The jurisdiction as the policies state it, for the owner's queries.
juris() {	# juris LOGIN: a WHERE condition on legal_case c
	local u n
	u=$(uid "$1")
	n=$(unit "$1")
	echo "(c.unit_id IN (SELECT o.id FROM caseterm.org_unit o WHERE o.path @> ARRAY[${n}::bigint]) OR c.created_by = $u OR c.handler_id = $u OR ${n}::bigint = ANY (c.held_units))"
}

cases=$("${psql_su[@]}" -c "SELECT count(*) FROM caseterm.legal_case")
echo
echo "row-level security: $cases cases, $RUNS runs each, milliseconds per call (server side)"
printf '%-44s %9s %9s %6s   %9s %9s %6s   %7s\n' "query (clerk)" "RLS p50" "p99" "rows" \
    "owner p50" "p99" "rows" "p50 +"
time_query "inbox review (district dispatcher)" "$district" \
    "SELECT * FROM caseterm.inbox('review', 50)" \
    "SELECT * FROM caseterm.inbox('review', 50)"
time_query "inbox in_progress (town handler)" "$town" \
    "SELECT * FROM caseterm.inbox('in_progress', 50)" \
    "SELECT * FROM caseterm.inbox('in_progress', 50)"
time_query "inbox overdue (district)" "$district" \
    "SELECT * FROM caseterm.inbox('overdue', 50)" \
    "SELECT * FROM caseterm.inbox('overdue', 50)"
time_query "inbox_counts (town handler)" "$town" \
    "SELECT * FROM caseterm.inbox_counts()" \
    "SELECT * FROM caseterm.inbox_counts()"
time_query "unit_cases 100 (town)" "$town" \
    "SELECT * FROM caseterm.unit_cases(100)" \
    "SELECT * FROM public.bench_unit_cases(100)"
time_query "unit_cases 100 (village)" "$village" \
    "SELECT * FROM caseterm.unit_cases(100)" \
    "SELECT * FROM public.bench_unit_cases(100)"
time_query "unit_cases 100 (city)" "$city" \
    "SELECT * FROM caseterm.unit_cases(100)" \
    "SELECT * FROM public.bench_unit_cases(100)"
time_query "search by 2-char name $name2 (district)" "$district" \
    "SELECT * FROM caseterm.search_cases(p_name => '$name2')" \
    "SELECT * FROM caseterm.search_cases(p_name => '$name2', p_unit_id => $(unit "$district"))"
time_query "search $name2, people first (person_ids_matching)" "$district" \
    "SELECT l.* FROM caseterm.case_list l WHERE l.case_id IN (SELECT c.id FROM caseterm.legal_case c WHERE c.applicant_id = ANY ((SELECT caseterm.person_ids_matching(NULL, NULL, '$name2'))::bigint[]) ORDER BY c.created_at DESC, c.id DESC LIMIT 100)" \
    "SELECT * FROM caseterm.search_cases(p_name => '$name2', p_unit_id => $(unit "$district"))"
time_query "search by phone (district)" "$district" \
    "SELECT * FROM caseterm.search_cases(p_phone => '$phone')" \
    "SELECT * FROM caseterm.search_cases(p_phone => '$phone', p_unit_id => $(unit "$district"))"
time_query "search by phone (another district)" "b_321111" \
    "SELECT * FROM caseterm.search_cases(p_phone => '$phone')" \
    "SELECT * FROM caseterm.search_cases(p_phone => '$phone', p_unit_id => $(unit b_321111))"
time_query "search kind+state (town)" "$town" \
    "SELECT * FROM caseterm.search_cases(p_kind => 'mediation', p_state => 'in_progress')" \
    "SELECT * FROM caseterm.search_cases(p_kind => 'mediation', p_state => 'in_progress', p_unit_id => $(unit "$town"))"
time_query "person_search by name (town)" "$town" \
    "SELECT * FROM caseterm.person_search('$name2')" \
    "SELECT p.id, p.name FROM caseterm.person p WHERE (p.name = '$name2' OR p.name LIKE '$name2%') AND EXISTS (SELECT 1 FROM caseterm.legal_case c WHERE c.applicant_id = p.id AND $(juris "$town")) ORDER BY p.name = '$name2' DESC, p.name, p.id LIMIT 20"
echo
echo "RLS: caseterm_app with the policies.  owner: the same call as the owner (no policies), the jurisdiction"
echo "in the query (unit_cases: the policies' condition in a copy of the function; search: p_unit_id)."
