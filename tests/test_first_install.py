"""A customer's first install: crm without demo data and without any lead
history (predictive lead scoring has nothing to learn from, so every lead's
probability is NULL), the addon installed, then configured and used over
JSON-RPC the way an administrator and a salesperson do, on a server that has
never seen the new team (cold caches). The crons and the server action run on
that same database.

The steps run in order on one database and one server: each test starts where
the previous one stopped.
"""

import pytest
from conftest import GROUPS_FIELD, OdooServer

ADDON = "sale_activity_playbooks"

# Users made by the administrator in Settings, with a password to log in.
USERS = """
salesman = env.ref("sales_team.group_sale_salesman")
manager = env.ref("sales_team.group_sale_manager")
env.ref("base.user_admin").password = "admin"
users = env["res.users"].create([
    {"name": "Sam Seller", "login": "sam", "password": "sam-password",
     "GROUPS_FIELD": [(6, 0, salesman.ids)], "tz": "Europe/Brussels"},
    {"name": "Lee Leader", "login": "lee", "password": "lee-password",
     "GROUPS_FIELD": [(6, 0, manager.ids)], "tz": "Europe/Brussels"},
])
result({"sam": users[0].id, "lee": users[1].id})
""".replace("GROUPS_FIELD", GROUPS_FIELD)


