# lib.sh — shell functions shared by scripts/demo and tests/run: a caseterm
# instance in a folder (a private PostgreSQL cluster, a configuration that
# points at this source tree, the schema and the demo data).  Sourced, not run.

ct_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

ct_die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# ct_write_config DIR PORT LOGLEVEL — DIR/caseterm.conf for this tree.
ct_write_config() {
	local dir=$1 port=$2 level=$3 sock
	sock=$("$ct_top/scripts/pgcluster" conninfo "$dir/pg" | sed 's/^host=\([^ ]*\).*/\1/')
	cat > "$dir/caseterm.conf" <<CONF
# Written by ${0##*/} for the source tree $ct_top.
listen = { address = "127.0.0.1"; port = $port; };
host_key = "$dir/ssh_host_ed25519_key";
database = {
  conninfo = "host=$sock dbname=caseterm user=caseterm_app";
  admin_conninfo = "host=$sock dbname=caseterm user=postgres";
};
paths = {
  forms = "$ct_top/forms";
  sql = "$ct_top/sql";
  data = "$ct_top/data";
  locale = "$ct_top/${CT_BUILD:-build}/locale";
  ui_program = "$ct_top/${CT_BUILD:-build}/caseterm";
};
log = { level = "$level"; };
CONF
}

# ct_db_up DIR [--fast] — cluster running, schema migrated, demo loaded.
ct_db_up() {
	local dir=$1; shift
	"$ct_top/scripts/pgcluster" init "$dir/pg" "$@" >/dev/null ||
		ct_die "cannot create the database cluster in $dir/pg"
	"$ct_top/scripts/pgcluster" start "$dir/pg" >/dev/null ||
		ct_die "cannot start the database (see $dir/pg/log)"
}

ct_db_load() {
	local conf=$1
	"$ct_top/${CT_BUILD:-build}/casetermctl" -f "$conf" migrate >/dev/null &&
	"$ct_top/${CT_BUILD:-build}/casetermctl" -f "$conf" demo
}

# ct_server_start CONF LOG — start casetermd in the background; sets
# ct_server_pid and ct_server_port once it listens.
ct_server_start() {
	local conf=$1 log=$2 i
	"$ct_top/${CT_BUILD:-build}/casetermd" -f "$conf" > "$log" 2>&1 &
	ct_server_pid=$!
	for i in $(seq 100); do
		ct_server_port=$(sed -n 's/.*listening on .* port \([0-9]*\)$/\1/p' "$log")
		[ -n "$ct_server_port" ] && return 0
		kill -0 "$ct_server_pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$log" >&2
	ct_die "casetermd did not start"
}

ct_server_stop() {
	[ -n "${ct_server_pid:-}" ] || return 0
	kill "$ct_server_pid" 2>/dev/null && wait "$ct_server_pid" 2>/dev/null
	ct_server_pid=
}
