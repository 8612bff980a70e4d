# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SaleActivityPlaybookCacheMixin(models.AbstractModel):
    """Keeps the rules that the engine caches per team
    (``sale.activity.playbook._get_team_rules``, ``_get_rule_facts``...)
    true on every path that changes which rules a team follows.

    Clearing the registry cache empties it in every worker: it is cleared only
    when what the caches read changes, i.e. the value of a field of
    ``_playbook_cache_fields`` on a record that the caches may hold
    (``_playbook_cached_records``), or such a record is created or deleted.
    A description edit, a sequence drag or an edit of a playbook no team
    follows costs nothing (the engine orders rules when it reads them).
    """

    _name = "sale.activity.playbook.cache.mixin"
    _description = "Playbook Rules Cache"

    # The fields whose values the cached rules depend on.
    _playbook_cache_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if records._playbook_cached_records():
            self._invalidate_playbook_rules()
        return records

    def write(self, vals):
        fnames = sorted(self._playbook_cache_fields.intersection(vals))
        if not fnames:
            return super().write(vals)
        before = self._playbook_cache_state(fnames)
        res = super().write(vals)
        if self._playbook_cache_state(fnames) != before:
            self._invalidate_playbook_rules()
        return res

    def unlink(self):
        # records deleted already (by a cascade, as uninstalling does) hold
        # nothing: Odoo deletes missing records without a word
        cached = self.exists()._playbook_cached_records()
        res = super().unlink()
        if cached:
            self._invalidate_playbook_rules()
        return res

    def update_field_translations(self, field_name, translations, *args, **kwargs):
        # a name translated without write(): the cached names read it
        res = super().update_field_translations(
            field_name, translations, *args, **kwargs
        )
        if (
            field_name in self._playbook_cache_fields
            and self._playbook_cached_records()
        ):
            self._invalidate_playbook_rules()
        return res

    def _playbook_cached_records(self):
        """The records of ``self`` that the cached rules may hold."""
        return self

    def _playbook_cache_state(self, fnames):
        """``{id: values of fnames}`` of the records of ``self`` that the
        cached rules may hold: what a write must change to clear them."""
        records = self.sudo().with_context(active_test=False)
        return {
            record.id: tuple(record[fname] for fname in fnames)
            for record in records._playbook_cached_records()
        }

    @api.model
    def _invalidate_playbook_rules(self):
        self.env.registry.clear_cache()
