#!/usr/bin/env bash
#
# What casetermd refuses, proven with OpenSSH's client: a command (exec), a
# subsystem, a session without a pty, port forwarding both ways; an address
# with too many failures is locked out (from 127.0.0.3, on a server of its
# own) while others are not.  Also: ssh-audit finds no weak algorithm, the
# shipped fail2ban filter matches the failure lines, and casetermd runs and
# serves as an unprivileged user.  TAP output; run through tests/run.

set -u
. "$CT_TOP/scripts/lib.sh"
export LC_ALL=C.UTF-8
port=${CT_TEST_PORT:?run through tests/run}
tmp=$(mktemp -d)
trap 'ct_server_stop; rm -rf "$tmp"' EXIT
printf '#!/bin/sh\necho demo1234\n' > "$tmp/good"
printf '#!/bin/sh\necho wrong\n' > "$tmp/bad"
chmod 755 "$tmp/good" "$tmp/bad" "$tmp"

n=0
check() {	# check NAME COMMAND...: ok when the command succeeds
	local name=$1; shift
	n=$((n + 1))
	if "$@" > "$tmp/out" 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		sed 's/^/# /' "$tmp/out" | head -20
	fi
}
sshc() {	# sshc ASKPASS PORT [ssh args...]
	local ap=$1 p=$2; shift 2
	SSH_ASKPASS=$ap SSH_ASKPASS_REQUIRE=force timeout 20 setsid -w ssh \
	    -F /dev/null -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
	    -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 \
	    -o PreferredAuthentications=password -p "$p" "$@" < /dev/null
}
refused() {	# refused PATTERN ssh-args...: ssh fails and says PATTERN
	local pat=$1; shift
	local out rc
	out=$(sshc "$tmp/good" "$port" "$@" 2>&1); rc=$?
	echo "exit $rc: $out"
	[ "$rc" -ne 0 ] && grep -qi -- "$pat" <<<"$out"
}

echo "1..10"
check "a command (exec request) is refused" \
    refused "exec request failed" zd_town@127.0.0.1 ls /
check "a subsystem is refused" \
    refused "subsystem request failed" -s zd_town@127.0.0.1 sftp
check "a session without a pty is refused" \
    refused "shell request failed" -T zd_town@127.0.0.1
check "forwarding to a port (-W) is refused" \
    refused "forwarding failed" -W 127.0.0.1:22 zd_town@127.0.0.1
check "remote forwarding (-R) is refused" \
    refused "forwarding failed" -N -o ExitOnForwardFailure=yes \
    -R 0:127.0.0.1:22 zd_town@127.0.0.1

# Address lockout, on a server of its own so that no other test is touched.
sed '/^auth = {/d' "$CT_TEST_CONF" > "$tmp/lock.conf"
echo 'auth = { max_failures = 1000; max_failures_per_source = 3; lockout_time = 600; };' >> "$tmp/lock.conf"
ct_server_start "$tmp/lock.conf" "$tmp/lock.log"
for i in 1 2 3; do sshc "$tmp/bad" "$ct_server_port" -b 127.0.0.3 -tt zd_village@127.0.0.1 >/dev/null 2>&1; done
check "an address with too many failures is locked out, right password or not" \
    bash -c "! SSH_ASKPASS=$tmp/good SSH_ASKPASS_REQUIRE=force timeout 20 setsid -w ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 -o PreferredAuthentications=password -p $ct_server_port -b 127.0.0.3 zd_village@127.0.0.1 true < /dev/null && grep -q 'from 127.0.0.3: address locked out' $tmp/lock.log"
SSH_ASKPASS=$tmp/good SSH_ASKPASS_REQUIRE=force timeout 5 setsid -w ssh -F /dev/null \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    -o PubkeyAuthentication=no -o PreferredAuthentications=password \
    -p "$ct_server_port" -b 127.0.0.4 -tt zd_village@127.0.0.1 < /dev/null > /dev/null 2>&1
check "another address (127.0.0.4) still gets in" \
    grep -q "accepted password for zd_village from 127.0.0.4" "$tmp/lock.log"
