# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError


class SaleActivityPlaybookStepReport(models.Model):
    """Playbook Steps' "Map" button: the playbook's cadence map, its figures
    within the report's filters (sale.activity.playbook.get_cadence_map)."""

    _inherit = "sale.activity.playbook.step.report"

    @api.model
    def action_open_cadence_map(self, domain=None):
        """The map of the playbook that ``domain`` (the report's filters)
        shows, or the list of them when it shows several."""
        try:
            if not isinstance(domain or [], list | tuple):
                raise TypeError("a domain is a list")
            domain = list(domain or [])
            groups = self._read_group(
                [*domain, ("playbook_id", "!=", False)], ["playbook_id"]
            )
        except (IndexError, TypeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "The report's filters could not be read: reload the report "
                    "and try again."
                )
            ) from error
        playbooks = self.env["sale.activity.playbook"].browse(
            playbook.id for (playbook,) in groups
        )
        if not playbooks:
            raise UserError(
                self.env._(
                    "No playbook step matches these filters: change them to see "
                    "a playbook's map."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_activity_playbooks.sale_activity_playbook_action"
        )
        action["context"] = {"sap_cadence_map_domain": domain}
        if len(playbooks) == 1:
            action.update(
                res_id=playbooks.id, view_mode="form", views=[(False, "form")]
            )
        else:
            action["domain"] = [("id", "in", playbooks.ids)]
        return action
