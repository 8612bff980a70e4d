"""Fixtures for the repository-level tests: real Odoo servers on real databases.

setup/test exports SAP_ODOO_CONFIG (the test configuration), SAP_TEST_DB (a
database with crm, demo data and the addon) and the PG* variables.
"""

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from databases import odoo_series
from mailboxes import SmtpMailbox

REPO_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# groups_id on 18.0, group_ids on 19.0 (res.users)
GROUPS_FIELD = odoo_series.GROUPS_FIELD


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests through setup/test.")
    return value


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RpcError(RuntimeError):
    """An error that Odoo answered to a JSON-RPC call: ``name`` is the
    exception's class (e.g. ``odoo.exceptions.ValidationError``), ``message``
    what the user reads."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class OdooServer:
    """An Odoo server process on a free loopback port, serving one database.
    ``extra_args``: more options of the odoo command (e.g. ``--workers=4``)."""

    def __init__(self, config, database, log_path, extra_args=()):
        self.database = database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self._ids = itertools.count(1)
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "odoo"),
                "-c", config,
                "-d", database,
                f"--db-filter=^{database}$",
                "--http-interface=127.0.0.1",
                f"--http-port={self.port}",
                "--max-cron-threads=0",
                "--log-level=info",
                *extra_args,
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Odoo exited early, see {self.log_path}")
            try:
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return
            # not listening yet, or still loading the registry (its first
            # request does, for seconds on a busy machine)
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.5)
        pytest.fail(f"Odoo did not answer within {timeout}s, see {self.log_path}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()

    def last_query_count(self, path):
        """Queries of the last request to ``path``, from the werkzeug log line
        ("POST /path HTTP/1.1" 200 - <queries> <query time> <other time>)."""
        self._log.flush()
        for line in reversed(Path(self.log_path).read_text().splitlines()):
            if f'"POST {path} ' in line:
                return int(line.split('" ')[1].split()[2])
        raise AssertionError(f"no request to {path} in {self.log_path}")

    def session(self, login, password):
        """A requests session authenticated as login (JSON-RPC)."""
        http = requests.Session()
        result = self.json_rpc(
            "/web/session/authenticate",
            {"db": self.database, "login": login, "password": password},
            http=http,
        )
        assert result["uid"], f"{login} could not log in"
        return http

    def json_rpc(self, path, params, http=None):
        # serialised here: requests refuses NaN and Infinity, which Python's
        # json (and so Odoo) accepts from any other client
        response = (http or requests).post(
            self.url + path,
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": next(self._ids),
                    "params": params,
                }
            ),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            data = payload["error"]["data"]
            raise RpcError(data["name"], data["message"])
        # Odoo leaves "result" out of the answer of a method that returns None
        return payload.get("result")

    def call_kw(self, http, model, method, args, kwargs=None):
        return self.json_rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            http=http,
        )


@pytest.fixture(scope="session")
def odoo_config():
    return _env("SAP_ODOO_CONFIG")


@pytest.fixture(scope="session")
def test_database():
    return _env("SAP_TEST_DB")


@pytest.fixture(scope="session")
def odoo_server(odoo_config, test_database, pristine_database, tmp_path_factory):
    # pristine_database first: copying the test database needs it unused
    server = OdooServer(
        odoo_config, test_database, tmp_path_factory.mktemp("odoo") / "server.log"
    )
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def smtp_mailbox():
    """A real SMTP server (aiosmtpd) on a free loopback port in this process,
    keeping every message it receives."""
    mailbox = SmtpMailbox(free_port())
    mailbox.start()
    try:
        yield mailbox
    finally:
        mailbox.stop()


@pytest.fixture
def mail_domain(odoo_server):
    """``(domain, catchall address)`` of the served database's company: its
    alias domain, made for the test when the database has none (as a company
    that sends and receives its mail has one)."""
    admin = odoo_server.session("admin", "admin")

    def call(model, method, *args, **kwargs):
        return odoo_server.call_kw(admin, model, method, list(args), kwargs)

    fields = ["name", "catchall_email"]
    existing = call("mail.alias.domain", "search_read", [], fields=fields)
    if existing:
        yield existing[0]["name"], existing[0]["catchall_email"]
        return
    # the first alias domain goes to every company and alias (mail's create)
    domain_id = call(
        "mail.alias.domain",
        "create",
        {
            "name": "odoo.example.com",
            "catchall_alias": "catchall",
            "bounce_alias": "bounce",
        },
    )
    [domain] = call("mail.alias.domain", "read", [domain_id], fields)
    try:
        yield domain["name"], domain["catchall_email"]
    finally:
        with_it = [("alias_domain_id", "=", domain_id)]
        companies = call(
            "res.company", "search", with_it, context={"active_test": False}
        )
        call("res.company", "write", companies, {"alias_domain_id": False})
        call("mail.alias", "write", call("mail.alias", "search", with_it),
             {"alias_domain_id": False})  # fmt: skip
        call("mail.alias.domain", "unlink", [domain_id])


@pytest.fixture
def outgoing_mail(odoo_server, smtp_mailbox, mail_domain):
    """The served database sends its mail to ``smtp_mailbox``: an outgoing
    mail server (ir.mail_server) for the company's mail domain points at it,
    first of all, for the test. A served database is not in test mode: Odoo's
    mail queue really delivers. The mailbox tells the ``domain`` (addresses
    there are sent from as they are) and the ``catchall`` address."""
    admin = odoo_server.session("admin", "admin")
    smtp_mailbox.domain, smtp_mailbox.catchall = mail_domain
    server_id = odoo_server.call_kw(
        admin,
        "ir.mail_server",
        "create",
        [
            {
                "name": f"Test mailbox on port {smtp_mailbox.port}",
                "smtp_host": "127.0.0.1",
                "smtp_port": smtp_mailbox.port,
                "smtp_encryption": "none",
                "from_filter": smtp_mailbox.domain,
                "sequence": 0,
            }
        ],
    )
    try:
        yield smtp_mailbox
    finally:
        odoo_server.call_kw(admin, "ir.mail_server", "unlink", [[server_id]])


# --------------------------------------------------------------------------
# Throwaway databases
# --------------------------------------------------------------------------

ISSUE_LINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (WARNING|ERROR|CRITICAL) ")


class Database:
    """A database of the test cluster, reached with SQL, Odoo scripts and
    Odoo commands."""

    def __init__(self, config, name, logs_dir):
        self.config = config
        self.name = name
        self.logs_dir = logs_dir

    def sql(self, query, params=None):
        """Rows of a query, in a transaction of its own (committed)."""
        with psycopg2.connect(dbname=self.name) as cnx, cnx.cursor() as cr:
            cr.execute(query, params)
            rows = cr.fetchall() if cr.description else None
        cnx.close()
        return rows

    def script(self, code, *args, rollback=False):
        """Run ``code`` with click-odoo (``env`` is an Environment of the
        superuser; ``args`` are in ``sys.argv[1:]``), committed unless
        ``rollback``. The code hands back a value with ``result(value)``:
        anything JSON can hold."""
        path = self.logs_dir / f"script-{next(_counter)}.py"
        path.write_text(
            "import json\n"
            "def result(value):\n"
            "    print('RESULT ' + json.dumps(value, default=str), flush=True)\n"
            + textwrap.dedent(code)
        )
        command = [
            str(VENV_BIN / "click-odoo"),
            "-c", self.config,
            "-d", self.name,
            "--log-level=warn",
            *(["--rollback"] if rollback else []),
            str(path),
            *map(str, args),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            pytest.fail(f"{path} failed:\n{done.stdout}\n{done.stderr}")
        results = [
            json.loads(line[len("RESULT ") :])
            for line in done.stdout.splitlines()
            if line.startswith("RESULT ")
        ]
        return results[-1] if results else None

    def odoo(self, *args):
        """Run ``odoo`` on this database and stop; fail on any warning or
        error it logs. Returns the log."""
        return self._run_logged(
            f"odoo {' '.join(args)}",
            "odoo",
            "-d", self.name,
            "--stop-after-init",
            "--log-level=info",
            *args,
        )  # fmt: skip

    def uninstall(self, module):
        return self._run_logged(
            f"uninstalling {module}",
            "click-odoo-uninstall",
            "-d",
            self.name,
            "-m",
            module,
        )

    def _run_logged(self, what, tool, *args):
        """Run an Odoo tool of the venv on this database with a log file of
        its own; fail on its exit code or on any warning or error it logs.
        Returns the log."""
        log = self.logs_dir / f"{tool}-{next(_counter)}.log"
        done = subprocess.run(
            [str(VENV_BIN / tool), "-c", self.config, *args, f"--logfile={log}"],
            capture_output=True,
            text=True,
            check=False,
        )
        text = log.read_text() if log.exists() else ""
        issues = [line for line in text.splitlines() if ISSUE_LINE.match(line)]
        if done.returncode or issues:
            pytest.fail(
                f"{what} on {self.name} failed or logged issues (see {log}):\n"
                + "\n".join(issues[:20])
                + done.stderr[-2000:]
            )
        return text


_counter = itertools.count(1)


class Databases:
    """Makes throwaway databases (named after the test database) and drops
    them at the end of the session."""

    def __init__(self, config, test_database, logs_dir):
        # the test configuration without test mode: installing the addon
        # there must not run its tests
        self.config = str(logs_dir / "odoo.cfg")
        Path(self.config).write_text(
            re.sub(
                r"^(test_enable|db_name|dbfilter) = .*$",
                "",
                Path(config).read_text(),
                flags=re.MULTILINE,
            )
        )
        self.prefix = f"{test_database}_tmp_"
        self.logs_dir = logs_dir
        self.created = []

    def _tool(self, *command):
        done = subprocess.run(
            [str(VENV_BIN / command[0]), "-c", self.config, *command[1:]],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")

    def _new(self, purpose):
        name = f"{self.prefix}{purpose}_{os.getpid()}"
        self.created.append(name)
        return Database(self.config, name, self.logs_dir)

    def copy(self, source, purpose):
        database = self._new(purpose)
        self._tool("click-odoo-copydb", source, database.name)
        return database

    def crm_without_demo(self, purpose):
        """A database with crm and no demo data: what a company that has used
        Odoo for a while has (cached template, built once per Odoo source)."""
        database = self._new(purpose)
        self._tool(
            "click-odoo-initdb",
            "-n", database.name,
            "-m", "crm",
            "--no-demo",
            # a template per series, as setup/lib.sh's (8 characters at most)
            "--cache-prefix", f"sapnd{odoo_series.SERIES[0]}",
            "--cache-max-size", "2",
        )  # fmt: skip
        return database

    def drop_leftovers(self):
        with psycopg2.connect(dbname="postgres") as cnx, cnx.cursor() as cr:
            cr.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [self.prefix.replace("_", r"\_") + "%"],
            )
            names = [row[0] for row in cr.fetchall()]
        cnx.close()
        for name in names:
            self._tool("click-odoo-dropdb", "--if-exists", name)

    def drop_all(self):
        for name in self.created:
            self._tool("click-odoo-dropdb", "--if-exists", name)


@pytest.fixture(scope="session")
def databases(odoo_config, test_database, tmp_path_factory):
    factory = Databases(odoo_config, test_database, tmp_path_factory.mktemp("dbs"))
    factory.drop_leftovers()
    try:
        yield factory
    finally:
        factory.drop_all()


@pytest.fixture(scope="session")
def pristine_database(databases, test_database):
    """A copy of the test database (crm, demo data and the addon) as
    setup/test built it, taken before any server uses it."""
    return databases.copy(test_database, "pristine")
