# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, models
from odoo.api import NewId
from odoo.exceptions import ValidationError

from .input_values import (
    DROPPED_FIELDS,
    EMPTY_STRING_TYPES,
    MAX_FLOAT,
    MODULE,
    STORABLE_INTEGERS,
    X2MANY_TYPES,
    ZERO_TYPES,
    as_written,
    is_date,
    is_empty,
    is_record_id,
    shown,
)


class SaleActivityInputChecks(models.AbstractModel):
    """Checks what ``create()`` and ``write()`` receive, before anything is
    written: first the user's access, then each value against its field's
    metadata (type, selection values, comodel, required, size). A bad value
    is refused with a sentence, never coerced, truncated or left to the
    database. A model gets these checks by inheriting this one, and names the
    fields they check in ``_playbook_checked_fields``.

    What is accepted, as Odoo's web client and JSON-RPC send it:

    - texts: strings (no NUL byte, no lone surrogate, at most ``size``);
    - integers: whole numbers of 32 bits, also as strings (``"3"``) or as
      floats without decimals (``3.0``); floats: finite numbers, also as
      strings (Odoo rounds them to the field's digits); booleans: true,
      false (or 0 and 1);
    - selections: one of the field's values;
    - dates and datetimes: date(time)s, or strings in Odoo's formats;
    - many2one: the id of an existing record (an integer);
    - x2many: a list of commands, each one of ``[0, ref, vals]``,
      ``[1, id, vals]``, ``[2, id]``, ``[3, id]``, ``[4, id]``, ``[5]``,
      ``[6, 0, ids]`` (a third element of 0/false/null is allowed where
      ``Command`` puts one). ``[1, id, vals]`` and ``[2, id]`` (and
      ``[3, id]`` on a one2many, which deletes) only name records that the
      field already holds; the values of ``[0, ...]`` and ``[1, ...]`` are
      checked by the comodel when it inherits these checks; a required
      many2many keeps at least one record;
    - false or null clear any field that is not required.

    Python callers may also give records (a recordset of the comodel).
    Stored computed fields without an inverse cannot be set (the values of
    other computed fields are only checked: Odoo ignores them, and its own
    code passes them around), nor can their records be created, changed or
    deleted through computed x2many fields, and names that are not fields of
    the addon's models are refused. Defaults that a context gives (``default_<field>``)
    are checked as if they had been sent. Other field types are left to
    Odoo.
    """

    _name = "sale.activity.input.checks"
    _description = "Checks of Values Sent to the Playbooks"

    # The names of the fields checked: the model's own, and the fields of
    # another model that the addon adds or redefines on purpose. A list, not
    # the fields' module: that changes when another module redeclares one.
    _playbook_checked_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        # copy() calls create() on the record it copies
        self.browse()._check_input(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        # on no record, write() does nothing (crm's merge writes on the
        # activities of leads that may have none)
        if self:
            self._check_input(vals, creating=False)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------

    def _check_input(self, values, creating, inverse_name=None):
        """Refuse what ``create()`` (``creating``: a list of dicts) or
        ``write()`` on ``self`` (a dict) may not receive, before anything is
        written. ``inverse_name``: the field that a one2many sets on the
        records it creates."""
        vals_list = self._check_input_shape(values, creating)
        checked = self._input_checked_fields()
        # a client's context may give defaults (for computed fields, Odoo
        # ignores them)
        context_defaults = {
            name: as_written(field, self.env.context[f"default_{name}"])
            for name, field in checked.items()
            if creating
            and f"default_{name}" in self.env.context
            and not (field.compute and not field.inverse)
        }
        if self._original_module != MODULE and not (
            context_defaults or any(checked.keys() & vals.keys() for vals in vals_list)
        ):
            return  # a core model, and none of the addon's fields
        self.check_access("create" if creating else "write")
        if self._original_module == MODULE:
            self._check_input_names(vals_list)
        found = {}  # {field: record ids that must exist}
        for vals in vals_list:
            given = {**context_defaults, **vals} if creating else vals
            for name, value in given.items():
                field = checked.get(name)
                if field and name not in DROPPED_FIELDS:
                    self._check_input_value(field, value, found)
        if creating:
            self._check_input_defaults(vals_list, checked, inverse_name)
        # The superuser is code (the engine, crons, data files), which names
        # records it has read: their foreign keys are enough.
        if not self.env.su:
            for field, ids in found.items():
                self._check_input_records_exist(field, ids)

    # ------------------------------------------------------------------
    # Calls and names
    # ------------------------------------------------------------------

    def _check_input_shape(self, values, creating):
        """The list of value dicts of the call; the ids of ``self`` are record
        ids."""
        model = self._description
        for record_id in self._ids:
            if not is_record_id(record_id) and not isinstance(record_id, NewId):
                raise ValidationError(
                    self.env._(
                        "%(model)s records are named by their ids, positive whole "
                        "numbers: %(value)s is not one.",
                        model=model,
                        value=shown(record_id),
                    )
                )
        vals_list = values if creating else [values]
        if not isinstance(vals_list, list | tuple) or not all(
            isinstance(vals, dict) for vals in vals_list
        ):
            raise ValidationError(
                self.env._(
                    "Values of %(model)s records are a dictionary of field names "
                    "and values: %(value)s is not one.",
                    model=model,
                    value=shown(values),
                )
            )
        return vals_list

    @api.model
    def _input_checked_fields(self):
        """``{name: field}``: the fields of ``_playbook_checked_fields``."""
        return {name: self._fields[name] for name in self._playbook_checked_fields}

    def _check_input_names(self, vals_list):
        for vals in vals_list:
            for name in vals:
                if name not in self._fields and name not in DROPPED_FIELDS:
                    raise ValidationError(
                        self.env._(
                            "%(model)s records have no field %(field)s.",
                            model=self._description,
                            field=shown(name),
                        )
                    )

    def _check_input_defaults(self, vals_list, checked, inverse_name):
        """Required fields that new records leave out have a default (a
        one2many sets its inverse itself)."""
        absent = {
            name
            for vals in vals_list
            for name, field in checked.items()
            if name not in vals
            and field.required
            and field.store
            and not field.compute
            and (field.type not in ZERO_TYPES or field.type in X2MANY_TYPES)
            and name != inverse_name
        }
        if absent:
            defaults = self.default_get(sorted(absent))
            for name in sorted(absent):
                value = defaults.get(name)
                if is_empty(value) or value in ("", []):
                    self._refuse_empty(checked[name])

    # ------------------------------------------------------------------
    # Values, per type of field
    # ------------------------------------------------------------------

    def _check_input_value(self, field, value, found):
        if field.compute and not field.inverse and field.store:
            raise ValidationError(
                self.env._(
                    '"%(field)s" (%(model)s) is computed: it cannot be set.',
                    field=self._field_label(field),
                    model=self._description,
                )
            )
        if is_empty(value) or (value == "" and field.type in EMPTY_STRING_TYPES):
            if field.required and (
                field.type not in ZERO_TYPES or field.type in X2MANY_TYPES
            ):
                self._refuse_empty(field)
            return
        check = {
            "char": self._check_input_text,
            "text": self._check_input_text,
            "html": self._check_input_text,
            "integer": self._check_input_integer,
            "float": self._check_input_float,
            "monetary": self._check_input_float,
            "boolean": self._check_input_boolean,
            "selection": self._check_input_selection,
            "date": self._check_input_date,
            "datetime": self._check_input_date,
            "many2one": self._check_input_many2one,
            "one2many": self._check_input_x2many,
            "many2many": self._check_input_x2many,
        }.get(field.type)
        if check:
            check(field, value, found)

    def _check_input_text(self, field, value, found):
        if not isinstance(value, str):
            self._refuse_value(field, value, self.env._("text"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            clean = False
        else:
            clean = "\x00" not in value
        if not clean:
            raise ValidationError(
                self.env._(
                    '"%(field)s" holds a character that cannot be stored (a NUL '
                    "byte or half of a surrogate pair): remove it.",
                    field=self._field_label(field),
                )
            )
        if field.size and len(value) > field.size:
            raise ValidationError(
                self.env._(
                    '"%(field)s" takes at most %(size)s characters: shorten it.',
                    field=self._field_label(field),
                    size=field.size,
                )
            )

    def _check_input_integer(self, field, value, found):
        number = self._input_number(field, value)
        if isinstance(number, float):
            if not math.isfinite(number):
                self._refuse_size(field, value)
            if not number.is_integer():
                self._refuse_number(field, value, whole=True)
            number = int(number)
        if number not in STORABLE_INTEGERS:
            self._refuse_size(field, value)

    def _check_input_float(self, field, value, found):
        number = self._input_number(field, value)
        if not (math.isfinite(number) and abs(number) < MAX_FLOAT):
            self._refuse_size(field, value)

    def _input_number(self, field, value):
        """``value`` as an int or a float: a number, or a string of one."""
        if isinstance(value, str):
            for parse in (int, float):
                try:
                    return parse(value)
                except ValueError:
                    continue
        elif isinstance(value, int | float) and not isinstance(value, bool):
            return value
        self._refuse_number(field, value)

    def _check_input_boolean(self, field, value, found):
        if value not in (True, False) or not isinstance(value, bool | int):
            self._refuse_value(field, value, self.env._("true or false"))

    def _check_input_selection(self, field, value, found):
        values = field.get_values(self.env)
        if not isinstance(value, str | int) or value not in values:
            raise ValidationError(
                self.env._(
                    '%(value)s is not a choice of "%(field)s": choose one of '
                    "%(choices)s.",
                    value=shown(value),
                    field=self._field_label(field),
                    choices=", ".join(map(shown, values)),
                )
            )

    def _check_input_date(self, field, value, found):
        if is_date(value, field.type):
            return
        self._refuse_value(
            field,
            value,
            self.env._("a date (YYYY-MM-DD)")
            if field.type == "date"
            else self.env._("a date and time (YYYY-MM-DD HH:MM:SS)"),
        )

    def _check_input_many2one(self, field, value, found):
        if isinstance(value, models.BaseModel):
            if value._name != field.comodel_name or len(value) > 1:
                self._refuse_record_id(field, value)
            if not value and field.required:
                self._refuse_empty(field)
            return
        if not is_record_id(value):
            self._refuse_record_id(field, value)
        if field.store:
            found.setdefault(field, set()).add(value)

    # ------------------------------------------------------------------
    # Records
    # ------------------------------------------------------------------

    def _check_input_records_exist(self, field, ids):
        """Refuse ids of records that do not exist in stored fields (a
        foreign key would say that "another model requires the record being
        deleted"); other fields only hold values in memory."""
        comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
        missing = set(ids) - set(comodel.browse(ids).exists().ids)
        if missing:
            raise ValidationError(
                self.env._(
                    '"%(field)s" names records that do not exist (any more): '
                    "%(model)s %(ids)s. Choose others.",
                    field=self._field_label(field),
                    model=comodel._description,
                    ids=", ".join(map(str, sorted(missing))),
                )
            )

    # ------------------------------------------------------------------
    # Sentences
    # ------------------------------------------------------------------

    def _field_label(self, field):
        return field._description_string(self.env)

    def _refuse_empty(self, field):
        raise ValidationError(
            self.env._(
                '"%(field)s" (%(model)s) is required: give it a value.',
                model=self._description,
                field=self._field_label(field),
            )
        )

    def _refuse_value(self, field, value, expected):
        raise ValidationError(
            self.env._(
                '"%(field)s" takes %(expected)s: %(value)s is not.',
                field=self._field_label(field),
                expected=expected,
                value=shown(value),
            )
        )

    def _refuse_number(self, field, value, whole=False):
        raise ValidationError(
            self.env._(
                '%(value)s is not a whole number: "%(field)s" takes one.',
                value=shown(value),
                field=self._field_label(field),
            )
            if whole
            else self.env._(
                '%(value)s is not a number: "%(field)s" takes one.',
                value=shown(value),
                field=self._field_label(field),
            )
        )

    def _refuse_size(self, field, value):
        raise ValidationError(
            self.env._(
                '%(value)s is not a sensible value for "%(field)s": enter '
                "a number of a reasonable size.",
                value=shown(value),
                field=self._field_label(field),
            )
        )

    def _refuse_record_id(self, field, value):
        raise ValidationError(
            self.env._(
                '"%(field)s" takes the id of a record (%(model)s), a whole '
                "number, or false: %(value)s is not one.",
                field=self._field_label(field),
                model=self.env[field.comodel_name]._description,
                value=shown(value),
            )
        )
