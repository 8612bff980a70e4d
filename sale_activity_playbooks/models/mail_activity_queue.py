# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections.abc import Set as AbstractSet
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.query import Query

from .. import odoo_series
from .action_records import ensure_records
from .input_values import is_empty, is_record_id, shown
from .sale_activity_user_time import time_zone

# Today differs between time zones by at most a day either way of UTC's.
MAX_UTC_OFFSETS = (timedelta(hours=-12), timedelta(hours=14))
# "Overdue first, then today, then later" (then done: kept-done activities)
STATE_RANK = {"overdue": 0, "today": 1, "planned": 2, "done": 3}
# The queue's columns: the chatter, which reads every field of its activities,
# does not need them.
QUEUE_FIELDS = frozenset(
    {
        "lead_id",
        "lead_partner_id",
        "lead_team_id",
        "lead_expected_revenue",
        "lead_currency_id",
    }
)
# Nor the engine's links between follow-ups and their sources: 18.0's chatter
# reads its activities one by one, and a many2many costs a query each time.
NOT_FOR_THE_CHATTER = QUEUE_FIELDS | {"playbook_source_ids"}
# What searches a lead by its name
LEAD_NAME_OPERATORS = (
    "=",
    "!=",
    "like",
    "ilike",
    "not like",
    "not ilike",
    "=like",
    "=ilike",
)


