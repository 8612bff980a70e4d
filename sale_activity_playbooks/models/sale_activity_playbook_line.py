# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# A delay beyond this is a typing error, not a follow-up (about ten years).
MAX_DELAY = {"days": 3650, "working_days": 2600, "weeks": 520, "months": 120}


class SaleActivityPlaybookLine(models.Model):
    _name = "sale.activity.playbook.line"
    # the input checks first: nothing is read before they pass
    _inherit = (
        "sale.activity.input.checks",
        "sale.activity.playbook.cache.mixin",
        "sale.activity.playbook.line.sentence",
    )
    _description = "Activity Playbook Rule"
    _playbook_checked_fields = (
        "playbook_id",
        "company_id",
        "sequence",
        "activity_type_id",
        "trigger_on",
        "chaining_type",
        "next_type_ids",
        "outcome_ids",
        "repeat_limit",
        "delay_count",
        "delay_unit",
        "delay_from",
        "responsible",
        "user_id",
        "summary",
        "note",
        # sale_activity_playbook_line_send.py
        "mail_template_id",
        "auto_send",
    )
    _order = "playbook_id, sequence, id"
    # what the engine caches (sale.activity.playbook._get_rule_facts)
    _playbook_cache_fields = frozenset(
        {
            "playbook_id",
            "activity_type_id",
            "trigger_on",
            "chaining_type",
            "outcome_ids",
            "next_type_ids",
            "repeat_limit",
            # how it plans (RuleFacts.planning)
            "delay_count",
            "delay_unit",
            "delay_from",
            "responsible",
            "user_id",
            "summary",
            "note",
            "auto_send",
        }
    )
    playbook_id = fields.Many2one(
        "sale.activity.playbook",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="playbook_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="When",
        index=True,
        ondelete="restrict",
        domain="[('res_model', 'in', (False, 'crm.lead'))]",
        help="The activity type that starts this rule (none for a start rule).",
    )
    trigger_on = fields.Selection(
        [
            ("done", "is marked as done"),
            ("scheduled", "is scheduled"),
            ("start", "starts on a lead"),
        ],
        string="Moment",
        required=True,
        default="done",
    )
    chaining_type = fields.Selection(
        [("trigger", "Trigger"), ("suggest", "Suggest"), ("stop", "Stop")],
        string="Then",
        required=True,
        default="trigger",
        help="Trigger: the next activities are created at once. Suggest: they are "
        'proposed by "Done & Schedule Next". Stop: the pending follow-ups that this '
        "playbook created on the lead are removed. Suggest and stop apply only "
        "when an activity is done.",
    )
    next_type_ids = fields.Many2many(
        "mail.activity.type",
        "sale_activity_playbook_line_next_type_rel",
        "line_id",
        "type_id",
        string="Next Activities",
        domain="[('res_model', 'in', (False, 'crm.lead'))]",
        help="Required, except for a rule that stops.",
    )
    outcome_ids = fields.Many2many(
        "sale.activity.outcome",
        "sale_activity_playbook_line_outcome_rel",
        "line_id",
        "outcome_id",
        domain="['|', ('activity_type_ids', '=', False), "
        "('activity_type_ids', 'in', activity_type_id)]",
        help="Only when the activity is done with one of these outcomes. Empty: "
        "whatever the outcome, unless a rule with outcomes matches it (the more "
        "specific rules win).",
    )
    repeat_limit = fields.Integer(
        default=0,
        help="How many times at most this rule creates activities on one lead. "
        "0: no limit.",
    )
    delay_count = fields.Integer("Delay", default=0)
    delay_unit = fields.Selection(
        [
            ("days", "days"),
            ("working_days", "working days"),
            ("weeks", "weeks"),
            ("months", "months"),
        ],
        required=True,
        default="days",
    )
    delay_from = fields.Selection(
        [
            ("current_date", "after completion or scheduling date"),
            ("previous_activity", "after its deadline"),
        ],
        required=True,
        default="previous_activity",
        help="Count the delay from the day the activity is done or scheduled, or "
        "from its deadline.",
    )
    responsible = fields.Selection(
        [
            ("lead_owner", "Salesperson of the lead"),
            ("activity_user", "Assignee of the activity"),
            ("team_leader", "Team leader"),
            ("specific", "Specific user"),
        ],
        string="Assign To",
        required=True,
        default="lead_owner",
    )
    user_id = fields.Many2one(
        "res.users",
        ondelete="restrict",
        domain="[('share', '=', False)]",
        help="The user who gets the next activities when assigned to a specific user.",
    )
    summary = fields.Char(translate=True)
    note = fields.Html(translate=True, sanitize_style=True)

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends(
        "activity_type_id",
        "trigger_on",
        "chaining_type",
        "next_type_ids",
        "outcome_ids",
        "repeat_limit",
        "delay_count",
        "delay_unit",
        "delay_from",
        "responsible",
        "user_id",
        # sale_activity_playbook_line_send.py
        "auto_send",
        "mail_template_id",
        "playbook_id.send_hour_from",
        "playbook_id.send_hour_to",
    )
    def _compute_display_name(self):
        for line in self:
            line.display_name = line._sentence()

    @api.constrains("delay_count", "delay_unit")
    def _check_delay(self):
        for line in self:
            if line.delay_count < 0:
                raise ValidationError(
                    self.env._(
                        "The delay of a playbook rule cannot be negative (%(rule)s).",
                        rule=line.display_name,
                    )
                )
            if line.delay_count > MAX_DELAY[line.delay_unit]:
                raise ValidationError(
                    self.env._(
                        "A delay of %(count)s %(unit)s is too long for a follow-up; "
                        "use at most %(max)s %(unit)s.",
                        count=line.delay_count,
                        unit=line._unit_label(),
                        max=MAX_DELAY[line.delay_unit],
                    )
                )

    @api.constrains("chaining_type", "trigger_on")
    def _check_suggest_only_when_done(self):
        for line in self:
            if line.trigger_on == "start":
                continue  # _check_start_rule_chaining
            if line.chaining_type == "stop" and line.trigger_on != "done":
                raise ValidationError(
                    self.env._(
                        "A playbook stops only when an activity is marked as done: "
                        '"%(type)s is scheduled" cannot stop it.',
                        type=line.activity_type_id.name,
                    )
                )
            if line.chaining_type == "suggest" and line.trigger_on != "done":
                raise ValidationError(
                    self.env._(
                        "Next activities can only be suggested when an activity is "
                        'marked as done: "%(type)s is scheduled" must trigger them.',
                        type=line.activity_type_id.name,
                    )
                )

    @api.constrains("responsible", "user_id")
    def _check_specific_user(self):
        for line in self:
            if line.responsible == "specific" and not line.user_id:
                raise ValidationError(
                    self.env._(
                        'Choose the user who gets the next activities of "%(rule)s", '
                        "or assign them to someone else.",
                        rule=line.display_name,
                    )
                )
            if line.user_id and (not line.user_id.active or line.user_id.share):
                raise ValidationError(
                    self.env._(
                        '%(user)s cannot get the activities of "%(rule)s": only '
                        "active internal users can be assigned follow-ups.",
                        user=line.user_id.name,
                        rule=line.display_name,
                    )
                )

    @api.constrains("responsible", "user_id", "playbook_id")
    def _check_specific_user_company(self):
        for line in self:
            company = line.playbook_id.company_id
            if line.user_id and company and company not in line.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        '%(user)s cannot get the activities of "%(rule)s": the '
                        'playbook "%(playbook)s" is for %(company)s, where they '
                        "do not work. Choose a user of %(company)s.",
                        user=line.user_id.name,
                        rule=line.display_name,
                        playbook=line.playbook_id.name,
                        company=company.name,
                    )
                )

    @api.constrains("activity_type_id", "next_type_ids", "chaining_type")
    def _check_types_available_on_leads(self):
        for line in self.with_context(active_test=False):
            if line.chaining_type == "stop":
                if line.next_type_ids:
                    raise ValidationError(
                        self.env._(
                            'The rule "When %(type)s %(moment)s" stops the playbook: '
                            "it cannot schedule next activities as well. Remove them, "
                            "or make it trigger or suggest them.",
                            type=line.activity_type_id.name,
                            moment=line._moment_label(),
                        )
                    )
                continue
            if not line.next_type_ids:
                raise ValidationError(
                    self.env._(
                        'The rule "When %(type)s %(moment)s" needs at least one next '
                        "activity.",
                        type=line.activity_type_id.name,
                        moment=line._moment_label(),
                    )
                )
            wrong = (line.activity_type_id | line.next_type_ids).filtered(
                lambda t: t.res_model not in (False, "crm.lead")
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Playbooks chain activities of leads: %(types)s cannot be "
                        "scheduled on leads.",
                        types=", ".join(wrong.mapped("name")),
                    )
                )
            archived = (line.activity_type_id | line.next_type_ids).filtered(
                lambda t: not t.active
            )
            if archived:
                raise ValidationError(
                    self.env._(
                        "The activity types %(types)s are archived: restore them or "
                        "choose others.",
                        types=", ".join(archived.mapped("name")),
                    )
                )

    @api.constrains("trigger_on", "outcome_ids", "activity_type_id")
    def _check_outcomes(self):
        for line in self:
            if not line.outcome_ids:
                continue
            if line.trigger_on == "start":
                line._raise_start_outcomes()
            if line.trigger_on != "done":
                raise ValidationError(
                    self.env._(
                        "Outcomes are known only once an activity is done: the rule "
                        '"When %(type)s is scheduled" cannot depend on them.',
                        type=line.activity_type_id.name,
                    )
                )
            wrong = line.outcome_ids.filtered(
                lambda outcome, line=line: (
                    not outcome._applies_to(line.activity_type_id)
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "%(outcomes)s cannot be the outcome of %(type)s: choose "
                        "outcomes of that activity type.",
                        outcomes=", ".join(wrong.mapped("name")),
                        type=line.activity_type_id.name,
                    )
                )

    @api.constrains("repeat_limit")
    def _check_repeat_limit(self):
        for line in self:
            if line.repeat_limit < 0:
                raise ValidationError(line._negative_repeat_limit_message())

    @api.constrains("activity_type_id", "next_type_ids", "trigger_on", "playbook_id")
    def _check_no_loop(self):
        self.playbook_id._check_no_scheduled_loop()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    # The values are checked (sale.activity.input.checks) before anything is
    # written: only then are they looked at.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._forget_unused_users()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"responsible", "user_id"} & vals.keys():
            self._forget_unused_users()
        return res

    def _forget_unused_users(self):
        # A user kept on a rule that assigns someone else would block their
        # deletion for no visible reason.
        unused = self.filtered(
            lambda line: line.user_id and line.responsible != "specific"
        )
        if unused:
            unused.user_id = False

    def _playbook_cached_records(self):
        # the engine caches the rules of the playbooks that teams follow
        return self.filtered(lambda line: line.playbook_id.team_ids)

    # ------------------------------------------------------------------
    # What a rule creates (asked by sale.activity.playbook.engine)
    # ------------------------------------------------------------------

    def _determine_responsible(self, lead, source_user=None):
        """Who gets the next activities: never simply whoever clicked Done."""
        self.ensure_one()
        fallbacks = [lead.user_id, source_user, self.env.user]
        if self.responsible == "activity_user":
            fallbacks.insert(0, source_user)
        elif self.responsible == "team_leader":
            fallbacks.insert(0, lead.team_id.user_id)
        elif self.responsible == "specific":
            fallbacks.insert(0, self.user_id)
        return next((user for user in fallbacks if user and user.active), self.env.user)

    def _get_date_deadline(self, user, source_deadline=None):
        """Deadline of a next activity assigned to ``user``, counted from the
        source activity's deadline or from today in the user's time zone, on
        a working day of the user whatever the unit."""
        self.ensure_one()
        if self.delay_from == "previous_activity" and source_deadline:
            base = fields.Date.to_date(source_deadline)
        else:
            base = self.env["sale.activity.user.time"]._user_today(user)
        calendar = self._working_calendar(user)
        try:
            if self.delay_unit == "working_days":
                return self._add_working_days(calendar, base, self.delay_count)
            day = base + relativedelta(**{self.delay_unit: self.delay_count})
            return self._add_working_days(calendar, day, 0)
        except (OverflowError, ValueError):
            # an activity due at the end of time (year 9999): its follow-up
            # cannot be later than that (a year out of range is a ValueError)
            return date.max

    def _prepare_followup_values(self, source, user, deadline, next_type, lead=None):
        """Values of the ``next_type`` activity that this rule creates after
        ``source`` for ``user``, written in the user's language. A start rule
        has no source: it plans on ``lead``."""
        self.ensure_one()
        lang = user.lang or self.env.lang
        # a rule without texts may be a virtual copy (see the engine's
        # _rule_for_planning): it has nothing to translate
        line = self.with_context(lang=lang) if self.id else self
        type_summary, type_note = next_type._playbook_texts(lang)
        if source:
            model_id, res_id = source.res_model_id.id, source.res_id
            previous_type_id = source.activity_type_id.id
        else:
            model_id = self.env["ir.model"]._get_id("crm.lead")
            res_id, previous_type_id = lead.id, False
        return {
            "res_model_id": model_id,
            "res_id": res_id,
            "activity_type_id": next_type.id,
            "summary": line.summary or type_summary or False,
            "note": line.note or type_note or False,
            "user_id": user.id,
            "date_deadline": deadline,
            "previous_activity_type_id": previous_type_id,
            "playbook_line_id": self._origin.id,
            "automated": True,
        }

    @api.model
    def _working_calendar(self, user):
        """The working calendar of ``user`` (sale.activity.user.time's)."""
        return self.env["sale.activity.user.time"]._working_calendar(user)

    @api.model
    @tools.ormcache("user_id")
    def _get_user_calendar_id(self, user_id):
        # cleared when a user's working calendar changes: their resource,
        # their company or its calendar (resource_resource.py, res_users.py,
        # res_company.py)
        users = self.env["res.users"].browse(user_id)
        return users._playbook_calendar_ids().get(user_id, False)

    @api.model
    def _add_working_days(self, calendar, base, count, cache=None):
        """The ``count``-th working day after ``base`` (``base`` itself or the
        next working day when ``count`` is 0), on ``calendar`` with its public
        holidays. Without a calendar, calendar days are counted. Nothing is
        later than the end of time (``date.max``). ``cache``: an optional dict
        that memoizes the answers of one run."""
        key = (calendar.id, base, count)
        if cache is not None and key in cache:
            return cache[key]
        try:
            if calendar:
                day = calendar._playbook_add_working_days(base, count)
            else:
                day = base + timedelta(days=count)
        except (OverflowError, ValueError):
            day = date.max
        if cache is not None:
            cache[key] = day
        return day