class FirstInstall:
    def __init__(self, database, server, users):
        self.database = database
        self.server = server
        self.users = users
        self.admin = server.session("admin", "admin")
        self.sam = server.session("sam", "sam-password")
        self.lead_model_id = self.call(
            self.admin, "ir.model", "search", [("model", "=", "crm.lead")]
        )[0]

    def call(self, http, model, method, *args, **kwargs):
        return self.server.call_kw(http, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        return self.call(
            self.admin,
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )[0]["res_id"]

    def activities(self, lead_id, type_xmlid=None):
        domain = [("res_model", "=", "crm.lead"), ("res_id", "=", lead_id)]
        if type_xmlid:
            domain.append(("activity_type_id", "=", self.ref(type_xmlid)))
        return self.call(
            self.admin,
            "mail.activity",
            "search_read",
            domain,
            ["activity_type_id", "user_id", "date_deadline", "playbook_id"],
        )

    def schedule(self, http, lead_id, type_xmlid, deadline):
        return self.call(
            http,
            "mail.activity",
            "create",
            {
                "res_model_id": self.lead_model_id,
                "res_id": lead_id,
                "activity_type_id": self.ref(type_xmlid),
                "user_id": self.users["sam"],
                "date_deadline": deadline,
            },
        )

    def new_lead(self, http, name, team_id):
        return self.call(
            http,
            "crm.lead",
            "create",
            {
                "name": name,
                "type": "opportunity",
                "team_id": team_id,
                "user_id": self.users["sam"],
                "expected_revenue": 10000,
            },
        )

    def run_cron(self, xmlid):
        self.call(self.admin, "ir.cron", "method_direct_trigger", [self.ref(xmlid)])


@pytest.fixture(scope="module")
def first_install(databases, tmp_path_factory):
    database = databases.crm_without_demo("first_install")
    database.odoo("-i", ADDON)
    assert database.sql("SELECT count(*) FROM crm_lead") == [(0,)]
    assert database.sql(
        "SELECT count(*) FROM ir_module_module WHERE demo AND state = 'installed'"
    ) == [(0,)], "no demo data"
    users = database.script(USERS)
    server = OdooServer(
        databases.config,
        database.name,
        tmp_path_factory.mktemp("first_install") / "server.log",
    )
    try:
        server.wait_ready()
        yield FirstInstall(database, server, users)
    finally:
        server.stop()


@pytest.mark.slow
class TestFirstInstall:
    def test_1_a_new_team_created_with_its_playbook_follows_it(self, first_install):
        fi = first_install
        default_team = fi.ref("sales_team.team_sales_department")
        # Sam already works on a lead of the default team: the server has
        # looked up which rules apply (and cached what it found)
        warm_lead = fi.new_lead(fi.sam, "Warm-up deal", default_team)
        fi.schedule(fi.sam, warm_lead, "mail.mail_activity_data_call", "2026-12-01")
        playbook = fi.call(
            fi.admin,
            "sale.activity.playbook",
            "create",
            {
                "name": "Inside sales cadence",
                "escalation_days": 1,
                "neglect_days": 5,
                "line_ids": [
                    (0, 0, {
                        "activity_type_id": fi.ref("mail.mail_activity_data_call"),
                        "trigger_on": "done",
                        "next_type_ids": [(6, 0, [fi.ref(
                            "sale_activity_playbooks.mail_activity_type_create_quote"
                        )])],
                        "delay_count": 1,
                        "delay_unit": "working_days",
                        "delay_from": "current_date",
                    }),
                    (0, 0, {
                        "activity_type_id": fi.ref("mail.mail_activity_data_email"),
                        "trigger_on": "scheduled",
                        "next_type_ids": [(6, 0, [fi.ref(
                            "sale_activity_playbooks.mail_activity_type_follow_up"
                        )])],
                        "delay_count": 1,
                    }),
                ],
            },
        )  # fmt: skip
        # ... another activity on the default team's lead, after the
        # playbook exists and before the team does
        fi.schedule(fi.sam, warm_lead, "mail.mail_activity_data_call", "2026-12-02")
        team = fi.call(
            fi.admin,
            "crm.team",
            "create",
            {
                "name": "Inside Sales",
                "user_id": fi.users["lee"],
                "member_ids": [(6, 0, [fi.users["sam"]])],
                "playbook_ids": [(6, 0, [playbook])],
            },
        )
        lead = fi.new_lead(fi.sam, "First deal", team)
        assert fi.database.sql(
            "SELECT probability FROM crm_lead WHERE id = %s", [lead]
        ) == [(None,)], "no lead history: crm computes no probability"
        call = fi.schedule(fi.sam, lead, "mail.mail_activity_data_call", "2026-12-01")
        fi.call(fi.sam, "mail.activity", "action_feedback", [call], feedback="Reached")
        quotes = fi.activities(
            lead, "sale_activity_playbooks.mail_activity_type_create_quote"
        )
        assert len(quotes) == 1, "the playbook of the new team applies at once"
        assert quotes[0]["user_id"][0] == fi.users["sam"]
        assert quotes[0]["playbook_id"][0] == playbook
        fi.schedule(fi.sam, lead, "mail.mail_activity_data_email", "2026-12-03")
        follow_ups = fi.activities(
            lead, "sale_activity_playbooks.mail_activity_type_follow_up"
        )
        assert len(follow_ups) == 1
        fi.lead, fi.team, fi.playbook = lead, team, playbook

    def test_2_reminders_and_escalation_run(self, first_install):
        fi = first_install
        follow_up = fi.activities(
            fi.lead, "sale_activity_playbooks.mail_activity_type_follow_up"
        )[0]
        # a week overdue: reminded, and escalated after one working day
        fi.database.sql(
            "UPDATE mail_activity SET date_deadline = CURRENT_DATE - 7 WHERE id = %s",
            [follow_up["id"]],
        )
        fi.run_cron("sale_activity_playbooks.ir_cron_playbook_reminders")
        assert fi.database.sql(
            "SELECT reminded_on IS NOT NULL, escalated_on IS NOT NULL "
            "FROM mail_activity WHERE id = %s",
            [follow_up["id"]],
        ) == [(True, True)]
        notes = fi.call(
            fi.admin,
            "mail.message",
            "search_read",
            [("model", "=", "crm.lead"), ("res_id", "=", fi.lead)],
            ["body"],
        )
        assert any("escalated to Lee Leader" in note["body"] for note in notes)

    def test_3_neglected_leads_are_found(self, first_install):
        fi = first_install
        # an open lead of the team, with nothing planned, done or written for
        # two weeks, and no probability: crm has no history to compute it
        neglected = fi.new_lead(fi.admin, "Forgotten deal", fi.team)
        fi.database.sql(
            "UPDATE crm_lead SET create_date = now() - interval '14 days' "
            "WHERE id = %s",
            [neglected],
        )
        fi.database.sql(
            "UPDATE mail_message SET date = now() - interval '14 days' "
            "WHERE model = 'crm.lead' AND res_id = %s",
            [neglected],
        )
        assert fi.database.sql(
            "SELECT probability FROM crm_lead WHERE id = %s", [neglected]
        ) == [(None,)]
        fi.run_cron("sale_activity_playbooks.ir_cron_playbook_neglect")
        follow_ups = fi.activities(
            neglected, "sale_activity_playbooks.mail_activity_type_follow_up"
        )
        assert len(follow_ups) == 1, "the neglect cron sees open leads without history"
        assert follow_ups[0]["user_id"][0] == fi.users["sam"]

    def test_4_the_server_action_schedules_on_open_leads(self, first_install):
        fi = first_install
        lead = fi.new_lead(fi.sam, "Quiet deal", fi.team)
        action = fi.call(
            fi.sam, "crm.lead", "action_schedule_playbook_followup", [lead]
        )
        assert action["params"]["type"] == "success", action["params"]
        assert len(fi.activities(lead)) == 1

    def test_5_a_playbook_starts_on_new_leads_and_on_a_selection(self, first_install):
        fi = first_install
        call_type = fi.ref("mail.mail_activity_data_call")
        fi.call(
            fi.admin,
            "sale.activity.playbook",
            "write",
            [fi.playbook],
            {
                "start_on_new_leads": True,
                "line_ids": [
                    (0, 0, {
                        "trigger_on": "start",
                        "next_type_ids": [(6, 0, [call_type])],
                        "delay_count": 1,
                        "delay_unit": "working_days",
                    }),
                ],
            },
        )  # fmt: skip
        # a lead created in the team: the playbook starts on it
        new = fi.new_lead(fi.sam, "Website deal", fi.team)
        calls = fi.activities(new, "mail.mail_activity_data_call")
        assert len(calls) == 1, "the start rule planned the first Call"
        assert calls[0]["user_id"][0] == fi.users["sam"]
        # the wizard on a selection: the new lead started already, an older
        # one starts now
        older = fi.lead
        wizard = fi.call(
            fi.sam,
            "sale.activity.playbook.start",
            "create",
            {"playbook_id": fi.playbook, "lead_ids": [(6, 0, [new, older])]},
        )
        action = fi.call(
            fi.sam, "sale.activity.playbook.start", "action_start", [wizard]
        )
        message = action["params"]["message"]
        assert "started on 1 leads" in message, message
        assert "Website deal (already started)" in message, message
        assert len(fi.activities(older, "mail.mail_activity_data_call")) == 1
        assert len(fi.activities(new, "mail.mail_activity_data_call")) == 1

    def test_6_a_lost_lead_counts_at_the_step_it_left(self, first_install):
        fi = first_install
        reason = fi.call(
            fi.admin, "crm.lost.reason", "create", {"name": "Too expensive"}
        )
        lead = fi.new_lead(fi.sam, "Lost deal", fi.team)  # the start rule fires
        fi.call(fi.sam, "crm.lead", "action_set_lost", [lead], lost_reason_id=reason)
        steps = fi.call(
            fi.admin,
            "sale.activity.playbook.step.report",
            "search_read",
            [("playbook_id", "=", fi.playbook), ("lost_count", ">", 0)],
            ["line_id", "lost_count", "lost_reason_id"],
        )
        assert [
            (
                step["line_id"][1].startswith("When the playbook starts"),
                step["lost_count"],
            )
            for step in steps
        ] == [(True, 1)], steps
        assert steps[0]["lost_reason_id"][0] == reason

    def test_7_a_leave_moves_follow_ups_and_a_stop_removes_them(self, first_install):
        fi = first_install
        call_type = "mail.mail_activity_data_call"
        lead = fi.new_lead(fi.sam, "Away deal", fi.team)  # the start rule: a Call
        (call,) = fi.activities(lead, call_type)
        # Sam becomes a resource of the company's calendar, and takes a week off
        # around the Call's day (without HR, the superuser makes both: hr makes
        # employees' resources, hr_holidays their time off)
        calendar = fi.call(
            fi.admin, "res.users", "read", [fi.users["sam"]], ["company_id"]
        )
        company = fi.call(
            fi.admin,
            "res.company",
            "read",
            [calendar[0]["company_id"][0]],
            ["resource_calendar_id"],
        )[0]
        resource = fi.database.script(
            f"""
user = env["res.users"].browse({fi.users["sam"]})
resource = env["resource.resource"].create({{
    "name": user.name,
    "user_id": user.id,
    "calendar_id": {company["resource_calendar_id"][0]},
}})
result(resource.id)
"""
        )
        (first_day, last_day) = fi.database.sql(
            "SELECT (%s::date - 1)::text, (%s::date + 6)::text",
            [call["date_deadline"], call["date_deadline"]],
        )[0]
        # the time off as hr_holidays writes it, with its privileges
        fi.database.script(
            f"""
env["resource.calendar.leaves"].create({{
    "name": "Holiday",
    "resource_id": {resource},
    "calendar_id": {company["resource_calendar_id"][0]},
    "date_from": "{first_day} 06:00:00",
    "date_to": "{last_day} 18:00:00",
}})
result(True)
"""
        )
        (moved,) = fi.activities(lead, call_type)
        assert moved["date_deadline"] > last_day, (moved, last_day)
        assert moved["user_id"][0] == fi.users["sam"], "the team's policy: move"
        # stopping the playbook on the lead removes its follow-ups, not the
        # activities planned by hand
        by_hand = fi.schedule(fi.sam, lead, "mail.mail_activity_data_todo", last_day)
        wizard = fi.call(
            fi.sam,
            "sale.activity.playbook.stop",
            "create",
            {
                "lead_ids": [(6, 0, [lead])],
                "playbook_id": fi.playbook,
                "reason": "The customer asked us to wait",
            },
        )
        fi.call(fi.sam, "sale.activity.playbook.stop", "action_stop", [wizard])
        assert [a["id"] for a in fi.activities(lead)] == [by_hand]
        notes = fi.call(
            fi.admin,
            "mail.message",
            "search_read",
            [("model", "=", "crm.lead"), ("res_id", "=", lead)],
            ["body"],
        )
        assert any("The customer asked us to wait" in n["body"] for n in notes)
