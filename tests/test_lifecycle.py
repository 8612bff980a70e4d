"""Install, update, uninstall and install again, on a real database that a
company has used for a while (crm without demo data, leads, activities, an
activity type of its own, native chaining).

The steps run in order on one database: each test starts where the previous
one stopped.
"""

import textwrap

import pytest
from conftest import GROUPS_FIELD

ADDON = "sale_activity_playbooks"

SEED = """
team = env.ref("sales_team.team_sales_department")
salesman = env.ref("sales_team.group_sale_salesman")
users = env["res.users"].create(
    [
        {
            "name": f"Seller {i}",
            "login": f"seller{i}",
            "GROUPS_FIELD": [(6, 0, salesman.ids)],
        }
        for i in range(2)
    ]
)
team.member_ids = [(4, user.id) for user in users]
call = env.ref("mail.mail_activity_data_call")
todo = env.ref("mail.mail_activity_data_todo")
call.write({"chaining_type": "trigger", "triggered_next_type_id": todo.id})
nudge = env["mail.activity.type"].create({"name": "Nudge", "res_model": "crm.lead"})
leads = env["crm.lead"].create(
    [
        {
            "name": f"Deal {i}",
            "type": "opportunity",
            "team_id": team.id,
            "user_id": users[i % 2].id,
            "expected_revenue": 1000 * i,
        }
        for i in range(6)
    ]
)
types = ["mail.mail_activity_data_email", "mail.mail_activity_data_call",
         "mail.mail_activity_data_meeting", "mail.mail_activity_data_todo"]
for i, lead in enumerate(leads):
    for xmlid in types:
        lead.activity_schedule(xmlid, user_id=lead.user_id.id, summary=f"{xmlid} {i}")
    lead.activity_schedule(activity_type_id=nudge.id, user_id=lead.user_id.id)
result({"leads": leads.ids, "users": users.ids, "nudge": nudge.id})
""".replace("GROUPS_FIELD", GROUPS_FIELD)

# What a salesperson does in the chatter: complete a Call, schedule an Email,
# Done & Schedule Next on a Meeting. Returns what was created (rolled back).
SALESPERSON_DAY = """
import sys
lead = env["crm.lead"].browse(int(sys.argv[1]))
user = lead.user_id
Activity = env["mail.activity"]
before = Activity.search([]).ids
def of_type(xmlid):
    return Activity.search(
        [("res_id", "=", lead.id), ("res_model", "=", "crm.lead"),
         ("activity_type_id", "=", env.ref(xmlid).id)], limit=1
    )
of_type("mail.mail_activity_data_call").with_user(user).action_feedback(feedback="ok")
lead.with_user(user).activity_schedule("mail.mail_activity_data_email", user_id=user.id)
meeting = of_type("mail.mail_activity_data_meeting").with_user(user)
action = meeting.action_feedback_schedule_next()
created = Activity.search([("id", "not in", before)], order="id")
result({
    "created": [
        [a.activity_type_id.name, a.user_id.login, str(a.date_deadline), a.summary]
        for a in created
    ],
    "schedule_next_opens_a_form": bool(action),
})
"""

SNAPSHOT_QUERIES = {
    "activities": "SELECT id, res_model, res_id, activity_type_id, user_id, "
    "date_deadline, summary, note, write_date FROM mail_activity ORDER BY id",
    "types": "SELECT id, name->>'en_US', category, chaining_type, "
    "triggered_next_type_id, delay_count, delay_unit, delay_from, res_model, "
    "active, write_date FROM mail_activity_type ORDER BY id",
    "leads": "SELECT id, write_date, stage_id, user_id, team_id FROM crm_lead "
    "ORDER BY id",
    # 19.0 logs the creation of server actions and crons in their chatter:
    # the addon's own new ones, not existing records
    "messages": "SELECT count(*) FROM mail_message "
    "WHERE model IS DISTINCT FROM 'ir.actions.server' "
    "AND model IS DISTINCT FROM 'ir.cron'",
    "followers": "SELECT count(*) FROM mail_followers",
    "teams": "SELECT id, write_date FROM crm_team ORDER BY id",
}

