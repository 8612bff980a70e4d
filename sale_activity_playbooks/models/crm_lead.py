# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

from .sql_tools import ensure_index

_logger = logging.getLogger(__name__)

# Neglected leads (open, nothing planned, done or written for a while) get a
# follow-up from the daily ir_cron_playbook_neglect, or on demand from the
# server action action_schedule_playbook_followup. Leads per batch of the cron:
NEGLECT_BATCH_SIZE = 500
# An open lead, as crm counts it: active (lost leads are archived) and not in
# a won stage. Never the probability: without won or lost history, predictive
# lead scoring computes none and the column is NULL.
OPEN_LEAD = SQL(
    "lead.active AND NOT EXISTS (SELECT FROM crm_stage stage "
    "WHERE stage.id = lead.stage_id AND stage.is_won)"
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _auto_init(self):
        res = super()._auto_init()
        self._playbook_ensure_indexes()
        return res

    @api.model
    def _playbook_ensure_indexes(self):
        # The neglect scan reads open leads per team; lost ones stay out of
        # this index (won ones are told by their stage, another table).
        ensure_index(
            self._cr,
            "crm_lead_playbook_open_team_idx",
            self._table,
            ["team_id", "expected_revenue"],
            where="active",
        )

    def write(self, vals):
        res = super().write(vals)
        # Won is moving to a won stage (action_set_won does, with probability
        # 100), as crm's _handle_won_lost counts it. Only the new stage is
        # read: reading the leads' probability around the write would compute
        # it at another moment than Odoo does, and change the probability
        # that it keeps (crm's test_lead_merge_probability_manual_empty).
        if (
            vals.get("stage_id")
            and self.env["crm.stage"].browse(vals["stage_id"]).is_won
        ):
            self.filtered("active")._cancel_playbook_activities_on_won()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_schedule_playbook_followup(self):
        """Schedule the playbook's follow-up on the selected leads that have
        nothing planned, and say how many were scheduled and skipped."""
        self.check_access("write")
        playbook_by_lead = self._playbook_lock_leads(
            SQL(
                """
                SELECT lead.id, NULL::integer AS playbook_id
                  FROM crm_lead lead
                 WHERE lead.id = ANY(%s) AND %s
                   AND NOT EXISTS (
                       SELECT FROM mail_activity activity
                        WHERE activity.res_model = 'crm.lead'
                          AND activity.res_id = lead.id AND activity.active)
              ORDER BY lead.id
                   FOR UPDATE OF lead SKIP LOCKED
                """,
                self.ids,
                OPEN_LEAD,
            )
        )
        leads = self.browse(sorted(playbook_by_lead))
        Playbook = self.env["sale.activity.playbook"]
        settings = Playbook._get_team_settings("neglect_days")
        playbooks = {
            lead.id: Playbook._setting_for_lead(settings, lead)
            or Playbook._setting_for_lead(
                {lead.team_id.id: lead.team_id.playbook_ids.filtered("active")}, lead
            )
            for lead in leads
        }
        activities = leads._schedule_playbook_neglect_followups(playbooks)
        _ = self.env._
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Schedule follow-up"),
                "message": _(
                    "Follow-ups scheduled: %(scheduled)s. Leads skipped (already "
                    "planned or closed): %(skipped)s.",
                    scheduled=len(activities),
                    skipped=len(self) - len(leads),
                ),
                "type": "success" if activities else "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _cancel_playbook_activities_on_won(self):
        """Remove the pending follow-ups that playbooks created on won leads
        (playbooks with "Cancel on Won")."""
        if not self:
            return
        # The follow-ups may belong to other salespeople: removing them is the
        # playbook's decision, not the user's.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", self.ids),
                    ("playbook_line_id.playbook_id.cancel_on_won", "=", True),
                ]
            )
        )
        activities.unlink()

    def _schedule_playbook_neglect_followups(self, playbooks, neglected=False):
        """Schedule on each lead of ``self`` the follow-up of its playbook
        (``{lead id: playbook}``) for its salesperson, due on their next working
        day. ``neglected``: say so in the follow-up's note."""
        if not self:
            return self.env["mail.activity"]
        Line = self.env["sale.activity.playbook.line"]
        default_type = self.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up",
            raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        calendars_cache = {}
        values = []
        for lead in self:
            playbook = playbooks.get(lead.id) or self.env["sale.activity.playbook"]
            activity_type = playbook.followup_type_id or default_type
            user = lead._playbook_followup_user()
            today = fields.Date.context_today(lead.with_context(tz=user.tz or "UTC"))
            calendar = (
                user.resource_calendar_id
                or lead.company_id.resource_calendar_id
                or user.company_id.resource_calendar_id
            )
            vals = {
                "res_model_id": model_id,
                "res_id": lead.id,
                "activity_type_id": activity_type.id,
                "summary": activity_type.summary or False,
                "user_id": user.id,
                "date_deadline": Line._add_working_days(
                    calendar, today, 1, calendars_cache
                ),
                "automated": True,
            }
            if neglected:
                vals["note"] = self.env._(
                    "Nothing planned, done or written on this lead for %(days)s "
                    "%(unit)s.",
                    days=playbook.neglect_days,
                    unit=Line._unit_word("days", playbook.neglect_days),
                )
            values.append((playbook.notify_assignment, vals))
        return self.env["mail.activity"]._create_playbook_followups(values)

    def _playbook_followup_user(self):
        """The salesperson, or the team leader when there is no active one."""
        self.ensure_one()
        for user in (self.user_id, self.team_id.user_id):
            if user.active:
                return user
        return self.env.user

    @api.model
    def _playbook_lock_leads(self, candidates):
        """Run ``candidates``, a query of ``(lead id, playbook id)`` rows that
        locks its leads with ``FOR UPDATE OF lead SKIP LOCKED``, and return
        ``{lead id: playbook id}``.

        Leads that another worker holds are skipped. The locked rows are
        rewritten unchanged: a worker whose snapshot predates our commit can
        then no longer lock them (serialization failure) and take them for
        neglected on the strength of its stale snapshot; it takes none."""
        self.env.flush_all()
        query = SQL(
            """
            WITH candidate AS (%s)
            UPDATE crm_lead SET write_date = crm_lead.write_date
              FROM candidate
             WHERE crm_lead.id = candidate.id
         RETURNING candidate.id, candidate.playbook_id
            """,
            candidates,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                rows = self.env.cr.fetchall()
        except errors.SerializationFailure:
            _logger.info(
                "Another worker scheduled follow-ups on these leads meanwhile: "
                "left to the next run."
            )
            return {}
        return dict(rows)

    @api.model
    def _playbook_neglected_leads_query(self, limit):
        """The next ``limit`` neglected leads and the playbook that watches
        them, in one query: for each lead, the playbook of its team with the
        smallest non-zero ``neglect_days`` that applies to its company (or a
        shared one) gives the delay, the revenue threshold and the follow-up
        type."""
        return SQL(
            """
            SELECT lead.id, setting.playbook_id
              FROM crm_lead lead
              JOIN crm_team team ON team.id = lead.team_id
             CROSS JOIN LATERAL (
                   -- the playbook of the team with the smallest delay that
                   -- applies to the lead: shared, or of the lead's company
                   SELECT playbook.id AS playbook_id, playbook.neglect_days,
                          COALESCE(playbook.neglect_min_revenue, 0) AS min_revenue
                     FROM crm_team_sale_activity_playbook_rel rel
                     JOIN sale_activity_playbook playbook
                       ON playbook.id = rel.playbook_id
                    WHERE rel.team_id = lead.team_id
                      AND playbook.active AND playbook.neglect_days > 0
                      AND playbook.followup_type_id IS NOT NULL
                      AND (playbook.company_id IS NULL
                           OR COALESCE(lead.company_id, team.company_id) IS NULL
                           OR playbook.company_id
                              = COALESCE(lead.company_id, team.company_id))
                 ORDER BY playbook.neglect_days, playbook.sequence, playbook.id
                    LIMIT 1
                   ) setting
             WHERE %(open_lead)s AND team.active
               -- leads of watching teams only, through the partial index
               AND lead.team_id IN (
                   SELECT rel.team_id
                     FROM crm_team_sale_activity_playbook_rel rel
                     JOIN sale_activity_playbook playbook
                       ON playbook.id = rel.playbook_id
                    WHERE playbook.active AND playbook.neglect_days > 0)
               AND (setting.min_revenue <= 0
                    OR lead.expected_revenue >= setting.min_revenue)
               AND lead.create_date
                   < %(now)s - make_interval(days => setting.neglect_days)
               AND EXISTS (
                   SELECT FROM res_users salesperson
                    WHERE salesperson.active
                      AND salesperson.id IN (lead.user_id, team.user_id))
               AND NOT EXISTS (
                   SELECT FROM mail_activity activity
                    WHERE activity.res_model = 'crm.lead'
                      AND activity.res_id = lead.id AND activity.active)
               -- someone's attention: a message or note that a person wrote
               -- or received by email, or an activity done (its message);
               -- not tracking, system notifications, mailings, nor what
               -- OdooBot (crons, automations) writes
               AND NOT EXISTS (
                   SELECT FROM mail_message message
                    WHERE message.model = 'crm.lead' AND message.res_id = lead.id
                      AND message.date
                          >= %(now)s - make_interval(days => setting.neglect_days)
                      AND message.author_id IS DISTINCT FROM %(bot)s
                      AND (message.message_type IN ('comment', 'email')
                           OR message.mail_activity_type_id IS NOT NULL))
          ORDER BY lead.id
             LIMIT %(limit)s
               FOR UPDATE OF lead SKIP LOCKED
            """,
            open_lead=OPEN_LEAD,
            now=fields.Datetime.now(),
            bot=self.env.ref("base.partner_root").id,
            limit=limit,
        )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_playbook_neglect(self, batch_size=NEGLECT_BATCH_SIZE):
        """Schedule a follow-up on the next batch of neglected leads."""
        locked = self._playbook_lock_leads(
            self._playbook_neglected_leads_query(batch_size)
        )
        leads = self.sudo().browse(sorted(locked))
        Playbook = self.env["sale.activity.playbook"].sudo()
        leads._schedule_playbook_neglect_followups(
            {lead_id: Playbook.browse(pid) for lead_id, pid in locked.items()},
            neglected=True,
        )
        # Counting what is left would cost a second scan: a full batch says
        # "more may remain", and the runner stops on an empty one.
        self.env["ir.cron"]._notify_progress(
            done=len(leads), remaining=int(len(leads) >= batch_size)
        )
