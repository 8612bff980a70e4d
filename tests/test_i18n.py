"""Dutch first: the addon's .pot is up to date with the code, and nl.po
translates all of it (no untranslated, no fuzzy entry).

The reference .pot is what Odoo exports from the test database (crm, demo data
and the addon installed), with the same command as (18.0):

    .venv-18.0/bin/odoo -c .local/18.0/test.cfg -d sap_test_18 \\
        --modules=sale_activity_playbooks \\
        --i18n-export=sale_activity_playbooks/i18n/sale_activity_playbooks.pot \\
        --stop-after-init

or (19.0, whose export must find the same terms):

    .venv-19.0/bin/odoo i18n export -c .local/19.0/test.cfg -d sap_test_19 \\
        -o sale_activity_playbooks/i18n/sale_activity_playbooks.pot \\
        sale_activity_playbooks

After a new export, merge nl.po with it and translate what the merge leaves
empty or fuzzy:

    cd sale_activity_playbooks/i18n && msgmerge --update --no-fuzzy-matching \\
        --backup=none nl.po sale_activity_playbooks.pot
"""

import re
import subprocess

import polib
import pytest
from conftest import REPO_DIR, VENV_BIN
from databases import odoo_series

ADDON = "sale_activity_playbooks"
I18N = REPO_DIR / ADDON / "i18n"


# The description of a core model that the addon extends is exported with
# the addon's terms, but it is Odoo's, translated by Odoo, and it changes
# between series (crm.lead: "Lead/Opportunity" on 18.0, "Lead" on 19.0).
CORE_MODEL_NAME = re.compile(rf"model:ir\.model,name:{ADDON}\.model_(?!sale_activity_)")


def terms(po):
    """The translatable terms of a .po/.pot file: (context, id, plural),
    but the descriptions of core models only."""
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural)
        for entry in po
        if not entry.obsolete
        and not all(CORE_MODEL_NAME.match(where) for where, _ in entry.occurrences)
    }


@pytest.fixture(scope="module")
def exported_pot(odoo_config, test_database, tmp_path_factory):
    path = tmp_path_factory.mktemp("i18n") / f"{ADDON}.pot"
    odoo = str(VENV_BIN / "odoo")
    if odoo_series.SERIES >= (19, 0):
        # 19.0 exports with a command of its own
        command = [odoo, "i18n", "export", "-c", odoo_config, "-d", test_database,
                   "-o", str(path), ADDON]  # fmt: skip
    else:
        command = [odoo, "-c", odoo_config, "-d", test_database,
                   f"--modules={ADDON}", f"--i18n-export={path}",
                   "--stop-after-init", "--log-level=warn"]  # fmt: skip
    subprocess.run(command, check=True)
    return polib.pofile(str(path))


def read(name):
    path = I18N / name
    assert path.is_file(), f"{path.relative_to(REPO_DIR)} is missing"
    return polib.pofile(str(path))


def test_pot_is_up_to_date_with_the_code(exported_pot):
    committed = read(f"{ADDON}.pot")
    missing = terms(exported_pot) - terms(committed)
    stale = terms(committed) - terms(exported_pot)
    assert not missing and not stale, (
        f"{len(missing)} terms missing from the .pot, e.g. {sorted(missing)[:5]}; "
        f"{len(stale)} stale, e.g. {sorted(stale)[:5]}: export it again "
        "(see this file's docstring)."
    )


def test_dutch_translates_every_term():
    nl = read("nl.po")
    pot = read(f"{ADDON}.pot")
    assert terms(nl) == terms(pot), "nl.po is not merged with the .pot"
    untranslated = [entry.msgid for entry in nl.untranslated_entries()]
    fuzzy = [entry.msgid for entry in nl.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


def test_dutch_is_sorted_and_wrapped_like_an_odoo_export():
    """What OCA's po-pretty-format checks (switched off in pre-commit: it would
    empty the terms that Dutch keeps as they are, such as "Lead")."""
    path = I18N / "nl.po"
    assert path.is_file(), f"{path.relative_to(REPO_DIR)} is missing"
    text = path.read_text(encoding="utf-8")
    nl = polib.pofile(text)
    nl.sort(key=lambda entry: entry.msgid)
    assert str(nl) == text, (
        "nl.po is not sorted by msgid and wrapped at 78 columns as Odoo exports "
        "it: rewrite it with polib (pofile(), sort(key=msgid), save())."
    )
