"""Bad input sent over JSON-RPC, as any client can, to a real server on a copy
of the test database: each call is refused with a message a user understands,
and nothing is half-saved (the tables the addon touches are compared before
and after, in SQL)."""

import pytest
from conftest import OdooServer, RpcError

# Tables whose content must not change when a call is refused.
WATCHED = {
    "playbooks": "SELECT * FROM sale_activity_playbook ORDER BY id",
    "rules": "SELECT * FROM sale_activity_playbook_line ORDER BY id",
    "next types": "SELECT * FROM sale_activity_playbook_line_next_type_rel "
    "ORDER BY 1, 2",
    "teams' playbooks": "SELECT * FROM crm_team_sale_activity_playbook_rel "
    "ORDER BY 1, 2",
    "teams": "SELECT id, active, company_id FROM crm_team ORDER BY id",
    "activities": "SELECT id, activity_type_id, user_id, date_deadline, "
    "reminded_on, escalated_on, playbook_line_id "
    "FROM mail_activity ORDER BY id",
    "follow-up sources": "SELECT * FROM mail_activity_playbook_source_rel "
    "ORDER BY 1, 2",
    "types": "SELECT id, active, res_model, category FROM mail_activity_type "
    "ORDER BY id",
    "users": "SELECT id, active FROM res_users ORDER BY id",
}

NEW_RULE = {"trigger_on": "done", "chaining_type": "trigger", "delay_count": 1}

# (what, values of a new rule, error class, part of the message)
BAD_RULES = [
    ("negative delay", {"delay_count": -4}, "ValidationError", "cannot be negative"),
    ("delay of 30 years", {"delay_count": 11000}, "ValidationError", "too long"),
    ("delay beyond 64 bits", {"delay_count": 10**20}, "ValidationError", "sensible"),
    ("delay as a word", {"delay_count": "three"}, "ValidationError", "not a number"),
    ("sequence NaN", {"sequence": float("nan")}, "ValidationError", "sensible"),
    ("unknown unit", {"delay_unit": "hours"}, "ValueError", "hours"),
    ("unknown moment", {"trigger_on": "created"}, "ValueError", "created"),
    ("unknown assignee", {"responsible": "ceo"}, "ValueError", "ceo"),
    ("specific without user", {"responsible": "specific"}, "ValidationError",
     "Choose the user"),
    ("suggest when scheduled", {"trigger_on": "scheduled", "chaining_type": "suggest"},
     "ValidationError", "can only be suggested"),
    ("no next activity", {"next_type_ids": [[5, 0, 0]]}, "ValidationError",
     "needs at least one next activity"),
    ("activity type that does not exist", {"activity_type_id": 10**9},
     "ValidationError", "do not exist"),
]  # fmt: skip


@pytest.fixture(scope="module")
def rpc(databases, pristine_database, tmp_path_factory):
    """A server on a copy of the test database, an administrator's session,
    and what the calls need."""
    database = databases.copy(pristine_database.name, "rpc")
    server = OdooServer(
        databases.config, database.name, tmp_path_factory.mktemp("rpc") / "server.log"
    )
    try:
        server.wait_ready()
        admin = server.session("admin", "admin")

        context = {
            "server": server,
            "database": database,
            "admin": admin,
            "demo": server.session("demo", "demo"),
            "portal": server.session("portal", "portal"),
        }
        yield context
    finally:
        server.stop()


def watched(database):
    return {name: database.sql(query) for name, query in WATCHED.items()}


def refused(rpc, http, model, method, args, error, message_part):
    before = watched(rpc["database"])
    with pytest.raises(RpcError) as caught:
        rpc["server"].call_kw(http, model, method, args)
    assert caught.value.name.endswith(error), caught.value
    assert message_part in caught.value.message, caught.value.message
    assert watched(rpc["database"]) == before, "nothing half-saved"
    return caught.value.message


def search_one(rpc, model, domain, http=None):
    ids = rpc["server"].call_kw(
        http or rpc["admin"], model, "search", [domain], {"limit": 1}
    )
    assert ids, (model, domain)
    return ids[0]


def type_id(rpc, name):
    return search_one(rpc, "mail.activity.type", [("name", "=", name)])


@pytest.mark.slow
def test_bad_rules_are_refused_over_json_rpc(rpc):
    playbook = search_one(
        rpc, "sale.activity.playbook", [("name", "=", "Website lead")]
    )
    base = {
        **NEW_RULE,
        "playbook_id": playbook,
        "activity_type_id": type_id(rpc, "Email"),
        "next_type_ids": [[6, 0, [type_id(rpc, "To-Do")]]],
    }
    existing = search_one(
        rpc, "sale.activity.playbook.line", [("playbook_id", "=", playbook)]
    )
    for _what, values, error, message_part in BAD_RULES:
        refused(
            rpc,
            rpc["admin"],
            "sale.activity.playbook.line",
            "create",
            [{**base, **values}],
            error,
            message_part,
        )
        refused(
            rpc,
            rpc["admin"],
            "sale.activity.playbook.line",
            "write",
            [[existing], values],
            error,
            message_part,
        )


