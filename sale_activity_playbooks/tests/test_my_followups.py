# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .. import odoo_series
from ..models.mail_activity_queue import QUEUE_FIELDS
from .common import TODAY, PlaybookCase

QUEUE_ACTION = "sale_activity_playbooks.mail_activity_action_followups"
QUEUE_LIST = "sale_activity_playbooks.mail_activity_view_list_followups"
QUEUE_SEARCH = "sale_activity_playbooks.mail_activity_view_search_followups"
QUEUE_KANBAN = "sale_activity_playbooks.mail_activity_view_kanban_followups"


class FollowupQueueCase(PlaybookCase):
    """Leads of the salesman at every urgency, and the queue opened as the web
    client opens it."""

    # the day the queue's deadlines are counted from, and their type
    queue_today = TODAY
    queue_type_xmlid = "mail.mail_activity_data_todo"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Activity = cls.env["mail.activity"]
        queue_type = cls.env.ref(cls.queue_type_xmlid)
        cls.queue_leads = {}
        # by deadline (then id), they would come in another order
        for name, revenue, days in (
            ("Later small", 3000, 2),
            ("Overdue small", 1000, -10),
            ("Today small", 2000, 0),
            ("Later big", 70000, 5),
            ("Overdue big", 90000, -3),
            ("Today big", 80000, 0),
        ):
            lead = cls.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "user_id": cls.salesman.id,
                    "expected_revenue": revenue,
                    "partner_id": cls.env["res.partner"]
                    .create({"name": f"{name} Inc"})
                    .id,
                }
            )
            cls.queue_leads[name] = lead
            lead.activity_schedule(
                activity_type_id=queue_type.id,
                user_id=cls.salesman.id,
                date_deadline=cls.queue_today + timedelta(days=days),
            )

    def queue(self, user, filters=("my",), domain=(), order=None):
        """The rows of My Follow-ups as ``user`` opens them: the action's
        domain and the search filters' domains, the list view's fields and
        default order, as the web client's web_search_read."""
        action = self.env.ref(QUEUE_ACTION)
        search = etree.fromstring(self.env.ref(QUEUE_SEARCH).arch)
        arch = etree.fromstring(self.env.ref(QUEUE_LIST).arch)
        full_domain = safe_eval(action.domain) + list(domain)
        for name in filters:
            node = search.find(f".//filter[@name='{name}']")
            full_domain += safe_eval(node.get("domain"), {"uid": user.id})
        Activity = self.Activity.with_user(user)
        specification = {
            node.get("name"): (
                {"fields": {"display_name": {}}}
                if Activity._fields[node.get("name")].type == "many2one"
                else {}
            )
            for node in arch.iter("field")
        }
        result = Activity.with_context(**safe_eval(action.context)).web_search_read(
            full_domain,
            specification,
            limit=80,
            order=order or arch.get("default_order"),
        )
        return result["records"]

    def lead_names(self, rows):
        return [row["lead_id"]["display_name"] for row in rows]

    def follow_ups_of_two_playbooks(self):
        """The follow-ups of "Overdue big" made by the test playbook, of
        "Later small" by another one; the others by no playbook."""
        other = self.playbook.copy({"name": "Other cadence"})
        rules = {
            "Overdue big": self.add_rule(self.email, self.call),
            "Later small": self.add_rule(self.email, self.call, playbook=other),
        }
        for name, rule in rules.items():
            activities = self.Activity.search(
                [("res_id", "=", self.queue_leads[name].id)]
            )
            activities.sudo().playbook_line_id = rule


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestMyFollowups(FollowupQueueCase):
    """CRM > Sales > My Follow-ups: a salesperson's work queue."""

    def test_menu_opens_my_open_activities_on_leads(self):
        menu = self.env.ref("sale_activity_playbooks.mail_activity_menu_followups")
        self.assertEqual(menu.parent_id, self.env.ref("crm.crm_menu_sales"))
        self.assertEqual(menu.action, self.env.ref(QUEUE_ACTION))
        # not the queue: someone else's, on another model, done
        self.schedule(self.todo, user=self.clicker)
        self.salesman.partner_id.activity_schedule(
            activity_type_id=self.todo.id, user_id=self.salesman.id
        )
        done = self.schedule(self.todo, lead=self.plain_lead)
        done.action_feedback()
        rows = self.queue(self.salesman)
        self.assertEqual(len(rows), 6)
        self.assertEqual({row["user_id"]["id"] for row in rows}, {self.salesman.id})

    def test_overdue_first_then_today_then_by_expected_revenue(self):
        self.assertEqual(
            self.lead_names(self.queue(self.salesman)),
            [
                "Overdue big",
                "Overdue small",
                "Today big",
                "Today small",
                "Later big",
                "Later small",
            ],
        )
        # revenue changes move the rows at once: nothing is stored
        self.queue_leads["Later small"].expected_revenue = 75000
        self.assertEqual(
            self.lead_names(self.queue(self.salesman))[4:], ["Later small", "Later big"]
        )

    def test_rows_show_lead_customer_type_deadline_reminder_escalation_playbook(self):
        arch = etree.fromstring(self.env.ref(QUEUE_LIST).arch)
        self.assertEqual(arch.get("action"), "action_open_document")
        columns = {node.get("name") for node in arch.iter("field")}
        self.assertLessEqual(
            {
                "lead_id",
                "lead_partner_id",
                "activity_type_id",
                "date_deadline",
                "reminded_on",
                "escalated_on",
                "playbook_id",
            },
            columns,
        )
        rule = self.add_rule(self.email, self.call)
        self.schedule(
            self.email, lead=self.queue_leads["Overdue big"]
        ).action_feedback()
        call = self.activities(self.queue_leads["Overdue big"], self.call)
        call.sudo().write({"reminded_on": "2026-11-24 08:00:00"})
        row = next(
            row
            for row in self.queue(self.salesman)
            if row["activity_type_id"]["id"] == self.call.id
        )
        self.assertEqual(row["lead_id"]["display_name"], "Overdue big")
        self.assertEqual(row["lead_partner_id"]["display_name"], "Overdue big Inc")
        self.assertEqual(row["playbook_id"]["id"], rule.playbook_id.id)
        self.assertTrue(row["reminded_on"])
        self.assertFalse(row["escalated_on"])
        # a row opens its lead
        action = self.Activity.browse(row["id"]).action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("crm.lead", self.queue_leads["Overdue big"].id),
        )

    def test_filters_overdue_today_later(self):
        for name, expected in (
            ("overdue", ["Overdue big", "Overdue small"]),
            ("today", ["Today big", "Today small"]),
            ("planned", ["Later big", "Later small"]),
        ):
            with self.subTest(filter=name):
                rows = self.queue(self.salesman, filters=("my", name))
                self.assertEqual(self.lead_names(rows), expected)

    def test_search_by_lead_customer_and_team(self):
        Activity = self.Activity.with_user(self.salesman)
        by_lead = Activity.search([("lead_id", "ilike", "Today")])
        self.assertEqual(set(by_lead.mapped("res_name")), {"Today big", "Today small"})
        by_customer = Activity.search([("lead_partner_id", "ilike", "Later big Inc")])
        self.assertEqual(by_customer.res_name, "Later big")
        self.assertEqual(len(Activity.search([("lead_team_id", "=", self.team.id)])), 6)
        self.assertFalse(Activity.search([("lead_team_id", "=", self.plain_team.id)]))

    def test_team_leader_queue_is_the_team_s_open_follow_ups(self):
        self.schedule(self.todo, user=self.clicker, deadline=TODAY - timedelta(days=1))
        self.schedule(self.todo, lead=self.plain_lead)  # another team's
        rows = self.queue(self.leader, filters=("my_teams", "overdue"))
        self.assertEqual(
            [(row["user_id"]["id"], row["lead_id"]["display_name"]) for row in rows],
            [
                (self.salesman.id, "Overdue big"),
                (self.clicker.id, "Big Deal"),
                (self.salesman.id, "Overdue small"),
            ],
        )

    def test_chatter_reads_none_of_the_queue_columns(self):
        # mail.activity._to_store() reads every field of the chatter's
        # activities: the queue's lead columns would cost it queries
        activity = self.Activity.search([("user_id", "=", self.salesman.id)], limit=1)
        data = activity.with_user(self.salesman).read()[0]
        self.assertFalse(QUEUE_FIELDS & set(data))
        # a many2many would cost a query per activity (18.0 reads each one)
        self.assertNotIn("playbook_source_ids", data)
        self.assertIn("playbook_id", data)
        self.assertEqual(activity.read(["lead_id"])[0]["lead_id"][0], activity.res_id)

    def test_grouped_by_playbook_the_follow_ups_of_no_playbook_come_last(self):
        # as the list groups them: ordered by the revenue (its default order)
        self.follow_ups_of_two_playbooks()
        groups = self.Activity.with_user(self.salesman)._read_group(
            [("user_id", "=", self.salesman.id)],
            ["playbook_id"],
            ["__count"],
            order="lead_expected_revenue:sum desc",
        )
        self.assertEqual(
            [(playbook.name, count) for playbook, count in groups],
            [("Test cadence", 1), ("Other cadence", 1), (False, 4)],
        )

    def test_grouped_by_playbook_without_an_order(self):
        # as a graph view or a server call groups them: by the playbook
        self.follow_ups_of_two_playbooks()
        for order in (None, False, ""):
            groups = self.Activity.with_user(self.salesman)._read_group(
                [("user_id", "=", self.salesman.id)],
                ["playbook_id"],
                ["__count"],
                order=order,
            )
            self.assertEqual(
                [(playbook.name, count) for playbook, count in groups][-1],
                (False, 4),
            )
            self.assertEqual(len(groups), 3)

    def test_queue_costs_the_same_queries_for_10_or_40_rows(self):
        def queries(count):
            leads = self.env["crm.lead"].create(
                [
                    {"name": f"Queue {count} {i}", "team_id": self.team.id}
                    for i in range(count)
                ]
            )
            user = new_test_user(
                self.env,
                f"queue_{count}",
                groups="sales_team.group_sale_salesman_all_leads",
            )
            for i, lead in enumerate(leads):
                lead.activity_schedule(
                    activity_type_id=self.todo.id,
                    user_id=user.id,
                    date_deadline=TODAY + timedelta(days=i % 5 - 2),
                )
            self.queue(user)  # warm-up
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            rows = self.queue(user)
            self.assertEqual(len(rows), count)
            return self.cr.sql_log_count - before

        ten, forty = queries(10), queries(40)
        self.assertEqual(ten, forty, f"10 rows: {ten} queries, 40 rows: {forty}")


