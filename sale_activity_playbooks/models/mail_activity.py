# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import clean_context
from odoo.tools.sql import column_exists, create_column

from odoo.addons.mail.tools.discuss import Store

from .. import odoo_series
from .action_records import ensure_one_record
from .cron_tools import ensure_index

# The outcome that the web client sends with a Done, in its context: one
# request (action_feedback or action_feedback_schedule_next) sets it, then
# completes the activities.
DONE_OUTCOME_KEY = "playbook_outcome_id"

# (name, columns, predicate as PostgreSQL prints it) of the reminder cron's
# partial indexes
REMINDER_INDEXES = (
    (
        "mail_activity_playbook_remind_idx",
        ["user_id", "date_deadline"],
        "(is_reminder AND (reminded_on IS NULL) AND active)",
    ),
    (
        "mail_activity_playbook_escalate_idx",
        ["date_deadline"],
        (
            "(is_reminder AND (escalated_on IS NULL) AND active "
            "AND ((res_model)::text = 'crm.lead'::text))"
        ),
    ),
)


class MailActivity(models.Model):
    """The activity side of the playbooks: provenance and reminder fields,
    the chatter's suggestions, and CRUD hooks that hand each batch to the
    engine (``sale.activity.playbook.engine``)."""

    _name = "mail.activity"
    _inherit = ("mail.activity", "sale.activity.input.checks")
    # The addon's fields (the lead's, of My Follow-ups, in mail_activity_queue.py),
    # and core's chaining_type, which the playbooks decide. Not core's state,
    # which mail_activity_queue.py only makes searchable.
    _playbook_checked_fields = (
        "playbook_line_id",
        "playbook_id",
        "playbook_source_ids",
        "outcome_id",
        "playbook_outcome_ids",
        "reminded_on",
        "escalated_on",
        "is_reminder",
        "chaining_type",
        "playbook_suggested_type_ids",
        "playbook_recommended_type_id",
        "playbook_suggestion",
        "lead_id",
        "lead_partner_id",
        "lead_team_id",
        "lead_expected_revenue",
        "lead_currency_id",
        # mail_activity_send.py
        "playbook_auto_send",
        "playbook_send_at",
    )

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
    playbook_source_ids = fields.Many2many(
        "mail.activity",
        "mail_activity_playbook_source_rel",
        "followup_id",
        "source_id",
        string="Follow-up Of",
        readonly=True,
        copy=False,
        help="The scheduled activities this follow-up was created for: it moves "
        "with their deadlines, and goes away when the last of them is cancelled "
        "(never once one of them is done).",
    )
    outcome_id = fields.Many2one(
        "sale.activity.outcome",
        ondelete="restrict",
        domain="['|', ('activity_type_ids', '=', False), "
        "('activity_type_ids', 'in', activity_type_id)]",
        help="How it went: set it, then mark the activity as done. Playbook rules "
        "may branch on it.",
    )
    playbook_outcome_ids = fields.Many2many(
        "sale.activity.outcome",
        string="Possible Outcomes",
        compute="_compute_playbook_outcome_ids",
        help="The outcomes that may be picked for this activity's type.",
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
    # The type's category, kept on the row for the reminder cron's partial
    # indexes (an index cannot look at another table); the ORM keeps it in
    # step when a type's category changes.
    is_reminder = fields.Boolean(
        "Reminder",
        compute="_compute_is_reminder",
        store=True,
        help="The activity's type uses the Reminder action.",
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

    @api.depends("activity_type_id.category")
    def _compute_is_reminder(self):
        reminder_type_ids = self.env["mail.activity.type"]._get_reminder_type_ids()
        for activity in self:
            activity.is_reminder = activity.activity_type_id.id in reminder_type_ids

    @api.depends("activity_type_id.chaining_type", "res_model", "res_id")
    def _compute_chaining_type(self):
        # While they are being done, the engine has decided already (see
        # _action_done): its answer is read, the rules are not resolved again.
        Engine = self.env["sale.activity.playbook.engine"]
        decided = self.env.context.get("playbook_done_rules")
        if decided is None or not decided.covers(self, "done"):
            decided = Engine._resolve(self, "done")
        for activity in self:
            if activity in decided.rules:
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

    @api.depends("activity_type_id")
    def _compute_playbook_outcome_ids(self):
        Outcome = self.env["sale.activity.outcome"]
        for activity in self:
            activity.playbook_outcome_ids = Outcome._for_type(activity.activity_type_id)

    @api.constrains("outcome_id", "activity_type_id")
    def _check_outcome_applies(self):
        for activity in self:
            outcome = activity.outcome_id
            if outcome and not outcome._applies_to(activity.activity_type_id):
                raise ValidationError(
                    self.env._(
                        '"%(outcome)s" is not an outcome of %(type)s: choose one '
                        "of the outcomes of that activity type.",
                        outcome=outcome.name,
                        type=activity.activity_type_id.name,
                    )
                )

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
        if not column_exists(self.env.cr, self._table, "is_reminder"):
            # filled here, in one statement: the ORM would compute it in
            # Python for every activity of the table
            create_column(self.env.cr, self._table, "is_reminder", "boolean")
            self.env.cr.execute(
                "UPDATE mail_activity activity SET is_reminder = true "
                "FROM mail_activity_type type "
                "WHERE type.id = activity.activity_type_id "
                "AND type.category = 'reminder'"
            )
        res = super()._auto_init()
        # The reminder cron goes through the due Reminder activities not
        # reminded (or not escalated) yet, per assignee; with millions of
        # activities, most of them long reminded or of other types, these stay
        # small. They go with the columns when the module is uninstalled.
        for name, columns, where in REMINDER_INDEXES:
            ensure_index(self.env.cr, name, self._table, columns, where)
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._check_playbook_bookkeeping(vals_list)
        activities = super().create(vals_list)
        if not self.env.su:
            activities.filtered("playbook_line_id")._check_playbook_line_suggested()
        self.env["sale.activity.playbook.engine"]._on_activities_scheduled(activities)
        return activities

    def write(self, vals):
        self._check_playbook_bookkeeping([vals])
        Reminder = self.env["sale.activity.reminder"]
        postponed = Reminder._postponed_by(self, vals)
        res = super().write(vals)
        if vals.get("playbook_line_id") and not self.env.su:
            self._check_playbook_line_suggested()
        if "date_deadline" in vals:
            self.env["sale.activity.playbook.engine"]._on_activities_rescheduled(self)
        Reminder._rearm(postponed)
        return res

    def unlink(self):
        # Cancelled (deleted without being done): their follow-ups go too,
        # unless they serve other sources. Done activities released theirs.
        Engine = self.env["sale.activity.playbook.engine"]
        followups = Engine._followups_of(self)
        res = super().unlink()
        if followups:
            Engine._after_sources_cancelled(followups)
        return res

    def _to_store_defaults(self, target):
        # 19.0 only: it sends the chatter the fields it lists (18.0 reads all).
        # Relational ones as 18.0 reads them, for whoever sees the activity (an
        # employee assigned a follow-up sees which playbook it comes from).
        def many2one(fname):
            return Store.Attr(
                fname,
                lambda a: (
                    (a.sudo()[fname].id, a.sudo()[fname].display_name)
                    if a[fname]
                    else False
                ),
            )

        def many2many(fname):
            return Store.Attr(fname, lambda a: a.sudo()[fname].ids)

        return [
            *super()._to_store_defaults(target),
            *odoo_series.ACTIVITY_STORE_FIELDS,
            *map(many2one, odoo_series.ACTIVITY_STORE_MANY2ONES),
            *map(many2many, odoo_series.ACTIVITY_STORE_MANY2MANYS),
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _action_done(self, feedback=False, attachment_ids=None):
        # Created before super(), which unlinks (18.0) or archives (19.0) the
        # done activities, while the leads are still in cache (as native
        # triggered activities are). Done ones that Odoo keeps, archived, were
        # followed up already. The rules are resolved once: Odoo's chaining
        # (chaining_type) reads the engine's answer.
        pending = self.filtered("active")
        followups, decided = self.env[
            "sale.activity.playbook.engine"
        ]._on_activities_done(pending, self.env.context.get("playbook_done_rules"))
        self.env["sale.activity.followup.log"]._log_done_activities(pending)
        messages, next_activities = super(
            MailActivity, self.with_context(playbook_done_rules=decided)
        )._action_done(feedback=feedback, attachment_ids=attachment_ids)
        return messages.with_env(self.env), (next_activities | followups).with_env(
            self.env
        )

    def action_feedback(self, feedback=False, attachment_ids=None):
        """Mark done, with the outcome that the web client sends in the same
        request (``playbook_outcome_id`` in the context), if any."""
        if DONE_OUTCOME_KEY in self.env.context:
            return self._record_done_outcome().action_feedback(
                feedback=feedback, attachment_ids=attachment_ids
            )
        return super().action_feedback(feedback=feedback, attachment_ids=attachment_ids)

    def action_feedback_schedule_next(self, feedback=False, attachment_ids=None):
        """Done & Schedule Next, with the outcome sent as for ``action_feedback``;
        a playbook's suggestions come first in the dialog."""
        ensure_one_record(self)
        if DONE_OUTCOME_KEY in self.env.context:
            return self._record_done_outcome().action_feedback_schedule_next(
                feedback=feedback, attachment_ids=attachment_ids
            )
        decided = self.env["sale.activity.playbook.engine"]._resolve(self, "done")
        if not decided.suggests():
            action = super(
                MailActivity, self.with_context(playbook_done_rules=decided)
            ).action_feedback_schedule_next(
                feedback=feedback, attachment_ids=attachment_ids
            )
            if isinstance(action, dict):
                # the form's context is sent to the web client: ids only there
                action.get("context", {}).pop("playbook_done_rules", None)
            return action
        ctx = dict(
            clean_context(self.env.context),
            default_previous_activity_type_id=self.activity_type_id.id,
            activity_previous_deadline=self.date_deadline,
            playbook_previous_user_id=self.user_id.id,
            playbook_previous_outcome_id=self.outcome_id.id,
            default_res_id=self.res_id,
            default_res_model=self.res_model,
        )
        # Rules that trigger next activities run too; the suggestions are
        # still offered.
        self.with_context(playbook_done_rules=decided)._action_done(
            feedback=feedback, attachment_ids=attachment_ids
        )
        return {
            "name": self.env._("Schedule an Activity"),
            "context": ctx,
            "view_mode": "form",
            "res_model": "mail.activity",
            "views": [(False, "form")],
            "type": "ir.actions.act_window",
            "target": "new",
        }

    def _record_done_outcome(self):
        """Set the outcome sent with a Done (``playbook_outcome_id`` in the
        context) on the pending activities, with the checks of a write: the
        user's access, the value, and that it is an outcome of their type.
        Returns them without it in their context, for the Done itself."""
        context = dict(self.env.context)
        outcome_id = context.pop(DONE_OUTCOME_KEY)
        self.filtered("active").write({"outcome_id": outcome_id})
        # without the key, as clean_context() drops keys: a key set to None
        # would stay in the context of the "Schedule an Activity" dialog
        return self.with_context(context)  # pylint: disable=context-overridden

    # ------------------------------------------------------------------
    # Playbook rules of these activities (the engine decides)
    # ------------------------------------------------------------------

    def _is_playbook_followup(self):
        """A follow-up: made by a playbook, or of a Reminder type."""
        self.ensure_one()
        return bool(
            self.playbook_line_id or self.activity_type_id.category == "reminder"
        )

    def _playbook_rules(self, trigger_on, type_field="activity_type_id"):
        """``{activity: playbook lines}``: see the engine's
        ``_rules_for_activities``."""
        return self.env["sale.activity.playbook.engine"]._rules_for_activities(
            self, trigger_on, type_field
        )

    def _apply_playbook_line(self, line):
        """Fill a next activity that ``line`` suggests (onchange)."""
        # _playbook_rules() only suggested ``line`` for a lead the user may read
        lead = self.env["crm.lead"].browse(self.res_id)
        source_user = self.env["res.users"].browse(
            self.env.context.get("playbook_previous_user_id")
        )
        user = line._determine_responsible(lead, source_user.exists())
        self.user_id = user
        self.date_deadline = line._get_date_deadline(
            user, self.env.context.get("activity_previous_deadline")
        )
        lang_line = line.with_context(lang=user.lang or self.env.lang)
        if lang_line.summary:
            self.summary = lang_line.summary
        if lang_line.note:
            self.note = lang_line.note
        self.playbook_line_id = line

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
