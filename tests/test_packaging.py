"""The addon is packaged the OCA way, one wheel per Odoo series, built by
whool (setup/package.py); the folder itself goes on the addons path of
either series."""

import ast
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO_DIR

ADDON = "sale_activity_playbooks"


def build(series, wheel_dir):
    subprocess.run(
        [sys.executable, str(REPO_DIR / "setup/package.py"),
         "--series", series, "--wheel-dir", str(wheel_dir)],
        check=True,
    )  # fmt: skip
    return list(wheel_dir.glob(f"odoo_addon_{ADDON}-*.whl"))


def test_the_manifest_version_names_no_series():
    manifest = ast.literal_eval((REPO_DIR / ADDON / "__manifest__.py").read_text())
    # Odoo 18.0 and 19.0 both accept x.y.z, and prefix it with their series
    assert len(manifest["version"].split(".")) == 3, manifest["version"]


@pytest.mark.parametrize("series", ["18.0", "19.0"])
def test_wheel_of_a_series_requires_that_series(series, tmp_path):
    version = ast.literal_eval((REPO_DIR / ADDON / "__manifest__.py").read_text())[
        "version"
    ]
    wheels = build(series, tmp_path)
    assert [w.name for w in wheels] == [
        f"odoo_addon_{ADDON}-{series}.{version}-py3-none-any.whl"
    ]
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [
            line.split(":", 1)[1].strip()
            for line in wheel.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]
        manifest = ast.literal_eval(
            wheel.read(f"odoo/addons/{ADDON}/__manifest__.py").decode()
        )
    assert requires == [f"odoo=={series}.*"], requires
    # what Odoo of that series shows as installed version
    assert manifest["version"] == f"{series}.{version}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
