"""Workers racing each other on a real database (a throwaway copy of the test
database, dropped at the end): every follow-up is reminded once, every
neglected lead followed up once, whoever runs first.

Data is committed here, since a second cursor must see it; Odoo runs in this
process, one cursor per worker.
"""

import logging
from datetime import datetime, timedelta

import pytest
from databases import environment, odoo_series
from races import at_the_same_moment, on_an_older_snapshot, race_registry


@pytest.fixture(scope="module")
def registry(odoo_config, databases, pristine_database):
    yield from race_registry(odoo_config, databases, pristine_database, "race")


def remind(cr):
    environment(cr)["sale.activity.reminder"]._cron_playbook_reminders()


def build_reminders(registry, users=2, per_user=3, escalate=False, reminded=True):
    """``users`` inbox users with ``per_user`` follow-ups due yesterday, on
    leads of a team without playbook (no escalation). ``escalate``: due ten
    days ago and reminded already, on leads of a team (led by the admin)
    whose playbook escalates after one working day (``reminded``: reminded
    already). Committed."""
    with registry.cursor() as cr:
        env = environment(cr)
        stamp = datetime.now().strftime("%H%M%S%f")
        users = env["res.users"].create(
            [
                {
                    "name": f"Racer {stamp} {i}",
                    "login": f"racer_{stamp}_{i}",
                    "email": f"racer.{stamp}.{i}@example.com",
                    "tz": "UTC",
                    "notification_type": "inbox",
                }
                for i in range(users)
            ]
        )
        team = env["crm.team"].create({"name": f"Race {stamp}"})
        if escalate:
            team.user_id = env.ref("base.user_admin")
            env["sale.activity.playbook"].create(
                {
                    "name": f"Escalate {stamp}",
                    "escalation_days": 1,
                    "team_ids": [(4, team.id)],
                }
            )
        days = 10 if escalate else 1
        leads = env["crm.lead"].create(
            [
                {"name": f"Race lead {stamp} {i}", "team_id": team.id}
                for i in range(per_user)
            ]
        )
        follow_up = env.ref("sale_activity_playbooks.mail_activity_type_follow_up")
        activities = (
            env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": env["ir.model"]._get_id("crm.lead"),
                        "res_id": lead.id,
                        "activity_type_id": follow_up.id,
                        "user_id": user.id,
                        "date_deadline": datetime.now().date() - timedelta(days=days),
                        "reminded_on": datetime.now()
                        if escalate and reminded
                        else False,
                    }
                    for user in users
                    for lead in leads
                ]
            )
        )
        return activities.ids, users.partner_id.ids


def assert_reminded_once(registry, activity_ids, partner_ids):
    with registry.cursor() as cr:
        env = environment(cr)
        activities = env["mail.activity"].browse(activity_ids)
        assert all(activities.mapped("reminded_on")), "every follow-up is reminded"
        for partner_id in partner_ids:
            digests = env["mail.message"].search_count(
                [
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", partner_id),
                    ("subject", "=", "3 follow-ups due"),
                ]
            )
            assert digests == 1, f"partner {partner_id}: {digests} digests"
            cr.execute(
                "SELECT count(*) FROM bus_bus WHERE channel::jsonb->>2 = %s "
                "AND message::jsonb->>'type' = 'simple_notification'",
                [str(partner_id)],
            )
            assert cr.fetchone()[0] == 1, f"partner {partner_id}: one toast"


def test_a_worker_skips_the_followups_another_holds(registry):
    activity_ids, partner_ids = build_reminders(registry)
    with registry.cursor() as cr_a, registry.cursor() as cr_b:
        remind(cr_a)  # A holds its rows until it commits
        remind(cr_b)  # B skips them instead of waiting
        cr_b.commit()
        cr_a.commit()
    assert_reminded_once(registry, activity_ids, partner_ids)