@tagged("post_install", "-at_install")
class TestMyFollowupsTimeZones(FollowupQueueCase):
    """Overdue and due today are the assignee's, as Odoo's activity state."""

    @freeze_time("2026-11-25 23:30:00")
    def test_order_and_filters_agree_with_odoo_state_in_every_zone(self):
        tokyo = new_test_user(self.env, "pb_tokyo", tz="Asia/Tokyo")  # 26 Nov
        new_york = new_test_user(self.env, "pb_new_york", tz="America/New_York")
        activities = self.Activity
        for user in (tokyo, new_york):
            for days in (-10, -1, 0, 1, 2, 30):
                activities |= self.schedule(
                    self.todo,
                    user=user,
                    deadline=date(2026, 11, 25) + timedelta(days=days),
                )
        states = {activity: activity.state for activity in activities}
        self.assertEqual(
            [states[a] for a in activities if a.user_id == tokyo],
            ["overdue", "overdue", "overdue", "today", "planned", "planned"],
        )
        self.assertEqual(
            [states[a] for a in activities if a.user_id == new_york],
            ["overdue", "overdue", "today", "planned", "planned", "planned"],
        )
        Activity = self.Activity.with_context(active_test=False)
        for state in ("overdue", "today", "planned"):
            with self.subTest(state=state):
                found = Activity.search(
                    [("id", "in", activities.ids), ("state", "=", state)]
                )
                self.assertEqual(
                    found, activities.filtered(lambda a, s=state: states[a] == s)
                )
        ranked = Activity.search([("id", "in", activities.ids)], order="state, id")
        rank = {"overdue": 0, "today": 1, "planned": 2}
        self.assertEqual(
            [states[a] for a in ranked],
            sorted((states[a] for a in activities), key=rank.get),
        )

    @freeze_time(TODAY)
    def test_done_activities_kept_are_ranked_last(self):
        self.todo.write(odoo_series.keep_done_values())
        done = self.schedule(self.todo)
        done.action_feedback()
        Activity = self.Activity.with_context(active_test=False)
        self.assertEqual(
            Activity.search([("id", "=", done.id), ("state", "=", "done")]), done
        )
        ranked = Activity.search(
            [("user_id", "=", self.salesman.id)], order="state, id"
        )
        self.assertEqual(ranked[-1], done)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestMyFollowupsBulkActions(FollowupQueueCase):
    """Selected rows are done, rescheduled or (sales managers) reassigned."""

    def open_wizard(self, activities, method, user):
        action = getattr(activities.with_user(user), method)()
        self.assertEqual(action["target"], "new")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        return wizard

    def queue_activities(self, *names):
        return self.Activity.search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", [self.queue_leads[name].id for name in names]),
            ]
        )

    def test_mark_done_with_feedback_then_a_notification_says_how_many(self):
        self.add_rule(self.todo, self.call)
        activities = self.queue_activities("Overdue big", "Today small")
        wizard = self.open_wizard(activities, "action_followup_done", self.salesman)
        self.assertEqual(wizard.activity_count, 2)
        wizard.feedback = "Both called back"
        result = wizard.save().action_done()
        self.assertFalse(activities.exists().filtered("active"), "done")
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["message"], "2 follow-ups marked as done.")
        self.assertEqual(
            result["params"]["next"]["type"], "ir.actions.act_window_close"
        )
        for name in ("Overdue big", "Today small"):
            lead = self.queue_leads[name]
            self.assertIn("Both called back", lead.message_ids[0].body)
            # the playbook planned what comes next, as in the chatter
            self.assertEqual(self.activities(lead).activity_type_id, self.call)
        one = self.queue_activities("Later big")
        wizard = self.open_wizard(one, "action_followup_done", self.salesman)
        result = wizard.save().action_done()
        self.assertEqual(result["params"]["message"], "1 follow-up marked as done.")

    def test_reschedule_to_a_date(self):
        activities = self.queue_activities("Overdue big", "Later small")
        wizard = self.open_wizard(
            activities, "action_followup_reschedule", self.salesman
        )
        wizard.mode = "date"
        wizard.date_deadline = date(2026, 12, 7)
        wizard.save().action_reschedule()
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2026, 12, 7)})

    def test_reschedule_working_days_on_each_assignee_calendar(self):
        # the clicker works Monday to Thursday
        short_week = self.env["resource.calendar"].create(
            {
                "name": "Four days",
                "tz": "Europe/Brussels",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 16,
                        }
                    )
                    for day in range(4)
                ],
            }
        )
        self.env["resource.resource"].create(
            {"name": "Clark", "user_id": self.clicker.id, "calendar_id": short_week.id}
        )
        self.env.invalidate_all()
        clicker_today = self.schedule(self.todo, user=self.clicker)  # Wednesday
        overdue = self.queue_activities("Overdue big")  # 22 Nov
        later = self.queue_activities("Later big")  # Monday 30 Nov
        activities = clicker_today | overdue | later
        wizard = self.open_wizard(activities, "action_followup_reschedule", self.leader)
        self.assertEqual(wizard.mode, "working_days")
        wizard.working_days = 2
        wizard.save().action_reschedule()
        # Wednesday + 2 of Monday-Thursday: Thursday, Monday
        self.assertEqual(clicker_today.date_deadline, date(2026, 11, 30))
        # overdue: counted from today, Monday to Friday
        self.assertEqual(overdue.date_deadline, date(2026, 11, 27))
        self.assertEqual(later.date_deadline, date(2026, 12, 2))

    def test_reschedule_needs_a_date_or_some_working_days(self):
        activities = self.queue_activities("Overdue big")
        wizard = self.env["sale.activity.followup.reschedule"].create(
            {"activity_ids": [Command.set(activities.ids)], "mode": "working_days"}
        )
        with self.assertRaises(ValidationError):
            wizard.working_days = 0
        with self.assertRaises(ValidationError):
            wizard.write({"mode": "date", "date_deadline": False})

    def test_reassign_is_for_sales_managers(self):
        activities = self.queue_activities("Overdue big", "Today big")
        with self.assertRaises(AccessError):
            activities.with_user(self.salesman).action_followup_reassign()
        with self.assertRaises(AccessError):
            self.env["sale.activity.followup.reassign"].with_user(self.salesman).create(
                {
                    "activity_ids": [Command.set(activities.ids)],
                    "user_id": self.salesman.id,
                }
            )
        wizard = self.open_wizard(activities, "action_followup_reassign", self.leader)
        wizard.user_id = self.clicker
        result = wizard.save().action_reassign()
        self.assertEqual(activities.user_id, self.clicker)
        self.assertEqual(len(self.queue(self.clicker)), 2)
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(
            result["params"]["message"], "2 follow-ups reassigned to Clark Clicker."
        )
        self.assertEqual(
            result["params"]["next"]["type"], "ir.actions.act_window_close"
        )
        wizard = self.open_wizard(
            activities[0], "action_followup_reassign", self.leader
        )
        wizard.user_id = self.salesman
        result = wizard.save().action_reassign()
        self.assertEqual(
            result["params"]["message"], "1 follow-up reassigned to Sally Salesman."
        )

    def test_a_team_leader_sees_whose_follow_up_a_row_is(self):
        """ "Assigned to" is a column shown by default, next to the lead."""
        arch = etree.fromstring(self.env.ref(QUEUE_LIST).arch)
        column = arch.find(".//field[@name='user_id']")
        self.assertNotIn(column.get("optional"), ("hide", None))
        self.assertEqual(column.get("string"), "Assigned to")
        self.assertFalse(column.get("column_invisible"))

    def test_a_phone_opens_cards_with_the_list_s_bulk_actions(self):
        """The list first (a desktop), cards on a phone (the web client opens
        the action's mobile_view_mode), with the list's header buttons."""
        action = self.env["ir.actions.act_window"]._for_xml_id(QUEUE_ACTION)
        self.assertEqual(
            action["views"],
            [
                (self.env.ref(QUEUE_LIST).id, "list"),
                (self.env.ref(QUEUE_KANBAN).id, "kanban"),
            ],
        )
        self.assertEqual(action["mobile_view_mode"], "kanban")
        kanban = etree.fromstring(self.env.ref(QUEUE_KANBAN).arch)
        card = kanban.find(".//templates/t[@t-name='card']")
        self.assertLessEqual(
            {
                "lead_id",
                "lead_partner_id",
                "activity_type_id",
                "date_deadline",
                "lead_expected_revenue",
            },
            {field.get("name") for field in card.iter("field")},
        )
        self.assertEqual(card.find(".//widget").get("name"), "sap_followup_select")
        lst = etree.fromstring(self.env.ref(QUEUE_LIST).arch)
        self.assertEqual(
            [(b.get("name"), b.get("groups")) for b in kanban.find("header")],
            [(b.get("name"), b.get("groups")) for b in lst.find("header")],
        )

    def test_reassign_button_shows_to_sales_managers_only(self):
        arch = etree.fromstring(self.env.ref(QUEUE_LIST).arch)
        button = arch.find(".//header/button[@name='action_followup_reassign']")
        self.assertEqual(button.get("groups"), "sales_team.group_sale_manager")
        for user, visible in ((self.salesman, False), (self.leader, True)):
            view = self.Activity.with_user(user).get_view(
                self.env.ref(QUEUE_LIST).id, "list"
            )
            self.assertEqual("action_followup_reassign" in view["arch"], visible)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestTeamOverdueFollowups(FollowupQueueCase):
    """The team's Overdue Follow-ups button opens My Follow-ups for the team,
    per salesperson, groups open."""

    def test_smart_button_counts_and_opens_the_team_queue(self):
        self.schedule(self.todo, user=self.clicker, deadline=TODAY - timedelta(days=1))
        self.schedule(
            self.todo, lead=self.plain_lead, deadline=TODAY - timedelta(days=1)
        )
        self.assertEqual(self.team.followup_overdue_count, 3)
        self.assertEqual(self.plain_team.followup_overdue_count, 1)
        action = self.team.with_user(self.leader).action_open_overdue_followups()
        self.assertEqual(action["res_model"], "mail.activity")
        self.assertEqual(action["id"], self.env.ref(QUEUE_ACTION).id)
        self.assertEqual(
            action["context"],
            {"search_default_overdue": 1, "search_default_groupby_user": 1},
        )
        rows = self.queue(self.leader, filters=("overdue",), domain=action["domain"])
        self.assertEqual(len(rows), self.team.followup_overdue_count)
        self.assertEqual(
            {row["user_id"]["id"] for row in rows}, {self.salesman.id, self.clicker.id}
        )
        # grouped by salesperson, groups open
        search = etree.fromstring(self.env.ref(QUEUE_SEARCH).arch)
        group_by = search.find(".//filter[@name='groupby_user']").get("context")
        self.assertEqual(safe_eval(group_by), {"group_by": "user_id"})
        arch = etree.fromstring(self.env.ref(QUEUE_LIST).arch)
        self.assertEqual(arch.get("expand"), "1")
        # as the grouped list asks it: the revenue summed per currency
        domain = [*action["domain"], ("state", "=", "overdue")]
        currencies = (
            "array_agg_distinct" if odoo_series.SERIES >= (19, 0) else "array_agg"
        )
        groups = self.Activity.with_user(self.leader)._read_group(
            domain,
            ["user_id"],
            ["__count", "lead_expected_revenue:sum", f"lead_currency_id:{currencies}"],
        )
        revenue = {}
        for activity in self.Activity.search(domain):
            lead = self.env["crm.lead"].browse(activity.res_id)
            revenue[activity.user_id.id] = (
                revenue.get(activity.user_id.id, 0) + lead.expected_revenue
            )
        self.assertEqual(
            {user.id: (count, total) for user, count, total, _c in groups},
            {
                self.salesman.id: (2, revenue[self.salesman.id]),
                self.clicker.id: (1, revenue[self.clicker.id]),
            },
        )
        self.assertEqual(
            {getattr(c, "id", c) for *_g, group in groups for c in group},
            {self.env.company.currency_id.id},
        )
