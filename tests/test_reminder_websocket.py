"""A salesperson's open web client receives the reminder as it is sent: a real
server, a websocket on /websocket with the salesperson's session, the reminder
cron run by an administrator."""

import json
import time
import uuid
from datetime import date, timedelta

import pytest
import websocket
from conftest import GROUPS_FIELD


def xmlid_to_id(server, http, xmlid):
    module, name = xmlid.split(".")
    [data] = server.call_kw(
        http,
        "ir.model.data",
        "search_read",
        [[("module", "=", module), ("name", "=", name)]],
        {"fields": ["res_id"]},
    )
    return data["res_id"]


@pytest.fixture
def salesperson_with_a_due_followup(odoo_server):
    """A salesperson (Inbox notifications) with a follow-up due yesterday on
    a lead of their own; removed afterwards."""
    admin = odoo_server.session("admin", "admin")
    stamp = uuid.uuid4().hex[:8]
    login = f"ws_salesperson_{stamp}"
    call = odoo_server.call_kw
    user_id = call(
        admin,
        "res.users",
        "create",
        [
            {
                "name": f"Websocket Salesperson {stamp}",
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "tz": "UTC",
                "notification_type": "inbox",
                GROUPS_FIELD: [
                    (
                        4,
                        xmlid_to_id(
                            odoo_server, admin, "sales_team.group_sale_salesman"
                        ),
                    )
                ],
            }
        ],
    )
    lead_name = f"Websocket Deal {stamp}"
    lead_id = call(
        admin, "crm.lead", "create", [{"name": lead_name, "user_id": user_id}]
    )
    [model] = call(
        admin,
        "ir.model",
        "search_read",
        [[("model", "=", "crm.lead")]],
        {"fields": ["id"]},
    )
    call(
        admin,
        "mail.activity",
        "create",
        [
            {
                "res_model_id": model["id"],
                "res_id": lead_id,
                "activity_type_id": xmlid_to_id(
                    odoo_server,
                    admin,
                    "sale_activity_playbooks.mail_activity_type_follow_up",
                ),
                "user_id": user_id,
                "summary": "Call back about the discount",
                "date_deadline": str(date.today() - timedelta(days=1)),
            }
        ],
        {"context": {"mail_activity_quick_update": True}},
    )
    yield {"admin": admin, "login": login, "lead_name": lead_name}
    call(admin, "crm.lead", "unlink", [[lead_id]])  # its activities go with it
    try:
        call(admin, "res.users", "unlink", [[user_id]])
    except RuntimeError:  # still referenced somewhere: at least out of the way
        call(admin, "res.users", "write", [[user_id], {"active": False}])


def receive_toasts(ws, lead_name, timeout=30):
    """The simple notifications that mention ``lead_name``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            break
        for notification in json.loads(frame):
            message = notification["message"]
            if message["type"] == "simple_notification" and lead_name in json.dumps(
                message["payload"]
            ):
                return [message["payload"]]
    return []


def test_salesperson_receives_the_reminder_in_real_time(
    odoo_server, salesperson_with_a_due_followup
):
    data = salesperson_with_a_due_followup
    salesperson = odoo_server.session(data["login"], data["login"])
    ws = websocket.create_connection(
        odoo_server.url.replace("http", "ws") + "/websocket",
        cookie=f"session_id={salesperson.cookies['session_id']}",
        timeout=10,
    )
    try:
        # the server adds the user's own channels (their partner) to these
        ws.send(
            json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}})
        )
        cron_id = xmlid_to_id(
            odoo_server,
            data["admin"],
            "sale_activity_playbooks.ir_cron_playbook_reminders",
        )
        # runs the cron at once, in this request, and commits
        odoo_server.call_kw(
            data["admin"], "ir.cron", "method_direct_trigger", [[cron_id]]
        )
        toasts = receive_toasts(ws, data["lead_name"])
    finally:
        ws.close()
    assert len(toasts) == 1, toasts
    assert toasts[0]["title"] == f"Follow-up due: {data['lead_name']}"
    assert toasts[0]["message"] == data["lead_name"]
    assert toasts[0]["type"] == "warning"
