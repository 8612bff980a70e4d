# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What differs between the Odoo series this addon supports: 18.0 and 19.0.

The rest of the addon is the same code on both; it asks this module where the
series differ. Each name says which series needs what.

Elsewhere, by necessity:

- ``__manifest__.py``: the version is series-neutral (``1.0.0``); Odoo makes
  it ``18.0.1.0.0`` or ``19.0.1.0.0``. ``setup/package.py`` builds the wheel
  of a series with the series' version.
- XML data: ``groups_id`` (18.0) became ``group_ids`` (19.0) on users and
  actions. The records set it through ``<function>`` calls whose key is chosen
  with ``version``, the series that Odoo's XML loader puts in the evaluation
  context (``data/ir_actions_server_data.xml``, ``demo/``).
- Web client: ``static/src/odoo_series.js`` finds the activity model and its
  field definitions on either series.
- ``mail.activity._to_store_defaults()``: 19.0 sends the chatter only the
  fields it lists (18.0 sends them all); ``ACTIVITY_STORE_FIELDS`` adds ours.
"""

from odoo import release

SERIES = tuple(release.version_info[:2])

# 19.0 replaced odoo.osv.expression (deprecated, it warns) with Domain.
if SERIES >= (19, 0):
    from odoo.fields import Domain

    FALSE_DOMAIN = Domain.FALSE
    domain_or = Domain.OR
else:
    from odoo.osv import expression

    FALSE_DOMAIN = expression.FALSE_DOMAIN
    domain_or = expression.OR

# 19.0 renamed groups_id to group_ids on res.users and on ir.actions.*.
GROUPS_FIELD = "group_ids" if SERIES >= (19, 0) else "groups_id"

# 18.0 unlinks a done activity unless its type keeps done ones (keep_done);
# 19.0 archives every done activity and has no keep_done.
ARCHIVES_DONE_ACTIVITIES = SERIES >= (19, 0)

# 19.0's activity dialog picks the type in a row of buttons
# (selection_badge_icons), 18.0's in a dropdown: on 19.0 the playbook's
# suggestions are marked in that row instead of a row of their own.
ACTIVITY_TYPE_BADGES = SERIES >= (19, 0)

# 19.0 sends the chatter only the fields of mail.activity that it is asked
# for (18.0 reads them all): ours, relational ones as 18.0 reads them, a
# many2one (id, name) or False, a many2many its ids.
ACTIVITY_STORE_FIELDS = (
    "reminded_on",
    "escalated_on",
    "playbook_auto_send",
    "playbook_send_at",
)
ACTIVITY_STORE_MANY2ONES = ("playbook_id", "outcome_id")
ACTIVITY_STORE_MANY2MANYS = ("playbook_outcome_ids",)


def keep_done_values():
    """Values of a ``mail.activity.type`` whose done activities stay, archived:
    ``keep_done`` on 18.0, nothing to ask on 19.0."""
    return {} if ARCHIVES_DONE_ACTIVITIES else {"keep_done": True}


def notify_cron_progress(env, done, remaining):
    """Tell the cron runner that a batch processed ``done`` records and that
    ``remaining`` are left, so that it calls the job again.

    18.0: ``_notify_progress()``, a no-op outside the runner, which commits
    after the call. 19.0: ``_commit_progress()`` (``_notify_progress()`` is
    deprecated), which commits itself, and outside the runner commits only:
    there, callers (a server action, a test) own their transaction, so it is
    not called."""
    if SERIES < (19, 0):
        env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    elif env.context.get("ir_cron_progress_id"):
        env["ir.cron"]._commit_progress(done, remaining=remaining)


def readable_field_names(records):
    """The names of the fields of ``records``' model that the user may read:
    18.0's ``check_field_access_rights`` is deprecated on 19.0 (it warns)."""
    if SERIES >= (19, 0):
        return [
            name
            for name, field in records._fields.items()
            if records._has_field_access(field, "read")
        ]
    return records.check_field_access_rights("read", None)


# 19.0 declares SQL constraints as models.Constraint class attributes (it
# ignores _sql_constraints, with a warning); 18.0 lists them in
# _sql_constraints.
MODEL_CONSTRAINTS = SERIES >= (19, 0)
