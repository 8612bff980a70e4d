# shellcheck shell=bash
# Shared by setup/provision, run, test, bench and screenshots: how this
# machine gets the Odoo source of a series (18.0 or 19.0), its Python
# environment, PostgreSQL and Chromium. Every function is idempotent and says
# what it does on one line.
#
# A command sources this file, then calls `select_series "$@"` (which takes
# `--series X` out of its arguments into SERIES_ARGS) before anything else.

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$REPO_DIR/.local"          # git-ignored: cluster, one folder per series
ODOO_BRANCH_URL="${ODOO_BRANCH_URL:-https://github.com/odoo/odoo.git}"
ADDON=sale_activity_playbooks
PYTHON="${PYTHON:-python3}"
SUPPORTED_SERIES="18.0 19.0"
DEFAULT_SERIES=18.0

step() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# --------------------------------------------------------------------------
# Odoo series: 18.0 (default) or 19.0, from --series or $ODOO_SERIES
# --------------------------------------------------------------------------
select_series() {
    # $@: the command's arguments. `--series X` / `--series=X` chooses the
    # series (over $ODOO_SERIES); the other arguments are left in SERIES_ARGS.
    # Then every per-series path and name below is set.
    SERIES_ARGS=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --series) [ $# -ge 2 ] || die "--series needs a value: one of $SUPPORTED_SERIES"
                      ODOO_SERIES="$2"; shift ;;
            --series=*) ODOO_SERIES="${1#--series=}" ;;
            *) SERIES_ARGS+=("$1") ;;
        esac
        shift
    done
    ODOO_SERIES="${ODOO_SERIES:-$DEFAULT_SERIES}"
    case " $SUPPORTED_SERIES " in
        *" $ODOO_SERIES "*) ;;
        *) die "unknown Odoo series '$ODOO_SERIES': choose one of $SUPPORTED_SERIES" ;;
    esac
    export ODOO_SERIES
    # 18 or 19: the suffix of the databases and template caches of the series
    SERIES_TAG="${ODOO_SERIES%%.*}"
    ODOO_SRC="${ODOO_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/sale_activity_playbooks/odoo-$ODOO_SERIES}"
    VENV_DIR="$REPO_DIR/.venv-$ODOO_SERIES"     # git-ignored
    SERIES_DIR="$LOCAL_DIR/$ODOO_SERIES"        # configs, logs, filestore, coverage
    ODOO_REQUIREMENTS="$REPO_DIR/setup/requirements-odoo-$ODOO_SERIES.txt"
    mkdir -p "$SERIES_DIR"
}

series_db() {
    # $1: a base database name; prints the name of that database for the
    # series (sap_test -> sap_test_19): each series keeps its own databases.
    printf '%s_%s\n' "$1" "$SERIES_TAG"
}

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
odoo_src_series() {
    # $1: an Odoo source tree; prints its series (18.0, 19.0) from odoo/release.py
    sed -n 's/^version_info = (\([0-9]*\), *\([0-9]*\),.*/\1.\2/p' "$1/odoo/release.py" 2>/dev/null
}

