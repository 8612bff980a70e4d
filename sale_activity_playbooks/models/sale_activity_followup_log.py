# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleActivityFollowupLog(models.Model):
    """One line per follow-up marked as done on a lead, and one per lead lost
    with a reason after a playbook rule fired on it (``kind``).

    Odoo deletes done activities; this log keeps what the follow-up report
    needs to count them afterwards: who had to do it, for which team, when it
    was due and when it was done. A loss row ties the lost reason to the last
    rule that fired on the lead, for the step report; it is no follow-up."""

    _name = "sale.activity.followup.log"
    _inherit = "sale.activity.input.checks"
    _description = "Done Follow-up"
    _playbook_checked_fields = (
        "lead_id",
        "team_id",
        "company_id",
        "user_id",
        "done_by_id",
        "activity_type_id",
        "playbook_id",
        "playbook_line_id",
        "outcome_id",
        "kind",
        "lost_reason_id",
        "is_followup",
        "summary",
        "date_deadline",
        "date_done",
        "done_late",
        "was_reminded",
        "was_escalated",
        "email_sent_at",
        "email_message_id",
        "email_bounced",
    )
    _order = "date_done desc, id desc"
    _rec_name = "summary"

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        ondelete="set null",
        help="The lead's sales team when the follow-up was done.",
    )
    company_id = fields.Many2one("res.company", index=True, ondelete="cascade")
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        index=True,
        ondelete="set null",
        help="Who had to do the follow-up.",
    )
    done_by_id = fields.Many2one("res.users", ondelete="set null", readonly=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type", index=True, ondelete="set null"
    )
    playbook_id = fields.Many2one(
        "sale.activity.playbook", index=True, ondelete="set null"
    )
    playbook_line_id = fields.Many2one(
        "sale.activity.playbook.line", string="Playbook Rule", ondelete="set null"
    )
    outcome_id = fields.Many2one(
        "sale.activity.outcome", index=True, ondelete="set null", readonly=True
    )
    kind = fields.Selection(
        [("done", "Done"), ("lost", "Lost")],
        default="done",
        required=True,
        readonly=True,
        help="Done: a follow-up marked as done. Lost: the lead was lost with a "
        "reason after this rule fired on it last.",
    )
    lost_reason_id = fields.Many2one(
        "crm.lost.reason", index=True, ondelete="set null", readonly=True
    )
    is_followup = fields.Boolean(
        "Follow-up",
        default=True,
        readonly=True,
        help="Made by a playbook or of a Reminder type: what the follow-up report "
        "counts. Other activities are logged for their outcome.",
    )
    summary = fields.Char()
    date_deadline = fields.Date("Due Date", required=True)
    date_done = fields.Date(
        "Done On",
        required=True,
        help="The day it was done, in the time zone of the person it was assigned to.",
    )
    done_late = fields.Boolean(
        compute="_compute_done_late", store=True, readonly=True, precompute=True
    )
    was_reminded = fields.Boolean("Reminded", readonly=True)
    was_escalated = fields.Boolean("Escalated", readonly=True)
    # automated emails (sale.activity.playbook.sender): what the daily limit
    # and the step report count
    email_sent_at = fields.Datetime(
        "Email Sent On",
        readonly=True,
        help="When the follow-up's email went out automatically.",
    )
    email_message_id = fields.Many2one(
        "mail.message", string="Email Sent", readonly=True, ondelete="set null"
    )
    email_bounced = fields.Boolean("Bounced", readonly=True)

    @api.depends("date_deadline", "date_done")
    def _compute_done_late(self):
        for log in self:
            log.done_late = log.date_done > log.date_deadline

    @api.model
    def _log_done_activities(self, activities):
        """Log the activities of leads among ``activities`` that are about to
        be done: follow-ups (created by a playbook or of a Reminder type) and
        any activity done with an outcome. Done on the context's
        ``playbook_done_at`` (a datetime), or now. The context's
        ``playbook_sent_messages`` (``{activity id: mail.message id}``, from
        the send cron) says which ones sent their email then."""
        followups = activities.filtered(
            lambda a: (
                a.res_model == "crm.lead"
                and a.res_id
                and (a._is_playbook_followup() or a.outcome_id)
            )
        )
        if not followups:
            return self.browse()
        # the leads exist: deleting a lead deletes its activities
        leads = self.env["crm.lead"].sudo().browse(set(followups.mapped("res_id")))
        lead_by_id = {lead.id: lead for lead in leads}
        done_at = self.env.context.get("playbook_done_at") or fields.Datetime.now()
        done_at = fields.Datetime.to_datetime(done_at)
        sent = self.env.context.get("playbook_sent_messages") or {}
        UserTime = self.env["sale.activity.user.time"]
        # the rules' playbooks from the engine's cached facts (a rule no team
        # follows any more is read)
        facts = (
            self.env["sale.activity.playbook"]._get_rule_facts()
            if followups.playbook_line_id
            else {}
        )
        vals_list = []
        for activity in followups.sudo():
            line = activity.playbook_line_id
            fact = facts.get(line.id)
            lead = lead_by_id.get(activity.res_id)
            if not lead:
                continue
            vals_list.append(
                {
                    "lead_id": lead.id,
                    "team_id": lead.team_id.id,
                    "company_id": lead.company_id.id,
                    "user_id": activity.user_id.id,
                    "done_by_id": self.env.user.id,
                    "activity_type_id": activity.activity_type_id.id,
                    "playbook_id": fact.playbook_id if fact else line.playbook_id.id,
                    "playbook_line_id": activity.playbook_line_id.id,
                    "outcome_id": activity.outcome_id.id,
                    "is_followup": activity._is_playbook_followup(),
                    "summary": activity.summary or activity.activity_type_id.name,
                    "date_deadline": activity.date_deadline,
                    "date_done": UserTime._today(activity.user_tz, done_at),
                    "was_reminded": bool(activity.reminded_on),
                    "was_escalated": bool(activity.escalated_on),
                    "email_sent_at": done_at if activity.id in sent else False,
                    "email_message_id": sent.get(activity.id, False),
                }
            )
        # Bookkeeping of the playbooks, written whoever marks the activity done.
        return self.sudo().create(vals_list)

    @api.model
    def _log_lost_leads(self, leads):
        """Log the loss of each of ``leads`` (lost with a reason) against the
        last playbook rule that fired on it; leads no rule fired on are not
        logged. Restoring a lead keeps its loss: it happened at that step."""
        if not leads:
            return self.browse()
        firings = (
            self.env["sale.activity.playbook.firing"]
            .sudo()
            .search_fetch(
                [("lead_id", "in", leads.ids)],
                ["line_id", "playbook_id", "lead_id"],
                order="date desc, id desc",
            )
        )
        last_firing = {}
        for firing in firings:
            last_firing.setdefault(firing.lead_id.id, firing)
        UserTime = self.env["sale.activity.user.time"]
        vals_list = []
        for lead in leads.sudo():
            firing = last_firing.get(lead.id)
            if not firing:
                continue
            day = UserTime._user_today(lead.user_id)
            vals_list.append(
                {
                    "kind": "lost",
                    "lead_id": lead.id,
                    "team_id": lead.team_id.id,
                    "company_id": lead.company_id.id,
                    "user_id": lead.user_id.id,
                    "done_by_id": self.env.user.id,
                    "playbook_id": firing.playbook_id.id
                    or firing.line_id.playbook_id.id,
                    "playbook_line_id": firing.line_id.id,
                    "lost_reason_id": lead.lost_reason_id.id,
                    "is_followup": False,
                    "summary": lead.lost_reason_id.name,
                    "date_deadline": day,
                    "date_done": day,
                }
            )
        # Bookkeeping of the playbooks, written whoever marks the lead lost.
        return self.sudo().create(vals_list)
