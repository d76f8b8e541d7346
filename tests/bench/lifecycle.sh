#!/usr/bin/env bash
#
# tests/bench/lifecycle.sh — the case lifecycle at a realistic volume
# (issue 5): a private PostgreSQL with CASES cases (2 million), their
# applicants and parties (PERSONS people, 3/4 of CASES) and events, then
#
#   lookups   p50/p99 of what a clerk waits for: open an inbox of 50 rows,
#             the menu's inbox counts, find a case by ID number, by mobile
#             number, by case number, by a two- and a three-character
#             Chinese name — each RUNS times (2000, in ROUNDS turns of
#             RLS and owner, 4) with a random clerk of
#             the right kind and a random existing value, as the
#             application does it: BEGIN; set_config('caseterm.user_id',
#             ..., true); the screen's query; COMMIT, through pgbench
#             (-M extended, one client, one transaction per sample);
#   RLS cost  the same queries as the tables' owner, where row-level
#             security does not apply, with the jurisdiction written into
#             the query: the inboxes run bench.inbox_owner (the cases
#             chosen by inbox_cases, which runs as the owner with the
#             jurisdiction in its queries, 043; the lines read from a copy
#             of case_list of the owner's); the searches run
#             bench.search_cases_owner, a copy of search_cases that runs
#             as the owner and reads that copy, with p_unit_id = the
#             clerk's unit (issue 6);
#   intake    CLIENTS (32) clients registering consultations through
#             register_consultation as caseterm_app for DURATION seconds
#             (60), each a new applicant with the name of someone on file,
#             at 64 hotline clerks of a unit of their own (so that the
#             lookups' inboxes stay as loaded), against the raw inserts of
#             the same rows (person, legal_case, case_event in one
#             statement, as the owner: no checks, no case counter, no
#             audit row) in the same transactions, and, for reference, as
#             single statements.  Every transaction must register a case.
#
# Targets (issue 5): every lookup and inbox under 20 ms at p99; intake at
# least two thirds of the raw insert rate.  Issue 6: row-level security
# costs under 25%.  A benchmark, not a test: it prints the figures and the
# targets, and fails only when something did not work.
#
#   tests/bench/lifecycle.sh                       (make bench runs it)
#   CASES=200000 RUNS=500 DURATION=20 tests/bench/lifecycle.sh   quick run
#   KEEP=1 tests/bench/lifecycle.sh                keep the cluster folder
#   COMPARE=024_lifecycle_speed.sql tests/bench/lifecycle.sh
#           load without that migration, measure, remove what the intake
#           registered, apply the migration, measure again: before/after
#   (also CLIENTS, SAMPLES: random values drawn per lookup, 20000)
#
# The data are made by lifecycle-load.sql (set-based, as a superuser,
# with the foreign-key and user triggers off and the derived columns
# computed as the triggers would, then checked) and lifecycle-setup.sql
# (the clerks and the random values the scripts draw).  The cluster is
# tuned for the load (shared_buffers a quarter of the memory up to 4 GB,
# maintenance_work_mem 1 GB, max_wal_size 8 GB, wal_level minimal,
# autovacuum off during the load) and is a throw-away --fast cluster
# (fsync and synchronous_commit off) like the rest of the tests.  The
# figures are wall-clock times on a machine that may be busy with other
# work: the header shows the load average before and after.

set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
cd "$ct_top" || exit 1

CASES=${CASES:-2000000}
PERSONS=${PERSONS:-$((CASES * 3 / 4))}
RUNS=${RUNS:-2000}
ROUNDS=${ROUNDS:-4}
CLIENTS=${CLIENTS:-32}
DURATION=${DURATION:-60}
SAMPLES=${SAMPLES:-20000}
COMPARE=${COMPARE:-}
B=${CT_BUILD:-build}
PGBIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$B/casetermctl" ] || ct_die "build first: make"
[ -x "$PGBIN/pgbench" ] || PGBIN=$(dirname "$(command -v pgbench)")
[ -x "$PGBIN/pgbench" ] || ct_die "pgbench not found (postgresql-15)"
bench_dir=$(cd "$(dirname "$0")" && pwd)

