"""Send-cron workers racing each other on a real database (a throwaway copy
of the test database, dropped at the end): every automated email is queued
once, whoever runs first, and a run that fails queues nothing.

Data is committed here, since a second cursor must see it; Odoo runs in this
process, one cursor per worker.
"""

import logging
from datetime import datetime

import pytest
from databases import environment
from races import at_the_same_moment, on_an_older_snapshot, race_registry
from send_world import rule_that_sends, salespeople_every_day


@pytest.fixture(scope="module")
def registry(odoo_config, databases, pristine_database):
    yield from race_registry(odoo_config, databases, pristine_database, "send_race")


def send(cr, **kw):
    environment(cr)["sale.activity.playbook.sender"]._cron_send_playbook_emails(**kw)


def build_sends(registry, users=2, per_user=3):
    """``users`` salespeople who work every day, each with ``per_user``
    automated follow-ups due now (sending hours 0:00 to 24:00) on leads of
    a team without daily limit, to customers with an address. Returns the
    follow-ups' and leads' ids. Committed."""
    with registry.cursor() as cr:
        env = environment(cr)
        stamp = datetime.now().strftime("%H%M%S%f")
        users = salespeople_every_day(env, users, f"Sender {stamp}")
        team = env["crm.team"].create(
            {"name": f"Send race {stamp}", "playbook_daily_send_limit": 0}
        )
        rule = rule_that_sends(env, team, f"Sends {stamp}")
        email = env.ref("mail.mail_activity_data_email")
        leads = env["crm.lead"].create(
            [
                {
                    "name": f"Send lead {stamp} {user.id} {i}",
                    "team_id": team.id,
                    "user_id": user.id,
                    "email_from": f"customer.{stamp}.{user.id}.{i}@example.com",
                }
                for user in users
                for i in range(per_user)
            ]
        )
        activities = env["mail.activity"].create(
            [
                {
                    "res_model_id": env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": email.id,
                    "user_id": lead.user_id.id,
                    "date_deadline": datetime.now().date(),
                    "playbook_line_id": rule.id,
                    "playbook_auto_send": True,
                }
                for lead in leads
            ]
        )
        assert all(activities.mapped("playbook_send_at")), "due now"
        return activities.ids, leads.ids


def queued_per_lead(cr, lead_ids):
    cr.execute(
        "SELECT m.res_id, count(*) FROM mail_mail mm "
        "JOIN mail_message m ON m.id = mm.mail_message_id "
        "WHERE m.model = 'crm.lead' AND m.res_id = ANY(%s) "
        "AND m.message_type = 'email_outgoing' GROUP BY m.res_id",
        [lead_ids],
    )
    return dict(cr.fetchall())


def assert_sent_once(registry, activity_ids, lead_ids):
    with registry.cursor() as cr:
        assert queued_per_lead(cr, lead_ids) == dict.fromkeys(lead_ids, 1)
        cr.execute(
            "SELECT count(*) FROM mail_activity WHERE id = ANY(%s) AND active",
            [activity_ids],
        )
        assert cr.fetchone()[0] == 0, "every follow-up is done"


def test_a_worker_skips_the_followups_another_holds(registry):
    activity_ids, lead_ids = build_sends(registry)
    with registry.cursor() as cr_a, registry.cursor() as cr_b:
        send(cr_a)  # A holds its assignees and rows until it commits
        send(cr_b)  # B skips them instead of waiting
        assert not queued_per_lead(cr_b, lead_ids)
        cr_b.commit()
        cr_a.commit()
    assert_sent_once(registry, activity_ids, lead_ids)


def test_a_worker_with_an_older_snapshot_sends_nothing_twice(registry, caplog):
    caplog.set_level(logging.INFO, "odoo.addons.sale_activity_playbooks")
    activity_ids, lead_ids = build_sends(registry)
    # B still sees the follow-ups as due, but cannot lock what A completed
    on_an_older_snapshot(registry, send)
    assert "changed meanwhile: left to the next call" in caplog.text
    assert_sent_once(registry, activity_ids, lead_ids)


def test_two_workers_at_the_same_moment(registry):
    activity_ids, lead_ids = build_sends(registry, users=4)

    def send_in_batches(cr):
        for _i in range(6):
            send(cr, batch_size=3)
            cr.commit()

    at_the_same_moment(registry, send_in_batches)
    assert_sent_once(registry, activity_ids, lead_ids)


def test_a_run_that_fails_halfway_queues_nothing(registry, monkeypatch):
    activity_ids, lead_ids = build_sends(registry)
    with registry.cursor() as cr:
        env = environment(cr)
        Activity = type(env["mail.activity"])

        def fail(self, *args, **kwargs):
            raise RuntimeError("the server stopped")

        monkeypatch.setattr(Activity, "_action_done", fail)
        with pytest.raises(RuntimeError):
            send(cr)
        cr.rollback()
        monkeypatch.undo()
        assert not queued_per_lead(cr, lead_ids)
    with registry.cursor() as cr:
        send(cr)
    assert_sent_once(registry, activity_ids, lead_ids)
