"""The addon is packaged the OCA way: a wheel built by whool."""

import subprocess
import sys
import zipfile

from conftest import REPO_DIR


def test_pip_wheel_builds_the_addon(tmp_path):
    subprocess.run(
        [
            sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
            # whool comes from requirements-dev.txt: no index needed
            "--no-build-isolation",
            "--wheel-dir", str(tmp_path),
            str(REPO_DIR / "sale_activity_playbooks"),
        ],
        check=True,
    )  # fmt: skip
    wheels = list(tmp_path.glob("odoo_addon_sale_activity_playbooks-18.0.*.whl"))
    assert len(wheels) == 1, list(tmp_path.iterdir())
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [
            line
            for line in wheel.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]
    assert "odoo/addons/sale_activity_playbooks/__manifest__.py" in names
    assert any("odoo==18.0" in r or "odoo>=18.0" in r for r in requires), requires
