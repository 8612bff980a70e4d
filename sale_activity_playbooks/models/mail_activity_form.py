# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .. import odoo_series


class MailActivity(models.Model):
    """The activity dialog ("Done & Schedule Next") as each series draws it."""

    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form" and odoo_series.ACTIVITY_TYPE_BADGES:
            self._mark_suggestions_in_type_badges(arch)
        return arch, view

    @api.model
    def _mark_suggestions_in_type_badges(self, arch):
        """19.0: one row of type buttons, the suggested ones marked
        (static/src/activity_type_badges), instead of a row of suggestions
        above the types. The row of suggestions stays in the view, hidden:
        its field preselects the first suggestion (onchange)."""
        badges = arch.xpath(
            "//field[@name='activity_type_id'][@widget='selection_badge_icons']"
        )
        suggestions = arch.xpath("//group[hasclass('o_sap_playbook_suggestions')]")
        if not badges or not suggestions:
            return
        for node in badges:
            node.set("widget", "sap_activity_type_badges")
        for node in suggestions:
            node.set("class", f"{node.get('class')} d-none")
