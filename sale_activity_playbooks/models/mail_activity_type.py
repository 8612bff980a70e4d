# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class MailActivityType(models.Model):
    _name = "mail.activity.type"
    _inherit = (
        "mail.activity.type",
        "sale.activity.input.checks",
        "sale.activity.playbook.cache.mixin",
    )
    # which types are reminders, and which have texts that follow-ups copy, is
    # cached (_get_reminder_type_ids, _get_text_type_ids), and the names of the
    # types that rules plan (sale.activity.playbook._get_planned_names)
    _playbook_cache_fields = frozenset({"category", "summary", "default_note", "name"})
    # core's category, to which the addon adds Reminder
    _playbook_checked_fields = ("category",)

    category = fields.Selection(
        selection_add=[("reminder", "Reminder")],
        ondelete={"reminder": "set default"},
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_playbook(self):
        self._raise_if_used_by_playbook(
            self.env._(
                "%(types)s cannot be deleted: the playbooks %(playbooks)s use them. "
                "Change their rules first."
            )
        )

    def write(self, vals):
        if vals.get("active") is False:
            self._raise_if_used_by_playbook(
                self.env._(
                    "%(types)s cannot be archived: the playbooks %(playbooks)s use "
                    "them. Change their rules first."
                )
            )
        if vals.get("res_model") and vals["res_model"] != "crm.lead":
            self._raise_if_used_by_playbook(
                self.env._(
                    "%(types)s cannot be restricted to another model than leads: the "
                    "playbooks %(playbooks)s use them on leads."
                )
            )
        return super().write(vals)

    def _playbook_cached_records(self):
        planned = {
            type_id
            for facts in self.env["sale.activity.playbook"]._get_rule_facts().values()
            for type_id in facts.next_type_ids
        }
        return self.filtered(
            lambda activity_type: (
                activity_type.category == "reminder"
                or activity_type._playbook_has_texts()
                or activity_type.id in planned
            )
        )

    def _playbook_cache_state(self, fnames):
        # what the caches hold of a type: whether it is a reminder, whether it
        # has texts (not the texts: an edited summary clears nothing) and its
        # name
        types = self.sudo().with_context(active_test=False)
        return {
            activity_type.id: (
                activity_type.category == "reminder",
                activity_type._playbook_has_texts(),
                activity_type.name,
            )
            for activity_type in types._playbook_cached_records()
        }

    def _playbook_has_texts(self):
        self.ensure_one()
        return bool(self.summary or self.default_note)

    @api.model
    @tools.ormcache()
    def _get_reminder_type_ids(self):
        """Ids of the activity types of the Reminder action: every activity
        created looks, without a query once a worker knows them."""
        return frozenset(
            self.sudo()
            .with_context(active_test=False)
            .search([("category", "=", "reminder")])
            .ids
        )

    @api.model
    @tools.ormcache()
    def _get_text_type_ids(self):
        """Ids of the activity types with a default summary or note, which the
        follow-ups planned with them copy: the others are not read."""
        types = (
            self.sudo()
            .with_context(active_test=False)
            .search(["|", ("summary", "!=", False), ("default_note", "!=", False)])
        )
        return frozenset(types.filtered(lambda t: t._playbook_has_texts()).ids)

    def _playbook_texts(self, lang):
        """``(summary, default note)`` of this type in ``lang``, that follow-ups
        planned with it copy; a type without texts is not read."""
        self.ensure_one()
        if self.id not in self._get_text_type_ids():
            return False, False
        activity_type = self.with_context(lang=lang)
        return activity_type.summary, activity_type.default_note

    def _raise_if_used_by_playbook(self, message):
        lines = (
            self.env["sale.activity.playbook.line"]
            .with_context(active_test=False)
            .sudo()
            .search(
                [
                    "|",
                    ("activity_type_id", "in", self.ids),
                    ("next_type_ids", "in", self.ids),
                ]
            )
        )
        playbooks = (
            self.env["sale.activity.playbook"]
            .with_context(active_test=False)
            .sudo()
            .search([("followup_type_id", "in", self.ids)])
        )
        if lines or playbooks:
            used = (
                lines.activity_type_id
                | lines.next_type_ids
                | playbooks.followup_type_id
            ) & self
            raise ValidationError(
                message
                % {
                    "types": ", ".join(used.mapped("name")),
                    "playbooks": ", ".join(
                        (lines.playbook_id | playbooks).mapped("name")
                    ),
                }
            )
