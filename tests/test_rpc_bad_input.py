"""Bad input sent over JSON-RPC, as any client can, to a real server on a copy
of the test database: each call is refused with a message a user understands,
and nothing is half-saved (the tables the addon touches are compared before
and after, in SQL)."""

from collections import Counter

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
    "log": "SELECT * FROM sale_activity_followup_log ORDER BY id",
    "previews": "SELECT id, playbook_id, lead_id FROM sale_activity_playbook_preview "
    "ORDER BY id",
    "outcomes": "SELECT * FROM sale_activity_outcome ORDER BY id",
    "stages": "SELECT id, sequence, playbook_goal_reached FROM crm_stage ORDER BY id",
}

NEW_RULE = {"trigger_on": "done", "chaining_type": "trigger", "delay_count": 1}

# (what, values of a new rule, error class, part of the message)
BAD_RULES = [
    ("negative delay", {"delay_count": -4}, "ValidationError", "cannot be negative"),
    ("delay of 30 years", {"delay_count": 11000}, "ValidationError", "too long"),
    ("delay beyond 64 bits", {"delay_count": 10**20}, "ValidationError", "sensible"),
    ("delay as a word", {"delay_count": "three"}, "ValidationError", "not a number"),
    ("sequence NaN", {"sequence": float("nan")}, "ValidationError", "sensible"),
    ("unknown unit", {"delay_unit": "hours"}, "ValidationError", '"hours" is not'),
    ("unknown moment", {"trigger_on": "created"}, "ValidationError", "is not a"),
    ("unknown assignee", {"responsible": "ceo"}, "ValidationError", '"ceo" is not'),
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
    tally = Counter()
    try:
        server.wait_ready()
        admin = server.session("admin", "admin")

        context = {
            "server": server,
            "database": database,
            "admin": admin,
            "demo": server.session("demo", "demo"),
            "portal": server.session("portal", "portal"),
            "tally": tally,
        }
        yield context
    finally:
        server.stop()
        # the figure README.rst gives (run with -s to see it)
        print(f"\nMalformed calls refused over JSON-RPC: {dict(tally)}")


def watched(database):
    return {name: database.sql(query) for name, query in WATCHED.items()}


def refused(rpc, http, model, method, args, error, message_part):
    before = watched(rpc["database"])
    with pytest.raises(RpcError) as caught:
        rpc["server"].call_kw(http, model, method, args)
    assert caught.value.name.endswith(error), caught.value
    assert message_part in caught.value.message, caught.value.message
    assert caught.value.message.strip().endswith("."), "a sentence"
    assert watched(rpc["database"]) == before, "nothing half-saved"
    rpc["tally"][error] += 1
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


# ----------------------------------------------------------------------
# Malformed values, as an integrator's client may send them (issue 10):
# refused with a sentence for an administrator, and with an AccessError for
# a salesperson who may not change the records, whatever the values
# ----------------------------------------------------------------------

NUL, SURROGATE = "a\u0000b", "x\ud800"
# (field, malformed value, part of the message): tried in create() and
# write(). "{...}" parts are filled in by the test.
MALFORMED = {
    "sale.activity.playbook": [
        ("line_ids", [None], "takes a list of commands"),
        ("line_ids", [0], "takes a list of commands"),
        ("line_ids", [False], "takes a list of commands"),
        ("line_ids", "x", "takes a list of commands"),
        ("line_ids", [[2, "{other_rule}"]], "is not among"),
        ("line_ids", [[1, "{other_rule}", {"delay_count": 9}]], "is not among"),
        ("line_ids", [[0, 0, {"delay_unit": "hours"}]], "is not a choice"),
        ("team_ids", [[6, 0, "x"]], "is not a command"),
        ("team_ids", [[3]], "is not a command"),
        ("team_ids", [[4, "1"]], "is not a command"),
        ("team_ids", [[4, 1.5]], "is not a command"),
        ("team_ids", [[7, 1]], "is not a command"),
        ("team_ids", [[4, 10**9]], "do not exist"),
        ("team_ids", {"4": 1}, "takes a list of commands"),
        ("name", NUL, "cannot be stored"),
        ("name", SURROGATE, "cannot be stored"),
        ("name", ["x"], '"Name" takes text'),
        ("name", "", '"Name" (Activity Playbook) is required'),
        ("description", {"en_US": "x"}, "takes text"),
        ("sequence", [1], "is not a number"),
        ("sequence", "1.5", "is not a whole number"),
        ("escalation_days", {"days": 2}, "is not a number"),
        ("escalation_days", True, "is not a number"),
        ("neglect_min_revenue", [100], "is not a number"),
        ("active", "no", "takes true or false"),
        ("cancel_on_won", [True], "takes true or false"),
        ("company_id", "1", "takes the id of a record"),
        ("company_id", 1.5, "takes the id of a record"),
        ("company_id", [1, "YourCompany"], "takes the id of a record"),
        ("followup_type_id", {"id": 1}, "takes the id of a record"),
        ("currency_id", "EUR", "takes the id of a record"),
        ("no_such_field", 1, 'have no field "no_such_field"'),
    ],
    "sale.activity.playbook.line": [
        ("delay_unit", False, '"Delay Unit" (Activity Playbook Rule) is required'),
        ("delay_unit", "", '"Delay Unit" (Activity Playbook Rule) is required'),
        ("delay_unit", None, '"Delay Unit" (Activity Playbook Rule) is required'),
        ("delay_unit", ["days"], "is not a choice"),
        ("trigger_on", "created", "is not a choice"),
        ("playbook_id", 1.5, "takes the id of a record"),
        ("playbook_id", "{playbook_text}", "takes the id of a record"),
        ("playbook_id", ["{playbook}"], "takes the id of a record"),
        ("playbook_id", 0, "takes the id of a record"),
        ("user_id", True, "takes the id of a record"),
        ("next_type_ids", [[6, 0, "x"]], "is not a command"),
        ("next_type_ids", [[6, 0, ["{todo}", None]]], "is not a command"),
        ("next_type_ids", [[0, 0, "x"]], "is not a command"),
        ("next_type_ids", [[5, 0, ["{todo}"]]], "is not a command"),
        ("next_type_ids", [["{todo}"]], "is not a command"),
        ("next_type_ids", ["{todo}"], "takes a list of commands"),
        ("next_type_ids", [None], "takes a list of commands"),
        ("summary", NUL, "cannot be stored"),
        ("note", SURROGATE, "cannot be stored"),
        ("note", ["<p>x</p>"], "takes text"),
        ("delay_count", [3], "is not a number"),
        ("delay_count", 1.5, "is not a whole number"),
        ("delay_count", "three", "is not a number"),
        ("company_id", "{company}", "is computed"),
    ],
    "sale.activity.followup.log": [
        ("date_done", "tomorrow", '"Done On" takes a date'),
        ("date_done", "2026-13-45", '"Done On" takes a date'),
        ("date_done", False, '"Done On" (Done Follow-up) is required'),
        ("lead_id", "{lead_text}", "takes the id of a record"),
        ("was_reminded", "yes", "takes true or false"),
        ("done_late", True, "is computed"),
        ("summary", NUL, "cannot be stored"),
    ],
}


def fill(value, ids):
    """``value`` with its "{name}" strings replaced by the ids of ``ids``
    ("{name_text}": the id as a string)."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        name = value[1:-1]
        if name.endswith("_text"):
            return str(ids[name[: -len("_text")]])
        return ids[name]
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


@pytest.fixture(scope="module")
def records(rpc):
    """Records of each model to write on, and values to create them."""
    server, admin = rpc["server"], rpc["admin"]
    playbook = search_one(
        rpc, "sale.activity.playbook", [("name", "=", "Website lead")]
    )
    other = search_one(
        rpc,
        "sale.activity.playbook.line",
        [("playbook_id.name", "=", "Standard sales cadence")],
    )
    rule = search_one(
        rpc, "sale.activity.playbook.line", [("playbook_id", "=", playbook)]
    )
    lead = search_one(rpc, "crm.lead", [("user_id.login", "=", "demo")])
    log = search_one(rpc, "sale.activity.followup.log", [])
    ids = {
        "playbook": playbook,
        "other_rule": other,
        "todo": type_id(rpc, "To-Do"),
        "company": server.call_kw(admin, "res.users", "read", [[2], ["company_id"]])[0][
            "company_id"
        ][0],
        "lead": lead,
    }
    return {
        "ids": ids,
        "sale.activity.playbook": ({"name": "Malformed"}, playbook),
        "sale.activity.playbook.line": (
            {
                **NEW_RULE,
                "playbook_id": playbook,
                "activity_type_id": type_id(rpc, "Email"),
                "next_type_ids": [[6, 0, [ids["todo"]]]],
            },
            rule,
        ),
        "sale.activity.followup.log": (
            {"lead_id": lead, "date_deadline": "2026-11-25", "date_done": "2026-11-26"},
            log,
        ),
    }


@pytest.mark.slow
@pytest.mark.parametrize("model", sorted(MALFORMED))
def test_malformed_values_are_refused_over_json_rpc(rpc, records, model):
    create_values, record = records[model]
    # the follow-up log is the engine's: nobody changes it over RPC
    engine_only = model == "sale.activity.followup.log"
    for fname, value, message_part in MALFORMED[model]:
        value = fill(value, records["ids"])
        for method, args in (
            ("create", [{**create_values, fname: value}]),
            ("write", [[record], {fname: value}]),
        ):
            if engine_only:
                refused(rpc, rpc["admin"], model, method, args, "AccessError", "")
            else:
                refused(
                    rpc,
                    rpc["admin"],
                    model,
                    method,
                    args,
                    "ValidationError",
                    message_part,
                )
            # a salesperson may not change these: told so, whatever the values
            refused(rpc, rpc["demo"], model, method, args, "AccessError", "")


@pytest.mark.slow
def test_malformed_values_of_what_a_salesperson_may_change(rpc, records):
    """The preview wizard and the addon's fields on activities: refused with
    a sentence for an administrator and for a salesperson alike."""
    server, demo = rpc["server"], rpc["demo"]
    playbook = records["ids"]["playbook"]
    activity = search_one(rpc, "mail.activity", [("user_id.login", "=", "demo")])
    preview = "sale.activity.playbook.preview"
    new_previews = [
        ({"playbook_id": str(playbook)}, "takes the id of a record"),
        ({"playbook_id": [playbook]}, "takes the id of a record"),
        ({"playbook_id": False}, "is required"),
        ({"lead_id": 10**9}, "do not exist"),
        ({"lead_id": 2.5}, "takes the id of a record"),
        ({"preview": ["<p>x</p>"]}, "takes text"),
        ({"team_ids": [None]}, "takes a list of commands"),
    ]
    activity_values = [
        ({"playbook_line_id": "1"}, "takes the id of a record"),
        ({"playbook_line_id": 10**9}, "do not exist"),
        ({"playbook_recommended_type_id": [1]}, "takes the id of a record"),
        ({"chaining_type": "force"}, "is not a choice"),
        ({"playbook_suggested_type_ids": [0]}, "takes a list of commands"),
    ]
    for http in (rpc["admin"], demo):
        wizard = server.call_kw(http, preview, "create", [{"playbook_id": playbook}])
        for values, message_part in new_previews:
            args = [{"playbook_id": playbook, **values}]
            refused(rpc, http, preview, "create", args, "ValidationError", message_part)
        for values, message_part in (
            ({"lead_id": "x"}, "takes the id of a record"),
            ({"playbook_id": None}, "is required"),
        ):
            args = [[wizard], values]
            refused(rpc, http, preview, "write", args, "ValidationError", message_part)
        for values, message_part in activity_values:
            args = [[activity], values]
            refused(rpc, http, "mail.activity", "write", args, "ValidationError",
                    message_part)  # fmt: skip
        # the engine's bookkeeping is not anyone's to set, whatever the value
        args = [[activity], {"reminded_on": [2026, 11, 25]}]
        refused(rpc, http, "mail.activity", "write", args, "AccessError",
                "cannot be set by hand")  # fmt: skip
    team = search_one(rpc, "crm.team", [])
    for value in ([None], [[4, "x"]], [[6, 0, [10**9]]], "Website lead"):
        args = [[team], {"playbook_ids": value}]
        refused(rpc, rpc["admin"], "crm.team", "write", args, "ValidationError", "")
        refused(rpc, demo, "crm.team", "write", args, "AccessError", "")


@pytest.mark.slow
def test_access_is_checked_before_the_values_over_json_rpc(rpc, records):
    """A salesperson cannot tell which ids exist from the errors: the same
    AccessError whether the records named exist or not."""
    playbook = records["ids"]["playbook"]
    team = search_one(rpc, "crm.team", [])
    messages = set()
    for team_id in (10**9, team):
        for method, args in (
            ("write", [[playbook], {"team_ids": [[4, team_id]]}]),
            ("create", [{"name": "Mine", "team_ids": [[4, team_id]]}]),
        ):
            messages.add(
                refused(
                    rpc,
                    rpc["demo"],
                    "sale.activity.playbook",
                    method,
                    args,
                    "AccessError",
                    "",
                )
            )
    assert len(messages) == 2, messages  # one for create, one for write


@pytest.mark.slow
def test_calls_that_are_no_create_or_write_over_json_rpc(rpc, records):
    for model in ("sale.activity.playbook", "sale.activity.playbook.line"):
        create_values, record = records[model]
        for method, args, message_part in (
            ("create", ["x"], "are a dictionary"),
            ("create", [[1, 2]], "are a dictionary"),
            ("create", [[create_values, None]], "are a dictionary"),
            ("write", [[record], "x"], "are a dictionary"),
            ("write", [[record], [["name", "x"]]], "are a dictionary"),
            ("write", [["x"], {"sequence": 3}], "are named by their ids"),
            ("write", [[1.5], {"sequence": 3}], "are named by their ids"),
        ):
            refused(
                rpc, rpc["admin"], model, method, args, "ValidationError", message_part
            )


@pytest.mark.slow
def test_what_the_web_client_sends_is_accepted_over_json_rpc(rpc, records):
    """web_save with the commands of Odoo's web client (static_list.js,
    orm_service.js x2ManyCommands): virtual ids, [2, id], [4, id],
    [6, false, ids], numbers as strings."""
    server, admin = rpc["server"], rpc["admin"]
    ids = records["ids"]
    email, call = type_id(rpc, "Email"), type_id(rpc, "Call")
    playbook = server.call_kw(
        admin,
        "sale.activity.playbook",
        "web_save",
        [
            [],
            {
                "name": "From the web client",
                "escalation_days": "3",
                "neglect_min_revenue": 1500.5,
                "company_id": False,
                "line_ids": [
                    [
                        0,
                        "virtual_1",
                        {
                            "activity_type_id": email,
                            "next_type_ids": [[6, False, [ids["todo"]]]],
                            "delay_count": 2,
                        },
                    ],
                    [
                        0,
                        "virtual_2",
                        {
                            "activity_type_id": call,
                            "next_type_ids": [[4, ids["todo"]]],
                        },
                    ],
                ],
                "team_ids": [[4, search_one(rpc, "crm.team", [])]],
            },
        ],
        {"specification": {"line_ids": {"fields": {"delay_count": {}}}}},
    )[0]
    email_rule, call_rule = (line["id"] for line in playbook["line_ids"])
    server.call_kw(
        admin,
        "sale.activity.playbook",
        "web_save",
        [
            [playbook["id"]],
            {
                "line_ids": [
                    [1, email_rule, {"next_type_ids": [[3, ids["todo"]], [4, call]]}],
                    [2, call_rule],
                ],
                "team_ids": [[6, False, []]],
                "sequence": 7.0,
                "description": False,
            },
        ],
        {"specification": {}},
    )
    saved = server.call_kw(
        admin,
        "sale.activity.playbook",
        "read",
        [[playbook["id"]], ["line_ids", "team_ids", "sequence", "escalation_days"]],
    )[0]
    assert saved["line_ids"] == [email_rule]
    assert saved["team_ids"] == []
    assert (saved["sequence"], saved["escalation_days"]) == (7, 3)
    rule = server.call_kw(
        admin,
        "sale.activity.playbook.line",
        "read",
        [[email_rule], ["next_type_ids", "delay_count"]],
    )[0]
    assert rule["next_type_ids"] == [call]
    assert rule["delay_count"] == 2


@pytest.mark.slow
def test_buttons_on_ids_that_are_no_records_over_json_rpc(rpc, records):
    """Buttons called on no record, on several where they work on one, or on
    ids that are not ids or name no record: a sentence, nothing written."""
    server, admin = rpc["server"], rpc["admin"]
    playbooks = server.call_kw(admin, "sale.activity.playbook", "search", [[]])[:2]
    leads = server.call_kw(admin, "crm.lead", "search", [[]], {"limit": 2})
    activity = search_one(rpc, "mail.activity", [("user_id.login", "=", "demo")])
    missing = 2**31 - 7
    one = [
        ("sale.activity.playbook", "action_try", playbooks),
        ("crm.lead", "action_pause_playbook_followups", leads),
        ("crm.team", "action_open_overdue_followups", None),
        ("mail.activity", "action_feedback_schedule_next", None),
    ]
    selected = [
        ("crm.lead", "action_schedule_playbook_followup"),
        ("crm.lead", "action_resume_playbook_followups"),
        ("mail.activity", "action_followup_done"),
        ("mail.activity", "action_followup_reschedule"),
        ("mail.activity", "action_followup_reassign"),
    ]
    for model, button, two in one:
        for ids, message_part in (
            (["a"], "named by their ids"),
            ([True], "named by their ids"),
            ([], "works on one"),
            ([missing], "with the id"),
            *([(two, "works on one")] if two else []),
        ):
            refused(rpc, admin, model, button, [ids], "UserError", message_part)
    for model, button in selected:
        for ids, message_part in (
            (["a"], "named by their ids"),
            ([True], "named by their ids"),
            ([], "select at least one"),
            ([activity if model == "mail.activity" else leads[0], missing],
             "with the id"),
        ):  # fmt: skip
            refused(rpc, admin, model, button, [ids], "UserError", message_part)


@pytest.mark.slow
def test_computed_fields_change_no_record_over_json_rpc(rpc):
    """As an administrator: outcomes and activity types are not deleted,
    renamed or created through the computed fields of an activity, nor is
    the goal flag of a stage set by hand."""
    server, admin = rpc["server"], rpc["admin"]
    activity = search_one(rpc, "mail.activity", [])
    outcome = search_one(rpc, "sale.activity.outcome", [])
    todo = type_id(rpc, "To-Do")
    for fname, command in (
        ("playbook_outcome_ids", [2, outcome]),
        ("playbook_outcome_ids", [1, outcome, {"name": "Renamed"}]),
        ("playbook_outcome_ids", [0, 0, {"name": "Sneaked in"}]),
        ("playbook_suggested_type_ids", [0, 0, {"name": "Sneaked in"}]),
        ("playbook_suggested_type_ids", [2, todo]),
    ):
        args = [[activity], {fname: [command]}]
        refused(rpc, admin, "mail.activity", "write", args, "ValidationError",
                "is computed")  # fmt: skip
    stage = search_one(rpc, "crm.stage", [])
    for value in (True, False):
        args = [[stage], {"playbook_goal_reached": value}]
        refused(rpc, admin, "crm.stage", "write", args, "ValidationError",
                "is computed")  # fmt: skip
    assert server.call_kw(
        admin, "sale.activity.outcome", "search", [[("id", "=", outcome)]]
    )