def test_workers_at_once_share_the_recipients_out(registry):
    activity_ids, partner_ids = build_reminders(registry, users=4)
    with registry.cursor() as cr:
        # only these reminders are due: the batches are predictable
        cr.execute(
            "UPDATE mail_activity SET reminded_on = now(), escalated_on = now() "
            "WHERE reminded_on IS NULL AND id <> ALL(%s)",
            [activity_ids],
        )

    def reminded_by(cr):
        environment(cr).flush_all()
        cr.execute(
            "SELECT user_id FROM mail_activity WHERE reminded_on IS NOT NULL "
            "AND id = ANY(%s)",
            [activity_ids],
        )
        return {row[0] for row in cr.fetchall()}

    with registry.cursor() as cr_a, registry.cursor() as cr_b:
        # small batches: a worker takes a few recipients, whole
        environment(cr_a)["sale.activity.reminder"]._cron_playbook_reminders(
            batch_size=3
        )
        environment(cr_b)["sale.activity.reminder"]._cron_playbook_reminders(
            batch_size=3
        )
        users_a, users_b = reminded_by(cr_a), reminded_by(cr_b)
        # B served other recipients while A held its own, instead of none
        assert users_a and users_b and not users_a & users_b
        cr_a.commit()
        cr_b.commit()
    with registry.cursor() as cr:
        for _i in range(10):
            remind(cr)
            cr.commit()
    assert_reminded_once(registry, activity_ids, partner_ids)


def test_a_worker_with_an_older_snapshot_sends_nothing_twice(registry, caplog):
    caplog.set_level(logging.INFO, "odoo.addons.sale_activity_playbooks")
    activity_ids, partner_ids = build_reminders(registry)
    # B still sees the follow-ups as not reminded, but cannot lock what A marked
    on_an_older_snapshot(registry, remind)
    assert "changed meanwhile (reminded_on): left to the next call" in caplog.text
    assert_reminded_once(registry, activity_ids, partner_ids)


def test_two_workers_at_the_same_moment(registry):
    activity_ids, partner_ids = build_reminders(registry, users=4)
    at_the_same_moment(registry, remind)
    assert_reminded_once(registry, activity_ids, partner_ids)


def only_these_are_due(registry, activity_ids):
    """Mark every other follow-up of the database reminded and escalated:
    the batches are predictable."""
    with registry.cursor() as cr:
        cr.execute(
            "UPDATE mail_activity SET reminded_on = now(), escalated_on = now() "
            "WHERE (reminded_on IS NULL OR escalated_on IS NULL) AND id <> ALL(%s)",
            [activity_ids],
        )


def reminder_progress(env, **kw):
    """One call of the reminder cron as Odoo's cron runner makes it: what it
    reported, ``(done, remaining)``."""
    cron = env.ref("sale_activity_playbooks.ir_cron_playbook_reminders")
    cron, progress = cron._add_progress()
    env["sale.activity.reminder"].with_context(
        ir_cron_progress_id=progress.id, cron_id=cron.id
    )._cron_playbook_reminders(**kw)
    return progress.done, progress.remaining


def digests_of(cr, partner_id):
    """The subjects of the digests a partner got."""
    env = environment(cr)
    return (
        env["mail.message"]
        .search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", partner_id),
            ],
            order="id",
        )
        .mapped("subject")
    )


def reschedule_meanwhile(registry, activity_id, days_ago=2):
    """The assignee moves a follow-up (still due) and saves, in a request of
    their own, committed."""
    with registry.cursor() as cr_user:
        env = environment(cr_user)
        activity = env["mail.activity"].browse(activity_id)
        activity.with_user(activity.user_id).date_deadline = (
            datetime.now().date() - timedelta(days=days_ago)
        )


def test_a_followup_changed_meanwhile_costs_the_reminder_cron_that_followup_only(
    registry,
):
    activity_ids, partner_ids = build_reminders(registry)
    only_these_are_due(registry, activity_ids)
    changed = activity_ids[0]
    with registry.cursor() as cr_cron:
        env = environment(cr_cron)
        env["res.users"].search_count([])  # the cron's snapshot starts here
        reschedule_meanwhile(registry, changed)
        # not "Another worker processed these follow-ups meanwhile": nobody
        # did, and the 5 others are reminded now
        assert reminder_progress(env) == (5, 1)
    with registry.cursor() as cr:
        activities = environment(cr)["mail.activity"].browse(activity_ids)
        assert not activities[0].reminded_on
        assert all(activities[1:].mapped("reminded_on"))
        # the runner calls again at once: the changed one is reminded now,
        # not an hour later
        assert reminder_progress(environment(cr)) == (1, 0)
        assert activities[0].reminded_on
        assert digests_of(cr, partner_ids[0]) == [
            "2 follow-ups due",
            "Follow-up due: " + activities[0].res_name,
        ]
        assert digests_of(cr, partner_ids[1]) == ["3 follow-ups due"]


