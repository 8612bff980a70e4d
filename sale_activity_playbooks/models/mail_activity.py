# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import Counter, defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import clean_context

_logger = logging.getLogger(__name__)

# Rules on "is scheduled" cascade (an Email schedules a Follow-up, which may
# schedule more). Loops are refused when rules are saved; this only guards
# against rules written behind the ORM's back.
MAX_CASCADE_DEPTH = 10

# Set by the engine (and its crons) only: a user who could write them could
# silence their own reminders and escalations.
PLAYBOOK_BOOKKEEPING_FIELDS = ("playbook_source_id", "reminded_on", "escalated_on")


class MailActivity(models.Model):
    _name = "mail.activity"
    _inherit = ("mail.activity", "sale.activity.input.checks")

    playbook_line_id = fields.Many2one(
        "sale.activity.playbook.line",
        string="Playbook Rule",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The playbook rule that created this activity.",
    )
    playbook_id = fields.Many2one(
        related="playbook_line_id.playbook_id", string="Playbook"
    )
    playbook_source_id = fields.Many2one(
        "mail.activity",
        string="Follow-up Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The scheduled activity this follow-up was created for: it moves with "
        "its deadline and goes away when it is cancelled.",
    )
    reminded_on = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the assignee was reminded of this overdue follow-up.",
    )
    escalated_on = fields.Datetime(
        readonly=True,
        copy=False,
        help="When this overdue follow-up was escalated to the team leader.",
    )
    # Native chaining (type.chaining_type) is replaced by the playbooks for the
    # teams that have rules on completing this activity type.
    chaining_type = fields.Selection(
        [("suggest", "Suggest Next Activity"), ("trigger", "Trigger Next Activity")],
        related=False,
        compute="_compute_chaining_type",
    )
    playbook_suggested_type_ids = fields.Many2many(
        "mail.activity.type",
        string="Suggested by Playbooks",
        compute="_compute_playbook_suggested_type_ids",
    )
    playbook_recommended_type_id = fields.Many2one(
        "mail.activity.type",
        string="Next Step",
        store=False,
        help="The next activities that the team's playbooks suggest.",
    )
    playbook_suggestion = fields.Text(
        compute="_compute_playbook_suggestion",
        help="The playbook rules that suggest the next activities, as sentences.",
    )

    # ------------------------------------------------------------------
    # Computes and onchanges
    # ------------------------------------------------------------------

    @api.depends("activity_type_id.chaining_type", "res_model", "res_id")
    def _compute_chaining_type(self):
        controlled = self._playbook_rules("done")
        for activity in self:
            if activity in controlled:
                activity.chaining_type = "suggest"
            else:
                activity.chaining_type = activity.activity_type_id.chaining_type

    @api.depends("previous_activity_type_id", "res_model", "res_id")
    def _compute_playbook_suggested_type_ids(self):
        rules = self._playbook_rules("done", type_field="previous_activity_type_id")
        for activity in self:
            lines = rules.get(activity, self.env["sale.activity.playbook.line"])
            activity.playbook_suggested_type_ids = lines.filtered(
                lambda line: line.chaining_type == "suggest"
            ).next_type_ids

    # Odoo does not inherit @api.onchange: overrides repeat the decorator.
    @api.onchange("previous_activity_type_id")
    def _compute_has_recommended_activities(self):
        res = super()._compute_has_recommended_activities()
        controlled = self._playbook_rules(
            "done", type_field="previous_activity_type_id"
        )
        for activity in self:
            if activity in controlled:
                activity.has_recommended_activities = False
        return res

    @api.onchange("previous_activity_type_id")
    def _onchange_previous_activity_type_id(self):
        controlled = self._playbook_rules(
            "done", type_field="previous_activity_type_id"
        )
        return super(
            MailActivity, self.filtered(lambda a: a not in controlled)
        )._onchange_previous_activity_type_id()

    @api.onchange("playbook_recommended_type_id")
    def _onchange_playbook_recommended_type_id(self):
        if self.playbook_recommended_type_id:
            self.activity_type_id = self.playbook_recommended_type_id

    @api.onchange("activity_type_id")
    def _onchange_activity_type_id(self):
        res = super()._onchange_activity_type_id()
        # A next activity that a playbook suggests gets the rule's deadline,
        # assignee and texts.
        self.playbook_line_id = False
        rules = self._playbook_rules("done", type_field="previous_activity_type_id")
        for line in rules.get(self, []):
            if line.chaining_type == "suggest" and self.activity_type_id in (
                line.next_type_ids
            ):
                self._apply_playbook_line(line)
                break
        return res

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _auto_init(self):
        res = super()._auto_init()
        # The reminder cron looks for Reminder activities not reminded (or not
        # escalated) yet whose deadline has come: with millions of activities,
        # most of them long reminded, these stay small. They go with the
        # columns when the module is uninstalled.
        tools.create_index(
            self._cr,
            "mail_activity_playbook_remind_idx",
            self._table,
            ["activity_type_id", "date_deadline"],
            where="reminded_on IS NULL AND active",
        )
        tools.create_index(
            self._cr,
            "mail_activity_playbook_escalate_idx",
            self._table,
            ["activity_type_id", "date_deadline"],
            where="escalated_on IS NULL AND active AND res_model = 'crm.lead'",
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._check_playbook_bookkeeping(vals_list)
        activities = super().create(vals_list)
        if not self.env.su:
            activities.filtered("playbook_line_id")._check_playbook_line_suggested()
        activities._schedule_playbook_followups("scheduled")
        return activities

    def write(self, vals):
        self._check_playbook_bookkeeping([vals])
        postponed = self._get_postponed_reminders(vals)
        res = super().write(vals)
        if vals.get("playbook_line_id") and not self.env.su:
            self._check_playbook_line_suggested()
        if "date_deadline" in vals:
            self._move_playbook_followups()
        if postponed:
            # the engine's bookkeeping, not the user's
            postponed.sudo().write({"reminded_on": False, "escalated_on": False})
        return res

    def unlink(self):
        # Done activities are unlinked too: their follow-ups stay.
        followups = self.browse()
        if not self.env.context.get("playbook_activity_done"):
            followups = self._get_playbook_followups()
        res = super().unlink()
        followups = followups.exists()
        if followups:
            followups.unlink()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _action_done(self, feedback=False, attachment_ids=None):
        # Created before super(), which unlinks the done activities, while the
        # leads are still in cache (as native triggered activities are).
        followups = self._create_playbook_followups(
            self._prepare_playbook_followups("done")
        )
        self.env["sale.activity.followup.log"]._log_done_activities(self)
        messages, next_activities = super(
            MailActivity, self.with_context(playbook_activity_done=True)
        )._action_done(feedback=feedback, attachment_ids=attachment_ids)
        return messages, next_activities | followups

    def action_feedback_schedule_next(self, feedback=False, attachment_ids=None):
        suggested = any(
            line.chaining_type == "suggest"
            for lines in self._playbook_rules("done").values()
            for line in lines
        )
        if not suggested:
            return super().action_feedback_schedule_next(
                feedback=feedback, attachment_ids=attachment_ids
            )
        ctx = dict(
            clean_context(self.env.context),
            default_previous_activity_type_id=self.activity_type_id.id,
            activity_previous_deadline=self.date_deadline,
            playbook_previous_user_id=self.user_id.id,
            default_res_id=self.res_id,
            default_res_model=self.res_model,
        )
        # Rules that trigger next activities run too; the suggestions are
        # still offered.
        self._action_done(feedback=feedback, attachment_ids=attachment_ids)
        return {
            "name": self.env._("Schedule an Activity"),
            "context": ctx,
            "view_mode": "form",
            "res_model": "mail.activity",
            "views": [(False, "form")],
            "type": "ir.actions.act_window",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Playbook engine
    # ------------------------------------------------------------------

    def _playbook_rules(self, trigger_on, type_field="activity_type_id"):
        """Map the activities of ``self`` on leads to the rules (``trigger_on``)
        that the playbooks of the lead's team have for their ``type_field``:
        ``{activity: playbook lines}``. Activities without rules are left out."""
        Playbook = self.env["sale.activity.playbook"]
        type_ids = Playbook._get_rule_type_ids(trigger_on)
        lead_activities = self.filtered(
            lambda a: (
                a.res_model == "crm.lead" and a.res_id and a[type_field].id in type_ids
            )
        )
        if not lead_activities:
            return {}
        leads = (
            self.env["crm.lead"].sudo().browse(set(lead_activities.mapped("res_id")))
        )
        lead_by_id = {lead.id: lead for lead in leads}
        # Saved activities passed the access checks of mail.activity: their
        # lead is read with the engine's privileges (its salesperson may be
        # someone else). An activity being edited in a form names its lead
        # itself: only a lead the user may read says what its team's
        # playbooks suggest.
        new_lead_ids = {a.res_id for a in lead_activities if not a._origin}
        readable_new_lead_ids = set()
        if new_lead_ids:
            readable_new_lead_ids = set(
                self.env["crm.lead"]
                .browse(new_lead_ids & set(lead_by_id))
                ._filtered_access("read")
                .ids
            )
        candidates = []
        for activity in lead_activities:
            lead = lead_by_id.get(activity.res_id)
            if not lead or not lead.team_id:
                continue
            if not activity._origin and lead.id not in readable_new_lead_ids:
                continue
            rules = Playbook._get_team_rules(lead.team_id.id)
            line_ids = rules.get((trigger_on, activity[type_field].id))
            if line_ids:
                candidates.append((activity, lead, line_ids))
        if not candidates:
            return {}
        all_lines = (
            self.env["sale.activity.playbook.line"]
            .sudo()
            .browse(
                {line_id for _a, _l, line_ids in candidates for line_id in line_ids}
            )
        )
        line_by_id = {line.id: line for line in all_lines}
        result = {}
        for activity, lead, line_ids in candidates:
            company = lead.company_id or lead.team_id.company_id
            lines = self.env["sale.activity.playbook.line"].sudo()
            for line_id in line_ids:
                line = line_by_id[line_id]
                if not company or line.company_id in (company, company.browse()):
                    lines |= line
            if lines:
                result[activity] = Playbook._sort_rules(lines)
        return result

    def _prepare_playbook_followups(self, trigger_on):
        """Values of the activities that rules on ``trigger_on`` create for
        ``self``, as ``[(notify assignee, values)]``."""
        rules = self._playbook_rules(trigger_on)
        if not rules:
            return []
        leads = self.env["crm.lead"].sudo().browse([a.res_id for a in rules])
        lead_by_id = {lead.id: lead for lead in leads}
        calendars_cache = {}
        values = []
        for activity, lines in rules.items():
            lead = lead_by_id[activity.res_id]
            for line in lines.filtered(lambda line: line.chaining_type == "trigger"):
                user = line._responsible_user(lead, activity.user_id)
                deadline = line._deadline(user, activity.date_deadline, calendars_cache)
                for next_type in line.next_type_ids:
                    vals = {
                        "res_model_id": activity.res_model_id.id,
                        "res_id": activity.res_id,
                        "activity_type_id": next_type.id,
                        "summary": line.summary or next_type.summary or False,
                        "note": line.note or next_type.default_note or False,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "previous_activity_type_id": activity.activity_type_id.id,
                        "playbook_line_id": line.id,
                        "automated": True,
                    }
                    if trigger_on == "scheduled":
                        vals["playbook_source_id"] = activity.id
                    values.append((line.playbook_id.notify_assignment, vals))
        return values

    def _create_playbook_followups(self, values):
        """Create the prepared follow-ups in (at most) two batches: with and
        without Odoo's "assigned to you" notification."""
        if not values:
            return self.browse()
        depth = self.env.context.get("playbook_cascade_depth")
        depth = depth if isinstance(depth, int) and depth > 0 else 0
        if depth >= MAX_CASCADE_DEPTH:
            _logger.error(
                "Playbook rules on scheduled activities cascade more than %s "
                "levels deep: %s follow-ups not created.",
                MAX_CASCADE_DEPTH,
                len(values),
            )
            return self.browse()
        # The follow-ups come from the playbooks' configuration: a salesperson
        # who completes an activity on a lead they may not edit still gets its
        # follow-ups created. Only values the engine computed are written with
        # its privileges, in a context of its own: nothing that the caller's
        # context says (defaults, tracking, mail options) applies to them.
        Activity = (
            self.env["mail.activity"]
            .sudo()
            .with_context(
                {
                    key: self.env.context[key]
                    for key in ("lang", "tz")
                    if key in self.env.context
                },
                playbook_cascade_depth=depth + 1,
            )
        )
        self._subscribe_repeated_assignees([vals for _notify, vals in values])
        created = self.browse()
        for notify in (False, True):
            batch = [
                vals for notify_assignee, vals in values if notify_assignee == notify
            ]
            if batch:
                created |= Activity.with_context(
                    mail_activity_quick_update=not notify
                ).create(batch)
        return created.with_env(self.env)

    def _subscribe_repeated_assignees(self, vals_list):
        """Subscribe the users who get several follow-ups of one record at
        once: mail.activity.create() subscribes an assignee once per activity,
        and would insert the same new follower twice."""
        counts = Counter(
            (vals["res_model_id"], vals["res_id"], vals["user_id"])
            for vals in vals_list
        )
        repeated = defaultdict(set)
        for (model_id, res_id, user_id), count in counts.items():
            if count > 1:
                repeated[model_id, user_id].add(res_id)
        for (model_id, user_id), res_ids in repeated.items():
            model = self.env["ir.model"].sudo().browse(model_id).model
            partner = self.env["res.users"].sudo().browse(user_id).partner_id
            self.env[model].sudo().browse(res_ids).message_subscribe(
                partner_ids=partner.ids
            )

    def _schedule_playbook_followups(self, trigger_on):
        values = self._prepare_playbook_followups(trigger_on)
        if values:
            self._create_playbook_followups(values)

    def _get_playbook_followups(self):
        """Pending follow-ups that rules on scheduled activities created for
        ``self``."""
        sources = self.filtered(lambda a: a.res_model == "crm.lead")
        if not sources:
            return self.browse()
        return self.sudo().search([("playbook_source_id", "in", sources.ids)])

    def _move_playbook_followups(self):
        """Follow-ups counted from their source's deadline move with it."""
        followups = self._get_playbook_followups().filtered(
            lambda f: f.playbook_line_id.delay_from == "previous_activity"
        )
        calendars_cache = {}
        by_deadline = defaultdict(lambda: self.browse().sudo())
        for followup in followups:
            deadline = followup.playbook_line_id._deadline(
                followup.user_id,
                followup.playbook_source_id.date_deadline,
                calendars_cache,
            )
            if deadline != followup.date_deadline:
                by_deadline[deadline] |= followup
        for deadline, moved in by_deadline.items():
            moved.write({"date_deadline": deadline})

    def _apply_playbook_line(self, line):
        """Fill a next activity that ``line`` suggests (onchange)."""
        # _playbook_rules() only suggested ``line`` for a lead the user may read
        lead = self.env["crm.lead"].browse(self.res_id)
        source_user = self.env["res.users"].browse(
            self.env.context.get("playbook_previous_user_id")
        )
        user = line._responsible_user(lead, source_user.exists())
        self.user_id = user
        self.date_deadline = line._deadline(
            user, self.env.context.get("activity_previous_deadline")
        )
        if line.summary:
            self.summary = line.summary
        if line.note:
            self.note = line.note
        self.playbook_line_id = line

    # ------------------------------------------------------------------
    # Reminders (sale.activity.reminder)
    # ------------------------------------------------------------------

    def _get_postponed_reminders(self, vals):
        """The activities of ``self`` already reminded or escalated that
        ``vals`` postpones: they are due again later, so their reminder and
        escalation are re-armed (this covers "Snooze 7d" too)."""
        if not vals.get("date_deadline") or {"reminded_on", "escalated_on"} & set(vals):
            return self.browse()
        deadline = fields.Date.to_date(vals["date_deadline"])
        return self.filtered(
            lambda a: (a.reminded_on or a.escalated_on) and a.date_deadline < deadline
        )

    # ------------------------------------------------------------------
    # "Done & Schedule Next": the playbook's suggestion first
    # ------------------------------------------------------------------

    @api.depends("previous_activity_type_id", "res_model", "res_id")
    def _compute_playbook_suggestion(self):
        rules = self._playbook_rules("done", type_field="previous_activity_type_id")
        for activity in self:
            lines = rules.get(activity, self.env["sale.activity.playbook.line"])
            activity.playbook_suggestion = "\n".join(
                self.env._(
                    "%(playbook)s: %(rule)s.",
                    playbook=line.playbook_id.name,
                    rule=line._sentence(),
                )
                for line in lines.filtered(lambda l: l.chaining_type == "suggest")
            )

    @api.onchange("previous_activity_type_id")
    def _onchange_previous_activity_type_id_playbook(self):
        # The first suggested type is preselected with its rule's deadline and
        # assignee. The onchange of activity_type_id is applied here: it may
        # already have run in this onchange round.
        for activity in self:
            suggested_types = activity.playbook_suggested_type_ids._origin
            suggested = suggested_types[:1]
            if suggested and activity.activity_type_id._origin not in suggested_types:
                activity.playbook_recommended_type_id = suggested
                activity.activity_type_id = suggested
                activity._onchange_activity_type_id()

    # ------------------------------------------------------------------
    # What users may write
    # ------------------------------------------------------------------

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