ensure_odoo_src() {
    if [ -f "$ODOO_SRC/odoo/release.py" ]; then
        local found
        found="$(odoo_src_series "$ODOO_SRC")"
        [ "$found" = "$ODOO_SERIES" ] || die "$ODOO_SRC holds Odoo ${found:-of an unknown series}, not $ODOO_SERIES: point ODOO_SRC at an Odoo $ODOO_SERIES source tree (or unset it)."
        step "Odoo source: $ODOO_SRC ($ODOO_SERIES, present)"
        return
    fi
    command -v git >/dev/null || die "git is missing: install git (apt-get install git) or set ODOO_SRC to an Odoo $ODOO_SERIES source tree."
    if [ -d "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC")" ]; then
        die "$ODOO_SRC is neither an Odoo source tree nor empty: empty it (the official $ODOO_SERIES branch is then cloned there) or point ODOO_SRC elsewhere."
    fi
    step "Odoo source: shallow clone of the official $ODOO_SERIES branch into $ODOO_SRC"
    if [ -d "$ODOO_SRC" ]; then
        # an empty folder (a mount point, say): git clones into it
        git clone --quiet --depth 1 --branch "$ODOO_SERIES" "$ODOO_BRANCH_URL" "$ODOO_SRC"
    else
        mkdir -p "$(dirname "$ODOO_SRC")"
        rm -rf "$ODOO_SRC.partial"
        git clone --quiet --depth 1 --branch "$ODOO_SERIES" "$ODOO_BRANCH_URL" "$ODOO_SRC.partial"
        mv "$ODOO_SRC.partial" "$ODOO_SRC"
    fi
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
    # One virtualenv per series (.venv-18.0, .venv-19.0): their pins differ.
    local stamp="$VENV_DIR/.provisioned" want reqs
    reqs="setup/$(basename "$ODOO_REQUIREMENTS")"
    [ -f "$ODOO_REQUIREMENTS" ] || die "no pinned requirements for Odoo $ODOO_SERIES ($reqs)"
    want="$( (cat "$ODOO_REQUIREMENTS" "$REPO_DIR/setup/requirements-dev.txt" \
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
    step "Python environment: installing Odoo $ODOO_SERIES's requirements ($reqs)"
    "${pip[@]}" install --prefer-binary -r "$ODOO_REQUIREMENTS" 2> >(grep -v '^WARNING: Location' >&2)
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
    addons="$(odoo_addons_path "$ODOO_SRC")" || die "$ODOO_SRC holds no Odoo $ODOO_SERIES addons (neither odoo/addons/crm nor addons/crm)."
    mkdir -p "$(dirname "$cfg")" "$SERIES_DIR/data"
    cat >"$cfg" <<EOF
[options]
addons_path = $addons
data_dir = $SERIES_DIR/data
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
    local cfg="$1" db="$2" mode="$3" log="$SERIES_DIR/install-$2.log"
    local verb=updating
    [ "$mode" = -i ] && verb=installing
    step "Odoo: $verb $ADDON in database $db"
    : >"$log"  # Odoo appends to its log file: only this run counts
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
    # $3 and $4 (optional): other modules than crm, and their cache prefix
    # (the series is appended: each series keeps its own templates).
    local cfg="$1" db="$2" modules="${3:-crm}" prefix="${4:-sapcrm}$SERIES_TAG"
    step "Odoo: creating database $db with $modules and demo data (cached template)"
    "$VENV_DIR/bin/click-odoo-initdb" -c "$cfg" -n "$db" -m "$modules" --demo \
        --cache-prefix "$prefix" --cache-max-size 2
    install_addon "$cfg" "$db" -i
}

odoo_runner_verdict() {
    # $1: the log of Odoo's own test runner. Prints "K tests, N failed, M
    # error(s), S skipped" from its summary line ("N failed, M error(s) of K
    # tests when loading database ...") and its "skipped" lines; fails when
    # a test failed, erred or was skipped (Odoo skips tours without
    # Chromium), when no test ran, or when the log has no summary (Odoo died).
    local log="$1" summary failed errors total skipped
    summary="$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' "$log" | tail -n 1)"
    if [ -z "$summary" ]; then
        echo "no summary line: Odoo stopped before the end of its tests"
        return 1
    fi
    read -r failed errors total <<<"$(sed -E 's/^([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$summary")"
    skipped="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ INFO [^ ]+ [^ ]+: skipped ' "$log" || true)"
    echo "$total tests, $failed failed, $errors error(s), $skipped skipped"
    [ "$failed" -eq 0 ] && [ "$errors" -eq 0 ] && [ "$skipped" -eq 0 ] && [ "$total" -gt 0 ]
}

odoo_addon_dir() {
    # $1: an addon of the Odoo source; prints its folder
    local dir
    for dir in "$ODOO_SRC/odoo/addons/$1" "$ODOO_SRC/addons/$1"; do
        [ -f "$dir/__manifest__.py" ] && { echo "$dir"; return; }
    done
    die "the Odoo source in $ODOO_SRC has no addon $1"
}
