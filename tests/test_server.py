"""The addon served by a real Odoo server, reached over HTTP like a browser."""


def test_addon_is_installed_and_served(odoo_server):
    admin = odoo_server.session("admin", "admin")
    modules = odoo_server.call_kw(
        admin,
        "ir.module.module",
        "search_read",
        [[("name", "in", ["crm", "sale_activity_playbooks"])]],
        {"fields": ["name", "state"]},
    )
    assert {m["name"]: m["state"] for m in modules} == {
        "crm": "installed",
        "sale_activity_playbooks": "installed",
    }


def test_demo_salesperson_sees_the_pipeline(odoo_server):
    demo = odoo_server.session("demo", "demo")
    opportunities = odoo_server.call_kw(
        demo, "crm.lead", "search_count", [[("type", "=", "opportunity")]]
    )
    assert opportunities > 0, "the demo database has opportunities in its pipeline"
    login_page = odoo_server.json_rpc("/web/session/get_session_info", {}, http=demo)
    assert login_page["username"] == "demo"
