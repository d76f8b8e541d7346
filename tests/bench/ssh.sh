#!/usr/bin/env bash
#
# tests/bench/ssh.sh — casetermd against OpenSSH's sshd serving the same UI
# (build/caseterm) through ForceCommand, in the same run: time from connect
# to the first screen, keystroke-to-screen latency with many clerks typing
# at once, memory per session.  A benchmark, not a test: it prints figures
# and the targets of issue 3, and fails only if something did not work.
#
#   tests/bench/ssh.sh                           (make bench runs it)
#   LOGINS=50 CLERKS=100 ROUNDS=50 INTERVAL=100 tests/bench/ssh.sh
#   KEEP=1 tests/bench/ssh.sh                    keep the folder and logs
#
# Everything runs in a folder under /tmp, on 127.0.0.1 only, and is stopped
# again on exit: a private PostgreSQL, casetermd and an sshd of its own
# (/usr/sbin/sshd with a private configuration: no PAM, public key only,
# ForceCommand "caseterm -f CONF").  Nothing of the system's sshd or its
# configuration is used or touched.
#
# Both servers run as the same unprivileged OS user: "postgres" when this
# runs as root (it owns the private cluster's socket folder, so the UI can
# reach the database), else the calling user.  An unprivileged sshd can
# only log in the user it runs as, so the bench connects to it as that
# user with a key and the UI asks for the caseterm login itself; casetermd
# authenticates the clerk (zd_town) with a password in SSH.  The program,
# forms and locale are copied into the folder so that the servers' user
# can read them wherever the clone is.
#
# As root, both run through setpriv (no fork, so $! is the server): sshd
# also gets the group tty, which it needs to chown the pty where /dev/pts
# is mounted without gid=5 (that is all: nothing in /etc changes).  The
# bench client runs at nice -10.  tests/bench/README explains the rows.
#
# Needs openssh-server (installed when run as root, like scripts/deps;
# otherwise the apt-get line is printed) and the programs that
# `make bench` builds: build/casetermd, build/caseterm, build/casetermctl,
# build/tests/ssh-bench.

set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
cd "$ct_top" || exit 1

LOGINS=${LOGINS:-50}
CLERKS=${CLERKS:-100}
ROUNDS=${ROUNDS:-50}
INTERVAL=${INTERVAL:-100}
CLERK=zd_town
PASSWORD=demo1234
B=${CT_BUILD:-build}

# ---------------------------------------------------------------- packages
packages=(openssh-server openssh-client util-linux procps)
missing=()
for p in "${packages[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "the ssh bench needs these Debian packages; as root, run:" >&2
		echo "    apt-get install ${missing[*]}" >&2
		exit 1
	fi
	echo "installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq &&
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		ct_die "cannot install ${missing[*]}"
fi
[ -x /usr/sbin/sshd ] || ct_die "no /usr/sbin/sshd (package openssh-server)"
for f in casetermd caseterm casetermctl tests/ssh-bench; do
	[ -x "$B/$f" ] || ct_die "build first: make all $B/tests/ssh-bench"
done

# ------------------------------------------------------------------ user
if [ "$(id -u)" -eq 0 ]; then
	run_user=postgres
	id "$run_user" >/dev/null 2>&1 || ct_die "no OS user postgres (package postgresql)"
	# The UI under sshd needs a pty owned by group tty; where /dev/pts is
	# mounted without gid=5, sshd chowns it, which an unprivileged process
	# may do only to a group of its own: give it tty (this process only,
	# nothing in /etc changes).
	groups=$(id -G "$run_user" | tr ' ' ,)
	tty_gid=$(getent group tty | cut -d: -f3)
	[ -n "$tty_gid" ] && groups=$groups,$tty_gid
	as_user=(setpriv --reuid="$run_user" --regid="$(id -g "$run_user")"
		--groups="$groups" --)
else
	run_user=$(id -un)
	as_user=()
fi
run_home_shell=$(getent passwd "$run_user" | cut -d: -f7)
case $run_home_shell in
*nologin|*false) ct_die "$run_user's login shell is $run_home_shell: sshd could not run the ForceCommand" ;;
esac

