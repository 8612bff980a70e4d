"""The addon's README and apps page show the screenshots of
static/description/, and show nothing that is not there."""

import re

from conftest import REPO_DIR

DESCRIPTION = REPO_DIR / "sale_activity_playbooks" / "static" / "description"
SCREENSHOTS = {
    path.name for path in DESCRIPTION.glob("*.png") if path.name != "icon.png"
}


def test_readme_usage_shows_every_screenshot():
    readme = (REPO_DIR / "sale_activity_playbooks" / "README.rst").read_text()
    usage = readme.split("\nUsage\n-----\n", 1)[1]
    shown = set(re.findall(r"\.\. image:: static/description/([\w.-]+)", usage))
    assert SCREENSHOTS, "setup/screenshots made no screenshot"
    assert shown == SCREENSHOTS


def test_apps_page_shows_every_screenshot():
    page = (DESCRIPTION / "index.html").read_text()
    shown = set(re.findall(r'src="([\w.-]+\.png)"', page))
    assert shown == SCREENSHOTS