@pytest.mark.slow
def test_bad_playbooks_are_refused_over_json_rpc(rpc):
    server, admin = rpc["server"], rpc["admin"]
    playbook = search_one(
        rpc, "sale.activity.playbook", [("name", "=", "Website lead")]
    )
    partner_type = server.call_kw(
        admin,
        "mail.activity.type",
        "create",
        [{"name": "Partner check", "res_model": "res.partner"}],
    )
    bad = [
        ({"escalation_days": -1}, "cannot be negative"),
        ({"neglect_days": 400}, "at most 365"),
        ({"neglect_min_revenue": float("inf")}, "sensible"),
        ({"followup_type_id": partner_type}, "cannot be scheduled on leads"),
        (
            {
                "line_ids": [
                    [
                        0,
                        0,
                        {
                            "activity_type_id": type_id(rpc, "Call"),
                            "next_type_ids": [[6, 0, [type_id(rpc, "To-Do")]]],
                            "delay_count": -1,
                        },
                    ]
                ]
            },
            "cannot be negative",
        ),
    ]
    for values, message_part in bad:
        refused(
            rpc,
            admin,
            "sale.activity.playbook",
            "create",
            [{"name": "Bad", **values}],
            "ValidationError",
            message_part,
        )
        refused(
            rpc,
            admin,
            "sale.activity.playbook",
            "write",
            [[playbook], values],
            "ValidationError",
            message_part,
        )


@pytest.mark.slow
def test_what_playbooks_use_cannot_vanish_over_json_rpc(rpc):
    server, admin = rpc["server"], rpc["admin"]
    demo_user = search_one(rpc, "res.users", [("login", "=", "demo")])
    playbook = server.call_kw(
        admin,
        "sale.activity.playbook",
        "create",
        [
            {
                "name": "Demo's rules",
                "line_ids": [
                    [
                        0,
                        0,
                        {
                            "activity_type_id": type_id(rpc, "Call"),
                            "next_type_ids": [[6, 0, [type_id(rpc, "Create Quote")]]],
                            "responsible": "specific",
                            "user_id": demo_user,
                        },
                    ]
                ],
            }
        ],
    )
    message = refused(
        rpc,
        admin,
        "res.users",
        "action_archive",
        [[demo_user]],
        "ValidationError",
        "cannot be archived",
    )
    assert "Demo's rules" in message
    refused(rpc, admin, "res.users", "unlink", [[demo_user]], "ValidationError",
            "cannot be deleted")  # fmt: skip
    for method in ("action_archive", "unlink"):
        refused(
            rpc,
            admin,
            "mail.activity.type",
            method,
            [[type_id(rpc, "Create Quote")]],
            "ValidationError",
            "Demo's rules",
        )
    # a team of another company
    # its specific user does not work for another company
    company_b = server.call_kw(admin, "res.company", "create", [{"name": "B Corp"}])
    refused(
        rpc,
        admin,
        "sale.activity.playbook",
        "write",
        [[playbook], {"company_id": company_b}],
        "ValidationError",
        "where they do not work",
    )
    # a team follows the playbooks of its company (or shared ones)
    playbook_b = server.call_kw(
        admin,
        "sale.activity.playbook",
        "create",
        [{"name": "B's rules", "company_id": company_b}],
    )
    # a team of every company may follow it: a team of company A may not
    company_a = server.call_kw(
        admin, "sale.activity.playbook", "read", [[playbook], ["company_id"]]
    )[0]["company_id"][0]
    sales = server.call_kw(
        admin, "crm.team", "create", [{"name": "A's team", "company_id": company_a}]
    )
    refused(
        rpc,
        admin,
        "sale.activity.playbook",
        "write",
        [[playbook_b], {"team_ids": [[4, sales]]}],
        "ValidationError",
        "follows the playbooks of its own company",
    )
    refused(
        rpc,
        admin,
        "crm.team",
        "write",
        [[sales], {"playbook_ids": [[4, playbook_b]]}],
        "ValidationError",
        "follows the playbooks of its own company",
    )


@pytest.mark.slow
def test_salesperson_cannot_forge_what_the_engine_records(rpc):
    server, demo = rpc["server"], rpc["demo"]
    activity = search_one(rpc, "mail.activity", [("user_id.login", "=", "demo")])
    for values in (
        {"reminded_on": "2026-11-25 10:00:00"},
        {"escalated_on": False},
        {"playbook_source_ids": [[4, activity]]},
    ):
        refused(
            rpc,
            demo,
            "mail.activity",
            "write",
            [[activity], values],
            "AccessError",
            "cannot be set by hand",
        )
    # and may not change playbooks, nor may portal users read them
    for http, method, args in (
        (demo, "create", [{"name": "Mine"}]),
        (demo, "unlink", [[search_one(rpc, "sale.activity.playbook", [])]]),
        (rpc["portal"], "search_read", [[]]),
    ):
        refused(rpc, http, "sale.activity.playbook", method, args, "AccessError", "")
    assert server.call_kw(demo, "sale.activity.playbook", "search_count", [[]]) >= 3
