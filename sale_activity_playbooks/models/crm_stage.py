# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools


class CrmStage(models.Model):
    _name = "crm.stage"
    _inherit = ("crm.stage", "sale.activity.input.checks")
    _playbook_checked_fields = ("playbook_goal_reached",)

    # Stored: a lead's write to a stage reads the stage's row anyway (is_won),
    # so telling whether it may have reached a goal costs no query, even with
    # every cache cold. It depends on every stage's sequence and every
    # playbook's goal, which @api.depends cannot say: the writes of those call
    # _playbook_update_goal_flags().
    playbook_goal_reached = fields.Boolean(
        "Reaches a Playbook Goal",
        compute="_compute_playbook_goal_reached",
        store=True,
        readonly=True,
        copy=False,
        help="At or after the goal stage of an active playbook: leads that move "
        "here lose the pending activities of the playbooks whose goal they reach.",
    )

    @api.model
    @tools.ormcache()
    def _playbook_stage_rank(self):
        """``{stage id: rank}``, where a lead stands against the goal stages
        of the playbooks: the number of goal stages at or before the stage, in
        the order of the stages (sequence, then id); stages before every goal
        are left out (rank 0). A stage is at or after a goal stage when its
        rank is at least the goal's."""
        return self._playbook_goal_ranks()

    @api.model
    def _playbook_goal_ranks(self):
        # Only what a comparison with a goal stage needs: reordering stages
        # without moving any across a goal keeps the cache of every worker.
        goal_ids = set(
            self.env["sale.activity.playbook"]
            .sudo()
            .with_context(active_test=False)
            .search([("stop_stage_id", "!=", False)])
            .stop_stage_id.ids
        )
        stages = self.sudo().with_context(active_test=False).search([])
        ranks, rank = {}, 0
        for stage in stages.sorted(lambda stage: (stage.sequence, stage.id)):
            rank += stage.id in goal_ids
            if rank:
                ranks[stage.id] = rank
        return ranks

    @api.model
    def _playbook_clear_ranks_if_changed(self, ranks):
        """Clear the cached ranks (of every worker) if they are no longer
        ``ranks``."""
        if self._playbook_goal_ranks() != ranks:
            self.env.registry.clear_cache()

    def _compute_playbook_goal_reached(self):
        first = self._playbook_first_goal_rank()
        for stage in self:
            stage.playbook_goal_reached = stage._playbook_reaches_goal(first)

    @api.model
    def _playbook_first_goal_rank(self):
        """The rank of the first goal stage of the active playbooks (None
        without any)."""
        goals = (
            self.env["sale.activity.playbook"]
            .sudo()
            .search([("stop_stage_id", "!=", False)])
            .stop_stage_id
        )
        rank = self._playbook_stage_rank()
        return min((rank.get(goal.id, 0) for goal in goals), default=None)

    def _playbook_reaches_goal(self, first):
        """Whether the stage is at or after the goal stage of rank ``first``."""
        self.ensure_one()
        return (
            first is not None and self._playbook_stage_rank().get(self.id, 0) >= first
        )

    @api.model
    def _playbook_update_goal_flags(self):
        """Recompute the flags that changed: the stages at or after the first
        goal stage of the active playbooks (in the order of the stages)."""
        first = self._playbook_first_goal_rank()
        stages = self.sudo().with_context(active_test=False).search([])
        stale = stages.filtered(
            lambda stage: (
                stage.playbook_goal_reached != stage._playbook_reaches_goal(first)
            )
        )
        if stale:
            self.env.add_to_compute(self._fields["playbook_goal_reached"], stale)

    @api.model_create_multi
    def create(self, vals_list):
        ranks = self._playbook_stage_rank()
        stages = super().create(vals_list)
        self._playbook_clear_ranks_if_changed(ranks)
        self._playbook_update_goal_flags()
        return stages

    def write(self, vals):
        if "sequence" not in vals:
            return super().write(vals)
        ranks = self._playbook_stage_rank()
        res = super().write(vals)
        self._playbook_clear_ranks_if_changed(ranks)
        self._playbook_update_goal_flags()
        return res

    def unlink(self):
        ranks = self._playbook_stage_rank()
        res = super().unlink()
        self._playbook_clear_ranks_if_changed(ranks)
        self._playbook_update_goal_flags()
        return res