# The work queue is a concept of its own, kept apart from the playbook engine
# of mail_activity.py.
class MailActivity(models.Model):
    """My Follow-ups: what a salesperson's work queue needs on activities.

    The queue opens on thousands of activities, ordered by urgency then by
    revenue: both keys are expressed in SQL so that the ORM orders and filters
    there. The state is Odoo's own (today in the assignee's time zone); the
    lead comes from ``res_model``/``res_id``, so nothing is stored."""

    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    # Odoo's state, made searchable and sortable (see _order_field_to_sql)
    state = fields.Selection(search="_search_state")
    lead_id = fields.Many2one(
        "crm.lead",
        compute="_compute_lead_id",
        search="_search_lead_id",
        compute_sudo=True,
    )
    lead_partner_id = fields.Many2one(
        related="lead_id.partner_id", string="Customer", help="The lead's customer."
    )
    lead_team_id = fields.Many2one(related="lead_id.team_id", string="Sales Team")
    lead_expected_revenue = fields.Monetary(
        related="lead_id.expected_revenue",
        string="Expected Revenue",
        currency_field="lead_currency_id",
    )
    lead_currency_id = fields.Many2one(related="lead_id.company_currency")

    # ------------------------------------------------------------------
    # Computes, searches and SQL
    # ------------------------------------------------------------------

    @api.depends("res_model", "res_id")
    def _compute_lead_id(self):
        for activity in self:
            activity.lead_id = (
                activity.res_id if activity.res_model == "crm.lead" else False
            )

    def _search_lead_id(self, operator, value):
        self._check_lead_search(operator, value)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        if operator in ("any", "not any", "any!", "not any!"):
            # 19.0 searches a path through a many2one with "any!" (without
            # the access rules of the comodel: the caller checked them)
            leads = Lead.sudo() if operator.endswith("!") else Lead
            operator = "in" if operator.startswith("any") else "not in"
            value = leads._search(value)
        elif operator in ("=", "!=") and not value:
            on_lead = [("res_model", "=", "crm.lead"), ("res_id", "!=", False)]
            return on_lead if operator == "!=" else ["!", *on_lead]
        elif isinstance(value, str):  # searched by name
            value = Lead._search([("display_name", operator, value)])
            operator = "in"
        elif operator in ("=", "!="):
            operator = "in" if operator == "=" else "not in"
            value = [value]
        if operator == "not in":
            return ["|", ("res_model", "!=", "crm.lead"), ("res_id", "not in", value)]
        return [("res_model", "=", "crm.lead"), ("res_id", operator, value)]

    def _check_lead_search(self, operator, value):
        """Refuse what ``_search_lead_id`` cannot search for, with a sentence."""
        if operator in ("any", "not any", "any!", "not any!") or isinstance(
            value, Query
        ):
            return  # a domain on leads, or a query: the ORM made or checks it
        if operator in LEAD_NAME_OPERATORS and isinstance(value, str):
            return
        if operator in ("=", "!=") and (is_empty(value) or is_record_id(value)):
            return
        if (
            operator in ("in", "not in")
            and isinstance(value, list | tuple | AbstractSet)
            and all(is_empty(item) or is_record_id(item) for item in value)
        ):
            return
        raise UserError(
            self.env._(
                "Activities are searched by lead with =, != or a text operator "
                "(ilike...) and a lead's id or name, or with in or not in and a "
                "list of leads' ids: %(operator)s %(value)s is not such a search.",
                operator=shown(operator),
                value=shown(value),
            )
        )

    def _search_state(self, operator, value):
        if operator in ("=", "!="):
            value = [value]
        elif operator not in ("in", "not in"):
            raise UserError(
                self.env._(
                    "Activities can only be searched by state with =, !=, in or not in."
                )
            )
        if not isinstance(value, list | tuple | AbstractSet) or not all(
            is_empty(state) or (isinstance(state, str) and state in STATE_RANK)
            for state in value
        ):
            raise UserError(
                self.env._(
                    "Activities are searched by state with one of %(states)s, or "
                    "a list of them: %(value)s is not.",
                    states=", ".join(map(shown, STATE_RANK)),
                    value=shown(value),
                )
            )
        states = set(value) & set(STATE_RANK)
        if operator in ("!=", "not in"):
            states = set(STATE_RANK) - states
        if not states:
            return odoo_series.FALSE_DOMAIN
        return odoo_series.domain_or([self._state_domain(state) for state in states])

    @api.model
    def _compute_state_from_date(self, date_deadline, tz=False):
        # a time zone unknown to pytz counts as UTC, as the queue's SQL says
        return super()._compute_state_from_date(
            date_deadline, tz and time_zone(tz).zone
        )

    def _state_domain(self, state):
        if state == "done":
            return [("active", "=", False)]
        # Deadlines a day or more away from UTC's today have the same state in
        # every time zone: only the few within a day need the assignee's.
        now = fields.Datetime.now()
        first, last = ((now + offset).date() for offset in MAX_UTC_OFFSETS)
        self.flush_model(["active", "date_deadline", "user_tz"])
        near = SQL(
            "(SELECT id FROM mail_activity WHERE active"
            " AND date_deadline BETWEEN %s AND %s AND date_deadline %s %s)",
            first,
            last,
            SQL({"overdue": "<", "today": "=", "planned": ">"}[state]),
            self.env["sale.activity.user.time"]._day_in_time_zone_sql(
                SQL("user_tz"), now
            ),
        )
        domain = [("active", "=", True), ("id", "in", near)]
        far = {
            "overdue": ("date_deadline", "<", first),
            "planned": ("date_deadline", ">", last),
        }
        if state in far:
            domain = odoo_series.domain_or(
                [[("active", "=", True), far[state]], domain]
            )
        return domain

    def _state_rank_sql(self, alias, query):
        """The rank of the state in STATE_RANK, in SQL: today in the
        assignee's time zone, as Odoo's activity state."""
        deadline = self._field_to_sql(alias, "date_deadline", query)
        return SQL(
            "CASE WHEN NOT %(active)s THEN %(done)s "
            "WHEN %(deadline)s < %(today)s THEN %(overdue)s "
            "WHEN %(deadline)s = %(today)s THEN %(due_today)s "
            "ELSE %(planned)s END",
            active=self._field_to_sql(alias, "active", query),
            deadline=deadline,
            today=self.env["sale.activity.user.time"]._day_in_time_zone_sql(
                self._field_to_sql(alias, "user_tz", query)
            ),
            done=STATE_RANK["done"],
            overdue=STATE_RANK["overdue"],
            due_today=STATE_RANK["today"],
            planned=STATE_RANK["planned"],
        )

    def _field_to_sql(self, alias, fname, query=None, **kwargs):
        # The lead as a column: its related fields (customer, revenue, team)
        # are then joined, ordered and grouped by the ORM itself.
        if fname == "lead_id":
            return SQL(
                "(CASE WHEN %s = 'crm.lead' THEN %s END)",
                SQL.identifier(alias, "res_model"),
                SQL.identifier(alias, "res_id"),
            )
        if fname == "lead_currency_id" and query is not None:
            return self._lead_currency_sql(alias, query)
        # 18.0 takes a flush argument too, by keyword
        return super()._field_to_sql(alias, fname, query, **kwargs)

    def _lead_currency_sql(self, alias, query):
        """The currency of the lead's company (the current company's without
        one), as crm.lead's ``company_currency``, joined here: crm's own SQL
        for it names the crm_lead table, not the alias of a join (19.0), and
        grouped lists sum the revenue per currency."""
        lead = query.make_alias(alias, "sap_lead")
        query.add_join(
            "LEFT JOIN",
            lead,
            "crm_lead",
            SQL(
                "%s = %s",
                self._field_to_sql(alias, "lead_id", query),
                SQL.identifier(lead, "id"),
            ),
        )
        company = query.make_alias(lead, "company_id")
        query.add_join(
            "LEFT JOIN",
            company,
            "res_company",
            SQL(
                "%s = %s",
                SQL.identifier(lead, "company_id"),
                SQL.identifier(company, "id"),
            ),
        )
        return SQL(
            "COALESCE(%s, %s)",
            SQL.identifier(company, "currency_id"),
            self.env.company.currency_id.id,
        )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "state":
            return SQL("%s %s %s", self._state_rank_sql(alias, query), direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_group_orderby(self, order, groupby_terms, query):
        orderby = super()._read_group_orderby(order, groupby_terms, query)
        playbook = groupby_terms.get("playbook_id")
        # without an order, Odoo orders by the groups: no playbook comes last
        if (
            playbook is None
            or not order
            or not orderby
            or order.lstrip().startswith("playbook_id")
        ):
            return orderby
        # grouped by playbook, ordered by an aggregate (My Follow-ups: the
        # revenue): the follow-ups of no playbook last, not between two
        return SQL("%s IS NULL, %s", playbook, orderby)

    def read(self, fields=None, load="_classic_read"):
        if fields is None:  # every field: the chatter's mail.activity._to_store()
            fields = [
                name
                for name in odoo_series.readable_field_names(self)
                if name not in NOT_FOR_THE_CHATTER
            ]
        return super().read(fields, load)

    # ------------------------------------------------------------------
    # Bulk actions of My Follow-ups (and of the follow-up report)
    # ------------------------------------------------------------------

    def action_followup_done(self):
        """Mark the selected activities done, with an optional feedback."""
        return self._open_followup_wizard(
            "sale.activity.followup.done", self.env._("Mark as Done")
        )

    def action_followup_reschedule(self):
        """Move the selected activities to a date, or some working days later."""
        return self._open_followup_wizard(
            "sale.activity.followup.reschedule", self.env._("Reschedule")
        )

    def action_followup_reassign(self):
        """Give the selected activities to someone else (sales managers)."""
        self._check_can_reassign()
        ensure_records(self)
        return self._open_followup_wizard(
            "sale.activity.followup.reassign", self.env._("Reassign")
        )

    def _open_followup_wizard(self, model, name):
        ensure_records(self)
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_activity_ids": self.ids},
        }

    def _check_can_reassign(self):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only sales managers can reassign follow-ups.")
            )
