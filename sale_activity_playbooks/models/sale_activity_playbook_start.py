# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


class SaleActivityPlaybook(models.Model):
    """How a playbook starts on a lead: its start rules, and whether it starts
    by itself on the new leads of its teams (see the engine's
    ``_start_playbook``)."""

    _inherit = "sale.activity.playbook"  # pylint: disable=consider-merging-classes-inherited

    start_line_ids = fields.One2many(
        "sale.activity.playbook.line",
        "playbook_id",
        string="Start Rules",
        domain=[("trigger_on", "=", "start")],
        context={"default_trigger_on": "start", "default_delay_from": "current_date"},
        help="What the playbook plans when it starts on a lead.",
    )
    start_on_new_leads = fields.Boolean(
        "Start on New Leads",
        default=False,
        help="Start the playbook on each lead created in one of its teams that "
        "matches the domain below.",
    )
    start_domain = fields.Char(
        "Start on Leads Matching",
        default="[]",
        help="The new leads this playbook starts on. Empty: all of them.",
    )

    @api.constrains("start_domain")
    def _check_start_domain(self):
        for playbook in self:
            try:
                playbook._start_domain()
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        'The leads that "%(playbook)s" starts on are not a valid '
                        "domain: %(error)s",
                        playbook=playbook.name,
                        error=error,
                    )
                ) from error

    def _start_domain(self):
        """The domain on leads of ``start_domain``, checked against crm.lead."""
        self.ensure_one()
        domain = safe_eval(self.start_domain or "[]", {"uid": self.env.uid})
        if not isinstance(domain, list | tuple):
            raise TypeError(self.env._("a domain is a list of conditions."))
        # builds the query (which checks fields and operators) and runs none
        self.env["crm.lead"].sudo()._search(list(domain))
        return list(domain)

    @api.model
    @tools.ormcache()
    def _get_autostart_team_ids(self):
        """Ids of the active teams that follow an active playbook starting on
        new leads: the other new leads cost no query."""
        teams = (
            self.env["crm.team"]
            .sudo()
            .search(
                [
                    ("playbook_ids.active", "=", True),
                    ("playbook_ids.start_on_new_leads", "=", True),
                ]
            )
        )
        return frozenset(teams.ids)
