#!/usr/bin/env bash
#
# casetermctl user, unit, codes and sessions, as an operator uses them: an
# org-tree import (children before parents in the file) that a second run
# leaves unchanged; a user created without a password, given an SSH key
# from a .pub file, who then logs in over SSH with that key (OpenSSH under
# tmux) and is listed by `sessions`; the key login refused once the user
# is disabled; clear errors for what is wrong; dispute categories imported
# twice without duplicates; every change in the audit trail.  TAP output;
# run through tests/run.

set -u
export LC_ALL=C.UTF-8
conf=${CT_TEST_CONF:?run through tests/run}
port=${CT_TEST_PORT:?run through tests/run}
sock=${CT_TEST_SOCK:?run through tests/run}
ctl=$CT_TOP/${CT_BUILD:-build}/casetermctl
tmp=$(mktemp -d)
tsock=ctadm$$
trap 'tmux -L $tsock kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
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
fails_with() {	# fails_with TEXT COMMAND...: exits 1 and says TEXT
	local text=$1 rc; shift
	"$@" > "$tmp/fail" 2>&1
	rc=$?
	cat "$tmp/fail"
	[ "$rc" -eq 1 ] && grep -qF -- "$text" "$tmp/fail"
}
sql() { psql -X -q -At -h "$sock" -U postgres caseterm -c "$1"; }
c() { "$ctl" -f "$conf" "$@"; }
ssh_key() {	# ssh_key USER [ssh options...]: public key only
	local user=$1; shift
	setsid -w ssh -F /dev/null -i "$tmp/id_ed25519" -o IdentitiesOnly=yes \
	    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	    -o LogLevel=ERROR -o PreferredAuthentications=publickey \
	    -o BatchMode=yes -p "$port" "$@" "$user@127.0.0.1"
}
screen() { tmux -L "$tsock" capture-pane -p -t ct 2>/dev/null; }
wait_for() {	# wait_for TEXT: up to 10 s
	local i
	for i in $(seq 100); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "expected \"$1\"; the screen was:"
	screen
	return 1
}

echo "1..22"

# ---- the org tree
cat > "$tmp/units.csv" <<'CSV'
code,name,parent_code,level,note
E2E-V1,"测试街道第一社区服务站",E2E-T1,village,ignored
E2E-T1,测试街道司法所,321102,,
E2E-G1,"网格""一""",E2E-V1,grid,
CSV
check "unit import: a header, quoted fields, children before their parent" \
    bash -c "'$ctl' -f '$conf' unit import '$tmp/units.csv' | grep -qx 'units: 3 added, 0 updated, 0 unchanged'"
check "a second import changes nothing" \
    bash -c "'$ctl' -f '$conf' unit import '$tmp/units.csv' | grep -qx 'units: 0 added, 0 updated, 3 unchanged'"
check "the levels: the town one below its district, the rest as given" \
    test "$(sql "SELECT string_agg(code || '=' || level || '=' || name, ' ' ORDER BY code) FROM caseterm.org_unit WHERE code LIKE 'E2E-%'")" \
         = 'E2E-G1=grid=网格"一" E2E-T1=town=测试街道司法所 E2E-V1=village=测试街道第一社区服务站'
check "unit list shows the subtree, indented" \
    bash -c "'$ctl' -f '$conf' unit list E2E-T1 | grep -q '^    E2E-G1 '"
printf 'E2E-X1,坏,NOPE-PARENT\n' > "$tmp/bad.csv"
check "an import naming an unknown parent fails with FILE:LINE and changes nothing" \
    fails_with "bad.csv:1: no such unit [parent] (NOPE-PARENT)" c unit import "$tmp/bad.csv"
check "unit rename and move" \
    bash -c "'$ctl' -f '$conf' unit rename E2E-T1 测试街道司法所（新） && '$ctl' -f '$conf' unit move E2E-V1 321102001"

# ---- a user with a key
check "user add without a password" \
    bash -c "'$ctl' -f '$conf' user add e2e_key -n 钥匙用户 -u E2E-T1 -r intake,handler | grep -q 'user e2e_key created (no password'"
