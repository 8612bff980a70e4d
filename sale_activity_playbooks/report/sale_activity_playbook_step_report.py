# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL, frozendict


class SaleActivityPlaybookStepReport(models.Model):
    """Each playbook rule as a step: how often it fired, what became of the
    activities it created, how they went, and how many of the leads that went
    through it were won afterwards.

    Rows of four kinds, built at query time (``_table_query``), each with the
    rule and the lead: one per rule and lead it fired on (fired, created,
    cancelled, won), one per activity it created that was done (on time or
    late, with its outcome; its email, when the rule sent it automatically:
    replied to, bounced), one per activity it created still pending, and one
    per lead lost with a reason after the rule fired on it last."""

    _name = "sale.activity.playbook.step.report"
    _description = "Playbook Step Analysis"
    _auto = False
    _rec_name = "line_id"
    _order = "playbook_id, line_id"
    _depends = frozendict(
        {
            "sale.activity.playbook.firing": (
                "line_id",
                "playbook_id",
                "lead_id",
                "company_id",
                "activity_count",
                "date",
            ),
            "sale.activity.followup.log": (
                "playbook_line_id",
                "playbook_id",
                "lead_id",
                "company_id",
                "outcome_id",
                "done_late",
                "date_done",
                "team_id",
                "kind",
                "lost_reason_id",
                "email_sent_at",
                "email_bounced",
            ),
            "mail.message": ("model", "res_id", "message_type", "date", "author_id"),
            "res.users": ("partner_id", "share"),
            "mail.activity": (
                "playbook_line_id",
                "res_model",
                "res_id",
                "active",
                "date_deadline",
            ),
            "sale.activity.playbook.line": ("playbook_id",),
            "crm.lead": ("stage_id", "date_closed", "company_id", "team_id"),
            "crm.stage": ("is_won",),
        }
    )

    line_id = fields.Many2one(
        "sale.activity.playbook.line", string="Step", readonly=True
    )
    playbook_id = fields.Many2one("sale.activity.playbook", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    outcome_id = fields.Many2one("sale.activity.outcome", readonly=True)
    date = fields.Date(readonly=True, help="When it fired, or was done.")
    fired_count = fields.Integer("Fired", readonly=True, aggregator="sum")
    lead_count = fields.Integer("Leads", readonly=True, aggregator="sum")
    created_count = fields.Integer("Created", readonly=True, aggregator="sum")
    done_on_time_count = fields.Integer("Done on Time", readonly=True, aggregator="sum")
    done_late_count = fields.Integer("Done Late", readonly=True, aggregator="sum")
    completion_count = fields.Integer(
        "Completions", readonly=True, aggregator="sum", help="Done, on time or late."
    )
    cancelled_count = fields.Integer(
        "Cancelled",
        readonly=True,
        aggregator="sum",
        help="Created, then removed without being done (cancelled, won, stopped).",
    )
    pending_count = fields.Integer("Pending", readonly=True, aggregator="sum")
    won_lead_count = fields.Integer(
        "Won Leads",
        readonly=True,
        aggregator="sum",
        help="Leads won after the step fired on them.",
    )
    lost_reason_id = fields.Many2one("crm.lost.reason", readonly=True)
    lost_count = fields.Integer(
        "Lost at this Step",
        readonly=True,
        aggregator="sum",
        help="Leads lost with a reason while this step was the last that fired "
        "on them.",
    )
    won_rate = fields.Float(
        "Won after (%)",
        readonly=True,
        aggregator="avg",
        help="The share of the leads that went through this step and were won "
        "afterwards.",
    )

    emails_sent = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Emails that the step sent automatically.",
    )
    emails_replied = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Emails sent automatically that the customer answered by email "
        "before the lead's next automated email.",
    )
    emails_bounced = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Emails sent automatically that came back undelivered.",
    )

    @property
    def _table_query(self):
        return SQL(
            "%s UNION ALL %s UNION ALL %s UNION ALL %s",
            self._passages_query(),
            self._completions_query(),
            self._pending_query(),
            self._losses_query(),
        )

    def _passages_query(self):
        return SQL(
            """
            SELECT
                MIN(firing.id) * 3 AS id,
                firing.line_id,
                line.playbook_id,
                firing.lead_id,
                lead.team_id,
                lead.company_id,
                NULL::integer AS outcome_id,
                MIN(firing.date)::date AS date,
                COUNT(*)::int AS fired_count,
                1 AS lead_count,
                SUM(firing.activity_count)::int AS created_count,
                0 AS done_on_time_count,
                0 AS done_late_count,
                0 AS completion_count,
                GREATEST(
                    SUM(firing.activity_count)::int
                    - (SELECT COUNT(*) FROM sale_activity_followup_log log
                        WHERE log.playbook_line_id = firing.line_id
                          AND log.lead_id = firing.lead_id
                          AND log.kind = 'done')
                    - (SELECT COUNT(*) FROM mail_activity activity
                        WHERE activity.playbook_line_id = firing.line_id
                          AND activity.res_model = 'crm.lead'
                          AND activity.res_id = firing.lead_id
                          AND activity.active),
                    0
                )::int AS cancelled_count,
                0 AS pending_count,
                (stage.is_won AND lead.date_closed >= MIN(firing.date))::int
                    AS won_lead_count,
                CASE WHEN stage.is_won AND lead.date_closed >= MIN(firing.date)
                     THEN 100.0 ELSE 0.0 END AS won_rate,
                NULL::integer AS lost_reason_id,
                0 AS lost_count,
                0 AS emails_sent,
                0 AS emails_replied,
                0 AS emails_bounced
            FROM sale_activity_playbook_firing firing
            JOIN sale_activity_playbook_line line ON line.id = firing.line_id
            JOIN crm_lead lead ON lead.id = firing.lead_id
            LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
            GROUP BY firing.line_id, line.playbook_id, firing.lead_id, lead.team_id,
                     lead.company_id, stage.is_won, lead.date_closed
            """
        )

    def _completions_query(self):
        return SQL(
            """
            SELECT
                log.id * 3 + 1 AS id,
                log.playbook_line_id AS line_id,
                line.playbook_id,
                log.lead_id,
                log.team_id,
                log.company_id,
                log.outcome_id,
                log.date_done AS date,
                0 AS fired_count,
                0 AS lead_count,
                0 AS created_count,
                (NOT log.done_late)::int AS done_on_time_count,
                log.done_late::int AS done_late_count,
                1 AS completion_count,
                0 AS cancelled_count,
                0 AS pending_count,
                0 AS won_lead_count,
                NULL::float AS won_rate,
                NULL::integer AS lost_reason_id,
                0 AS lost_count,
                (log.email_sent_at IS NOT NULL)::int AS emails_sent,
                (log.email_sent_at IS NOT NULL AND EXISTS (%s))::int AS emails_replied,
                (log.email_sent_at IS NOT NULL AND log.email_bounced)::int
                    AS emails_bounced
            FROM sale_activity_followup_log log
            JOIN sale_activity_playbook_line line ON line.id = log.playbook_line_id
            LEFT JOIN (
                SELECT id, LEAD(email_sent_at) OVER (
                    PARTITION BY lead_id ORDER BY email_sent_at, id
                ) AS next_sent_at
                FROM sale_activity_followup_log
                WHERE email_sent_at IS NOT NULL
            ) sent ON sent.id = log.id
            WHERE log.kind = 'done'
            """,
            self._reply_query(),
        )

    def _reply_query(self):
        # a reply: an email on the lead from someone who is no employee (the
        # customer, or an address without a partner), after the automated
        # email and before the lead's next one
        return SQL(
            """
            SELECT 1 FROM mail_message msg
            WHERE msg.model = 'crm.lead'
              AND msg.res_id = log.lead_id
              AND msg.message_type = 'email'
              AND msg.date > log.email_sent_at
              AND (sent.next_sent_at IS NULL OR msg.date < sent.next_sent_at)
              AND NOT EXISTS (
                  SELECT 1 FROM res_users employee
                  WHERE employee.partner_id = msg.author_id AND NOT employee.share
              )
            """
        )

    def _pending_query(self):
        return SQL(
            """
            SELECT
                activity.id * 3 + 2 AS id,
                activity.playbook_line_id AS line_id,
                line.playbook_id,
                lead.id AS lead_id,
                lead.team_id,
                lead.company_id,
                NULL::integer AS outcome_id,
                activity.date_deadline AS date,
                0 AS fired_count,
                0 AS lead_count,
                0 AS created_count,
                0 AS done_on_time_count,
                0 AS done_late_count,
                0 AS completion_count,
                0 AS cancelled_count,
                1 AS pending_count,
                0 AS won_lead_count,
                NULL::float AS won_rate,
                NULL::integer AS lost_reason_id,
                0 AS lost_count,
                0 AS emails_sent,
                0 AS emails_replied,
                0 AS emails_bounced
            FROM mail_activity activity
            JOIN sale_activity_playbook_line line ON line.id = activity.playbook_line_id
            JOIN crm_lead lead ON lead.id = activity.res_id
            WHERE activity.res_model = 'crm.lead' AND activity.active
            """
        )

    def _losses_query(self):
        # a loss is a log row (never a done one): its id is free in the
        # completions' sequence
        return SQL(
            """
            SELECT
                log.id * 3 + 1 AS id,
                log.playbook_line_id AS line_id,
                line.playbook_id,
                log.lead_id,
                log.team_id,
                log.company_id,
                NULL::integer AS outcome_id,
                log.date_done AS date,
                0 AS fired_count,
                0 AS lead_count,
                0 AS created_count,
                0 AS done_on_time_count,
                0 AS done_late_count,
                0 AS completion_count,
                0 AS cancelled_count,
                0 AS pending_count,
                0 AS won_lead_count,
                NULL::float AS won_rate,
                log.lost_reason_id,
                1 AS lost_count,
                0 AS emails_sent,
                0 AS emails_replied,
                0 AS emails_bounced
            FROM sale_activity_followup_log log
            JOIN sale_activity_playbook_line line ON line.id = log.playbook_line_id
            WHERE log.kind = 'lost'
            """
        )
