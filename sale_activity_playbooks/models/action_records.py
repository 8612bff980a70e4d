# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The records a button or an action works on, as a client names them: the
web client gives ids of records it shows, an RPC client gives anything."""

from odoo.exceptions import UserError

from .input_values import is_record_id, shown


def notify_and_close(message):
    """The client action that tells ``message`` (a success) and closes the
    dialog it was called from."""
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "type": "success",
            "message": message,
            "next": {"type": "ir.actions.act_window_close"},
        },
    }


def ensure_one_record(records):
    """``records`` when it is one existing record; else a sentence."""
    _check_ids(records)
    if len(records) != 1:
        raise UserError(
            records.env._(
                "This action works on one %(model)s at a time, not on %(count)s: "
                "select one.",
                model=records._description,
                count=len(records),
            )
        )
    _check_exist(records)
    return records


def ensure_records(records):
    """``records`` when it is one or more existing records; else a sentence."""
    _check_ids(records)
    if not records:
        raise UserError(
            records.env._(
                "This action works on the %(model)s records selected, and none "
                "is: select at least one.",
                model=records._description,
            )
        )
    _check_exist(records)
    return records


def _check_ids(records):
    for record_id in records._ids:
        if not is_record_id(record_id):
            raise UserError(
                records.env._(
                    "%(model)s records are named by their ids, positive whole "
                    "numbers: %(value)s is not one.",
                    model=records._description,
                    value=shown(record_id),
                )
            )


def _check_exist(records):
    missing = set(records._ids) - set(records.exists()._ids)
    if missing:
        raise UserError(
            records.env._(
                "There is no %(model)s with the id %(ids)s (any more): reload the "
                "page and select what is there.",
                model=records._description,
                ids=", ".join(map(str, sorted(missing))),
            )
        )
