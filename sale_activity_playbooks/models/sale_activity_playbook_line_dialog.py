# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SaleActivityPlaybookLine(models.Model):
    """The rule dialog: what its onchanges change to keep a rule valid, and
    the warning that says so (a setting is never dropped silently)."""

    _inherit = "sale.activity.playbook.line"  # pylint: disable=consider-merging-classes-inherited

    @api.onchange("trigger_on")
    def _onchange_trigger_on(self):
        _ = self.env._
        changes = []
        if self.trigger_on in ("scheduled", "start"):
            if self.outcome_ids:
                changes.append(
                    _(
                        "Outcomes are known only once an activity is done: "
                        "%(outcomes)s no longer applies.",
                        outcomes=self._or_list(self.outcome_ids.mapped("name")),
                    )
                )
            if self.chaining_type == "suggest":
                changes.append(
                    _(
                        "Only a rule on a done activity can suggest: it now "
                        "schedules its next activities (Then: %(trigger)s).",
                        trigger=self._trigger_label(),
                    )
                )
            elif self.chaining_type == "stop":
                changes.append(
                    _(
                        "Only a rule on a done activity can stop the playbook: it "
                        "now schedules next activities (Then: %(trigger)s).",
                        trigger=self._trigger_label(),
                    )
                )
            self.chaining_type = "trigger"
            self.outcome_ids = False
        if self.trigger_on == "start":
            if self.activity_type_id:
                changes.append(
                    _(
                        "A start rule has no activity type: %(type)s no longer "
                        "applies.",
                        type=self.activity_type_id.name,
                    )
                )
            self.activity_type_id = False
            self.delay_from = "current_date"
        return self._dialog_warning(changes)

    @api.onchange("chaining_type")
    def _onchange_chaining_type(self):
        if self.chaining_type != "stop" or not self.next_type_ids:
            return None
        types = self._or_list(self.next_type_ids.mapped("name"))
        self.next_type_ids = False
        return self._dialog_warning(
            [
                self.env._(
                    "A rule that stops plans no next activity: %(types)s no "
                    "longer applies.",
                    types=types,
                )
            ]
        )

    @api.onchange("repeat_limit")
    def _onchange_repeat_limit(self):
        # refused in the dialog itself: a new rule in a dialog reaches the
        # constraint only when the whole playbook is saved
        if self.repeat_limit >= 0:
            return None
        message = self._negative_repeat_limit_message()
        self.repeat_limit = max(self._origin.repeat_limit, 0)
        return self._dialog_warning(
            [
                message,
                self.env._("The limit is back to %(limit)s.", limit=self.repeat_limit),
            ]
        )

    def _negative_repeat_limit_message(self):
        """The refusal of a negative repeat limit, naming the rule."""
        return self.env._(
            'The rule "%(rule)s" cannot fire a negative number of times: use 0 '
            "for no limit.",
            rule=self._sentence(),
        )

    def _trigger_label(self):
        labels = dict(self._fields["chaining_type"]._description_selection(self.env))
        return labels["trigger"]

    def _dialog_warning(self, changes):
        """An onchange's answer that tells what it changed in the rule (in
        Odoo's warning dialog, one change a line)."""
        if not changes:
            return None
        return {
            "warning": {
                "title": self.env._("The rule was changed"),
                "message": "\n".join(changes),
            }
        }
