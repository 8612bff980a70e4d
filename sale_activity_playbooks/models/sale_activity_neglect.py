# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

from .cron_tools import ensure_index, lock_rows, notify_progress
from .sale_activity_followup_planner import Followup

_logger = logging.getLogger(__name__)

# Leads per batch of the cron.
NEGLECT_BATCH_SIZE = 500
# Open leads of one team that a scan reads at most at once: its cost stays
# that of a chunk, whatever the batches before it went through.
NEGLECT_SCAN_CHUNK = 2000
# An open lead, as crm counts it: active (lost leads are archived) and not in
# a won stage. Never the probability: without won or lost history, predictive
# lead scoring computes none and the column is NULL.
OPEN_LEAD = SQL(
    "lead.active AND NOT EXISTS (SELECT FROM crm_stage stage "
    "WHERE stage.id = lead.stage_id AND stage.is_won)"
)


class SaleActivityNeglect(models.AbstractModel):
    """Neglected leads (open, nothing planned, done or written for a while)
    get a follow-up: from the daily ``ir_cron_playbook_neglect``, one batch
    per call, going on where the previous call stopped; or on demand, from
    the server action *Schedule follow-up* on leads.

    A lead is taken by locking its row (``FOR NO KEY UPDATE SKIP LOCKED``)
    and rewriting it unchanged, in the transaction that follows it up."""

    _name = "sale.activity.neglect"
    _description = "Follow-ups of Neglected Leads"

    def init(self):
        # The scan goes through the open leads of watching teams in this
        # order, from where its previous batch stopped; lost ones stay out
        # of this index (won ones are told by their stage, another table).
        ensure_index(
            self.env.cr,
            "crm_lead_playbook_open_team_idx",
            "crm_lead",
            ["team_id", "id"],
            where="active",
        )

    # ------------------------------------------------------------------
    # Follow-ups
    # ------------------------------------------------------------------

    @api.model
    def _schedule_on_demand(self, leads):
        """Schedule the playbook's follow-up on ``leads`` (open, nothing
        planned, not paused) unless someone else holds them: ``(the
        follow-ups, the ids of the leads held)``."""
        # A lead that someone changed after this transaction began cannot be
        # locked: the serialization failure reaches Odoo, which runs the
        # request again on a fresh snapshot.
        taken, held, _conflicts = self._lock_leads(
            SQL(
                "SELECT id, NULL::integer AS playbook_id FROM crm_lead "
                "WHERE id = ANY(%s)",
                leads.ids,
            )
        )
        leads = leads.browse(sorted(taken))
        Playbook = self.env["sale.activity.playbook"]
        settings = Playbook._get_team_settings("neglect_days")
        playbooks = {
            lead.id: Playbook._setting_for_lead(settings, lead)
            or Playbook._setting_for_lead(
                {lead.team_id.id: lead.team_id.playbook_ids.filtered("active")}, lead
            )
            for lead in leads
        }
        return self._schedule_followups(leads, playbooks), held

    @api.model
    def _schedule_followups(self, leads, playbooks, neglected=False):
        """Schedule on each of ``leads`` the follow-up of its playbook
        (``{lead id: playbook}``) for its salesperson, due on their next working
        day. ``neglected``: say so in the follow-up's note."""
        if not leads:
            return self.env["mail.activity"]
        Line = self.env["sale.activity.playbook.line"]
        default_type = self.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up",
            raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        UserTime = self.env["sale.activity.user.time"]
        calendars_cache, notes = {}, {}
        values = []
        for lead in leads:
            playbook = playbooks.get(lead.id) or self.env["sale.activity.playbook"]
            activity_type = playbook.followup_type_id or default_type
            user = self._followup_user(lead)
            today = UserTime._user_today(user)
            calendar = UserTime._working_calendar(user)
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
                vals["note"] = self._neglect_note(playbook, user, notes)
            values.append(Followup(vals, notify=playbook.notify_assignment))
        Planner = self.env["sale.activity.followup.planner"]
        created, _shared, _satisfied = Planner._create_followups(values)
        return created

    @api.model
    def _neglect_note(self, playbook, user, notes):
        """The note of a neglect follow-up, in the salesperson's language (as
        the rules' follow-ups); ``notes`` caches them."""
        key = (playbook.neglect_days, user.lang or self.env.lang)
        if key not in notes:
            days, lang = key
            Line = self.env["sale.activity.playbook.line"].with_context(lang=lang)
            notes[key] = self.with_context(lang=lang).env._(
                "Nothing planned, done or written on this lead for %(days)s %(unit)s.",
                days=days,
                unit=Line._unit_word("days", days),
            )
        return notes[key]

    @api.model
    def _followup_user(self, lead):
        """The salesperson, or the team leader when there is no active one."""
        for user in (lead.user_id, lead.team_id.user_id):
            if user.active:
                return user
        return self.env.user

    # ------------------------------------------------------------------
    # Locks
    # ------------------------------------------------------------------

    @api.model
    def _lock_leads(self, candidates, isolate_conflicts=False):
        """Lock the leads that ``candidates`` selects (a query of ``(lead id,
        playbook id)`` rows, without locks) unless someone else holds them,
        and return ``(taken, held, conflicts)``: ``{lead id: playbook id}`` of
        the leads locked, the ids of those that someone else holds, and of
        those changed by a transaction that committed after this one's
        snapshot.

        The locked rows are rewritten unchanged: a transaction whose snapshot
        predates our commit can then no longer lock them (serialization
        failure), and cannot take them for neglected on the strength of its
        stale snapshot. That error propagates (Odoo runs a request again on a
        fresh snapshot) unless ``isolate_conflicts``: then only the leads
        changed meanwhile are left out, in ``conflicts``."""
        self.env.flush_all()
        cr = self.env.cr
        take = SQL(
            """
            WITH candidate AS MATERIALIZED (%s),
                 free AS (
                     SELECT lead.id FROM crm_lead lead
                       JOIN candidate ON candidate.id = lead.id
                   ORDER BY lead.id
                        FOR NO KEY UPDATE OF lead SKIP LOCKED),
                 taken AS (
                     UPDATE crm_lead SET write_date = crm_lead.write_date
                       FROM free
                      WHERE crm_lead.id = free.id
                  RETURNING crm_lead.id)
            SELECT candidate.id, candidate.playbook_id, taken.id IS NOT NULL
              FROM candidate LEFT JOIN taken ON taken.id = candidate.id
            """,
            candidates,
        )
        conflicts = []
        if not isolate_conflicts:
            cr.execute(take, log_exceptions=False)
            rows = cr.fetchall()
        else:
            try:
                with cr.savepoint(flush=False):
                    cr.execute(take, log_exceptions=False)
                    rows = cr.fetchall()
            except errors.SerializationFailure:
                rows, conflicts = self._lock_leads_apart(candidates)
        taken = {lead_id: playbook_id for lead_id, playbook_id, ok in rows if ok}
        held = [
            lead_id
            for lead_id, _playbook_id, ok in rows
            if not ok and lead_id not in conflicts
        ]
        return taken, held, conflicts

    @api.model
    def _lock_leads_apart(self, candidates):
        """Lock the leads of ``candidates`` when some changed meanwhile: the
        rows of ``_lock_leads``, and the leads left to the next call."""
        cr = self.env.cr
        cr.execute(candidates)
        playbook_by_lead = dict(cr.fetchall())
        locked, conflicts = lock_rows(
            cr,
            lambda ids: SQL(
                """
                UPDATE crm_lead SET write_date = crm_lead.write_date
                 WHERE id IN (SELECT id FROM crm_lead WHERE id = ANY(%s)
                            ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)
             RETURNING id
                """,
                ids,
            ),
            list(playbook_by_lead),
        )
        _logger.info("Leads %s changed meanwhile: left to the next batch.", conflicts)
        locked = set(locked)
        rows = [
            (lead_id, playbook_id, lead_id in locked)
            for lead_id, playbook_id in playbook_by_lead.items()
        ]
        return rows, conflicts

    @api.model
    def _neglected_leads_query(self, limit, after=(0, 0), until=None):
        """The next ``limit`` neglected leads after ``after`` (a ``(sales team
        id, lead id)`` position: leads come in that order), up to ``until``
        (included; None: to the end), and the playbook that watches them, in
        one query: for each lead, the playbook of its team with the smallest
        non-zero ``neglect_days`` that applies to its company (or a shared
        one) gives the delay, the revenue threshold and the follow-up type."""
        watching_teams = list(
            self.env["sale.activity.playbook"]._get_team_settings("neglect_days")
        )
        until = until or (2**31 - 1, 2**31 - 1)
        now = fields.Datetime.now()
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
             WHERE %(open_lead)s AND team.active AND NOT %(paused)s
               -- the open leads of watching teams after the position, in the
               -- order of the partial index: a batch reads from where the
               -- previous one stopped
               AND lead.team_id = ANY(%(teams)s)
               AND (lead.team_id, lead.id) > (%(after_team)s, %(after_lead)s)
               AND (lead.team_id, lead.id) <= (%(until_team)s, %(until_lead)s)
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
          ORDER BY lead.team_id, lead.id
             LIMIT %(limit)s
            """,
            open_lead=OPEN_LEAD,
            paused=self.env["crm.lead"]._playbook_paused_condition("lead", now),
            teams=watching_teams,
            after_team=after[0],
            after_lead=after[1],
            until_team=until[0],
            until_lead=until[1],
            now=now,
            bot=self.env.ref("base.partner_root").id,
            limit=limit,
        )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_playbook_neglect(self, batch_size=NEGLECT_BATCH_SIZE):
        """Schedule a follow-up on the next batch of neglected leads, from
        where the previous call stopped."""
        position = self._neglect_position()
        taken, held, conflicts = {}, [], []
        found = 0
        # chunk after chunk of open leads, until the batch is full or the
        # pass through the leads ends
        while found < batch_size and position:
            until = self._chunk_end(position)
            chunk_taken, chunk_held, chunk_conflicts = self._lock_leads(
                self._neglected_leads_query(
                    batch_size - found, after=position, until=until
                ),
                isolate_conflicts=True,
            )
            taken.update(chunk_taken)
            held += chunk_held
            conflicts += chunk_conflicts
            chunk_found = list(chunk_taken) + chunk_held + chunk_conflicts
            found += len(chunk_found)
            if found >= batch_size:
                position = max(map(self._scan_key, self._leads(chunk_found)))
            else:
                position = until  # None: the pass ended
        leads = self._leads(sorted(taken))
        Playbook = self.env["sale.activity.playbook"].sudo()
        self._schedule_followups(
            leads,
            {lead_id: Playbook.browse(pid) for lead_id, pid in taken.items()},
            neglected=True,
        )
        # Leads changed meanwhile are read again by the next call, from the
        # first of them; leads that others hold are left to them.
        more = int(bool(position))
        if conflicts:
            team_id, lead_id = min(map(self._scan_key, self._leads(conflicts)))
            position = (team_id, lead_id - 1)
        self._store_neglect_position(position)
        notify_progress(
            self.env,
            "sale_activity_playbooks.ir_cron_playbook_neglect",
            done=len(leads),
            remaining=len(conflicts) + more,
        )

    @api.model
    def _chunk_end(self, after):
        """Where the chunk of the scan that starts after ``after`` ends: the
        position of the ``NEGLECT_SCAN_CHUNK``-th open lead of its team after
        it (or of the team's last one; None after the last team). One probe of
        the partial index, in its order."""
        teams = sorted(
            self.env["sale.activity.playbook"]._get_team_settings("neglect_days")
        )
        for team_id in teams:
            if team_id < after[0]:
                continue
            after_lead = after[1] if team_id == after[0] else 0
            self.env["crm.lead"].flush_model(["active", "team_id"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT max(id) FROM (
                        SELECT id FROM crm_lead
                         WHERE active AND team_id = %s AND id > %s
                      ORDER BY id LIMIT %s) chunk
                    """,
                    team_id,
                    after_lead,
                    NEGLECT_SCAN_CHUNK,
                )
            )
            (last_id,) = self.env.cr.fetchone()
            if last_id:
                return (team_id, last_id)
        return None

    @api.model
    def _leads(self, ids):
        return self.env["crm.lead"].sudo().browse(ids)

    @api.model
    def _adopt_cron(self):
        """Point the neglect cron at this model in a database where it ran on
        ``crm.lead`` (its record is noupdate): run on every update."""
        cron = self.env.ref(
            "sale_activity_playbooks.ir_cron_playbook_neglect", raise_if_not_found=False
        )
        if cron and cron.model_id.model == "crm.lead":
            cron.sudo().model_id = self.env["ir.model"]._get(self._name)

    # ------------------------------------------------------------------
    # Where the scan stopped
    # ------------------------------------------------------------------

    @api.model
    def _scan_key(self, lead):
        return (lead.team_id.id, lead.id)

    @api.model
    def _neglect_position(self):
        """Where the previous call of the cron stopped: a ``(sales team id,
        lead id)`` position, ``(0, 0)`` at the start of a pass. Read from the
        progress records of Odoo's cron runner."""
        progress = self._cron_progress()
        if not progress:
            return (0, 0)
        previous = progress.search(
            [
                ("cron_id", "=", progress.cron_id.id),
                ("id", "<", progress.id),
                ("playbook_scan_position", "!=", False),
            ],
            order="id desc",
            limit=1,
        )
        position = previous.playbook_scan_position
        if not position or position == "end":
            return (0, 0)
        team_id, lead_id = position.split(",")
        return (int(team_id), int(lead_id))

    @api.model
    def _store_neglect_position(self, position):
        """Store ``position`` (None: the pass ended) for the next call."""
        self._cron_progress().playbook_scan_position = (
            "%s,%s" % position if position else "end"
        )

    @api.model
    def _cron_progress(self):
        """The progress record of this call of the cron runner (none when
        the method is called otherwise)."""
        progress_id = self.env.context.get("ir_cron_progress_id")
        return self.env["ir.cron.progress"].sudo().browse(progress_id or [])
