"""Fixtures for the repository-level tests: real Odoo servers on real databases.

setup/test exports SAP_ODOO_CONFIG (the test configuration), SAP_TEST_DB (a
database with crm, demo data and the addon) and the PG* variables.
"""

import itertools
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from databases import copy_database, drop_database

REPO_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests through setup/test.")
    return value


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """An Odoo server process on a free loopback port, serving one database."""

    def __init__(self, config, database, log_path):
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
            except requests.ConnectionError:
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
        response = (http or requests).post(
            self.url + path,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": next(self._ids),
                "params": params,
            },
            timeout=60,
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            raise RuntimeError(payload["error"]["data"]["message"])
        return payload["result"]

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
def test_database_snapshot(test_database):
    """A copy of the test database for tests that commit: they copy this one.
    PostgreSQL copies only databases nobody is connected to, so it is taken
    before any server opens the test database (``odoo_server`` asks for it)."""
    name = copy_database(test_database, prefix=f"{test_database}_snapshot")
    yield name
    drop_database(name)


@pytest.fixture(scope="session")
def odoo_server(odoo_config, test_database, test_database_snapshot, tmp_path_factory):
    server = OdooServer(
        odoo_config, test_database, tmp_path_factory.mktemp("odoo") / "server.log"
    )
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
