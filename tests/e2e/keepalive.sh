#!/usr/bin/env bash
#
# Keepalives find a dead peer: a clerk's ssh runs in a network namespace
# of this test's own, joined to the server by a veth pair; when the link
# goes down (the cable is pulled), casetermd notices within its keepalive
# time (session.keepalive_interval x keepalive_count), ends the UI and the
# session process, and keeps serving.  Needs root and iproute2; skipped
# otherwise.  TAP output; run through tests/run.

set -u
. "$CT_TOP/scripts/lib.sh"
export LC_ALL=C.UTF-8
ns=ctka$$ va=ctkaA$$ vb=ctkaB$$
srv=169.254.213.1 cli=169.254.213.2	# link-local, on our own veth only
tmp=$(mktemp -d)
chmod 755 "$tmp"

echo "1..3"
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null ||
    ! ip netns add "$ns" 2>/dev/null; then
	for i in 1 2 3; do echo "ok $i # SKIP needs root and network namespaces"; done
	exit 0
fi
cleanup() {
	ct_server_stop
	[ -n "${cpid:-}" ] && kill "$cpid" 2>/dev/null
	ip link del "$va" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip link add "$va" type veth peer name "$vb"
ip link set "$vb" netns "$ns"
ip addr add "$srv/30" dev "$va"
ip link set "$va" up
ip netns exec "$ns" ip addr add "$cli/30" dev "$vb"
ip netns exec "$ns" ip link set "$vb" up
ip netns exec "$ns" ip link set lo up

sed -e "s/^listen = {.*/listen = { address = \"$srv\"; port = 0; };/" \
    "$CT_TEST_CONF" > "$tmp/ka.conf"
echo 'session = { keepalive_interval = 1; keepalive_count = 2; };' >> "$tmp/ka.conf"
ct_server_start "$tmp/ka.conf" "$tmp/ka.log"
printf '#!/bin/sh\necho demo1234\n' > "$tmp/askpass"
chmod 755 "$tmp/askpass"
# A clerk whose terminal stays open (sleep holds stdin).
sleep 120 | SSH_ASKPASS=$tmp/askpass SSH_ASKPASS_REQUIRE=force \
    ip netns exec "$ns" ssh -F /dev/null -tt -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    -o PubkeyAuthentication=no -o PreferredAuthentications=password \
    -o ServerAliveInterval=0 -p "$ct_server_port" "zd_village@$srv" \
    > /dev/null 2>&1 &
cpid=$!

waitlog() {	# waitlog TEXT SECONDS
	local i
	for i in $(seq $(( $2 * 10 ))); do
		grep -q -- "$1" "$tmp/ka.log" && return 0
		sleep 0.1
	done
	return 1
}
if waitlog "UI process" 15; then
	echo "ok 1 - the clerk is logged in from the other namespace"
else
	echo "not ok 1 - the clerk is logged in from the other namespace"
	sed 's/^/# /' "$tmp/ka.log"
fi

start=$(date +%s)
ip link set "$va" down		# the cable is pulled: nothing gets through
if waitlog "UI exited\|UI ended" 20; then
	echo "ok 2 - the dead peer is noticed and its UI ended ($(( $(date +%s) - start )) s)"
else
	echo "not ok 2 - the dead peer is noticed and its UI ended"
	sed 's/^/# /' "$tmp/ka.log"
fi
if waitlog "session process .* exited" 10 &&
    "$CT_TOP/${CT_BUILD:-build}/tests/term-shot" "$srv" "$ct_server_port" \
    zd_town demo1234 2>&1 | grep -q '主菜单'; then
	echo "ok 3 - the session process is gone and the server keeps serving"
else
	echo "not ok 3 - the session process is gone and the server keeps serving"
	sed 's/^/# /' "$tmp/ka.log"
fi
exit 0