inst=$(mktemp -d /tmp/caseterm-bench.XXXXXX)
chmod 755 "$inst"
cleanup() {
	"$ct_top/scripts/pgcluster" stop "$inst/pg" >/dev/null 2>&1
	if [ -n "${KEEP:-}" ]; then echo "kept $inst"; else rm -rf "$inst"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { echo "lifecycle bench: $*" >&2; }

# ---------------------------------------------------------------- the cluster

ct_db_up "$inst" --fast
sock=$inst/pg/sock
psql_su=(psql -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -U postgres caseterm)
mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
sb_mb=$(( mem_kb / 4 / 1024 ))
[ "$sb_mb" -gt 4096 ] && sb_mb=4096
[ "$sb_mb" -lt 128 ] && sb_mb=128
"${psql_su[@]}" <<SQL || ct_die "cannot tune the cluster"
ALTER SYSTEM SET shared_buffers = '${sb_mb}MB';
ALTER SYSTEM SET maintenance_work_mem = '1GB';
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET checkpoint_timeout = '30min';
ALTER SYSTEM SET wal_level = minimal;
ALTER SYSTEM SET max_wal_senders = 0;
ALTER SYSTEM SET autovacuum = off;
ALTER SYSTEM SET max_connections = 100;
SQL
"$ct_top/scripts/pgcluster" stop "$inst/pg" >/dev/null &&
	"$ct_top/scripts/pgcluster" start "$inst/pg" >/dev/null ||
	ct_die "cannot restart the cluster (see $inst/pg/log)"

ct_write_config "$inst" 0 warning
if [ -n "$COMPARE" ]; then
	[ -f "sql/$COMPARE" ] || ct_die "COMPARE: no sql/$COMPARE"
	mkdir -p "$inst/sql"
	for f in sql/*.sql; do
		[ "${f##*/}" = "$COMPARE" ] || cp "$f" "$inst/sql/"
	done
	sed -i "s|sql = \"$ct_top/sql\";|sql = \"$inst/sql\";|" "$inst/caseterm.conf"
fi
ct_db_load "$inst/caseterm.conf" > "$inst/load.log" 2>&1 ||
	{ cat "$inst/load.log"; ct_die "cannot load the schema and demo data"; }

say "loading $CASES cases, $PERSONS persons ..."
t0=$(date +%s)
"${psql_su[@]}" -v cases="$CASES" -v persons="$PERSONS" -f "$bench_dir/lifecycle-load.sql" \
	> "$inst/bulk.log" 2>&1 || { cat "$inst/bulk.log" >&2; ct_die "the bulk load failed"; }
load_s=$(( $(date +%s) - t0 ))
"${psql_su[@]}" -v samples="$SAMPLES" -v args=$(( DURATION * 8000 )) \
	-f "$bench_dir/lifecycle-setup.sql" > "$inst/setup.log" 2>&1 ||
	{ cat "$inst/setup.log" >&2; ct_die "the bench setup failed"; }
