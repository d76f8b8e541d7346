#!/usr/bin/env bash
#
# casetermctl audit verify against the test instance: the trail is intact
# after the other tests; still intact after many concurrent writers (the
# application failing logins and registering consultations, the operator
# saving codes, from several connections at once; the registrations' case
# numbers are unique, each case has its event and its audit row, and every
# committed audit row is chained: rows are chained at commit, 040); a row
# changed by a superuser with the append-only trigger disabled makes verify
# fail naming that row, and so do a deleted row, a rewritten hash and a row
# slipped in with the commit trigger disabled (outside the chain); put
# back exactly, the trail verifies again.
# The database's own audit_verify() agrees each time.  audit show lists
# rows.  TAP output; run through tests/run.

set -u
conf=${CT_TEST_CONF:?run through tests/run}
sock=${CT_TEST_SOCK:?run through tests/run}
ctl=$CT_TOP/${CT_BUILD:-build}/casetermctl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
psql_su() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -U postgres caseterm "$@"; }
psql_app() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -U caseterm_app caseterm "$@"; }
n=0
check() {	# check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	n=$((n + 1))
	if "$@" > "$tmp/out" 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		sed 's/^/# /' "$tmp/out"
	fi
}
verify_fails_at() {	# verify_fails_at ID PROBLEM: verify exits 1 naming both
	local rc
	"$ctl" -f "$conf" audit verify > "$tmp/verify" 2>&1
	rc=$?
	cat "$tmp/verify"
	[ "$rc" -eq 1 ] && grep -q "row id $1 (seq [0-9]*): $2" "$tmp/verify"
}
sql_verdict() {	# the database's audit_verify(): ok|bad_id|problem
	psql_su -c "SELECT ok || '|' || coalesce(bad_id::text, '') || '|' || coalesce(problem, '') FROM caseterm.audit_verify()"
}
# Run SQL as superuser with the append-only trigger and the chain triggers
# off (the one at insert and the one at commit: a row inserted while the
# commit trigger is on would leave an event pending, and ALTER TABLE
# refuses a table with pending trigger events), in one transaction (the
# triggers are never off outside it).
tamper() {
	psql_su <<SQL
BEGIN;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_append_only;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_zz_chain;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_zz_chain_commit;
$1
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_append_only;
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_zz_chain;
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_zz_chain_commit;
COMMIT;
SQL
}

echo "1..23"
check "audit verify: the trail of the test run is intact" \
    bash -c "'$ctl' -f '$conf' audit verify | grep -q '^audit trail intact: [0-9]* rows, head seq [0-9]*, hash [0-9a-f]\{64\}$'"

# ---- concurrent writers
before=$(psql_su -c "SELECT seq FROM caseterm.audit_chain_head")
pids=()
for w in 1 2 3 4 5 6; do
	( for i in $(seq 40); do
		echo "SELECT caseterm.auth_failure('audit-load-$w', 'ssh 198.51.100.$w:$i', 'load test');"
	  done | psql_app > "$tmp/w$w.log" 2>&1 ) &
	pids+=($!)
done
for w in 1 2; do
	( for i in $(seq 20); do
		echo "SELECT caseterm.code_save('audit_load', 'c$w-$i', '负载$w-$i');"
	  done | psql_su > "$tmp/o$w.log" 2>&1 ) &
	pids+=($!)
done
# Four intake clerks registering at once, each registration a transaction
# as the application runs it; every one also registers the same caller
# (one name and phone), who must end up on file once.
cases_before=$(psql_su -c "SELECT count(*) FROM caseterm.legal_case")
for who in city_hotline jk_district zd_town zd_village; do
	( for i in $(seq 15); do
		cat <<SQL
BEGIN;
SELECT set_config('caseterm.user_id', (SELECT id FROM caseterm.app_user WHERE login = '$who')::text, true);
SELECT case_no FROM caseterm.register_consultation('并发$who', '1360000$(printf %04d $i)', NULL, '同时登记 $who $i', NULL);
SELECT case_no FROM caseterm.register_consultation('同一来电人', '13611112222', NULL, '同一人同时登记 $who $i', NULL);
COMMIT;
SQL
	  done | psql_app > "$tmp/r-$who.log" 2>&1 ) &
	pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=1; done
check "twelve connections wrote audit rows at once without error" \
    bash -c "[ $bad -eq 0 ] || { cat $tmp/*.log; false; }"
after=$(psql_su -c "SELECT seq FROM caseterm.audit_chain_head")
check "every row was chained: 6 x 40 failed logins + 2 x 20 codes + 4 x 30 registrations" \
    test $((after - before)) -ge 400
check "the 120 registrations made at once got 120 different case numbers of this year" \
    bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT count(*) || ' ' || count(DISTINCT case_no) || ' ' || count(*) FILTER (WHERE split_part(case_no, '-', 1) = to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY')) FROM caseterm.legal_case WHERE subject LIKE '%同时登记 %'\")\" = '120 120 120' ] && [ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c 'SELECT count(*) - $cases_before FROM caseterm.legal_case')\" = 120 ]"
check "each registration has its event and its audit row" \
    bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT count(*) FROM caseterm.legal_case c WHERE c.subject LIKE '%同时登记 %' AND EXISTS (SELECT 1 FROM caseterm.case_event e WHERE e.case_id = c.id AND e.kind = 'register') AND EXISTS (SELECT 1 FROM caseterm.audit_log a WHERE a.action = 'case_register' AND a.object = 'legal_case:' || c.id AND a.detail->>'case_no' = c.case_no)\")\" = 120 ]"
check "every committed audit row is chained (seq, prev_hash and row_hash filled in at commit)" \
    bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c 'SELECT count(*) FROM caseterm.audit_log WHERE seq IS NULL OR prev_hash IS NULL OR row_hash IS NULL')\" = 0 ]"
