# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleActivityPlaybookFiring(models.Model):
    """One line each time a playbook rule created activities on a lead,
    whatever became of them: repeat limits count these, and the step analysis
    follows each rule from them."""

    _name = "sale.activity.playbook.firing"
    _inherit = "sale.activity.input.checks"
    _description = "Playbook Rule Firing"
    _playbook_checked_fields = (
        "line_id",
        "playbook_id",
        "lead_id",
        "company_id",
        "date",
        "activity_count",
    )
    _order = "date desc, id desc"
    _rec_name = "line_id"

    line_id = fields.Many2one(
        "sale.activity.playbook.line",
        string="Playbook Rule",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    playbook_id = fields.Many2one(
        "sale.activity.playbook", index=True, ondelete="cascade", readonly=True
    )
    lead_id = fields.Many2one(
        "crm.lead", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", index=True, readonly=True, help="The lead's company."
    )
    date = fields.Datetime(
        "Fired On", default=fields.Datetime.now, required=True, readonly=True
    )
    activity_count = fields.Integer(
        "Activities", readonly=True, help="How many activities the rule created."
    )