def test_a_followup_changed_meanwhile_costs_the_escalation_that_followup_only(
    registry,
):
    activity_ids, _partner_ids = build_reminders(registry, escalate=True)
    only_these_are_due(registry, activity_ids)
    changed = activity_ids[0]
    with registry.cursor() as cr_cron:
        env = environment(cr_cron)
        env["res.users"].search_count([])
        reschedule_meanwhile(registry, changed, days_ago=11)
        assert reminder_progress(env) == (5, 1)
    with registry.cursor() as cr:
        activities = environment(cr)["mail.activity"].browse(activity_ids)
        assert [bool(a.escalated_on) for a in activities] == [False] + [True] * 5
        assert reminder_progress(environment(cr)) == (1, 0)
        assert activities[0].escalated_on


def test_a_followup_reminded_by_this_batch_is_escalated_by_it_too(registry):
    # One call reminds and escalates the same follow-ups: what it changes
    # itself is no conflict, the salesperson's change is.
    activity_ids, _partner_ids = build_reminders(
        registry, escalate=True, reminded=False
    )
    only_these_are_due(registry, activity_ids)
    with registry.cursor() as cr_cron:
        env = environment(cr_cron)
        env["res.users"].search_count([])
        reschedule_meanwhile(registry, activity_ids[0], days_ago=11)
        # 5 reminded and 5 escalated; the changed one left to the next call,
        # for both
        assert reminder_progress(env) == (10, 2)
    with registry.cursor() as cr:
        assert reminder_progress(environment(cr)) == (2, 0)
        activities = environment(cr)["mail.activity"].browse(activity_ids)
        assert all(activities.mapped("reminded_on"))
        assert all(activities.mapped("escalated_on"))


def build_neglected_leads(registry, count=3):
    """Leads of a team whose playbook watches for neglect after 7 days, last
    touched 30 days ago. Committed."""
    with registry.cursor() as cr:
        env = environment(cr)
        stamp = datetime.now().strftime("%H%M%S%f")
        salesperson = env["res.users"].create(
            {
                "name": f"Neglecter {stamp}",
                "login": f"neglecter_{stamp}",
                "email": f"neglecter.{stamp}@example.com",
                "notification_type": "inbox",
                odoo_series.GROUPS_FIELD: [
                    (4, env.ref("sales_team.group_sale_salesman").id)
                ],
            }
        )
        team = env["crm.team"].create({"name": f"Neglect {stamp}"})
        env["sale.activity.playbook"].create(
            {"name": f"Watch {stamp}", "neglect_days": 7, "team_ids": [(4, team.id)]}
        )
        leads = env["crm.lead"].create(
            [
                {
                    "name": f"Quiet lead {stamp} {i}",
                    "team_id": team.id,
                    "user_id": salesperson.id,
                }
                for i in range(count)
            ]
        )
        env.flush_all()
        cr.execute(
            "UPDATE crm_lead SET create_date = now() - interval '30 days' "
            "WHERE id = ANY(%s)",
            [leads.ids],
        )
        return leads.ids


def schedule_on_demand(cr, lead_ids):
    """Run *Schedule follow-up* as a request of the web client does: Odoo
    retries it on a serialization failure (``retrying``)."""
    from odoo.service.model import retrying

    env = environment(cr)
    admin = env.ref("base.user_admin")
    leads = env["crm.lead"].with_user(admin).browse(lead_ids)
    return retrying(leads.action_schedule_playbook_followup, env)["params"]["message"]


def assert_followed_up_once(registry, lead_ids):
    with registry.cursor() as cr:
        env = environment(cr)
        for lead_id in lead_ids:
            count = env["mail.activity"].search_count(
                [("res_model", "=", "crm.lead"), ("res_id", "=", lead_id)]
            )
            assert count == 1, f"lead {lead_id}: {count} follow-ups"