check "the caller registered from four connections at once is on file once" \
    bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT count(*) FROM caseterm.person WHERE name = '同一来电人' AND phone = '13611112222'\")\" = 1 ]"
check "audit verify: still intact" "$ctl" -f "$conf" audit verify
check "the database agrees" bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT ok FROM caseterm.audit_verify()\")\" = t ]"

# ---- a changed row
id=$(psql_su -c "SELECT id FROM caseterm.audit_log WHERE action = 'login_failed' AND detail->>'login' = 'audit-load-3' ORDER BY seq LIMIT 1 OFFSET 7")
orig=$(psql_su -c "SELECT detail::text FROM caseterm.audit_log WHERE id = $id")
tamper "UPDATE caseterm.audit_log SET detail = jsonb_set(detail, '{reason}', '\"nothing happened\"') WHERE id = $id;" > "$tmp/t1" 2>&1
check "a superuser changes a row with the trigger disabled" \
    bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT detail->>'reason' FROM caseterm.audit_log WHERE id = $id\")\" = 'nothing happened' ]"
check "audit verify fails naming the changed row (content_changed)" verify_fails_at "$id" content_changed
check "audit_verify() in the database names the same row" \
    bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT ok || '|' || bad_id || '|' || problem FROM caseterm.audit_verify()\")\" = 'false|$id|content_changed' ]"
tamper "UPDATE caseterm.audit_log SET detail = '$orig'::jsonb WHERE id = $id;" > "$tmp/t2" 2>&1
check "put back exactly, the trail verifies again" "$ctl" -f "$conf" audit verify

# ---- a rewritten hash: the next row's link breaks
next=$(psql_su -c "SELECT b.id FROM caseterm.audit_log a JOIN caseterm.audit_log b ON b.seq = a.seq + 1 WHERE a.id = $id")
orig_src=$(psql_su -c "SELECT source FROM caseterm.audit_log WHERE id = $id")
orig_hash=$(psql_su -c "SELECT encode(row_hash, 'hex') FROM caseterm.audit_log WHERE id = $id")
tamper "UPDATE caseterm.audit_log SET source = 'ssh 10.9.9.9:1', row_hash = sha256(convert_to('forged', 'UTF8')) WHERE id = $id;" > "$tmp/t3" 2>&1
check "a row changed with a made-up hash: verify names it (content_changed)" \
    verify_fails_at "$id" content_changed
tamper "UPDATE caseterm.audit_log a SET row_hash = caseterm.audit_hash(a.seq, a.id, a.at, a.user_id, a.session_id, a.source, a.action, a.object, a.detail, a.prev_hash) WHERE id = $id;" > "$tmp/t4" 2>&1
check "... with its hash recomputed: verify names the next row (link_broken)" \
    verify_fails_at "$next" link_broken
tamper "UPDATE caseterm.audit_log SET source = '$orig_src', row_hash = decode('$orig_hash', 'hex') WHERE id = $id;" > "$tmp/t5" 2>&1
check "put back, intact again" "$ctl" -f "$conf" audit verify

# ---- a deleted row
psql_su -c "CREATE TABLE public.audit_saved AS SELECT * FROM caseterm.audit_log WHERE id = $id"
tamper "DELETE FROM caseterm.audit_log WHERE id = $id;" > "$tmp/t6" 2>&1
check "a deleted row: verify names the row after the gap (seq_gap)" verify_fails_at "$next" seq_gap
tamper "INSERT INTO caseterm.audit_log OVERRIDING SYSTEM VALUE SELECT * FROM public.audit_saved;" > "$tmp/t7" 2>&1
psql_su -c "DROP TABLE public.audit_saved"
check "put back, intact again" "$ctl" -f "$conf" audit verify
check "and the database agrees" bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT ok FROM caseterm.audit_verify()\")\" = t ]"

# ---- a row slipped in with the commit trigger disabled
psql_su <<'SQL' > "$tmp/t8" 2>&1
BEGIN;
ALTER TABLE caseterm.audit_log DISABLE TRIGGER audit_log_zz_chain_commit;
INSERT INTO caseterm.audit_log (source, action) VALUES ('psql', 'slipped_in');
ALTER TABLE caseterm.audit_log ENABLE ALWAYS TRIGGER audit_log_zz_chain_commit;
COMMIT;
SQL
id=$(psql_su -c "SELECT id FROM caseterm.audit_log WHERE action = 'slipped_in'")
check "a row inserted with the commit trigger disabled: verify names it (outside_chain)" \
    bash -c "[ -n '$id' ] && { '$ctl' -f '$conf' audit verify > '$tmp/verify' 2>&1; rc=\$?; cat '$tmp/verify'; [ \$rc -eq 1 ] && grep -q 'row id $id (seq none): outside_chain' '$tmp/verify'; }"
check "audit_verify() in the database names it too" \
    bash -c "[ \"\$(psql -X -q -At -h '$sock' -U postgres caseterm -c \"SELECT ok || '|' || bad_id || '|' || problem FROM caseterm.audit_verify()\")\" = 'false|$id|outside_chain' ]"
tamper "DELETE FROM caseterm.audit_log WHERE action = 'slipped_in';" > "$tmp/t9" 2>&1
check "removed, intact again" "$ctl" -f "$conf" audit verify

# ---- audit show
check "audit show lists rows by action, newest last" \
    bash -c "'$ctl' -f '$conf' audit show --action login_failed --limit 3 | tail -n 1 | grep -q 'login_failed .*audit-load'"
