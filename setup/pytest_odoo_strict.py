"""pytest plugin for this project's test command.

- A skipped test fails the run. Odoo raises ``SkipTest`` from
  ``HttpCase.start_tour`` when Chromium or websocket-client is missing, or when
  Chromium cannot be reached, and the run would otherwise exit 0.
- pytest-odoo imports ``odoo.tests`` while it loads the registry, before
  Odoo's test mode can be on, and Odoo logs a false ERROR ("Importing test
  framework ... when not running in test mode"). That one record is dropped.
"""

import logging

import pytest

_skipped = []


class _DropTestFrameworkImportError(logging.Filter):
    def filter(self, record):
        return not (
            record.levelno == logging.ERROR
            and record.getMessage().startswith("Importing test framework, avoid")
        )


logging.getLogger("odoo.tests.common").addFilter(_DropTestFrameworkImportError())


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _skipped and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep("=", "skipped tests fail this run", red=True)
        for nodeid in _skipped:
            terminalreporter.write_line(f"SKIPPED (counted as a failure): {nodeid}")
