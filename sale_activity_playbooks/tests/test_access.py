# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import TODAY, PlaybookCase

ROLES = ("salesman", "all_leads", "manager", "employee", "portal", "public")
OPERATIONS = "rcwu"

# Rights of roles on a model: "r"ead, "c"reate, "w"rite, "u"nlink; a role
# left out has none.
SALES_READ_MANAGERS_ALL = {"salesman": "r", "all_leads": "r", "manager": "rcwu"}
SALES_READ = {"salesman": "r", "all_leads": "r", "manager": "r"}
# Who may do what. Adding a model (the follow-up report, say) is one line here;
# a model whose records users create also gets values in sample_values().
ACCESS_MATRIX = {
    "sale.activity.playbook": SALES_READ_MANAGERS_ALL,
    "sale.activity.playbook.line": SALES_READ_MANAGERS_ALL,
    # reporting: a log written by the engine, an SQL view
    "sale.activity.followup.log": {"salesman": "r", "all_leads": "r", "manager": "ru"},
    "sale.activity.followup.report": SALES_READ,
}

SALES = ("salesman", "all_leads", "manager")
MANAGERS = ("manager",)
# The roles that may open (window actions) or run (server actions, on a lead)
# an action, and see a menu, by XML id. Adding one is one line.
ACTION_MATRIX = {
    "sale_activity_playbooks.sale_activity_playbook_action": SALES,
    "sale_activity_playbooks.sale_activity_followup_report_action": SALES,
    "sale_activity_playbooks.action_schedule_playbook_followup": SALES,
    # activities: every internal user reads their own
    "sale_activity_playbooks.mail_activity_action_followups": (*SALES, "employee"),
}
MENU_MATRIX = {
    "sale_activity_playbooks.sale_activity_playbook_menu_config": MANAGERS,
    "sale_activity_playbooks.sale_activity_followup_report_menu": SALES,
    "sale_activity_playbooks.mail_activity_menu_followups": SALES,
}


