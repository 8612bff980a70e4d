# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import ValidationError


class SaleActivityPlaybook(models.Model):
    """Rules on scheduled activities create activities at once: a loop among
    them would never end. The playbooks and the teams refuse one."""

    _inherit = "sale.activity.playbook"  # pylint: disable=consider-merging-classes-inherited

    @api.constrains("team_ids", "active", "company_id")
    def _check_no_scheduled_loop(self):
        """Rules on "is scheduled" create activities at once; a loop among them
        would never end. Checked per playbook and per team that follows it."""
        for playbook in self:
            playbook._raise_on_loop(playbook.line_ids, playbook.display_name)
        self.team_ids._check_playbook_loops()

    @api.model
    def _raise_on_loop(self, lines, where):
        cycle = self._find_scheduled_loop(lines)
        if cycle:
            raise ValidationError(
                self.env._(
                    "The rules on scheduled activities of %(where)s loop: %(loop)s. "
                    "Remove one of these rules.",
                    where=where,
                    loop=" → ".join(cycle.mapped("name") + cycle[:1].mapped("name")),
                )
            )

    @api.model
    def _find_scheduled_loop(self, lines):
        """Return the activity types of a loop among the ``scheduled`` rules of
        ``lines`` (in order), or an empty recordset."""
        graph = defaultdict(set)
        for line in lines.filtered(lambda line: line.trigger_on == "scheduled"):
            graph[line.activity_type_id.id].update(line.next_type_ids.ids)
        visiting, done = [], set()

        def visit(node):
            if node in visiting:
                return visiting[visiting.index(node) :]
            if node in done:
                return None
            visiting.append(node)
            for successor in sorted(graph.get(node, ())):
                cycle = visit(successor)
                if cycle:
                    return cycle
            visiting.pop()
            done.add(node)
            return None

        for start in sorted(graph):
            cycle = visit(start)
            if cycle:
                return self.env["mail.activity.type"].browse(cycle)
        return self.env["mail.activity.type"]