# Traces that the addon leaves in a database while installed. After
# uninstalling, each query must find nothing. Issue 4's crons and server action
# and issue 5's report are covered by the generic ones (XML ids, views,
# actions, menus, models, fields).
TRACES = {
    "external ids": f"SELECT module, name FROM ir_model_data WHERE module = '{ADDON}'",
    "models": "SELECT model FROM ir_model WHERE model LIKE 'sale.activity%'",
    "fields": "SELECT model, name FROM ir_model_fields WHERE name LIKE '%playbook%' "
    "OR name IN ('reminded_on', 'escalated_on') OR model LIKE 'sale.activity%'",
    "selection values": "SELECT value FROM ir_model_fields_selection "
    "WHERE value = 'reminder'",
    "tables": "SELECT table_name FROM information_schema.tables "
    "WHERE table_name LIKE '%playbook%'",
    "columns": "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE column_name LIKE '%playbook%' "
    "OR column_name IN ('reminded_on', 'escalated_on')",
    # indexes made by hand (tools.create_index) are not Odoo's to drop
    "indexes": "SELECT tablename, indexname FROM pg_indexes "
    "WHERE indexname LIKE '%playbook%'",
    "views": "SELECT id, name FROM ir_ui_view WHERE arch_db::text ILIKE '%playbook%' "
    "OR name ILIKE '%playbook%'",
    "menus": "SELECT id FROM ir_ui_menu WHERE name::text ILIKE '%playbook%'",
    "window actions": "SELECT id FROM ir_act_window WHERE res_model LIKE "
    "'sale.activity%' OR name::text ILIKE '%playbook%'",
    # crons are server actions too
    "server actions and crons": "SELECT id, name FROM ir_act_server "
    "WHERE code ILIKE '%playbook%' OR name::text ILIKE '%playbook%' "
    "OR model_id IN (SELECT id FROM ir_model WHERE model LIKE 'sale.activity%')",
    "access rules": "SELECT id FROM ir_model_access WHERE name LIKE 'sale.activity%'",
    "record rules": "SELECT id FROM ir_rule WHERE name ILIKE '%playbook%'",
    "assets": f"SELECT id FROM ir_asset WHERE path LIKE '{ADDON}/%'",
    "module still installed": f"SELECT id FROM ir_module_module "
    f"WHERE name = '{ADDON}' AND state != 'uninstalled'",
}


def snapshot(database):
    return {name: database.sql(query) for name, query in SNAPSHOT_QUERIES.items()}


@pytest.fixture(scope="module")
def company_database(databases):
    database = databases.crm_without_demo("lifecycle")
    seeded = database.script(SEED)
    return database, seeded


