"""Build the wheel of sale_activity_playbooks for one Odoo series, with whool.

The addon's manifest has a series-neutral version (``1.0.0``), which Odoo 18.0
and 19.0 both load (as ``18.0.1.0.0`` and ``19.0.1.0.0``). A wheel is for one
series: it is built from a copy of the addon whose manifest says
``<series>.1.0.0``, so that whool names it after that version and makes it
require that series of Odoo (``odoo==19.0.*``), as OCA's wheels do. The copy
is outside git: the version is the manifest's, without whool's git postfix.

usage: python setup/package.py --series 19.0 [--wheel-dir dist]

Without a wheel, the addon's folder goes on the addons path of either series
as it is.
"""

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "sale_activity_playbooks"
SUPPORTED_SERIES = ("18.0", "19.0")
VERSION_LINE = re.compile(r'^(\s*"version":\s*")([^"]+)(",?\s*)$', re.MULTILINE)


def series_version(version, series):
    """``1.0.0`` on ``19.0`` is ``19.0.1.0.0``; a version that already names
    a series must name this one."""
    if len(version.split(".")) <= 3:
        return f"{series}.{version}"
    if not version.startswith(series + "."):
        raise SystemExit(f"the manifest's version {version} is not for Odoo {series}")
    return version


def stage(series, target):
    """Copy the addon into ``target``/sale_activity_playbooks with the
    version of ``series`` in its manifest; return that version."""
    copy = Path(target) / ADDON.name
    shutil.copytree(
        ADDON,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.py[co]", "build", "*.egg-info"),
    )
    manifest_path = copy / "__manifest__.py"
    text = manifest_path.read_text()
    version = series_version(ast.literal_eval(text)["version"], series)
    text, count = VERSION_LINE.subn(lambda m: m.group(1) + version + m.group(3), text)
    if count != 1:
        raise SystemExit(f"no version line in {manifest_path}")
    manifest_path.write_text(text)
    return version


def build_wheel(series, wheel_dir):
    """Build the wheel of ``series`` into ``wheel_dir``; return its path."""
    wheel_dir = Path(wheel_dir).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        version = stage(series, tmp)
        subprocess.run(
            [
                sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                # whool comes from requirements-dev.txt: no index needed
                "--no-build-isolation",
                "--wheel-dir", str(wheel_dir),
                str(Path(tmp) / ADDON.name),
            ],
            check=True,
        )  # fmt: skip
    return wheel_dir / f"odoo_addon_{ADDON.name}-{version}-py3-none-any.whl"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", required=True, choices=SUPPORTED_SERIES)
    parser.add_argument("--wheel-dir", default="dist")
    args = parser.parse_args(argv)
    wheel = build_wheel(args.series, args.wheel_dir)
    if not wheel.is_file():
        raise SystemExit(f"pip built no {wheel.name}")
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