# ---------------------------------------------------------------- folder
inst=$(mktemp -d /tmp/caseterm-bench-ssh.XXXXXX)
chmod 755 "$inst"
mkdir -p "$inst/logs"
casetermd_pid= sshd_pid=
cleanup() {
	[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null && wait "$sshd_pid" 2>/dev/null
	[ -n "$casetermd_pid" ] && kill "$casetermd_pid" 2>/dev/null && wait "$casetermd_pid" 2>/dev/null
	"$ct_top/scripts/pgcluster" stop "$inst/pg" >/dev/null 2>&1
	if [ -n "${KEEP:-}" ]; then echo "kept $inst" >&2; else rm -rf "$inst"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "ssh bench: database ..." >&2
# Each casetermd session holds two connections (session process and UI),
# each sshd session one (the UI): 300 at 100 clerks, more than the 200 of
# scripts/pgcluster.
"$ct_top/scripts/pgcluster" init "$inst/pg" --fast >/dev/null ||
	ct_die "cannot create the database cluster in $inst/pg"
echo "max_connections = $((CLERKS * 3 + 50))   # tests/bench/ssh.sh" >> "$inst/pg/data/postgresql.conf"
"$ct_top/scripts/pgcluster" start "$inst/pg" >/dev/null ||
	ct_die "cannot start the database (see $inst/pg/log)"
ct_write_config "$inst" 0 info
ct_db_load "$inst/caseterm.conf" > "$inst/logs/demo.log" 2>&1 ||
	{ cat "$inst/logs/demo.log"; ct_die "cannot load the schema and demo data"; }

# The servers' copy of what they run and read.
app=$inst/app
mkdir -p "$app/$B"
cp -r forms sql data "$app/"
cp -r "$B/locale" "$app/$B/"
cp "$B/caseterm" "$B/casetermd" "$app/$B/"
chmod -R a+rX "$app"

# One configuration per server, the same but for application_name (so the
# bench can tell their database backends apart).  The limits are for a
# load test: 100 sessions of one clerk, 100 logins at once from 127.0.0.1,
# no idle lock.
conf=$inst/caseterm.conf
sed -i -e "s|\"$ct_top/|\"$app/|g" \
	-e 's|^listen = { address = "127.0.0.1"; port = 0; };|listen = { address = "127.0.0.1"; port = 0; max_startups = 1000; max_startups_per_source = 1000; };|' \
	-e 's|^\(  conninfo = "[^"]*\)";|\1 application_name=bench_casetermd";|' \
	-e "s|^host_key = .*|host_key = \"$inst/casetermd/ssh_host_ed25519_key\";|" "$conf"
cat >> "$conf" <<'CONF'
session = { max_per_user = 1000; idle_lock = 0; idle_warn = 0; };
auth = { max_failures = 1000; max_failures_per_source = 100000; };
CONF
grep -q 'max_startups_per_source = 1000' "$conf" &&
grep -q 'application_name=bench_casetermd' "$conf" ||
	ct_die "the generated configuration is not as expected: $conf"
sed 's/application_name=bench_casetermd/application_name=bench_sshd/' "$conf" > "$inst/caseterm-sshd.conf"
mkdir -p "$inst/casetermd" "$inst/sshd"
"$app/$B/casetermd" -t -f "$conf" >/dev/null || ct_die "casetermd -t refuses $conf"

# ------------------------------------------------------------- casetermd
echo "ssh bench: casetermd ..." >&2
chown -R "$run_user" "$inst/casetermd" "$inst/logs"
(cd / && exec "${as_user[@]}" "$app/$B/casetermd" -f "$conf") > "$inst/logs/casetermd.log" 2>&1 &
casetermd_pid=$!
casetermd_port=
for _ in $(seq 100); do
	casetermd_port=$(sed -n 's/.*listening on .* port \([0-9]*\)$/\1/p' "$inst/logs/casetermd.log")
	[ -n "$casetermd_port" ] && break
	kill -0 "$casetermd_pid" 2>/dev/null || break
	sleep 0.1
done
[ -n "$casetermd_port" ] || { cat "$inst/logs/casetermd.log" >&2; ct_die "casetermd did not start"; }

# ------------------------------------------------------------------ sshd
echo "ssh bench: sshd ..." >&2
sd=$inst/sshd
ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$sd/host_key" || ct_die "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$sd/client_key" || ct_die "ssh-keygen"
cp "$sd/client_key.pub" "$sd/authorized_keys"
chown -R "$run_user" "$sd"
sshd_port=
for _ in 1 2 3 4 5; do
	port=$("$B/tests/ssh-bench" -p) || ct_die "no free port"
	cat > "$sd/sshd_config" <<CONF
# Written by tests/bench/ssh.sh: an unprivileged sshd for the bench only.
ListenAddress 127.0.0.1
Port $port
HostKey $sd/host_key
PidFile none
UsePAM no
StrictModes no
AuthorizedKeysFile $sd/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitUserEnvironment no
ForceCommand $app/$B/caseterm -f $inst/caseterm-sshd.conf
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
PrintLastLog no
LogLevel ERROR
MaxStartups 1000
MaxSessions 10
LoginGraceTime 60
CONF
	chown "$run_user" "$sd/sshd_config"
	(cd / && exec "${as_user[@]}" /usr/sbin/sshd -t -f "$sd/sshd_config") || ct_die "sshd -t refuses $sd/sshd_config"
	(cd / && exec "${as_user[@]}" /usr/sbin/sshd -D -e -f "$sd/sshd_config") > "$inst/logs/sshd.log" 2>&1 &
	sshd_pid=$!
	for _ in $(seq 50); do
		kill -0 "$sshd_pid" 2>/dev/null || break
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			sshd_port=$port
			break
		fi
		sleep 0.1
	done
	[ -n "$sshd_port" ] && break
	kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null
	sshd_pid=
done
[ -n "$sshd_port" ] || { cat "$inst/logs/sshd.log" >&2; ct_die "sshd did not start"; }

# ----------------------------------------------------------------- run
# The clerks' terminals would be other machines: as root, the bench client
# runs at a higher priority than the servers so that it mostly measures
# them, not its own wait for a CPU.
nice=()
[ "$(id -u)" -eq 0 ] && nice=(nice -n -10)
sshd_version=$(dpkg-query -W -f='${Version}' openssh-server 2>/dev/null)
libssh_version=$(pkg-config --modversion libssh 2>/dev/null)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo
echo "casetermd vs sshd+ForceCommand — $(date '+%Y-%m-%d %H:%M:%S %z')"
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "servers: both as OS user $run_user on 127.0.0.1 (casetermd port $casetermd_port, libssh $libssh_version;"
echo "  sshd port $sshd_port, OpenSSH $sshd_version, ForceCommand $B/caseterm -f CONF, no PAM, public key);"
echo "  the same UI binary and database, clerk $CLERK; the client is the libssh+libvterm harness,"
echo "  80x24 xterm-256color, ${nice[*]:-at normal priority}"
echo "first screen: $LOGINS logins each (after 3), alternating between the servers, connect until"
echo "  主菜单 shows; sshd: SSH key login, then the UI's own Login/Password prompts answered"
echo "keystrokes: $CLERKS clerks in New consultation, $ROUNDS rounds of one key each at the same"
echo "  moment, a round every $INTERVAL ms; casetermd first, then sshd; memory with those sessions open"

"${nice[@]}" "$B/tests/ssh-bench" -n "$LOGINS" -c "$CLERKS" -r "$ROUNDS" -i "$INTERVAL" \
	-D "host=$inst/pg/sock dbname=caseterm user=postgres" \
	-A "port=$casetermd_port user=$CLERK password=$PASSWORD pid=$casetermd_pid app=bench_casetermd" \
	-B "port=$sshd_port user=$run_user key=$sd/client_key pid=$sshd_pid app=bench_sshd login=$CLERK loginpw=$PASSWORD"
rc=$?
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
if [ "$rc" -ne 0 ]; then
	echo "ssh bench: something failed; casetermd log (last 20 lines):" >&2
	tail -n 20 "$inst/logs/casetermd.log" | sed 's/^/    /' >&2
	[ -s "$inst/logs/sshd.log" ] && tail -n 20 "$inst/logs/sshd.log" | sed 's/^/    /' >&2
fi
exit $rc
