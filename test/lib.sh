# test/lib.sh — shared by test/run.sh, test/demo.sh and the benchmarks.
#
# Installs what is missing (Debian 12 packages), builds and installs the
# extension, and runs a throwaway PostgreSQL cluster on a private Unix-socket
# directory.  It never touches a server it did not start.

B2B_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_BINDIR=/usr/lib/postgresql/$PG_MAJOR/bin

# B2B_PGROOT=DIR: install into, and run the server from, a private copy of
# the system PostgreSQL under DIR (made on first use; PostgreSQL finds its
# share and lib directories relative to its binaries), so that several
# checkouts on one machine can build and test at once without sharing the
# system-wide install.  Unset: the system PostgreSQL, serialised by a lock.
if [ -n "${B2B_PGROOT:-}" ]; then
	if [ ! -x "$B2B_PGROOT/usr/lib/postgresql/$PG_MAJOR/bin/postgres" ] && [ -x "$PG_BINDIR/postgres" ]; then
		mkdir -p "$B2B_PGROOT/usr/lib/postgresql" "$B2B_PGROOT/usr/share/postgresql" "$B2B_PGROOT/usr/include"
		cp -a "/usr/lib/postgresql/$PG_MAJOR" "$B2B_PGROOT/usr/lib/postgresql/"
		cp -a "/usr/share/postgresql/$PG_MAJOR" "$B2B_PGROOT/usr/share/postgresql/"
		ln -sfn /usr/include/postgresql "$B2B_PGROOT/usr/include/postgresql"
		chmod -R a+rX "$B2B_PGROOT"
	fi
	PG_BINDIR=$B2B_PGROOT/usr/lib/postgresql/$PG_MAJOR/bin
	PG_CONFIG=$PG_BINDIR/pg_config
fi
export PG_CONFIG=${PG_CONFIG:-$PG_BINDIR/pg_config}

# Debian packages the project needs: server, headers, toolchain, the Python
# reference packages the test suite compares against, the Debian packaging
# tools the .deb check builds with, headless Chromium for the check of the
# demo's HTML report, and the client drivers the drivers check uses
# (psycopg 3, psycopg2, pgjdbc with a JDK to compile its test).
B2B_PACKAGES="postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-contrib build-essential python3 python3-numpy python3-scipy python3-statsmodels python3-sklearn util-linux git dpkg-dev debhelper postgresql-server-dev-all chromium fonts-dejavu-core python3-psycopg python3-psycopg2 libpostgresql-jdbc-java openjdk-17-jdk-headless"

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

b2b_need_packages() {
	local missing="" p
	for p in $B2B_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		log "installing:$missing"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		# Debian's postgresql-common would create and start a "main" cluster;
		# we never use it, so ask it not to.
		if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
			as_root mkdir -p /etc/postgresql-common
			echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
		fi
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing >&2
	fi
}

b2b_build_install() {
	log "building and installing b2btarget"
	make -C "$B2B_ROOT" -s PG_CONFIG="$PG_CONFIG" >&2
	as_root make -C "$B2B_ROOT" -s PG_CONFIG="$PG_CONFIG" install >&2
}

# Serialise installs and server runs of concurrent checkouts on one machine
# (the extension is installed into the one system-wide PostgreSQL).
b2b_lock() {
	exec 9>"/tmp/b2btarget-install$(echo "$PG_BINDIR" | cksum | cut -d' ' -f1).lock"
	flock 9
}

# Run a command as the cluster owner.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# b2b_start_cluster: sets PGDATA_DIR, PGHOST, PGPORT, PGUSER, PGDATABASE.
b2b_start_cluster() {
	B2B_TMP=$(mktemp -d /tmp/b2btarget.XXXXXX)
	chmod 755 "$B2B_TMP"
	[ "$(id -u)" = 0 ] && chown postgres: "$B2B_TMP"
	PGDATA_DIR=$B2B_TMP/data
	export PGHOST=$B2B_TMP
	export PGPORT=${B2B_PORT:-54$(( 10 + RANDOM % 80 ))$(( RANDOM % 10 ))}
	log "starting a throwaway cluster in $B2B_TMP (${B2B_LISTEN:+TCP on $B2B_LISTEN and }socket, port $PGPORT)"
	as_pg "$PG_BINDIR/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust \
		--no-instructions -E UTF8 --locale=C >"$B2B_TMP/initdb.log" 2>&1 ||
		{ cat "$B2B_TMP/initdb.log" >&2; return 1; }
	cat >>"$PGDATA_DIR/postgresql.conf" <<CONF
listen_addresses = '${B2B_LISTEN:-}'
unix_socket_directories = '$B2B_TMP'
port = $PGPORT
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = ${B2B_SHARED_BUFFERS:-256MB}
work_mem = ${B2B_WORK_MEM:-64MB}
maintenance_work_mem = 256MB
max_wal_size = 4GB
max_parallel_workers_per_gather = 2
log_min_messages = warning
lc_messages = 'C'
CONF
	# B2B_POSTGRES: run the server through this executable instead (the
	# valgrind wrapper of test/valgrind.sh); B2B_START_TIMEOUT: seconds.
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$B2B_TMP/server.log" ${B2B_POSTGRES:+-p "$B2B_POSTGRES"} \
		-w -t "${B2B_START_TIMEOUT:-60}" start >/dev/null ||
		{ cat "$B2B_TMP/server.log" >&2; return 1; }
	export PGUSER=postgres
	export PGDATABASE=postgres
	trap b2b_stop_cluster EXIT
}

b2b_stop_cluster() {
	if [ -n "${PGDATA_DIR:-}" ] && [ -f "$PGDATA_DIR/postmaster.pid" ]; then
		as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	if [ -n "${B2B_TMP:-}" ] && [ -z "${B2B_KEEP:-}" ]; then
		rm -rf "$B2B_TMP"
	fi
}

b2b_psql() {
	"$PG_BINDIR/psql" -X -v ON_ERROR_STOP=1 -q "$@"
}
