# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from .action_records import ensure_one_record

# What the map reads of a rule, as the form sends it (the unsaved rules too).
MAP_RULE_FIELDS = (
    "sequence",
    "activity_type_id",
    "trigger_on",
    "chaining_type",
    "next_type_ids",
    "outcome_ids",
    "repeat_limit",
    "delay_count",
    "delay_unit",
)
# The playbook's exits: what stops its follow-ups besides its stop rules.
MAP_EXIT_FIELDS = (
    "stop_stage_id",
    "stop_on_reply",
    "stop_on_company_reply",
    "stop_on_meeting",
)


class SaleActivityPlaybook(models.Model):
    """The cadence map: the playbook as a flow of activity types, one arrow
    per rule, with the step report's figures on each arrow."""

    _inherit = "sale.activity.playbook"  # pylint: disable=consider-merging-classes-inherited

    def get_cadence_map(self, date_from=None, date_to=None, draft=None, domain=None):
        """The map of this playbook (or of ``draft``, the form's unsaved
        values: ``rules`` as dicts of MAP_RULE_FIELDS with a ``key``, and the
        MAP_EXIT_FIELDS): ``nodes``, ``edges`` (one per rule, with its figures
        between ``date_from`` and ``date_to``, within the step report
        ``domain``) and ``figures`` (False when the user may not see them)."""
        if self or not draft:  # a new playbook has a draft only
            ensure_one_record(self)
        self.check_access("read")
        rules, exits = self._map_rules(draft) if draft else self._map_saved_rules()
        period = self._map_period_domain(date_from, date_to, domain)
        figures = self._map_figures(rules, period)
        nodes, edges = self._map_graph(rules, exits)
        for edge in edges:
            edge["figures"] = (
                figures.get(edge["rule"], dict(EMPTY_FIGURES))
                if figures is not None
                else False
            )
        return {"nodes": nodes, "edges": edges, "figures": figures is not None}

    def _map_saved_rules(self):
        lines = self.line_ids
        # the names of every type and outcome at once
        types = lines.activity_type_id | lines.next_type_ids
        self.env["mail.activity.type"].browse(types.ids).mapped("name")
        self.env["sale.activity.outcome"].browse(lines.outcome_ids.ids).mapped("name")
        rules = [
            {
                "key": line.id,
                **{name: line[name] for name in MAP_RULE_FIELDS},
            }
            for line in lines
        ]
        return rules, {name: self[name] for name in MAP_EXIT_FIELDS}

    def _map_rules(self, draft):
        """The form's values as records: ``draft`` comes from the browser."""
        try:
            return self._map_draft_rules(draft)
        except (AttributeError, TypeError, ValueError) as error:
            raise UserError(
                self.env._("The map could not read the playbook's rules.")
            ) from error

    def _map_draft_rules(self, draft):
        raw_rules = [dict(rule) for rule in draft.get("rules") or ()]
        type_ids = {
            type_id
            for rule in raw_rules
            for name in ("activity_type_id", "next_type_ids")
            for type_id in _as_ids(rule.get(name))
        }
        outcome_ids = {
            i for rule in raw_rules for i in _as_ids(rule.get("outcome_ids"))
        }
        # one query per model for every rule
        types = self.env["mail.activity.type"].browse(type_ids).exists()
        outcomes = self.env["sale.activity.outcome"].browse(outcome_ids).exists()
        rules = [
            {
                "key": rule.get("key"),
                "sequence": int(rule.get("sequence") or 0),
                "activity_type_id": (
                    types.browse(_as_ids(rule.get("activity_type_id"))) & types
                )[:1],
                "trigger_on": rule.get("trigger_on") or "done",
                "chaining_type": rule.get("chaining_type") or "trigger",
                "next_type_ids": types.browse(_as_ids(rule.get("next_type_ids")))
                & types,
                "outcome_ids": outcomes.browse(_as_ids(rule.get("outcome_ids")))
                & outcomes,
                "repeat_limit": int(rule.get("repeat_limit") or 0),
                "delay_count": int(rule.get("delay_count") or 0),
                "delay_unit": rule.get("delay_unit") or "days",
            }
            for rule in raw_rules
        ]
        rules.sort(key=lambda rule: rule["sequence"])
        exits = {name: bool(draft.get(name)) for name in MAP_EXIT_FIELDS}
        stage_id = int(draft.get("stop_stage_id") or 0)
        exits["stop_stage_id"] = self.env["crm.stage"].browse(stage_id).exists()
        return rules, exits

    def _map_period_domain(self, date_from, date_to, domain):
        """The step report's rows of the period and filters, as a domain."""
        try:
            if not isinstance(domain or [], list | tuple):
                raise TypeError("a domain is a list")
            period = list(domain or [])
            if date_from:
                period.append(("date", ">=", fields.Date.to_date(date_from)))
            if date_to:
                period.append(("date", "<=", fields.Date.to_date(date_to)))
            Report = self.env["sale.activity.playbook.step.report"]
            if Report.has_access("read"):
                # the report checks the filters' fields and operators here
                Report._search(period)
        except (IndexError, TypeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "The map's period or filters could not be read: dates are "
                    "written 2026-12-31, filters as the step report's."
                )
            ) from error
        return period

    def _map_figures(self, rules, period):
        """The step report's figures per saved rule of this playbook, in one
        query: {rule id: {fired, done_on_time, won_after, won_rate}}; None
        when the user may not read the report."""
        Report = self.env["sale.activity.playbook.step.report"]
        if not Report.has_access("read"):
            return None
        line_ids = set(self.line_ids.ids) & {
            rule["key"] for rule in rules if isinstance(rule["key"], int)
        }
        if not line_ids:
            return {}
        report_domain = [("line_id", "in", list(line_ids)), *period]
        groups = Report._read_group(
            report_domain,
            ["line_id"],
            [
                "fired_count:sum",
                "done_on_time_count:sum",
                "won_lead_count:sum",
                "won_rate:avg",
            ],
        )
        return {
            line.id: {
                "fired": fired or 0,
                "done_on_time": on_time or 0,
                "won_after": won or 0,
                "won_rate": round(won_rate or 0.0, 1),
            }
            for line, fired, on_time, won, won_rate in groups
        }

    def _map_graph(self, rules, exits):
        """Nodes and edges of ``rules``: activity types, a start, exits."""
        _ = self.env._
        nodes = {}

        def node(node_id, kind, label):
            nodes.setdefault(node_id, {"id": node_id, "kind": kind, "label": label})
            return node_id

        edges = []
        for rule in rules:
            if rule["trigger_on"] == "start":
                source = node("start", "start", _("Start"))
            elif rule["activity_type_id"]:
                source = _type_node(node, rule["activity_type_id"])
            else:
                source = node("type_none", "type", "...")
            if rule["chaining_type"] == "stop":
                targets = [node("exit_stop", "exit", _("Stop"))]
            else:
                targets = [_type_node(node, t) for t in rule["next_type_ids"]]
            edges.append(
                {
                    "id": f"rule_{rule['key']}",
                    "rule": rule["key"],
                    "source": source,
                    "targets": targets,
                    "dashed": rule["chaining_type"] == "suggest",
                    "stop": rule["chaining_type"] == "stop",
                    "label": self._map_edge_label(rule),
                }
            )
        for exit_id, label in self._map_exit_labels(exits):
            node(exit_id, "exit", label)
        return list(nodes.values()), edges

    def _map_edge_label(self, rule):
        """ "No answer · 2 days · at most 3 times": outcomes, delay, limit."""
        _ = self.env._
        Line = self.env["sale.activity.playbook.line"]
        parts = []
        if rule["trigger_on"] == "scheduled":
            parts.append(_("when scheduled"))
        if rule["outcome_ids"]:
            parts.append(Line._or_list(rule["outcome_ids"].mapped("name")))
        if rule["chaining_type"] != "stop":
            count = rule["delay_count"]
            parts.append(
                _(
                    "%(count)s %(unit)s",
                    count=count,
                    unit=Line._unit_word(rule["delay_unit"], count),
                )
                if count
                else _("same day")
            )
        if rule["repeat_limit"] == 1:
            parts.append(_("once"))
        elif rule["repeat_limit"] > 1:
            parts.append(_("at most %(count)s times", count=rule["repeat_limit"]))
        return " · ".join(parts)

    def _map_exit_labels(self, exits):
        _ = self.env._
        if exits["stop_stage_id"]:
            yield "exit_goal", _("Goal: %(stage)s", stage=exits["stop_stage_id"].name)
        if exits["stop_on_reply"]:
            yield "exit_reply", _("Customer replies")
        if exits["stop_on_company_reply"]:
            yield "exit_company_reply", _("Company replies")
        if exits["stop_on_meeting"]:
            yield "exit_meeting", _("Meeting planned")


EMPTY_FIGURES = {"fired": 0, "done_on_time": 0, "won_after": 0, "won_rate": 0.0}


def _type_node(node, activity_type):
    return node(f"type_{activity_type.id}", "type", activity_type.name)


def _as_ids(value):
    """Ids from what the web client sends: False, an id, or a list of ids."""
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [int(item) for item in value]
    return [int(value)]
