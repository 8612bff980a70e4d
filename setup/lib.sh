# shellcheck shell=bash
# Shared by setup/provision, setup/run and setup/test: how this machine gets
# the Odoo 18.0 source, the Python environment, PostgreSQL and Chromium.
# Every function is idempotent and says what it does on one line.

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$REPO_DIR/.local"          # git-ignored: cluster, config, filestore
VENV_DIR="$REPO_DIR/.venv"            # git-ignored
ODOO_SRC="${ODOO_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/sale_activity_playbooks/odoo-18.0}"
ODOO_BRANCH_URL="${ODOO_BRANCH_URL:-https://github.com/odoo/odoo.git}"
ADDON=sale_activity_playbooks
PYTHON="${PYTHON:-python3}"

step() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
    # Debian/Ubuntu packages, only as root; `apt-get update` once per run.
    if [ -z "${_APT_UPDATED:-}" ]; then
        step "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        _APT_UPDATED=1
    fi
    step "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# --------------------------------------------------------------------------
# Odoo source
# --------------------------------------------------------------------------
ensure_odoo_src() {
    if [ -f "$ODOO_SRC/odoo/release.py" ]; then
        step "Odoo source: $ODOO_SRC (present)"
        return
    fi
    command -v git >/dev/null || die "git is missing: install git (apt-get install git) or set ODOO_SRC to an Odoo 18.0 source tree."
    step "Odoo source: shallow clone of the official 18.0 branch into $ODOO_SRC"
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --quiet --depth 1 --branch 18.0 "$ODOO_BRANCH_URL" "$ODOO_SRC.partial"
    mv "$ODOO_SRC.partial" "$ODOO_SRC"
}

odoo_addons_path() {
    # Nightly-tarball layout: every addon in odoo/addons. Git layout: addons/
    # beside odoo/addons. A stale top-level addons/ next to a complete
    # odoo/addons is ignored.
    local src="$1" path
    if [ -d "$src/odoo/addons/crm" ]; then
        path="$src/odoo/addons"
    elif [ -d "$src/addons/crm" ] && [ -d "$src/odoo/addons/base" ]; then
        path="$src/addons,$src/odoo/addons"
    else
        return 1
    fi
    printf '%s,%s\n' "$REPO_DIR" "$path"
}

# --------------------------------------------------------------------------
# Python environment
# --------------------------------------------------------------------------
ensure_venv() {
    local stamp="$VENV_DIR/.provisioned" want
    want="$( (cat "$REPO_DIR/setup/requirements-odoo.txt" "$REPO_DIR/setup/requirements-dev.txt" \
                  "$REPO_DIR/test-requirements.txt"
              echo "$ODOO_SRC"; "$PYTHON" --version) | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV_DIR/bin/odoo" ]; then
        step "Python environment: $VENV_DIR (up to date)"
        return
    fi
    if [ ! -x "$VENV_DIR/bin/python" ]; then
        step "Python environment: creating $VENV_DIR with $("$PYTHON" --version)"
        if ! "$PYTHON" -m venv "$VENV_DIR" 2>/dev/null; then
            is_root || die "python3-venv is missing: install it (apt-get install python3-venv)."
            apt_install python3-venv
            "$PYTHON" -m venv "$VENV_DIR"
        fi
    fi
    local pip=("$VENV_DIR/bin/python" -m pip --quiet --disable-pip-version-check)
    step "Python environment: installing Odoo's requirements (setup/requirements-odoo.txt)"
    "${pip[@]}" install --prefer-binary -r "$REPO_DIR/setup/requirements-odoo.txt" 2> >(grep -v '^WARNING: Location' >&2)
    step "Python environment: installing test tools (setup/requirements-dev.txt, test-requirements.txt)"
    "${pip[@]}" install --prefer-binary -r "$REPO_DIR/setup/requirements-dev.txt" 2> >(grep -v '^WARNING: Location' >&2)
    step "Python environment: installing Odoo from $ODOO_SRC (editable)"
    "${pip[@]}" install --no-deps --no-build-isolation -e "$ODOO_SRC" 2> >(grep -v '^WARNING: Location' >&2)
    # The script pip generates from Odoo's setup.py checks install_requires
    # with pkg_resources (psycopg2, pyusb, ofxparse...) and refuses to start
    # next to psycopg2-binary: launch odoo-bin instead.
    printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$VENV_DIR/bin/python" "$ODOO_SRC/odoo-bin" >"$VENV_DIR/bin/odoo"
    chmod +x "$VENV_DIR/bin/odoo"
    echo "$want" > "$stamp"
}

# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------
# With any libpq variable set (PGHOST, PGPORT, PGUSER...), that server is
# used as is. Otherwise a project-local cluster listens on a unix socket only
# and is owned by a non-root user (PostgreSQL refuses to run as root).
PG_STARTED_HERE=""

uses_external_postgres() {
    [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGPASSWORD:-}${PGSERVICE:-}${PGHOSTADDR:-}" ]
}

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    d="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"
    [ -x "$d/initdb" ] && echo "$d"
}

pg_owner() {
    # the system user that owns the local cluster
    if is_root; then echo "${SAP_PG_OWNER:-postgres}"; else id -un; fi
}

as_pg_owner() {
    if is_root; then runuser -u "$(pg_owner)" -- "$@"; else "$@"; fi
}

pg_dir() {
    # Under the repository when the cluster's owner can reach it (and the
    # socket path stays short), otherwise a short per-repository folder.
    local dir="$LOCAL_DIR/pg"
    if is_root && ! runuser -u "$(pg_owner)" -- test -x "$REPO_DIR" 2>/dev/null \
            || [ ${#dir} -gt 80 ]; then
        dir="/var/tmp/sale_activity_playbooks-$(echo "$REPO_DIR" | sha1sum | cut -c1-10)/pg"
    fi
    echo "$dir"
}

ensure_postgres() {
    if uses_external_postgres; then
        step "PostgreSQL: using the server given by the PG* variables (${PGHOST:-localhost}:${PGPORT:-5432})"
        return
    fi
    local bindir dir
    bindir="$(pg_bindir)"
    if [ -z "$bindir" ]; then
        is_root || die "PostgreSQL's server binaries are missing: install the postgresql package (sudo apt-get install postgresql) or set PGHOST to a server you can use."
        apt_install postgresql
        bindir="$(pg_bindir)"
    fi
    is_root && ! id "$(pg_owner)" >/dev/null 2>&1 && {
        step "PostgreSQL: creating system user $(pg_owner) to own the local cluster"
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$(pg_owner)"
    }
    dir="$(pg_dir)"
    export PGHOST="$dir/run" PGPORT="${SAP_PG_PORT:-5432}" PGUSER=odoo
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        step "PostgreSQL: initialising a local cluster in $dir ($("$bindir/postgres" --version))"
        mkdir -p "$dir/data" "$dir/run"
        is_root && chown -R "$(pg_owner)" "$dir"
        chmod 700 "$dir/data"
        as_pg_owner "$bindir/initdb" -D "$dir/data" -U odoo --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" || die "initdb failed, see $dir/initdb.log"
    fi
    if as_pg_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        step "PostgreSQL: local cluster already running ($PGHOST)"
        return
    fi
    step "PostgreSQL: starting the local cluster (socket in $PGHOST)"
    as_pg_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -s start \
        -o "-c listen_addresses='' -k $dir/run -p $PGPORT -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        || die "PostgreSQL did not start, see $dir/postgres.log"
    PG_STARTED_HERE="$dir"
}

stop_postgres() {
    # Only the cluster this process started; one started by another command
    # (say, `run` in another terminal) is left alone.
    [ -n "$PG_STARTED_HERE" ] || return 0
    step "PostgreSQL: stopping the local cluster"
    as_pg_owner "$(pg_bindir)/pg_ctl" -D "$PG_STARTED_HERE/data" -m fast -w -s stop || true
    PG_STARTED_HERE=""
}

# --------------------------------------------------------------------------
# Chromium, for tours
# --------------------------------------------------------------------------
find_chrome() {
    local c
    for c in google-chrome chromium chromium-browser; do
        command -v "$c" >/dev/null 2>&1 && { command -v "$c"; return; }
    done
    return 1
}

ensure_chromium() {
    local c
    if c="$(find_chrome)"; then
        step "Chromium: $c (present)"
        return
    fi
    is_root || die "Chromium is missing (tours need it): install it (sudo apt-get install chromium) or put google-chrome on PATH."
    apt_install chromium
    c="$(find_chrome)" || die "Chromium was installed but is not on PATH."
    step "Chromium: $c (installed)"
}

# --------------------------------------------------------------------------
# Odoo configuration
# --------------------------------------------------------------------------
write_odoo_config() {
    # $1: config path, $2: database name, $3: HTTP port. PostgreSQL comes
    # from the PG* variables (libpq), never from the file.
    local cfg="$1" db="$2" port="$3" addons
    addons="$(odoo_addons_path "$ODOO_SRC")" || die "$ODOO_SRC holds no Odoo 18.0 addons (neither odoo/addons/crm nor addons/crm)."
    mkdir -p "$(dirname "$cfg")" "$LOCAL_DIR/data"
    cat >"$cfg" <<EOF
[options]
addons_path = $addons
data_dir = $LOCAL_DIR/data
db_name = $db
dbfilter = ^$db\$
list_db = False
admin_passwd = ${SAP_MASTER_PASSWORD:-admin}
http_interface = ${SAP_HTTP_INTERFACE:-127.0.0.1}
http_port = $port
without_demo = False
test_enable = ${SAP_TEST_ENABLE:-False}
EOF
}

provision() {
    ensure_odoo_src
    ensure_venv
    ensure_chromium
}

# --------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------
db_exists() {
    "$VENV_DIR/bin/python" - "$1" <<'PY'
import sys
import psycopg2
with psycopg2.connect(dbname="postgres") as cnx, cnx.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[1]])
    sys.exit(0 if cr.fetchone() else 1)
PY
}

