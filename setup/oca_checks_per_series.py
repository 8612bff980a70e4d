"""OCA's checks of the addon (manifest, XML, CSV), once per Odoo series.

oca-checks-odoo-module reads the Odoo series from the manifest's version to
choose its checks (deprecated QWeb directives from 15.0, <chatter/> from 18.0,
res.groups' category_id from 19.0...). The manifest's version names no series
(1.0.0, so that 18.0 and 19.0 both load the addon), which would switch those
checks off: each series is checked on a copy of the addon whose manifest says
<series>.1.0.0 (setup/package.py). Errors name the addon's own files.
"""

import os
import sys
import tempfile
from pathlib import Path

from oca_pre_commit_hooks import checks_odoo_module
from package import ADDON, SUPPORTED_SERIES, stage


def main():
    failed = False
    for series in SUPPORTED_SERIES:
        with tempfile.TemporaryDirectory() as tmp:
            stage(series, tmp)
            copy = Path(tmp) / ADDON.name
            errors = checks_odoo_module.run([str(copy)], no_exit=True, no_verbose=True)
            prefixes = {str(copy) + os.sep, os.path.relpath(copy) + os.sep}
            for error in errors:
                text = str(error)
                for prefix in prefixes:
                    text = text.replace(prefix, f"{ADDON.name}{os.sep}")
                print(f"[Odoo {series}] {text}\n")
                failed = True
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
