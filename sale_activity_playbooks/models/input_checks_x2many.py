# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import ValidationError

from .input_checks import SaleActivityInputChecks
from .input_values import changes_comodel, is_well_formed, shown, x2many_ids


class SaleActivityInputChecksX2many(models.AbstractModel):
    """The input checks of x2many values: well-formed commands, that update or
    delete only records the field holds, create, change or delete nothing
    through a computed field, and leave a required many2many some records."""

    _inherit = "sale.activity.input.checks"

    def _check_input_x2many(self, field, value, found):
        if isinstance(value, models.BaseModel) and value._name == field.comodel_name:
            if field.required and not value:
                self._refuse_empty(field)
            return
        if not isinstance(value, list) or not all(
            isinstance(command, list | tuple) for command in value
        ):
            self._refuse_commands(field, value)
        for command in value:
            if not is_well_formed(command):
                self._refuse_command(field, command)
        changed = self._check_input_x2many_changes(field, value)
        named = set()  # records that must exist
        for command in value:
            if command[0] == 6:
                named.update(command[2])
            elif command[0] in (3, 4) and command[1] not in changed:
                named.add(command[1])
        if named and field.store:
            found.setdefault(field, set()).update(named)
        if isinstance(self.env[field.comodel_name], SaleActivityInputChecks):
            self._check_input_x2many_values(field, value)

    def _check_input_x2many_changes(self, field, value):
        """Refuse well-formed commands that change what they may not; return
        the ids of the records they update or delete."""
        if field.compute and not field.inverse:
            # Odoo would run these on the comodel, whatever the field holds
            for command in value:
                if changes_comodel(command, field):
                    self._refuse_computed_command(field, command)
        if field.required:
            # a write changes each record's own; create() starts empty
            for record in self or [self]:
                if not x2many_ids(record[field.name].ids if record else (), value):
                    self._refuse_empty(field)
        # only what the field holds is updated or deleted from here (on a
        # one2many, unlinking deletes)
        changed = {
            command[1]
            for command in value
            if changes_comodel(command, field) and command[0] != 0
        }
        if changed:
            held = self.with_context(active_test=False).mapped(field.name)
            for record_id in sorted(changed - set(held.ids)):
                self._refuse_not_held(field, record_id)
        return changed

    def _check_input_x2many_values(self, field, value):
        """The values of the records that the commands create or update, by
        the comodel's own checks."""
        comodel = self.env[field.comodel_name]
        to_create = [command[2] for command in value if command[0] == 0]
        if to_create:
            inverse = field.inverse_name if field.type == "one2many" else None
            comodel.browse()._check_input(
                to_create, creating=True, inverse_name=inverse
            )
        for command in value:
            if command[0] == 1:
                comodel.browse(command[1])._check_input(command[2], creating=False)

    def _refuse_commands(self, field, value):
        raise ValidationError(
            self.env._(
                '"%(field)s" takes a list of commands, such as [[4, id]] to add '
                "a record or [[6, 0, ids]] to replace them all: %(value)s is not "
                "one.",
                field=self._field_label(field),
                value=shown(value),
            )
        )

    def _refuse_command(self, field, command):
        raise ValidationError(
            self.env._(
                '%(command)s is not a command for "%(field)s": use [0, 0, values], '
                "[1, id, values], [2, id], [3, id], [4, id], [5] or [6, 0, ids], "
                "with ids of records.",
                command=shown(command),
                field=self._field_label(field),
            )
        )

    def _refuse_computed_command(self, field, command):
        raise ValidationError(
            self.env._(
                '"%(field)s" (%(model)s) is computed: %(command)s cannot create, '
                "change or delete %(comodel)s records through it.",
                field=self._field_label(field),
                model=self._description,
                command=shown(command),
                comodel=self.env[field.comodel_name]._description,
            )
        )

    def _refuse_not_held(self, field, record_id):
        raise ValidationError(
            self.env._(
                '%(model)s %(id)s is not among the "%(field)s" of this record '
                "(%(record)s): it cannot be changed or removed from here.",
                model=self.env[field.comodel_name]._description,
                id=record_id,
                field=self._field_label(field),
                record=self._description,
            )
        )
