# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_playbook_assignee(self):
        # (the message apart from the domain: 19.0's term extractor takes the
        # strings of a domain next to it for terms)
        message = self.env._(
            "%(users)s cannot be deleted: the rules %(rules)s of the playbooks "
            "%(playbooks)s assign them follow-ups. Assign these rules to "
            "someone else first."
        )
        # the rules keep the user even when they assign someone else
        self._raise_if_playbook_assignee(message, [("user_id", "in", self.ids)])

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            message = self.env._(
                "%(users)s cannot be archived: the rules %(rules)s of the "
                "playbooks %(playbooks)s assign them follow-ups. Assign these "
                "rules to someone else first."
            )
            self._raise_if_playbook_assignee(
                message,
                [("responsible", "=", "specific"), ("user_id", "in", self.ids)],
            )
        if "company_id" not in vals:
            return super().write(vals)
        # their working calendar, when they have none of their own
        calendars = self._playbook_calendar_ids()
        res = super().write(vals)
        self._playbook_clear_calendars_if_changed(calendars)
        return res

    def _playbook_calendar_ids(self):
        """``{user id: id of their working calendar}``: their own, else their
        company's (none: False)."""
        users = self.sudo().with_context(active_test=True)
        return {
            user.id: (
                user.resource_calendar_id or user.company_id.resource_calendar_id
            ).id
            for user in users
        }

    def _playbook_clear_calendars_if_changed(self, calendar_ids):
        """Clear the cached working calendars of users (of every worker) if
        those of ``self`` are no longer ``calendar_ids``."""
        users = self.exists()
        users.invalidate_recordset(["resource_ids", "resource_calendar_id"])
        if users._playbook_calendar_ids() != {
            user_id: calendar_id
            for user_id, calendar_id in calendar_ids.items()
            if user_id in users.ids
        }:
            self.env.registry.clear_cache()

    def _raise_if_playbook_assignee(self, message, domain):
        # Every rule counts, also those of archived playbooks: restoring a
        # playbook must not bring back a rule for nobody.
        lines = (
            self.env["sale.activity.playbook.line"]
            .sudo()
            .with_context(active_test=False)
            .search(domain)
        )
        if lines:
            raise ValidationError(
                message
                % {
                    "users": ", ".join(lines.user_id.mapped("name")),
                    "rules": ", ".join(f'"{line.display_name}"' for line in lines),
                    "playbooks": ", ".join(lines.playbook_id.mapped("name")),
                }
            )
