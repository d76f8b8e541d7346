#!/usr/bin/env bash
#
# Real clients, real terminal types: OpenSSH's ssh and PuTTY's plink log in
# with TERM set to xterm-256color, linux, vt100, screen and putty; in each,
# the function keys that terminal sends (its terminfo kf1, kf2, kf3, kf10)
# do what the key bar says.  plink answers keyboard-interactive, ssh uses
# password.  TAP output; run through tests/run.

set -u
export LC_ALL=C.UTF-8
port=${CT_TEST_PORT:?run through tests/run}
fp=$("$CT_TOP/${CT_BUILD:-build}/casetermd" -T -f "$CT_TEST_CONF" | cut -d' ' -f2)
tmp=$(mktemp -d)
sock=ctcl$$
trap 'tmux -L $sock kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
printf '#!/bin/sh\necho demo1234\n' > "$tmp/askpass"
chmod 700 "$tmp/askpass"

screen() { tmux -L "$sock" capture-pane -p -t ct 2>/dev/null; }
wait_for() {
	local i
	for i in $(seq 100); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "# expected \"$1\"; the screen was:"
	screen | sed 's/^/#   |/'
	return 1
}
# key TERM CAP: send what a terminal of type TERM sends for capability CAP
key() {
	local hex
	hex=$(tput -T "$1" "$2" 2>/dev/null | od -An -tx1)
	[ -n "$hex" ] || return 1
	tmux -L "$sock" send-keys -t ct -H $hex
}

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
step() {	# step NAME COMMAND...
	local name=$1; shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}

clients=(ssh plink)
terms=(xterm-256color linux vt100 screen putty)
echo "1..$(( ${#clients[@]} * ${#terms[@]} * 5 + 1 ))"
for c in "${clients[@]}"; do
	for t in "${terms[@]}"; do
		case $c in
		ssh) cmd="SSH_ASKPASS=$tmp/askpass SSH_ASKPASS_REQUIRE=force ssh -F /dev/null -tt -p $port -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -o PreferredAuthentications=password zd_town@127.0.0.1" ;;
		plink)
			# plink announces its saved TerminalType, not $TERM
			mkdir -p "$tmp/.putty/sessions"
			printf 'TerminalType=%s\n' "$t" > "$tmp/.putty/sessions/ct-$t"
			cmd="HOME=$tmp plink -load ct-$t -ssh -batch -t -P $port -hostkey $fp -pw demo1234 zd_town@127.0.0.1" ;;
		esac
		tmux -L "$sock" kill-server 2>/dev/null
		sock=ctcl$$-$c-$t	# a fresh tmux server: no race with the last
		tmux -L "$sock" -f /dev/null new-session -d -s ct -x 80 -y 24 \
		    "TERM=$t $cmd; echo EXIT=\$?; sleep 60"
		w="$c TERM=$t"
		step "$w: logs in to the menu" wait_for "主菜单"
		tmux -L "$sock" send-keys -t ct 1
		wait_for "*申请人" >/dev/null
		step "$w: F1 shows help" eval 'key $t kf1 && wait_for "按回车键继续"'
		tmux -L "$sock" send-keys -t ct Enter
		step "$w: F2 saves (and says what is missing)" \
		    eval 'key $t kf2 && wait_for "申请人: 此项必填"'
		step "$w: F3 goes back" eval 'key $t kf3 && wait_for "本单位案件"'
		# vt100 has no F10: the menu's Exit serves
		if tput -T "$t" kf10 >/dev/null 2>&1; then
			step "$w: F10 logs out, exit 0" eval 'key $t kf10 && wait_for "EXIT=0"'
		else
			tmux -L "$sock" send-keys -t ct 0
			step "$w: Exit logs out, exit 0 (no F10 on $t)" wait_for "EXIT=0"
		fi
	done
done
step "plink logged in with keyboard-interactive" \
    grep -q "accepted keyboard-interactive for zd_town" "$CT_TEST_LOG"