install_addon() {
    # $1 config, $2 database, $3 -i or -u. Fails on any warning or error that
    # installing the addon logs, so that a sloppy view or field never lands.
    local cfg="$1" db="$2" mode="$3" log="$LOCAL_DIR/install-$2.log"
    local verb=updating
    [ "$mode" = -i ] && verb=installing
    step "Odoo: $verb $ADDON in database $db"
    : >"$log"  # Odoo appends to its log file: a failed run's lines would stay
    if ! "$VENV_DIR/bin/odoo" -c "$cfg" -d "$db" "$mode" "$ADDON" --stop-after-init \
            --log-level=warn --logfile="$log"; then
        cat "$log" >&2
        die "installing $ADDON in $db failed (log above)"
    fi
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$log" >&2; then
        die "installing $ADDON in $db logged the warnings or errors above"
    fi
}

create_db_with_addon() {
    # $1 config, $2 database: crm with demo data (a cached template, built
    # once per Odoo source), then this addon installed on top of a copy.
    # $3 and $4 (optional): other modules than crm, and their cache prefix.
    local cfg="$1" db="$2" modules="${3:-crm}" prefix="${4:-sapcrm}"
    step "Odoo: creating database $db with $modules and demo data (cached template)"
    "$VENV_DIR/bin/click-odoo-initdb" -c "$cfg" -n "$db" -m "$modules" --demo \
        --cache-prefix "$prefix" --cache-max-size 2
    install_addon "$cfg" "$db" -i
}

odoo_addon_dir() {
    # $1: an addon of the Odoo source; prints its folder
    local dir
    for dir in "$ODOO_SRC/odoo/addons/$1" "$ODOO_SRC/addons/$1"; do
        [ -f "$dir/__manifest__.py" ] && { echo "$dir"; return; }
    done
    die "the Odoo source in $ODOO_SRC has no addon $1"
}
