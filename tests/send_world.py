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
