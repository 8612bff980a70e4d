# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the input checks (input_checks.py) know about values as clients send
them: ids, dates, x2many commands, and how to show a value in a sentence."""

import json
from datetime import date

from odoo import fields, models

# The addon: its own models are the ones it defines (their _original_module).
MODULE = __name__.split(".")[2]

# PostgreSQL stores integers on 32 bits; a float beyond this is a typing error.
STORABLE_INTEGERS = range(-(2**31), 2**31)
MAX_FLOAT = 1e15

# Odoo drops these from create() and write() values itself.
DROPPED_FIELDS = frozenset(models.MAGIC_COLUMNS)

# x2many commands (Command.*, and the web client's [0, "virtual_1", vals],
# [2, id], [4, id], [6, false, ids]...): the lengths each one may have.
COMMAND_LENGTHS = {
    0: (3,),
    1: (3,),
    2: (2, 3),
    3: (2, 3),
    4: (2, 3),
    5: (1, 2, 3),
    6: (3,),
}
TEXT_TYPES = ("char", "text", "html")
X2MANY_TYPES = ("one2many", "many2many")
# Types whose empty string means "no value", as Odoo stores it.
EMPTY_STRING_TYPES = (*TEXT_TYPES, "selection", "date", "datetime")
# Types that false or null set to 0 or false rather than to "no value".
ZERO_TYPES = ("boolean", "integer", "float", "monetary", *X2MANY_TYPES)


def is_empty(value):
    return value is None or value is False


def is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_record_id(value):
    return is_integer(value) and value > 0


def is_date(value, field_type):
    """Whether ``value`` is a date (or a datetime, for ``datetime`` fields)
    as Odoo reads them: an object, or a string in its format."""
    if not isinstance(value, str | date):
        return False
    to_value = (
        fields.Date.to_date if field_type == "date" else fields.Datetime.to_datetime
    )
    try:
        to_value(value)
    except (ValueError, TypeError):
        return False
    return True


def is_well_formed(command):
    """Whether ``command`` is an x2many command of the right length, with
    record ids and values where it takes them."""
    if not isinstance(command, list | tuple) or not command:
        return False
    operation, *args = command
    if not is_integer(operation) or len(command) not in COMMAND_LENGTHS.get(
        operation, ()
    ):
        return False
    if operation == 0:
        ref, vals = args
        return (is_empty(ref) or isinstance(ref, str | int)) and isinstance(vals, dict)
    if operation == 1:
        return is_record_id(args[0]) and isinstance(args[1], dict)
    if operation == 5:
        return not any(args)
    if operation == 6:
        return (
            not args[0]
            and isinstance(args[1], list | tuple)
            and all(map(is_record_id, args[1]))
        )
    # 2, 3 and 4: an id, and nothing else
    return is_record_id(args[0]) and not any(args[1:])


def changes_comodel(command, field):
    """Whether the well-formed ``command`` on ``field`` creates, changes or
    deletes a record of the comodel (rather than only linking records)."""
    return command[0] in (0, 1, 2) or (command[0] == 3 and field.type == "one2many")


def as_written(field, value):
    """``value`` of a default as create() takes it: a list of ids given to an
    x2many replaces what it holds (as Odoo's defaults do)."""
    if (
        field.type in X2MANY_TYPES
        and isinstance(value, list)
        and value
        and is_integer(value[0])
    ):
        return [(6, 0, value)]
    return value


def x2many_ids(ids, value):
    """The records an x2many holds after ``value`` (well-formed commands, or a
    recordset) on one that held ``ids``; records it creates count as one
    each."""
    if isinstance(value, models.BaseModel):
        return set(value.ids)
    held = set(ids)
    for index, command in enumerate(value):
        operation = command[0]
        if operation == 0:
            held.add(("new", index))
        elif operation in (2, 3):
            held.discard(command[1])
        elif operation == 4:
            held.add(command[1])
        elif operation == 5:
            held.clear()
        elif operation == 6:
            held = set(command[2])
    return held


def shown(value):
    """``value`` as a client sent it (JSON), short, and printable in any
    message: NUL bytes and lone surrogates are escaped."""
    text = json.dumps(value, ensure_ascii=True, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."
