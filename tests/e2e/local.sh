#!/usr/bin/env bash
#
# The UI run by hand (as an operator would, or sshd's ForceCommand) logs in
# by itself: a right login shows the menu and F10 leaves with status 0;
# three wrong ones end it with "Login incorrect." and status 1.  tmux is
# the terminal.  TAP output; run through tests/run.

set -u
export LC_ALL=C.UTF-8
ui=$CT_TOP/${CT_BUILD:-build}/caseterm
sock=ctlocal$$
trap 'tmux -L $sock kill-server 2>/dev/null' EXIT
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
n=0
step() {
	local name=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}
typeline() { tmux -L "$sock" send-keys -t ct -l "$1"; tmux -L "$sock" send-keys -t ct Enter; }

echo "1..6"
tmux -L "$sock" -f /dev/null new-session -d -s ct -x 80 -y 24 \
    "TERM=xterm-256color $ui -f $CT_TEST_CONF; echo EXIT=\$?; sleep 60"
step "asks for a login" wait_for "用户名"
typeline zd_town
wait_for "密码" >/dev/null
typeline demo1234
step "the right password shows the menu" wait_for "本单位案件"
step "the password was never shown" bash -c "! tmux -L $sock capture-pane -p -t ct | grep -q demo1234"
tmux -L "$sock" send-keys -t ct F10
step "F10 leaves with status 0" wait_for "EXIT=0"

tmux -L "$sock" kill-server 2>/dev/null
sock=ctlocal$$b
tmux -L "$sock" -f /dev/null new-session -d -s ct -x 80 -y 24 \
    "TERM=xterm-256color $ui -f $CT_TEST_CONF; echo EXIT=\$?; sleep 60"
for i in 1 2 3; do
	wait_for "用户名" >/dev/null
	typeline zd_town
	sleep 0.2
	typeline not-the-password
	sleep 0.5
done
step "wrong passwords are refused" wait_for "用户名或密码错误"
step "three of them end it with status 1" wait_for "EXIT=1"