"$CT_TOP/${CT_BUILD:-build}/casetermctl" -f "$CT_TEST_CONF" unlock 127.0.0.3 >/dev/null

# The fail2ban filter matches our lines: <HOST> stands for an address.
cat > "$tmp/f2b.pl" <<'PERL'
my ($filter, $log) = @ARGV;
my ($in, @re) = (0);
open my $f, '<', $filter or die;
while (<$f>) {
	chomp;
	if (/^failregex\s*=\s*(.*?)\s*$/) { push @re, $1; $in = 1; next }
	if ($in && /^\s+(\S.*?)\s*$/) { push @re, $1; next }
	$in = 0;
}
s/<HOST>/(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-fA-F:]+)/g for @re;
open my $l, '<', $log or die;
my ($fails, $hits, $bad) = (0, 0, 0);
while (my $line = <$l>) {
	my $m = grep { $line =~ /$_/ } @re;
	$fails++ if $line =~ /authentication failure for/;
	$hits++ if $m && $line =~ /authentication failure for/;
	$bad++ if $m && $line =~ /accepted /;
}
print "regexes ", scalar @re, ", failures $fails, matched $hits, successes matched $bad\n";
exit !($fails >= 3 && $hits == $fails && $bad == 0 && @re == 2);
PERL
check "the fail2ban filter matches every failure line and no success" \
    perl "$tmp/f2b.pl" "$CT_TOP/packaging/fail2ban/filter.d/casetermd.conf" "$tmp/lock.log"
ct_server_stop

# ssh-audit (Debian's 2.5.0) predates strict key exchange (2023): its only
# complaint, an unknown kex-strict-s-v00@openssh.com, is that marker.
check "ssh-audit: no failure, no CVE, no warning but the strict-kex marker" bash -c "
    ssh-audit -n -p $port 127.0.0.1 > '$tmp/audit.txt'; cat '$tmp/audit.txt'
    grep -q 'ssh-ed25519' '$tmp/audit.txt' &&
    ! grep -q '(cve)' '$tmp/audit.txt' &&
    ! grep -q '\[fail\]' '$tmp/audit.txt' &&
    ! grep '\[warn\]' '$tmp/audit.txt' | grep -qv 'kex-strict-s-v00@openssh.com'"

# Never needs root: as root, run a casetermd as the unprivileged user that
# owns the database cluster, and log in.
if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
	# The source tree may sit in a folder only root can enter: give the
	# unprivileged server its own copy of what it runs and reads.
	u=$tmp/unpriv
	mkdir -p "$u/forms"
	cp "$CT_TOP/${CT_BUILD:-build}/casetermd" "$CT_TOP/${CT_BUILD:-build}/caseterm" "$u/"
	cp "$CT_TOP"/forms/*.conf "$u/forms/"
	cp -r "$CT_TOP/${CT_BUILD:-build}/locale" "$u/locale"
	sed -e "s|^host_key = .*|host_key = \"$u/key\";|" \
	    -e "s|^  forms = .*|  forms = \"$u/forms\";|" \
	    -e "s|^  locale = .*|  locale = \"$u/locale\";|" \
	    -e "s|^  ui_program = .*|  ui_program = \"$u/caseterm\";|" \
	    "$CT_TEST_CONF" > "$u/c.conf"
	chown -R postgres "$u"
	runuser -u postgres -- "$u/casetermd" -f "$u/c.conf" > "$u/log" 2>&1 &
	upid=$!
	for i in $(seq 50); do grep -q listening "$u/log" && break; sleep 0.1; done
	uport=$(sed -n 's/.*listening on .* port \([0-9]*\)$/\1/p' "$u/log")
	cp "$u/log" "$tmp/out"
	check "casetermd serves as an unprivileged user" bash -c "
	    '$CT_TOP/${CT_BUILD:-build}/tests/term-shot' 127.0.0.1 $uport zd_village demo1234 | grep -q '主菜单' &&
	    pgrep -u postgres -x casetermd >/dev/null"
	kill $upid; wait $upid 2>/dev/null
else
	check "casetermd serves as an unprivileged user (this run is not root)" true
fi
exit 0