ssh-keygen -q -t ed25519 -N '' -C 'e2e@test' -f "$tmp/id_ed25519"
printf '# keys of e2e_key\n\n' > "$tmp/keys"
cat "$tmp/id_ed25519.pub" >> "$tmp/keys"
fp=$(ssh-keygen -lf "$tmp/id_ed25519.pub" | awk '{print $2}')
check "user key-add reads a .pub file; the fingerprint is ssh-keygen's" \
    bash -c "'$ctl' -f '$conf' user key-add e2e_key '$tmp/keys' | grep -qF 'key $fp e2e@test added'"
check "user key-list shows it" \
    bash -c "'$ctl' -f '$conf' user key-list e2e_key | grep -qF '$fp  e2e@test  added'"
check "a line that is no key is refused with its line number" \
    fails_with "garbage:1: unknown key type [key]" bash -c "echo 'hello world' > '$tmp/garbage' && '$ctl' -f '$conf' user key-add e2e_key '$tmp/garbage'"

tmux -L "$tsock" -f /dev/null new-session -d -s ct -x 80 -y 24 \
    "$(declare -f ssh_key); tmp=$tmp; port=$port; TERM=xterm-256color ssh_key e2e_key -tt; echo EXIT=\$?; sleep 60"
check "the new user logs in over SSH with the key" wait_for "钥匙用户"
check "casetermctl sessions lists the session, by public key" \
    bash -c "'$ctl' -f '$conf' sessions | grep -E ' e2e_key .* publickey '"
tmux -L "$tsock" send-keys -t ct F10
check "F10 logs out" wait_for "EXIT=0"

check "user roles, move, locale and name" \
    bash -c "'$ctl' -f '$conf' user roles e2e_key intake && '$ctl' -f '$conf' user move e2e_key E2E-V1 && '$ctl' -f '$conf' user locale e2e_key en && '$ctl' -f '$conf' user name e2e_key 'Key User'"
check "user list of the unit shows the user with one key and no password" \
    bash -c "'$ctl' -f '$conf' user list E2E-V1 | grep -E '^e2e_key +Key User +E2E-V1 +intake +en +active +no +1 '"
check "user disable" c user disable e2e_key
refused() { ssh_key e2e_key true < /dev/null; [ $? -eq 255 ]; }
check "a disabled user's key is refused" refused
check "user key-del by fingerprint" \
    bash -c "'$ctl' -f '$conf' user key-del e2e_key '$fp' && [ -z \"\$('$ctl' -f '$conf' user key-list e2e_key)\" ]"
check "errors say what is wrong: an unknown unit" \
    fails_with "no such unit [unit] (NOWHERE)" c user add e2e_x -n 某 -u NOWHERE -r intake
check "... an unknown role" \
    fails_with "unknown role [roles] (boss;" c user roles e2e_key intake,boss

# ---- code tables
check "codes import: the dispute categories, twice, no duplicates" \
    bash -c "'$ctl' -f '$conf' codes import dispute_category '$CT_TOP/data/dispute_categories.txt' >/dev/null && '$ctl' -f '$conf' codes import dispute_category '$CT_TOP/data/dispute_categories.txt' | grep -q ' 0 added'"
# the categories the forms offer, not a list of its own
names=$(grep -v '^#' "$CT_TOP/data/dispute_categories.txt" | sed "s/.*/'&'/" | paste -sd,)
check "... they are the mediation form's categories" \
    test "$(sql "SELECT count(*) FROM unnest(ARRAY[$names]) n WHERE n NOT IN (SELECT name FROM caseterm.dispute_category WHERE NOT disabled)")" = 0
check "codes list dispute_category shows them" \
    bash -c "'$ctl' -f '$conf' codes list dispute_category | grep -q '道路交通事故'"

# ---- the trail
check "each change is in the audit trail, from casetermctl" \
    test "$(sql "SELECT string_agg(DISTINCT action, ',' ORDER BY action) FROM caseterm.audit_log WHERE source LIKE 'casetermctl %' AND action IN ('unit_add', 'unit_rename', 'unit_move', 'user_create', 'user_key_add', 'user_roles', 'user_move', 'user_locale', 'user_rename', 'user_disable', 'user_key_remove')")" \
         = 'unit_add,unit_move,unit_rename,user_create,user_disable,user_key_add,user_key_remove,user_locale,user_move,user_rename,user_roles'
