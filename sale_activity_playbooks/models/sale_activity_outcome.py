# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools


class SaleActivityOutcome(models.Model):
    """How an activity went ("Reached", "No answer"...), picked when it is
    marked as done: playbook rules may branch on it."""

    _name = "sale.activity.outcome"
    # the input checks first: nothing is read before they pass
    _inherit = ("sale.activity.input.checks", "sale.activity.playbook.cache.mixin")
    _description = "Activity Outcome"
    _playbook_checked_fields = (
        "name",
        "sequence",
        "active",
        "activity_type_ids",
        "result",
    )
    _order = "sequence, id"
    # which outcomes each type offers is cached (_get_outcome_ids_by_type)
    _playbook_cache_fields = frozenset({"active", "activity_type_ids", "sequence"})

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    activity_type_ids = fields.Many2many(
        "mail.activity.type",
        "sale_activity_outcome_type_rel",
        "outcome_id",
        "type_id",
        string="Activity Types",
        help="The activity types this outcome applies to. Empty: every type.",
    )
    result = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")],
        required=True,
        default="neutral",
        help="Whether the outcome moves the deal forward, keeps it where it is, or "
        "sets it back: the step analysis counts them apart.",
    )

    def _applies_to(self, activity_type):
        """Whether this outcome may be chosen for an activity of
        ``activity_type``."""
        self.ensure_one()
        return not self.activity_type_ids or activity_type in self.activity_type_ids

    @api.model
    def _for_type(self, activity_type):
        """The active outcomes that apply to ``activity_type``, in order (no
        query: the chatter asks for each activity it shows)."""
        return self.browse(
            outcome_id
            for outcome_id, type_ids in self._get_outcome_types()
            if not type_ids or activity_type.id in type_ids
        )

    @api.model
    @tools.ormcache()
    def _get_outcome_types(self):
        """The active outcomes in order, with the ids of the types they apply
        to (none: every type)."""
        return tuple(
            (outcome.id, frozenset(outcome.activity_type_ids.ids))
            for outcome in self.sudo().search([])
        )
