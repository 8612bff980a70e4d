# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models, tools


class CrmStage(models.Model):
    _inherit = "crm.stage"

    @api.model
    @tools.ormcache()
    def _playbook_stage_rank(self):
        """``{stage id: rank}`` in the order of the stages (sequence, then
        id): where a lead stands against a playbook's goal stage."""
        stages = self.sudo().with_context(active_test=False).search([])
        ordered = stages.sorted(lambda stage: (stage.sequence, stage.id))
        return {stage.id: rank for rank, stage in enumerate(ordered, 1)}

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self.env.registry.clear_cache()
        return stages

    def write(self, vals):
        res = super().write(vals)
        if "sequence" in vals:
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