"${psql_su[@]}" -c "ALTER SYSTEM RESET autovacuum" -c "SELECT pg_reload_conf()" >/dev/null
person_max=$("${psql_su[@]}" -c "SELECT max(id) FROM caseterm.person")
say "loaded in ${load_s}s"
counts=$("${psql_su[@]}" -F ' ' -c "SELECT (SELECT count(*) FROM caseterm.legal_case),
    (SELECT count(*) FROM caseterm.person), (SELECT count(*) FROM caseterm.case_event),
    (SELECT count(*) FROM caseterm.case_party),
    (SELECT count(*) FROM caseterm.legal_case WHERE state NOT IN ('closed', 'rejected', 'merged')),
    (SELECT count(*) FROM caseterm.legal_case WHERE due_at < now() AND deadline_paused_at IS NULL),
    pg_size_pretty(pg_database_size('caseterm'))")
read -r n_cases n_persons n_events n_parties n_open n_overdue db_size <<<"$counts"

# ---------------------------------------------------------------- measuring

# The columns the case lists show (src/screen-inbox.c, CASE_ROW_SQL); the
# colon of HH24:MI as chr(58), or pgbench takes :MI for a variable.
ROW="l.case_no, coalesce(to_char(l.due_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24' || chr(58) || 'MI'), ''), l.kind, l.state, coalesce(l.applicant_name, ''), l.unit_name, l.case_id, l.warning"

# pgscript FILE NKEYS UID-SQL QUERY: one transaction as the application
# runs it.  :k is a random key 1..NKEYS.
pgscript() {
	cat > "$1" <<PGB
\\set k random(1, $2)
BEGIN;
SELECT set_config('caseterm.user_id', ($3)::text, true);
$4;
COMMIT;
PGB
}

# pctl FILE...: "p50 p99 n" of pgbench's per-transaction log, milliseconds.
pctl() {
	awk '{ print $3 }' "$@" | sort -n | awk '{ v[NR] = $1 }
	    END { if (NR == 0) { print "- - 0"; exit }
	          i50 = int(NR * 0.50 + 0.5); i99 = int(NR * 0.99 + 0.5);
	          if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1;
	          printf "%.2f %.2f %d\n", v[i50] / 1000, v[i99] / 1000, NR }'
}

# pgrun TAG USER SCRIPT N: warm up, then N logged transactions, one
# client, logged to log.TAG.*.
pgrun() {
	local tag=$1 user=$2 script=$3 n=$4 env=()
	[ "$user" = postgres ] && env=(env PGOPTIONS='-c jit=off')
	(cd "$inst" && "${env[@]}" "$PGBIN/pgbench" -n -M extended -h "$sock" -U "$user" \
		-c 1 -j 1 -t 100 -f "$script" caseterm > "$inst/$tag.warm" 2>&1) ||
		{ cat "$inst/$tag.warm" >&2; return 1; }
	rm -f "$inst/log.$tag".*
	(cd "$inst" && "${env[@]}" "$PGBIN/pgbench" -n -M extended -h "$sock" -U "$user" \
		-c 1 -j 1 -t "$n" -r -l --log-prefix="log.$tag" -f "$script" caseterm \
		> "$inst/$tag.out" 2>&1) || { cat "$inst/$tag.out" >&2; return 1; }
}

# rows NKEYS UID-SQL QUERY USER: average rows of the query over 100 keys.
rows() {
	local uidq=${2//:k/\$1} q=${3//:k/\$1}
	uidq=${uidq//\'/\'\'}
	q=${q//\'/\'\'}
	"${psql_su[@]}" -c "SET ROLE $4" -c "DO \$\$
DECLARE n bigint; t bigint := 0; u text;
BEGIN
    FOR k IN 1 .. least(100, $1) LOOP
        EXECUTE 'SELECT ($uidq)::text' INTO u USING k;
        PERFORM set_config('caseterm.user_id', u, true);
        EXECUTE 'SELECT count(*) FROM ($q) x' INTO n USING k;
        t := t + n;
    END LOOP;
    RAISE NOTICE 'rows %', round(t::numeric / least(100, $1), 1);
END
\$\$" 2>&1 | sed -n 's/.*rows \([0-9.]*\).*/\1/p'
}

n_clerk() { "${psql_su[@]}" -c "SELECT count(*) FROM bench.clerk WHERE grp = '$1'"; }
n_samples() { "${psql_su[@]}" -c "SELECT count(*) FROM bench.$1"; }

results=()
# measure LABEL CLERKS NKEYS UID-SQL RLS-QUERY OWNER-QUERY
measure() {
	local label=$1 who=$2 nk=$3 uidq=$4 q_rls=$5 q_own=$6 tag a b r round
	tag=q$(( ${#results[@]} + 1 ))
	pgscript "$inst/$tag.rls.pgb" "$nk" "$uidq" "$q_rls"
	pgscript "$inst/$tag.own.pgb" "$nk" "$uidq" "$q_own"
	# RLS and owner in turns, ROUNDS each, RUNS samples in all: what
	# else the machine does in the meantime falls on both
	for round in $(seq "$ROUNDS"); do
		pgrun "$tag.rls.$round" caseterm_app "$inst/$tag.rls.pgb" $(( RUNS / ROUNDS )) ||
			ct_die "$label: pgbench failed"
		pgrun "$tag.own.$round" postgres "$inst/$tag.own.pgb" $(( RUNS / ROUNDS )) ||
			ct_die "$label: pgbench failed"
	done
	a=$(pctl "$inst/log.$tag.rls".*)
	b=$(pctl "$inst/log.$tag.own".*)
	r=$(rows "$nk" "$uidq" "$q_rls" caseterm_app)
	results+=("$label|$who|$r|$a|$b")
	say "$label: RLS $a, owner $b (p50 p99 n, ms)"
}

inbox() {	# inbox BOX GROUP LABEL
	local n
	n=$(n_clerk "$2")
	measure "inbox $1, 50 rows" "$3" "$n" \
	    "SELECT uid FROM bench.clerk WHERE grp = '$2' AND k = :k" \
	    "SELECT $ROW FROM caseterm.inbox('$1', 50) l" \
	    "SELECT $ROW FROM bench.inbox_owner('$1', 50) l"
}

search() {	# search LABEL TABLE ARG COLUMN
	local n
	n=$(n_samples "$2")
	measure "$1" "holder's chief" "$n" \
	    "SELECT uid FROM bench.$2 WHERE k = :k" \
	    "SELECT $ROW FROM bench.$2 s, LATERAL caseterm.search_cases($3 => s.$4, p_limit => 500) l WHERE s.k = :k" \
	    "SELECT $ROW FROM bench.$2 s, LATERAL bench.search_cases_owner($3 => s.$4, p_unit_id => s.unit_id, p_limit => 500) l WHERE s.k = :k"
}

lookups() {
	results=()
	inbox review district_chief "district dispatcher"
	inbox in_progress town_handler "town handler"
	inbox overdue town_chief "town chief"
	inbox overdue city_chief "city supervisor"
	inbox approval district_chief "district supervisor"
	inbox followup district_followup "district follow-up"
	local n
	n=$(n_clerk town_handler)
	# the cap the menu asks for (MENU_COUNT_CAP in src/ui-menu.c: "99+")
	measure "inbox_counts (menu badges)" "town handler" "$n" \
	    "SELECT uid FROM bench.clerk WHERE grp = 'town_handler' AND k = :k" \
	    "SELECT * FROM caseterm.inbox_counts(100)" \
	    "SELECT * FROM caseterm.inbox_counts(100)"
	n=$(n_clerk district_chief)
	measure "inbox_counts (menu badges)" "district dispatcher" "$n" \
	    "SELECT uid FROM bench.clerk WHERE grp = 'district_chief' AND k = :k" \
	    "SELECT * FROM caseterm.inbox_counts(100)" \
	    "SELECT * FROM caseterm.inbox_counts(100)"
	search "find by ID number" s_case p_id_number id_number
	search "find by mobile number" s_case p_phone phone
	search "find by case number" s_case p_case_no case_no
	search "find by 2-character name" s_name2 p_name name
	search "find by 3-character name" s_name3 p_name name
}

table() {	# table TITLE
	local line label who r a b ap50 ap99 bp50 bp99 n worst=0
	echo
	echo "$1"
	printf '%-28s %-20s %7s | %8s %8s | %8s %8s | %8s %8s\n' "query" "clerk" "rows" \
	    "RLS p50" "p99" "own p50" "p99" "RLS+p50" "RLS+p99"
	for line in "${results[@]}"; do
		IFS='|' read -r label who r a b <<<"$line"
		read -r ap50 ap99 n <<<"$a"
		read -r bp50 bp99 n <<<"$b"
		printf '%-28s %-20s %7s | %8s %8s | %8s %8s | %7.0f%% %7.0f%%\n' "$label" "$who" "$r" \
		    "$ap50" "$ap99" "$bp50" "$bp99" \
		    "$(awk -v a="$ap50" -v b="$bp50" 'BEGIN { print (b > 0 ? (a - b) * 100 / b : 0) }')" \
		    "$(awk -v a="$ap99" -v b="$bp99" 'BEGIN { print (b > 0 ? (a - b) * 100 / b : 0) }')"
	done
	echo "milliseconds per transaction (BEGIN, set_config, the query, COMMIT) over $RUNS samples, one client;"
	echo "RLS: caseterm_app, row-level security on; own: the owner, no RLS, jurisdiction in the query;"
	echo "rows: average rows returned (RLS) over 100 samples."
	for line in "${results[@]}"; do
		IFS='|' read -r label who r a b <<<"$line"
		read -r ap50 ap99 n <<<"$a"
		awk -v x="$ap99" 'BEGIN { exit !(x >= 20) }' && echo "  OVER TARGET (p99 >= 20 ms): $label"
	done
}

# intake: CLIENTS clients for DURATION seconds; prints "tps p50 p99".
intake() {	# intake TAG USER SCRIPT
	local tag=$1 user=$2 script=$3 env=() tps
	[ "$user" = postgres ] && env=(env PGOPTIONS='-c jit=off')
	rm -f "$inst/log.$tag".*
	(cd "$inst" && "${env[@]}" "$PGBIN/pgbench" -n -M extended -h "$sock" -U "$user" \
		-c "$CLIENTS" -j 2 -T "$DURATION" -l --log-prefix="log.$tag" -f "$script" caseterm \
		> "$inst/$tag.out" 2>&1) || { cat "$inst/$tag.out" >&2; return 1; }
	tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$inst/$tag.out")
	echo "$tps $(pctl "$inst/log.$tag".*)"
}

n_intake=$(n_clerk hotline)
pgscript "$inst/intake.pgb" "$n_intake" \
    "SELECT uid FROM bench.clerk WHERE grp = 'hotline' AND k = :k" \
    "SELECT r.case_id, r.case_no FROM bench.args a, LATERAL caseterm.register_consultation(a.name, a.phone, a.id_number, a.subject, a.answer, a.channel) r WHERE a.n = (SELECT nextval('bench.intake_seq'))"
# The same rows without the rules: no checks, no case counter (numbers of
# a range of their own), deadlines given, no audit row, as the owner; in
# the application's transaction (BEGIN, set_config, the statement, COMMIT)
# and, for reference, as one statement.
RAW="WITH a AS (SELECT * FROM bench.args WHERE n = (SELECT nextval('bench.raw_seq'))),
u AS (SELECT uid, unit_id FROM bench.clerk WHERE grp = 'hotline' AND k = :k),
p AS (INSERT INTO caseterm.person (name, id_number, phone) SELECT name, id_number, phone FROM a RETURNING id),
c AS (INSERT INTO caseterm.legal_case (case_no, kind, state, channel, unit_id, applicant_id, created_by, subject, answer, intake_unit_id, held_units, deadline, step_deadline, updated_by) SELECT to_char(now(), 'YYYY') || '-' || (10000000 + a.n), 'consultation', 'registered', a.channel, u.unit_id, p.id, u.uid, a.subject, a.answer, u.unit_id, ARRAY[u.unit_id], now() + interval '7 days', now() + interval '1 day', u.uid FROM a, u, p RETURNING id, unit_id, created_by, channel)
INSERT INTO caseterm.case_event (case_id, user_id, unit_id, kind, to_state, detail) SELECT c.id, c.created_by, c.unit_id, 'register', 'registered', jsonb_build_object('kind', 'consultation', 'channel', c.channel) FROM c"
pgscript "$inst/raw.pgb" "$n_intake" \
    "SELECT uid FROM bench.clerk WHERE grp = 'hotline' AND k = :k" "$RAW"
printf '\\set k random(1, %s)\n%s;\n' "$n_intake" "$RAW" > "$inst/raw1.pgb"

# registered: cases registered by the hotline clerks so far.
registered() {
	"${psql_su[@]}" -c "SELECT count(*) FROM caseterm.legal_case c JOIN bench.clerk k
	    ON k.grp = 'hotline' AND k.uid = c.created_by"
}

# intake_run TAG USER SCRIPT: intake, and a check that every transaction
# registered one case.
intake_run() {
	local r0 r1 out done
	r0=$(registered)
	out=$(intake "$@") || return 1
	r1=$(registered)
	done=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$inst/$1.out")
	[ "$(( r1 - r0 ))" = "$done" ] ||
		{ echo "$1: $done transactions, $(( r1 - r0 )) cases" >&2; return 1; }
	echo "$out"
}

intake_pair() {
	say "intake: $CLIENTS clients, ${DURATION}s, register_consultation as caseterm_app ..."
	intake_rules=$(intake_run intake caseterm_app "$inst/intake.pgb") || ct_die "the intake run failed"
	say "intake: the same rows raw, as the owner ..."
	intake_raw=$(intake_run raw postgres "$inst/raw.pgb") || ct_die "the raw insert run failed"
	intake_raw1=$(intake_run raw1 postgres "$inst/raw1.pgb") || ct_die "the raw insert run failed"
	"${psql_su[@]}" -c "VACUUM ANALYZE caseterm.person, caseterm.legal_case, caseterm.case_event, caseterm.audit_log"
}

intake_table() {
	local rt rp50 rp99 wt wp50 wp99 vt vp50 vp99 n
	read -r rt rp50 rp99 n <<<"$intake_rules"
	read -r wt wp50 wp99 n <<<"$intake_raw"
	read -r vt vp50 vp99 n <<<"$intake_raw1"
	echo
	printf '%-58s %9s %8s %8s\n' "intake, $CLIENTS clients, ${DURATION}s each" "tps" "p50 ms" "p99 ms"
	printf '%-58s %9.0f %8s %8s\n' "register_consultation (caseterm_app, the rules)" "$rt" "$rp50" "$rp99"
	printf '%-58s %9.0f %8s %8s\n' "raw insert person+case+event (owner, no rules)" "$wt" "$wp50" "$wp99"
	printf '%-58s %9.0f %8s %8s\n' "  the same raw insert as one statement, no BEGIN/COMMIT" "$vt" "$vp50" "$vp99"
	awk -v a="$rt" -v b="$wt" 'BEGIN { r = (b > 0 ? a / b : 0);
	    printf "ratio %.2f: the rules cost %.0f%% of the raw insert rate (target: at most 33%%)\n",
	           r, (1 - r) * 100 }'
	echo "transactions as the application runs them: BEGIN; set_config; the statement; COMMIT."
}

# unregister: remove what the intake runs registered, so that the next
# lookups see the data as loaded (a throw-away cluster: the append-only
# trigger of case_event is switched off for it; the audit rows stay).
unregister() {
	"${psql_su[@]}" -v pmax="$person_max" <<'SQL' || ct_die "cannot remove the intake's cases"
BEGIN;
ALTER TABLE caseterm.case_event DISABLE TRIGGER case_event_append_only;
DELETE FROM caseterm.case_event e USING caseterm.legal_case c, caseterm.org_unit o
    WHERE c.id = e.case_id AND c.unit_id = o.id AND o.code = 'BENCH-12348';
DELETE FROM caseterm.legal_case c USING caseterm.org_unit o
    WHERE c.unit_id = o.id AND o.code = 'BENCH-12348';
DELETE FROM caseterm.person WHERE id > :pmax;
ALTER TABLE caseterm.case_event ENABLE ALWAYS TRIGGER case_event_append_only;
COMMIT;
VACUUM ANALYZE caseterm.person, caseterm.legal_case, caseterm.case_event;
SQL
}

header() {
	echo
	echo "== lifecycle bench, $(date '+%Y-%m-%d %H:%M %Z'), $(nproc) CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(( mem_kb / 1024 / 1024 )) GB"
	echo "   PostgreSQL $("${psql_su[@]}" -c 'SHOW server_version'), shared_buffers ${sb_mb}MB, fsync off; load average before/after measuring: $load0 / $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "   $n_cases cases ($n_open open, $n_overdue overdue), $n_persons persons, $n_events events, $n_parties parties; $db_size; loaded in ${load_s}s"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$COMPARE" ]; then
	say "measuring without $COMPARE ..."
	lookups
	before=("${results[@]}")
	intake_pair
	before_intake=("$intake_rules" "$intake_raw" "$intake_raw1")
	say "removing the cases the intake registered ..."
	unregister
	sed -i "s|sql = \"$inst/sql\";|sql = \"$ct_top/sql\";|" "$inst/caseterm.conf"
	"$ct_top/$B/casetermctl" -f "$inst/caseterm.conf" migrate > "$inst/migrate.log" 2>&1 ||
		{ cat "$inst/migrate.log" >&2; ct_die "cannot apply $COMPARE"; }
	# the owner's copies as the functions are now (lifecycle-setup.sql
	# made them from the functions without $COMPARE)
	"${psql_su[@]}" -f "$bench_dir/lifecycle-owner.sql" >/dev/null ||
		ct_die "cannot copy the functions after $COMPARE"
	"${psql_su[@]}" -c "ANALYZE"
	say "measuring with $COMPARE ..."
fi
lookups
intake_pair

header
if [ -n "$COMPARE" ]; then
	after=("${results[@]}")
	after_intake=("$intake_rules" "$intake_raw" "$intake_raw1")
	results=("${before[@]}")
	intake_rules=${before_intake[0]} intake_raw=${before_intake[1]} intake_raw1=${before_intake[2]}
	table "BEFORE: without $COMPARE"
	intake_table
	results=("${after[@]}")
	intake_rules=${after_intake[0]} intake_raw=${after_intake[1]} intake_raw1=${after_intake[2]}
	table "AFTER: with $COMPARE"
	intake_table
else
	table "lookups and inboxes"
	intake_table
fi