@pytest.mark.slow
class TestLifecycle:
    def test_1_installing_changes_nothing_until_a_playbook_is_attached(
        self, company_database
    ):
        database, seeded = company_database
        lead = seeded["leads"][1]
        before = snapshot(database)
        native_day = database.script(SALESPERSON_DAY, lead, rollback=True)
        # natively: the Call triggers a To-Do, for whoever completes it
        assert [c[0] for c in native_day["created"]] == ["To-Do", "Email"]
        assert native_day["schedule_next_opens_a_form"]

        database.odoo("-i", ADDON)

        after = snapshot(database)
        new_types = [t for t in after["types"] if t not in before["types"]]
        after["types"] = [t for t in after["types"] if t in before["types"]]
        assert after == before, "installing changed existing records"
        assert sorted(t[1] for t in new_types) == [
            "Create Quote",
            "Follow-up",
            "Follow-up on Quote",
            "Request Signature",
        ]
        assert database.sql(
            "SELECT count(*) FROM crm_team_sale_activity_playbook_rel"
        ) == [(0,)], "no team follows a playbook until an administrator says so"
        assert database.script(SALESPERSON_DAY, lead, rollback=True) == native_day

        # an administrator attaches the preconfigured playbooks: now they act
        attached_day = database.script(
            textwrap.dedent(
                """
            import sys
            team = env.ref("sales_team.team_sales_department")
            ref = lambda name: env.ref(f"sale_activity_playbooks.{name}")
            team.playbook_ids = [
                (4, ref("playbook_standard_cadence").id),
                (4, ref("playbook_follow_up_discipline").id),
            ]
            env.cr.flush()
            """
            )
            + SALESPERSON_DAY,
            lead,
            rollback=True,
        )
        # the Call triggers a Create Quote for the lead's salesperson, the
        # Email its Follow-up; the Meeting's Create Quote is the one already
        # open, not a second one (no form to fill either)
        assert [c[0] for c in attached_day["created"]] == [
            "Create Quote",
            "Email",
            "Follow-up",
        ]
        assert not attached_day["schedule_next_opens_a_form"]

    def test_2_updating_keeps_what_administrators_edited(self, company_database):
        database, seeded = company_database
        edits = """
            ref = lambda name: env.ref(f"sale_activity_playbooks.{name}")
            team = env.ref("sales_team.team_sales_department")
            ref("playbook_standard_cadence").write(
                {"name": "Our cadence", "escalation_days": 5,
                 "team_ids": [(4, team.id)]}
            )
            ref("playbook_standard_cadence_call").delay_count = 3
            ref("playbook_follow_up_discipline_meeting").unlink()
            ref("playbook_website_lead").active = False
            ref("mail_activity_type_follow_up").write(
                {"summary": "Ring them", "delay_count": 4, "icon": "fa-phone"}
            )
            env["mail.activity.type"].browse(%d).category = "reminder"
            """ % seeded["nudge"]
        database.script(edits)
        read_back = """
            ref = lambda name: env.ref(f"sale_activity_playbooks.{name}", False)
            cadence = ref("playbook_standard_cadence")
            follow_up = ref("mail_activity_type_follow_up")
            result({
                "cadence": [
                    cadence.name, cadence.escalation_days, cadence.team_ids.ids
                ],
                "call rule delay": ref("playbook_standard_cadence_call").delay_count,
                "deleted rule": bool(ref("playbook_follow_up_discipline_meeting")),
                "discipline rules": len(ref("playbook_follow_up_discipline").line_ids),
                "website lead active": ref("playbook_website_lead").active,
                "follow-up": [follow_up.summary, follow_up.delay_count, follow_up.icon],
                "nudge": env["mail.activity.type"].browse(%d).category,
            })
            """ % seeded["nudge"]
        edited = database.script(read_back)
        assert edited["cadence"][0] == "Our cadence"
        assert edited["deleted rule"] is False

        database.odoo("-u", ADDON)

        assert database.script(read_back) == edited

    def test_3_uninstalling_leaves_no_trace(self, company_database):
        database, seeded = company_database
        # follow-ups planned by the playbooks, an activity of a preconfigured
        # type, and a playbook of the company's own
        database.script(
            """
            lead = env["crm.lead"].browse(%d)
            call = lead.activity_ids.filtered(
                lambda a: a.activity_type_id.name == "Call"
            )
            call.action_feedback()
            lead.activity_schedule(
                "sale_activity_playbooks.mail_activity_type_follow_up",
                user_id=lead.user_id.id,
            )
            env["sale.activity.playbook"].create({
                "name": "Own playbook",
                "followup_type_id": env.ref(
                    "sale_activity_playbooks.mail_activity_type_follow_up_quote"
                ).id,
                "line_ids": [(0, 0, {
                    "activity_type_id": env.ref("mail.mail_activity_data_todo").id,
                    "next_type_ids": [(6, 0, env.ref(
                        "sale_activity_playbooks.mail_activity_type_request_signature"
                    ).ids)],
                })],
            })
            """
            % seeded["leads"][2]
        )
        activities_before = database.sql(
            "SELECT a.id, t.name->>'en_US' FROM mail_activity a "
            "JOIN mail_activity_type t ON t.id = a.activity_type_id ORDER BY a.id"
        )
        planned_type_names = {"Create Quote", "Follow-up"}
        assert planned_type_names <= {name for _id, name in activities_before}

        installed = {name for name, query in TRACES.items() if database.sql(query)}
        assert installed >= {
            "external ids",
            "models",
            "fields",
            "selection values",
            "tables",
            "columns",
            "indexes",
            "views",
            "menus",
            "window actions",
            "access rules",
            "record rules",
            "module still installed",
        }, "the queries find what the addon installed"

        database.uninstall(ADDON)

        traces = {name: database.sql(query) for name, query in TRACES.items()}
        assert traces == {name: [] for name in TRACES}
        # planned activities stay, with their types, now ordinary ones
        assert (
            database.sql(
                "SELECT a.id, t.name->>'en_US' FROM mail_activity a "
                "JOIN mail_activity_type t ON t.id = a.activity_type_id ORDER BY a.id"
            )
            == activities_before
        )
        kept = database.sql(
            "SELECT name->>'en_US', category FROM mail_activity_type "
            "WHERE name->>'en_US' IN %s ORDER BY 1",
            [("Create Quote", "Follow-up", "Follow-up on Quote", "Request Signature")],
        )
        assert kept == [("Create Quote", "default"), ("Follow-up", "default")]
        # an activity type that used the Reminder action has the default one
        assert database.sql(
            "SELECT category FROM mail_activity_type WHERE id = %s", [seeded["nudge"]]
        ) == [("default",)]

    def test_4_installing_again_works(self, company_database):
        database, _seeded = company_database
        database.odoo("-i", ADDON)
        assert database.script(
            """
            result({
                "playbooks": env["sale.activity.playbook"].search_count([]),
                "reminder types": env["mail.activity.type"].search_count(
                    [("category", "=", "reminder")]
                ),
                "state": env.ref("base.module_sale_activity_playbooks").state,
            })
            """
        ) == {"playbooks": 3, "reminder types": 2, "state": "installed"}
