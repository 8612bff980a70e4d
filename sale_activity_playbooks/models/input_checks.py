# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks of the values an RPC client may send, before the database refuses
them with a message meant for developers (or a misleading one)."""

import math

from odoo.exceptions import ValidationError

# PostgreSQL stores integers on 32 bits: a bigger number would fail in the
# database, with a message for developers, before a constraint could explain.
STORABLE_INTEGERS = range(-(2**31), 2**31)


def refuse_out_of_range(model, vals_list, fnames):
    """Refuse numbers of ``fnames`` that no database column holds (and NaN or
    infinity) with a sentence, before the database refuses them without one."""
    for vals in vals_list:
        for fname in fnames:
            value = vals.get(fname)
            if isinstance(value, str):
                # what an RPC client may send: "3" is 3, "three" is no number
                try:
                    value = float(value)
                except ValueError:
                    raise ValidationError(
                        model.env._(
                            '"%(value)s" is not a number: "%(field)s" takes one.',
                            value=value,
                            field=model._fields[fname]._description_string(model.env),
                        )
                    ) from None
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if isinstance(value, int):
                storable = value in STORABLE_INTEGERS
            else:
                storable = math.isfinite(value) and abs(value) < 1e15
            if not storable:
                raise ValidationError(
                    model.env._(
                        '%(value)s is not a sensible value for "%(field)s": enter '
                        "a number of a reasonable size.",
                        value=value,
                        field=model._fields[fname]._description_string(model.env),
                    )
                )


def refuse_missing_records(model, vals_list):
    """Refuse ids of records that do not exist in the relational fields of
    ``vals_list`` (a foreign key would say that "another model requires the
    record being deleted")."""
    for vals in vals_list:
        for fname, value in vals.items():
            field = model._fields.get(fname)
            if not field or field.type not in ("many2one", "many2many"):
                continue
            ids = set()
            if field.type == "many2one":
                if isinstance(value, int) and not isinstance(value, bool):
                    ids.add(value)
            elif isinstance(value, list | tuple):
                for command in value:
                    if not isinstance(command, list | tuple) or not command:
                        continue
                    if command[0] == 4 and len(command) > 1:
                        ids.add(command[1])
                    elif command[0] == 6 and len(command) > 2:
                        ids.update(command[2] or ())
            ids = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
            if not ids:
                continue
            comodel = (
                model.env[field.comodel_name].sudo().with_context(active_test=False)
            )
            missing = ids - set(comodel.browse(ids).exists().ids)
            if missing:
                raise ValidationError(
                    model.env._(
                        '"%(field)s" names records that do not exist (any more): '
                        "%(model)s %(ids)s. Choose others.",
                        field=field._description_string(model.env),
                        model=comodel._description,
                        ids=", ".join(map(str, sorted(missing))),
                    )
                )
