#!/usr/bin/env bash
#
# OpenSSH's own ssh client against casetermd: log in with a password (given
# through SSH_ASKPASS), see the menu in a real terminal (tmux), log out with
# F10 and get exit status 0; a wrong password is refused.  TAP output.
# Needs CT_TEST_PORT from tests/run.

set -u
export LC_ALL=C.UTF-8
port=${CT_TEST_PORT:?run through tests/run}
tmp=$(mktemp -d)
sock=ctssh$$
trap 'tmux -L $sock kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

askpass() {	# askpass FILE PASSWORD
	printf '#!/bin/sh\necho %s\n' "$2" > "$1"
	chmod 700 "$1"
}
ssh_cmd() {	# ssh_cmd ASKPASS USER [ssh options...]
	local ap=$1 user=$2; shift 2
	SSH_ASKPASS=$ap SSH_ASKPASS_REQUIRE=force setsid -w ssh -F /dev/null \
	    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	    -o LogLevel=ERROR -o PubkeyAuthentication=no \
	    -o NumberOfPasswordPrompts=1 -p "$port" "$@" "$user@127.0.0.1"
}
screen() {
	tmux -L "$sock" capture-pane -p -t ct 2>/dev/null
}
wait_for() {	# wait_for TEXT: up to 10 s
	local i
	for i in $(seq 100); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "# expected \"$1\"; the screen was:"
	screen | sed 's/^/#   |/'
	return 1
}
check() {	# check N NAME COMMAND...
	local n=$1 name=$2; shift 2
	if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}

echo "1..4"
askpass "$tmp/good" demo1234
askpass "$tmp/bad" not-the-password

tmux -L "$sock" -f /dev/null new-session -d -s ct -x 80 -y 24 \
    "$(declare -f ssh_cmd); port=$port; TERM=xterm-256color ssh_cmd $tmp/good zd_town -tt; echo EXIT=\$?; sleep 60"
check 1 "ssh logs in and shows the town clerk's menu" wait_for "本单位案件"
check 2 "the top bar names the unit" wait_for "正东路街道司法所"
tmux -L "$sock" send-keys -t ct F10
check 3 "F10 logs out with exit status 0" wait_for "EXIT=0"

out=$(ssh_cmd "$tmp/bad" zd_town -tt < /dev/null 2>&1)
rc=$?
if [ "$rc" -eq 255 ] && grep -q "Permission denied" <<<"$out"; then
	echo "ok 4 - a wrong password is refused"
else
	echo "not ok 4 - a wrong password is refused (exit $rc: $out)"
fi
