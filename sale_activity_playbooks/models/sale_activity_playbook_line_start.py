# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import ValidationError

from .. import odoo_series

# Only a start rule has no activity type: the database says so too.
ACTIVITY_TYPE_CHECK = "CHECK(trigger_on = 'start' OR activity_type_id IS NOT NULL)"
ACTIVITY_TYPE_MESSAGE = "A playbook rule needs the activity type that starts it."


class SaleActivityPlaybookLine(models.Model):
    """Start rules (``trigger_on`` ``start``): "When the playbook starts on a
    lead, plan X in N days". They have no activity type and no outcomes;
    every other rule has an activity type."""

    _inherit = "sale.activity.playbook.line"  # pylint: disable=consider-merging-classes-inherited

    if odoo_series.MODEL_CONSTRAINTS:
        _activity_type_required = models.Constraint(
            ACTIVITY_TYPE_CHECK, ACTIVITY_TYPE_MESSAGE
        )
    else:
        _sql_constraints = [
            ("activity_type_required", ACTIVITY_TYPE_CHECK, ACTIVITY_TYPE_MESSAGE)
        ]

    def _check_input(self, values, creating, inverse_name=None):
        # once the values are known to be well-formed, before anything is
        # written (the database would refuse a rule without a type rudely)
        res = super()._check_input(values, creating, inverse_name=inverse_name)
        if creating:
            default = self.env.context.get("default_trigger_on") or "done"
            for vals in values:
                self._check_start_values(
                    vals.get("trigger_on") or default, vals.get("activity_type_id")
                )
        elif {"trigger_on", "activity_type_id"} & values.keys():
            for line in self:
                self._check_start_values(
                    values.get("trigger_on", line.trigger_on),
                    values.get("activity_type_id", line.activity_type_id),
                )
        return res

    @api.model
    def _check_start_values(self, trigger_on, activity_type_id):
        """Before anything is written: only a start rule goes without an
        activity type, and a start rule has none."""
        if trigger_on != "start" and not activity_type_id:
            raise ValidationError(
                self.env._(
                    "Choose the activity type that starts the rule, or make it "
                    "a start rule (when the playbook starts on a lead)."
                )
            )
        if trigger_on == "start" and activity_type_id:
            raise ValidationError(
                self.env._(
                    "A start rule plans activities when the playbook starts on a "
                    "lead: it has no activity type. Remove it, or choose another "
                    "moment."
                )
            )

    @api.constrains("chaining_type", "trigger_on")
    def _check_start_rule_chaining(self):
        for line in self:
            if line.trigger_on == "start" and line.chaining_type != "trigger":
                raise ValidationError(
                    self.env._(
                        "A start rule schedules its next activities when the "
                        "playbook starts on a lead: it cannot suggest them or "
                        "stop the playbook."
                    )
                )

    def _raise_start_outcomes(self):
        raise ValidationError(
            self.env._(
                "Outcomes are known only once an activity is done: a start rule "
                "cannot depend on them."
            )
        )
