#!/usr/bin/env bash
#
# casetermctl, as an operator uses it: migrate twice (the second time is a
# no-op), a migration changed after it was applied is refused, a user added
# with useradd and given a password with passwd logs in over SSH, and a
# short password is refused.  TAP output; run through tests/run.

set -u
conf=${CT_TEST_CONF:?run through tests/run}
ctl=$CT_TOP/${CT_BUILD:-build}/casetermctl
shot=$CT_TOP/${CT_BUILD:-build}/tests/term-shot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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
has() { grep -qF -- "$1" "$tmp/out"; }

echo "1..8"
check "migrate again applies nothing" \
    bash -c "'$ctl' -f '$conf' migrate | grep -q '(0 migrations applied now)'"

cp -r "$CT_TOP/sql" "$tmp/sql"
echo "-- edited" >> "$tmp/sql/001_core.sql"
sed "s|sql = \".*\";|sql = \"$tmp/sql\";|" "$conf" > "$tmp/changed.conf"
"$ctl" -f "$tmp/changed.conf" migrate > "$tmp/out" 2>&1
rc=$?
check "a migration changed after it was applied is refused" \
    test "$rc" -ne 0 -a -n "$(grep 'was changed after it was applied' "$tmp/out")"

check "useradd creates a user" \
    "$ctl" -f "$conf" useradd test_clerk -n 测试员 -u 321102001202 -r intake -l en
check "passwd sets a password from standard input" \
    bash -c "echo 'Secret-2026' | '$ctl' -f '$conf' passwd test_clerk"
check "a short password is refused" \
    bash -c "! echo short | '$ctl' -f '$conf' passwd test_clerk"
check "useradd into a unit that does not exist is refused" \
    bash -c "out=\$('$ctl' -f '$conf' useradd ghost -n Ghost -u 999 -r intake 2>&1); [ \$? -ne 0 ] && grep -q 'no unit with code 999' <<<\"\$out\""

"$shot" 127.0.0.1 "$CT_TEST_PORT" test_clerk Secret-2026 > "$tmp/screen" 2>&1
cp "$tmp/screen" "$tmp/out"
check "the new user logs in and sees their menu in English" \
    bash -c "grep -q 'Main menu' '$tmp/screen' && grep -q '测试员' '$tmp/screen' && grep -q 'New consultation' '$tmp/screen'"
"$shot" 127.0.0.1 "$CT_TEST_PORT" test_clerk short > "$tmp/out" 2>&1
check "the refused password does not log in" test $? -ne 0