class AccessCase(PlaybookCase):
    """One user per role of ROLES (the salesman, the salesman who sees all
    leads and the leader of common.PlaybookCase, plus an employee without
    Sales rights, a portal and a public user)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, "pb_employee", groups="base.group_user", name="Emma Employee"
        )
        cls.portal = new_test_user(
            cls.env, "pb_portal", groups="base.group_portal", name="Pat Portal"
        )
        cls.public = new_test_user(
            cls.env, "pb_public", groups="base.group_public", name="Pub Public"
        )
        cls.user_by_role = {
            "salesman": cls.salesman,
            "all_leads": cls.clicker,
            "manager": cls.leader,
            "employee": cls.employee,
            "portal": cls.portal,
            "public": cls.public,
        }


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessCase):
    """Read, create, write and unlink of every role on every model of
    ACCESS_MATRIX; opening and running every action of ACTION_MATRIX."""

    def sample_values(self, model):
        """Values to create a record of ``model``, and values to write on it.
        None (any model not named here, e.g. a report on an SQL view): the
        rights are tried on an existing record, or on the model when there is
        none."""
        if model == "sale.activity.playbook":
            return {"name": "Matrix playbook"}, {"name": "Renamed playbook"}
        if model == "sale.activity.playbook.line":
            return (
                {
                    "playbook_id": self.playbook.id,
                    "activity_type_id": self.call.id,
                    "next_type_ids": [Command.set(self.create_quote.ids)],
                },
                {"delay_count": 3},
            )
        return None, None

    def attempt(self, model, operation, user):
        """Do ``operation`` on a fresh record of ``model`` as ``user``: True
        when done, False on an access error (any other error fails)."""
        create_values, write_values = self.sample_values(model)
        if create_values is None:
            record = self.env[model].search([], limit=1)
        else:
            record = self.env[model].create(create_values)
        as_user = self.env[model].with_user(user)
        try:
            with self.env.cr.savepoint():
                if operation == "r":
                    found = as_user.search([("id", "in", record.ids)])
                    if create_values is not None:
                        # (an existing row may be another salesperson's)
                        self.assertEqual(found, record.with_user(user))
                    found.read(["display_name"])
                elif operation == "c":
                    created = as_user.create(create_values or {})
                    self.assertTrue(created.exists())
                elif not record:  # a report without rows: the model's rights
                    as_user.check_access("write" if operation == "w" else "unlink")
                elif operation == "w":
                    record.with_user(user).write(write_values or {})
                    self.assertRecordValues(record, [write_values or {}])
                else:
                    record.with_user(user).unlink()
                    self.assertFalse(record.exists())
        except AccessError:
            return False
        return True

    def test_access_matrix_of_every_role(self):
        cases = 0
        for model, rights_by_role in ACCESS_MATRIX.items():
            for role in ROLES:
                rights = rights_by_role.get(role, "")
                for operation in OPERATIONS:
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            self.attempt(model, operation, self.user_by_role[role]),
                            operation in rights,
                        )
                    cases += 1
        self.assertEqual(cases, len(ACCESS_MATRIX) * len(ROLES) * len(OPERATIONS))

    def open_or_run(self, xmlid, user):
        action = self.env.ref(xmlid).sudo()
        try:
            with self.env.cr.savepoint():
                if action.type == "ir.actions.act_window":
                    self.env[action.res_model].with_user(user).search_count([])
                else:
                    action.with_user(user).with_context(
                        active_model="crm.lead",
                        active_id=self.lead.id,
                        active_ids=self.lead.ids,
                    ).run()
        except AccessError:
            return False
        return True

    def test_actions_of_every_role(self):
        for xmlid, allowed_roles in ACTION_MATRIX.items():
            for role in ROLES:
                with self.subTest(action=xmlid, role=role):
                    self.assertEqual(
                        self.open_or_run(xmlid, self.user_by_role[role]),
                        role in allowed_roles,
                    )

    def test_menus_of_every_role(self):
        for xmlid, visible_roles in MENU_MATRIX.items():
            menu = self.env.ref(xmlid)
            for role in ROLES:
                visible = role in visible_roles
                with self.subTest(menu=xmlid, role=role):
                    try:
                        visible_ids = (
                            self.env["ir.ui.menu"]
                            .with_user(self.user_by_role[role])
                            ._visible_menu_ids()
                        )
                    except AccessError:  # public users read no menu at all
                        visible_ids = set()
                    # the web client shows a menu when it and its parents are
                    ancestors = [int(i) for i in menu.parent_path.split("/") if i]
                    self.assertEqual(all(i in visible_ids for i in ancestors), visible)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestSalespersonNeverBlocked(AccessCase):
    """A salesperson (own leads only) and an employee without Sales rights
    complete, schedule, move and cancel activities on leads of playbook teams,
    their own and others' they cannot read, whoever the rules assign: no
    access error comes from the playbooks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.specific = new_test_user(
            cls.env, "pb_specific", groups="sales_team.group_sale_salesman"
        )
        # a lead of the team leader: the salesperson can neither read nor
        # write it, but has activities on it
        cls.leader_lead = cls.env["crm.lead"].create(
            {
                "name": "Leader's Deal",
                "type": "opportunity",
                "team_id": cls.team.id,
                "user_id": cls.leader.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.env.flush_all()
        self.assertFalse(
            self.leader_lead.with_user(self.salesman)._filtered_access("read")
        )

    def rules_for_every_assignee(self, source, **values):
        """One rule per way of choosing the assignee, each with its own next
        activity type: ``{next type: expected assignee(lead, actor)}``."""
        by_responsible = {
            "lead_owner": (self.create_quote, lambda lead, actor: lead.user_id),
            "activity_user": (self.follow_up, lambda lead, actor: actor),
            "team_leader": (self.follow_up_quote, lambda lead, actor: self.leader),
            "specific": (self.request_signature, lambda lead, actor: self.specific),
        }
        for responsible, (next_type, _expected) in by_responsible.items():
            self.add_rule(
                source,
                next_type,
                responsible=responsible,
                user_id=self.specific.id if responsible == "specific" else False,
                **values,
            )
        return dict(by_responsible.values())

    def test_completing_on_own_and_unreadable_leads_for_every_assignee(self):
        expected = self.rules_for_every_assignee(self.call)
        scenarios = [
            ("salesman, own lead", self.salesman, self.lead),
            ("salesman, leader's lead", self.salesman, self.leader_lead),
            ("employee, leader's lead", self.employee, self.leader_lead),
            ("employee, salesman's lead", self.employee, self.lead),
        ]
        for name, actor, lead in scenarios:
            with self.subTest(name):
                lead = lead.copy({"name": name})
                call = self.schedule(self.call, lead=lead, user=actor)
                self.env.flush_all()
                call.with_user(actor).action_feedback(feedback="Reached them")
                for next_type, assignee in expected.items():
                    self.assertEqual(
                        self.activities(lead, next_type).user_id,
                        assignee(lead, actor),
                        next_type.name,
                    )

    def test_scheduling_on_own_lead_for_every_assignee(self):
        expected = self.rules_for_every_assignee(self.email, trigger_on="scheduled")
        self.schedule(self.email, as_user=self.salesman)
        for next_type, assignee in expected.items():
            self.assertEqual(
                self.activities(activity_type=next_type).user_id,
                assignee(self.lead, self.salesman),
                next_type.name,
            )

    def test_done_and_schedule_next_on_own_lead_for_every_assignee(self):
        expected = self.rules_for_every_assignee(self.email, chaining_type="suggest")
        for next_type, assignee in expected.items():
            with self.subTest(next_type.name):
                email = self.schedule(self.email, as_user=self.salesman)
                action = email.with_user(self.salesman).action_feedback_schedule_next()
                form = Form(
                    self.env["mail.activity"]
                    .with_user(self.salesman)
                    .with_context(**action["context"]),
                    view="mail.mail_activity_view_form_popup",
                )
                form.playbook_recommended_type_id = next_type
                suggested = form.save()
                self.assertEqual(suggested.activity_type_id, next_type)
                self.assertTrue(suggested.playbook_line_id)
                self.assertEqual(suggested.user_id, assignee(self.lead, self.salesman))

    def test_moving_and_cancelling_on_an_unreadable_lead(self):
        self.add_rule(
            self.email,
            self.follow_up,
            responsible="team_leader",
            trigger_on="scheduled",
        )
        email = self.schedule(self.email, lead=self.leader_lead, user=self.salesman)
        follow_up = self.activities(self.leader_lead, self.follow_up)
        self.env.flush_all()
        email.with_user(self.salesman).date_deadline = TODAY + timedelta(days=5)
        self.assertEqual(follow_up.date_deadline, TODAY + timedelta(days=5))
        email.with_user(self.salesman).action_cancel()
        self.assertFalse(follow_up.exists())

    def test_winning_removes_the_follow_ups_of_others(self):
        self.add_rule(
            self.call,
            self.create_quote,
            responsible="specific",
            user_id=self.specific.id,
        )
        self.schedule(self.call).action_feedback()
        self.assertEqual(
            self.activities(activity_type=self.create_quote).user_id, self.specific
        )
        self.env.flush_all()
        self.lead.with_user(self.salesman).action_set_won()
        self.assertFalse(self.activities(activity_type=self.create_quote))

    def test_reading_playbook_activities_in_the_chatter(self):
        self.add_rule(self.call, self.create_quote, responsible="activity_user")
        for actor in (self.salesman, self.employee):
            with self.subTest(actor=actor.login):
                self.schedule(self.call, lead=self.leader_lead, user=actor).with_user(
                    actor
                ).action_feedback()
                quote = self.activities(self.leader_lead, self.create_quote).filtered(
                    lambda a, actor=actor: a.user_id == actor
                )
                self.env.invalidate_all()
                data = quote.with_user(actor).activity_format()
                values = data["mail.activity"][0]
                self.assertEqual(values["playbook_id"][1], "Test cadence")
                self.assertEqual(values["chaining_type"], "suggest")

    def test_form_of_an_unreadable_lead_suggests_nothing(self):
        # the salesperson names a lead they cannot read: the form reveals
        # neither its playbooks nor its salesperson
        self.add_rule(self.email, self.call, chaining_type="suggest")
        form = Form(
            self.env["mail.activity"]
            .with_user(self.salesman)
            .with_context(
                default_res_model="crm.lead",
                default_res_id=self.leader_lead.id,
                default_previous_activity_type_id=self.email.id,
            ),
            view="mail.mail_activity_view_form_popup",
        )
        self.assertFalse(form.playbook_suggested_type_ids)
        form.activity_type_id = self.call
        self.assertFalse(form.playbook_line_id)
        self.assertNotEqual(form.user_id, self.leader)
