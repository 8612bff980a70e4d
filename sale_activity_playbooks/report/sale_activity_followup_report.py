# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, frozendict

from ..models.action_records import ensure_one_record, ensure_records

STATES = [
    ("planned", "Planned"),
    ("today", "Due Today"),
    ("overdue", "Overdue"),
    ("done_on_time", "Done on Time"),
    ("done_late", "Done Late"),
]


class SaleActivityFollowupReport(models.Model):
    """Follow-ups of leads, open and done: the activities that playbooks
    created or of a Reminder type, and the log of the done ones.

    Built at query time (``_table_query``): "due today" and "overdue" are
    relative to today in the time zone of each follow-up's assignee, as Odoo
    computes the state of an activity."""

    _name = "sale.activity.followup.report"
    _description = "Follow-up Analysis"
    _auto = False
    _rec_name = "summary"
    _order = "date desc, id desc"
    _depends = frozendict(
        {
            "mail.activity": (
                "res_model",
                "res_id",
                "active",
                "summary",
                "user_id",
                "user_tz",
                "activity_type_id",
                "playbook_line_id",
                "date_deadline",
                "escalated_on",
            ),
            "mail.activity.type": ("name", "category"),
            "sale.activity.playbook.line": ("playbook_id",),
            "sale.activity.followup.log": (
                "summary",
                "lead_id",
                "team_id",
                "user_id",
                "company_id",
                "activity_type_id",
                "playbook_id",
                "date_deadline",
                "date_done",
                "done_late",
                "was_escalated",
                "is_followup",
                "kind",
            ),
            "crm.lead": ("team_id", "user_id", "company_id"),
        }
    )

    summary = fields.Char("Follow-up", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    activity_id = fields.Many2one(
        "mail.activity", string="Open Follow-up", readonly=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    lead_user_id = fields.Many2one(
        "res.users", string="Salesperson of the Lead", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    playbook_id = fields.Many2one("sale.activity.playbook", readonly=True)
    date_deadline = fields.Date("Due Date", readonly=True)
    date_done = fields.Date("Done On", readonly=True)
    date = fields.Date(
        readonly=True,
        help="When it was done, or when it is due for open follow-ups.",
    )
    state = fields.Selection(STATES, string="Status", readonly=True)
    is_done = fields.Boolean("Done", readonly=True)
    is_escalated = fields.Boolean("Was Escalated", readonly=True)
    planned_count = fields.Integer("Planned", readonly=True, aggregator="sum")
    today_count = fields.Integer("Due Today", readonly=True, aggregator="sum")
    overdue_count = fields.Integer("Overdue", readonly=True, aggregator="sum")
    escalated_count = fields.Integer(
        "Escalated",
        readonly=True,
        aggregator="sum",
        help="Follow-ups escalated to the team leader, open or done since.",
    )
    done_on_time_count = fields.Integer("Done on Time", readonly=True, aggregator="sum")
    done_late_count = fields.Integer("Done Late", readonly=True, aggregator="sum")
    delay_days = fields.Integer(
        "Days Late",
        readonly=True,
        aggregator="avg",
        help="Days between the due date and the day it was done (or today).",
    )

    @property
    def _table_query(self):
        return SQL(
            "%s UNION ALL %s",
            self._open_followups_query(),
            self._done_followups_query(),
        )

    @api.model
    def _open_followups_query(self):
        # Local "today" of the assignee, as My Follow-ups' state counts it.
        today = self.env["sale.activity.user.time"]._day_in_time_zone_sql(
            SQL("activity.user_tz")
        )
        return SQL(
            """
            SELECT
                activity.id * 2 AS id,
                COALESCE(
                    activity.summary, type.name->>%(lang)s, type.name->>'en_US'
                ) AS summary,
                lead.id AS lead_id,
                activity.id AS activity_id,
                lead.team_id,
                activity.user_id,
                lead.user_id AS lead_user_id,
                lead.company_id,
                activity.activity_type_id,
                line.playbook_id,
                activity.date_deadline,
                NULL::date AS date_done,
                activity.date_deadline AS date,
                CASE
                    WHEN activity.date_deadline > %(today)s THEN 'planned'
                    WHEN activity.date_deadline = %(today)s THEN 'today'
                    ELSE 'overdue'
                END AS state,
                FALSE AS is_done,
                activity.escalated_on IS NOT NULL AS is_escalated,
                (activity.date_deadline > %(today)s)::int AS planned_count,
                (activity.date_deadline = %(today)s)::int AS today_count,
                (activity.date_deadline < %(today)s)::int AS overdue_count,
                (activity.escalated_on IS NOT NULL)::int AS escalated_count,
                0 AS done_on_time_count,
                0 AS done_late_count,
                GREATEST(%(today)s - activity.date_deadline, 0) AS delay_days
            FROM mail_activity activity
            JOIN crm_lead lead ON lead.id = activity.res_id
            JOIN mail_activity_type type ON type.id = activity.activity_type_id
            LEFT JOIN sale_activity_playbook_line line
                ON line.id = activity.playbook_line_id
            WHERE activity.res_model = 'crm.lead'
              AND activity.active
              AND (activity.playbook_line_id IS NOT NULL
                   OR type.category = 'reminder')
            """,
            today=today,
            lang=self.env.lang or "en_US",
        )

    @api.model
    def _done_followups_query(self):
        return SQL(
            """
            SELECT
                log.id * 2 + 1 AS id,
                log.summary,
                log.lead_id,
                NULL::int AS activity_id,
                log.team_id,
                log.user_id,
                lead.user_id AS lead_user_id,
                log.company_id,
                log.activity_type_id,
                log.playbook_id,
                log.date_deadline,
                log.date_done,
                log.date_done AS date,
                CASE WHEN log.done_late THEN 'done_late' ELSE 'done_on_time' END
                    AS state,
                TRUE AS is_done,
                log.was_escalated AS is_escalated,
                0 AS planned_count,
                0 AS today_count,
                0 AS overdue_count,
                log.was_escalated::int AS escalated_count,
                (NOT log.done_late)::int AS done_on_time_count,
                log.done_late::int AS done_late_count,
                GREATEST(log.date_done - log.date_deadline, 0) AS delay_days
            FROM sale_activity_followup_log log
            JOIN crm_lead lead ON lead.id = log.lead_id
            -- activities logged only for their outcome, and losses, are no
            -- follow-ups
            WHERE log.is_followup AND log.kind = 'done'
            """
        )

    def action_open_lead(self):
        """Open the lead of this follow-up."""
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "views": [(False, "form")],
        }

    def action_open_leads(self):
        """Open the leads of these follow-ups."""
        leads = ensure_records(self).lead_id
        if len(leads) == 1:
            return self[:1].action_open_lead()
        # (the name apart from the domain: see res_users.py)
        name = self.env._("Leads of the Follow-ups")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "crm.lead",
            "domain": [("id", "in", leads.ids)],
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "context": {"active_test": False},
        }

    def action_followup_done(self):
        """My Follow-ups' Mark as Done, on the open follow-ups selected."""
        return self._open_activities().action_followup_done()

    def action_followup_reschedule(self):
        """My Follow-ups' Reschedule, on the open follow-ups selected."""
        return self._open_activities().action_followup_reschedule()

    def action_followup_reassign(self):
        """My Follow-ups' Reassign, on the open follow-ups selected."""
        return self._open_activities().action_followup_reassign()

    def _open_activities(self):
        activities = ensure_records(self).activity_id.exists()
        if not activities:
            raise UserError(
                self.env._(
                    "These follow-ups are done already: select open ones (planned, "
                    "due today or overdue)."
                )
            )
        return activities
