"""setup/: the Odoo source layouts it accepts, and a second run that
reinstalls nothing."""

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


def test_second_provisioning_reinstalls_nothing():
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
