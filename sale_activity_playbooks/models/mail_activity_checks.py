# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import AccessError, ValidationError

# Set by the engine (and its crons) only: a user who could write them could
# silence their own reminders and escalations.
PLAYBOOK_BOOKKEEPING_FIELDS = (
    "playbook_source_ids",
    "reminded_on",
    "escalated_on",
    "is_reminder",
)


class MailActivity(models.Model):
    """What users may write on activities that the playbooks keep: the
    engine's bookkeeping is the engine's, and a rule named on an activity is
    one that proposes it (mail_activity.py's create and write call these)."""

    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    def _check_playbook_bookkeeping(self, vals_list):
        """Refuse values of the engine's bookkeeping fields from anyone but the
        engine itself (which writes them with its privileges)."""
        if self.env.su:
            return
        # create() may say "none" (as a copy or an import does); write() may
        # not change them at all
        changing = bool(self)
        written = {
            name
            for vals in vals_list
            for name in PLAYBOOK_BOOKKEEPING_FIELDS
            if name in vals and (changing or vals[name])
        }
        if written:
            raise AccessError(
                self.env._(
                    "Playbooks record when a follow-up was reminded or escalated "
                    "and which activity it follows up: %(fields)s cannot be "
                    "set by hand.",
                    fields=", ".join(
                        sorted(self._fields[name].string for name in written)
                    ),
                )
            )

    def _check_playbook_line_suggested(self):
        """An activity that a user links to a playbook rule must be one that
        the rule proposes on this lead (the "Done & Schedule Next" form)."""
        rules = self._playbook_rules("done", type_field="previous_activity_type_id")
        for activity in self:
            line = activity.playbook_line_id.sudo()
            lines = rules.get(activity, self.env["sale.activity.playbook.line"])
            if line not in lines or activity.activity_type_id not in line.next_type_ids:
                raise ValidationError(
                    self.env._(
                        'The rule "%(rule)s" does not propose %(type)s after '
                        "%(previous)s on %(record)s: choose one of its suggested "
                        "next steps, or schedule the activity without the rule.",
                        rule=line.display_name,
                        type=activity.activity_type_id.name,
                        previous=activity.previous_activity_type_id.name
                        or self.env._("no previous activity"),
                        record=activity.res_name or activity.res_model,
                    )
                )
