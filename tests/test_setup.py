"""setup/: the Odoo series and source layouts it accepts, and a second run
that reinstalls nothing."""

import os
import subprocess

from conftest import REPO_DIR


def addons_path(src):
    return subprocess.run(
        ["bash", "-c", 'source setup/lib.sh && odoo_addons_path "$0"', str(src)],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_nightly_layout_uses_odoo_addons_alone(tmp_path):
    (tmp_path / "odoo/addons/crm").mkdir(parents=True)
    (tmp_path / "odoo/addons/base").mkdir()
    (tmp_path / "addons/crm").mkdir(parents=True)  # a stale copy: ignored
    result = addons_path(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{REPO_DIR},{tmp_path}/odoo/addons"


def test_git_layout_uses_both_addons_folders(tmp_path):
    (tmp_path / "odoo/addons/base").mkdir(parents=True)
    (tmp_path / "addons/crm").mkdir(parents=True)
    result = addons_path(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{REPO_DIR},{tmp_path}/addons,{tmp_path}/odoo/addons"
    )


def test_a_tree_without_odoo_addons_is_refused(tmp_path):
    (tmp_path / "odoo").mkdir()
    assert addons_path(tmp_path).returncode != 0


def lib(script, **env):
    """Run ``script`` after sourcing setup/lib.sh, with ``env`` (and no
    ODOO_SERIES / ODOO_SRC but those given)."""
    environ = {
        k: v for k, v in os.environ.items() if k not in ("ODOO_SERIES", "ODOO_SRC")
    }
    return subprocess.run(
        ["bash", "-c", f"source setup/lib.sh && {script}"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={**environ, **env},
    )


def test_series_is_18_by_default_and_each_has_its_own_places(tmp_path):
    script = (
        'select_series "$@" && echo "$ODOO_SERIES $(series_db sap_test) '
        '${VENV_DIR##*/} ${ODOO_SRC##*/} ${ODOO_REQUIREMENTS##*/}"'
    )
    default = lib(script, XDG_CACHE_HOME=str(tmp_path))
    assert default.stdout.split() == [
        "18.0", "sap_test_18", ".venv-18.0", "odoo-18.0",
        "requirements-odoo-18.0.txt",
    ], default.stderr  # fmt: skip
    chosen = lib(script, XDG_CACHE_HOME=str(tmp_path), ODOO_SERIES="19.0")
    assert chosen.stdout.split() == [
        "19.0", "sap_test_19", ".venv-19.0", "odoo-19.0",
        "requirements-odoo-19.0.txt",
    ], chosen.stderr  # fmt: skip


def test_series_option_wins_and_leaves_the_other_arguments():
    result = lib(
        "select_series --reuse-db --series=19.0 -k x"
        ' && echo "$ODOO_SERIES ${SERIES_ARGS[*]}"',
        ODOO_SERIES="18.0",
    )
    assert result.stdout.strip() == "19.0 --reuse-db -k x", result.stderr
    result = lib(
        'select_series --series 18.0 && echo "$ODOO_SERIES"', ODOO_SERIES="19.0"
    )
    assert result.stdout.strip() == "18.0", result.stderr


def test_unknown_series_is_refused():
    result = lib("select_series --series 17.0")
    assert result.returncode != 0
    assert "unknown Odoo series '17.0'" in result.stderr


def test_a_source_of_another_series_is_refused(tmp_path):
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo/release.py").write_text(
        "version_info = (18, 0, 0, FINAL, 0, '')\n"
    )
    result = lib(
        "select_series --series 19.0 && ensure_odoo_src", ODOO_SRC=str(tmp_path)
    )
    assert result.returncode != 0
    assert "holds Odoo 18.0, not 19.0" in result.stderr


def test_second_provisioning_reinstalls_nothing():
    # of the series under test (setup/test exports ODOO_SERIES)
    result = subprocess.run(
        [str(REPO_DIR / "setup/provision")],
        capture_output=True,
        text=True,
        check=True,
    )
    steps = result.stdout.splitlines()
    assert any("Python environment" in s and "(up to date)" in s for s in steps)
    assert any(s.startswith("==> Chromium") and "(present)" in s for s in steps)
    assert not [s for s in steps if "installing" in s or "apt-get" in s], steps


ODOO_RUNNER_LOG = """\
2026-12-07 02:26:03,271 10567 INFO db odoo.addons.x.tests.test_a: Starting \
TestA.test_1 ...
{skipped}2026-12-07 02:27:50,881 10567 {level} db odoo.tests.result: {summary} \
when loading database 'db'
"""
SKIPPED = (
    "2026-12-07 02:26:04,000 10567 INFO db odoo.addons.x.tests.test_tour: "
    "skipped TestTour.test_1 : Chrome executable not found\n"
)


def odoo_runner_verdict(tmp_path, summary, skipped="", level="INFO"):
    log = tmp_path / "odoo-runner.log"
    log.write_text(
        ODOO_RUNNER_LOG.format(summary=summary, skipped=skipped, level=level)
    )
    return lib(f'odoo_runner_verdict "{log}"')


def test_odoo_runner_passes_with_no_failure_error_or_skip(tmp_path):
    result = odoo_runner_verdict(tmp_path, "0 failed, 0 error(s) of 582 tests")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "582 tests, 0 failed, 0 error(s), 0 skipped"


def test_odoo_runner_fails_on_a_failure_an_error_or_no_test(tmp_path):
    for summary in (
        "2 failed, 0 error(s) of 582 tests",
        "0 failed, 1 error(s) of 582 tests",
        "0 failed, 0 error(s) of 0 tests",
    ):
        result = odoo_runner_verdict(tmp_path, summary, level="ERROR")
        assert result.returncode != 0, summary


def test_odoo_runner_fails_on_a_skipped_tour(tmp_path):
    result = odoo_runner_verdict(
        tmp_path, "0 failed, 0 error(s) of 582 tests", skipped=SKIPPED
    )
    assert result.returncode != 0
    assert result.stdout.strip() == "582 tests, 0 failed, 0 error(s), 1 skipped"


def test_odoo_runner_fails_without_a_summary(tmp_path):
    (tmp_path / "odoo-runner.log").write_text(SKIPPED)
    result = lib(f'odoo_runner_verdict "{tmp_path}/odoo-runner.log"')
    assert result.returncode != 0
    assert "no summary line" in result.stdout