def test_server_action_says_which_leads_the_cron_holds(registry):
    lead_ids = build_neglected_leads(registry)
    with registry.cursor() as cr_cron, registry.cursor() as cr_user:
        environment(cr_cron)["sale.activity.neglect"]._cron_playbook_neglect()
        message = schedule_on_demand(cr_user, lead_ids)
        cr_user.commit()
        cr_cron.commit()
    # not "already planned or closed": they were neither, yet
    assert message == (
        "Follow-ups scheduled: 0. Busy, someone else is working on them right "
        "now (try again in a moment): 3."
    )
    assert_followed_up_once(registry, lead_ids)
    with registry.cursor() as cr_user:
        message = schedule_on_demand(cr_user, lead_ids)
    assert message == "Follow-ups scheduled: 0. Already planned: 3."


def test_server_action_with_an_older_snapshot_is_retried_by_odoo(registry, caplog):
    caplog.set_level(logging.INFO, "odoo.service.model")
    lead_ids = build_neglected_leads(registry)
    with registry.cursor() as cr_user:
        environment(cr_user)["crm.lead"].search_count([])
        with registry.cursor() as cr_cron:
            environment(cr_cron)["sale.activity.neglect"]._cron_playbook_neglect()
        message = schedule_on_demand(cr_user, lead_ids)
    # the serialization failure reached Odoo's retry, which ran the action
    # again on a fresh snapshot: it says what happened, not "scheduled: 0"
    assert "SERIALIZATION_FAILURE, 4 tries left" in caplog.text
    assert message == "Follow-ups scheduled: 0. Already planned: 3."
    assert_followed_up_once(registry, lead_ids)


def neglect_progress(env, **kw):
    """One call of the neglect cron as Odoo's cron runner makes it, with a
    progress record of its own: what it reported, ``(done, remaining)``."""
    cron = env.ref("sale_activity_playbooks.ir_cron_playbook_neglect")
    cron, progress = cron._add_progress()
    env["sale.activity.neglect"].with_context(
        ir_cron_progress_id=progress.id, cron_id=cron.id
    )._cron_playbook_neglect(**kw)
    return progress.done, progress.remaining


def test_a_lead_changed_meanwhile_costs_the_neglect_cron_that_lead_only(registry):
    lead_ids = build_neglected_leads(registry)
    changed, *others = lead_ids
    with registry.cursor() as cr_cron:
        env = environment(cr_cron)
        env["res.users"].search_count([])  # the cron's snapshot starts here
        with registry.cursor() as cr_user:
            # a salesperson saves one of the leads meanwhile
            environment(cr_user)["crm.lead"].browse(changed).description = "Noted"
        # a full batch: the next one would go on after its last lead
        done, remaining = neglect_progress(env, batch_size=len(lead_ids))
    assert done == 2, "the other leads are followed up"
    assert remaining == 2, "the changed lead, and maybe more: the runner calls again"
    with registry.cursor() as cr:
        assert count_followups(cr, changed) == 0
        assert all(count_followups(cr, lead_id) == 1 for lead_id in others)
        # the runner's next call reads the changed lead again
        assert neglect_progress(environment(cr), batch_size=len(lead_ids)) == (1, 0)
    assert_followed_up_once(registry, lead_ids)


def test_a_neglect_call_that_did_nothing_but_left_work_is_triggered_again(registry):
    (lead_id,) = build_neglected_leads(registry, count=1)
    with registry.cursor() as cr_cron:
        env = environment(cr_cron)
        env["res.users"].search_count([])
        with registry.cursor() as cr_user:
            environment(cr_user)["crm.lead"].browse(lead_id).description = "Noted"
        cron = env.ref("sale_activity_playbooks.ir_cron_playbook_neglect")
        triggers = env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        # the runner ends a run on a call that did nothing, whatever remains
        assert neglect_progress(env) == (0, 1)
        assert (
            env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
            == triggers + 1
        ), "the job runs again soon, not tomorrow"


def count_followups(cr, lead_id):
    return environment(cr)["mail.activity"].search_count(
        [("res_model", "=", "crm.lead"), ("res_id", "=", lead_id)]
    )


def test_two_neglect_crons_at_the_same_moment(registry):
    lead_ids = build_neglected_leads(registry, count=20)
    at_the_same_moment(
        registry,
        lambda cr: environment(cr)["sale.activity.neglect"]._cron_playbook_neglect(
            batch_size=15
        ),
    )
    with registry.cursor() as cr:
        environment(cr)["sale.activity.neglect"]._cron_playbook_neglect()  # the rest
    assert_followed_up_once(registry, lead_ids)
