# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which models and fields the input checks cover: listed per model, never
found by the fields' module."""

from odoo.models import MAGIC_COLUMNS
from odoo.tests import tagged

from .common import PlaybookCase

ADDON = "sale_activity_playbooks"
# Odoo's fields that the addon redefines and checks on purpose
CORE_FIELDS_CHECKED = {
    "mail.activity": {"chaining_type"},
    "mail.activity.type": {"category"},
}


@tagged("post_install", "-at_install")
class TestEveryModelIsChecked(PlaybookCase):
    """The checks are not opt-in by memory: a model the addon adds, or whose
    stored fields it adds to, gets them, and lists every field it declares."""

    # what only Odoo itself writes: its cron runner's progress records
    SYSTEM_MODELS = frozenset({"ir.cron.progress"})

    @staticmethod
    def addon_fields(model):
        """The fields that the addon declares first on ``model`` (not the
        fields of Odoo that it redeclares, as ``state`` of activities)."""
        first = {}
        for klass in reversed(type(model)._model_classes__):
            for field in klass.__dict__.get("_field_definitions", ()):
                first.setdefault(field.name, klass._module)
        return {
            name
            for name, module in first.items()
            if module == ADDON
            and name not in MAGIC_COLUMNS
            and name != "display_name"
            and name in model._fields
        }

    def test_models_with_fields_of_the_addon_inherit_the_checks(self):
        checks = self.env.registry["sale.activity.input.checks"]
        unchecked = []
        for name, model in self.env.registry.items():
            if model._abstract or not model._auto or name in self.SYSTEM_MODELS:
                continue
            fields = [
                fname
                for fname in self.addon_fields(self.env[name])
                if model._fields[fname].store and not model._fields[fname].compute
            ]
            if (model._original_module == ADDON or fields) and not isinstance(
                self.env[name], checks
            ):
                unchecked.append(name)
        self.assertEqual(unchecked, [], "models whose values go unchecked")

    def test_the_checked_fields_are_listed_not_found_by_module(self):
        checks = self.env.registry["sale.activity.input.checks"]
        for name in self.env.registry:
            model = self.env[name]
            if model._abstract or not isinstance(model, checks):
                continue
            with self.subTest(model=name):
                listed = set(model._playbook_checked_fields)
                self.assertLessEqual(listed, set(model._fields), "not fields")
                self.assertEqual(
                    self.addon_fields(model) - listed, set(), "fields not listed"
                )
                self.assertEqual(
                    listed - self.addon_fields(model),
                    CORE_FIELDS_CHECKED.get(name, set()),
                    "Odoo's fields checked",
                )
        # state is Odoo's: the addon only makes it searchable
        self.assertNotIn("state", self.env["mail.activity"]._input_checked_fields())
