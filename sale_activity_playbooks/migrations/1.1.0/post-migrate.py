# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

_logger = logging.getLogger(__name__)

ADDON = "sale_activity_playbooks"
# Records new in 1.1.0, in noupdate files whose records an update never
# creates (forcecreate="0": what an administrator deleted stays deleted). A
# database that had the module before gets them once, here.
NEW_DATA = (
    "data/sale_activity_outcome_data.xml",
    "data/sale_activity_playbook_branch_data.xml",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    if not env.ref(f"{ADDON}.playbook_standard_cadence", raise_if_not_found=False):
        # the administrator deleted the playbook: its new rules have no home
        new_data = NEW_DATA[:1]
    else:
        new_data = NEW_DATA
    for path in new_data:
        convert_file(env, ADDON, path, {}, mode="init", noupdate=True)
    _logger.info(
        "%s 1.1.0: outcomes and the Standard sales cadence's branches added. "
        "Follow-up discipline does not stop on replies until an administrator "
        "turns it on.",
        ADDON,
    )
