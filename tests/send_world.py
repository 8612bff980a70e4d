"""What the repository-level tests and benchmarks of the send cron share:
salespeople who work every day, all day, so that an automated email due now
goes out now whatever the day and hour of the run."""


def salespeople_every_day(env, count, name, **values):
    """``count`` users named ``name`` and a number, in UTC, with an email
    address, and (when ``resource`` is installed) a working calendar of every
    day from 0:00 to 24:00; ``values``: more fields of each user."""
    login = name.lower().replace(" ", "_")
    users = env["res.users"].create(
        [
            {
                "name": f"{name} {i}",
                "login": f"{login}_{i}",
                "email": f"{login.replace('_', '.')}.{i}@example.com",
                "tz": "UTC",
                **values,
            }
            for i in range(count)
        ]
    )
    if "resource.resource" in env:
        every_day = env["resource.calendar"].create(
            {
                "name": f"{name}: every day",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": str(day),
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        env["resource.resource"].create(
            [
                {"name": user.name, "user_id": user.id, "calendar_id": every_day.id}
                for user in users
            ]
        )
    return users


def rule_that_sends(env, team, name):
    """A playbook ``name`` of ``team`` that sends the addon's template "Follow-up
    after no answer" all day long, after any Call: its rule, which plans an
    Email that sends automatically."""
    playbook = env["sale.activity.playbook"].create(
        {
            "name": name,
            "send_hour_from": 0,
            "send_hour_to": 24,
            "team_ids": [(4, team.id)],
        }
    )
    return env["sale.activity.playbook.line"].create(
        {
            "playbook_id": playbook.id,
            "activity_type_id": env.ref("mail.mail_activity_data_call").id,
            "next_type_ids": [(6, 0, env.ref("mail.mail_activity_data_email").ids)],
            "mail_template_id": env.ref(
                "sale_activity_playbooks.mail_template_followup_no_answer"
            ).id,
            "auto_send": True,
        }
    )
