# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SaleActivityPlaybookLineSentence(models.AbstractModel):
    """How a playbook rule (``sale.activity.playbook.line``, which inherits
    this) reads as a sentence, in the user's language: the playbook form, the
    chatter's suggestions, the notes of the engine."""

    _name = "sale.activity.playbook.line.sentence"
    _description = "Activity Playbook Rule as a Sentence"

    def _sentence(self):
        """The rule as one sentence, e.g. "When Email is marked as done, suggest
        Call or Meeting 2 days after its deadline"."""
        self.ensure_one()
        _ = self.env._
        # One sentence per moment and action: other languages order the words
        # their own way (Dutch: "Als E-mail gereed is, stel dan 2 dagen na de
        # deadline Bellen voor").
        values = {
            "type": self.activity_type_id.name or "...",
            "types": self._or_list(self.next_type_ids.mapped("name")),
            "outcomes": self._or_list(self.outcome_ids.mapped("name")),
            "delay": self._delay_label(),
        }
        outcomes = bool(self.outcome_ids)
        if self.chaining_type == "stop" and outcomes:
            return _(
                "When %(type)s is marked as done with %(outcomes)s, stop: remove "
                "this lead's pending follow-ups from this playbook",
                **values,
            )
        if self.chaining_type == "stop":
            return _(
                "When %(type)s is marked as done, stop: remove this lead's pending "
                "follow-ups from this playbook",
                **values,
            )
        suggest = self.chaining_type == "suggest"
        if self.trigger_on == "scheduled" and suggest:
            sentence = _(
                "When %(type)s is scheduled, suggest %(types)s %(delay)s", **values
            )
        elif self.trigger_on == "scheduled":
            sentence = _(
                "When %(type)s is scheduled, schedule %(types)s %(delay)s", **values
            )
        elif suggest and outcomes:
            sentence = _(
                "When %(type)s is marked as done with %(outcomes)s, suggest "
                "%(types)s %(delay)s",
                **values,
            )
        elif suggest:
            sentence = _(
                "When %(type)s is marked as done, suggest %(types)s %(delay)s", **values
            )
        elif outcomes:
            sentence = _(
                "When %(type)s is marked as done with %(outcomes)s, schedule "
                "%(types)s %(delay)s",
                **values,
            )
        else:
            sentence = _(
                "When %(type)s is marked as done, schedule %(types)s %(delay)s",
                **values,
            )
        if self.responsible != "lead_owner":
            assignee = {
                "activity_user": _("the activity's assignee"),
                "team_leader": _("the team leader"),
                "specific": self.user_id.name or "...",
            }[self.responsible]
            sentence = _(
                "%(sentence)s, for %(assignee)s", sentence=sentence, assignee=assignee
            )
        if self.repeat_limit == 1:
            sentence = _("%(sentence)s, once per lead", sentence=sentence)
        elif self.repeat_limit > 1:
            sentence = _(
                "%(sentence)s, at most %(count)s times per lead",
                sentence=sentence,
                count=self.repeat_limit,
            )
        return sentence

    def _moment_with_outcomes(self):
        """ "is marked as done", or "is marked as done with No answer"."""
        if not self.outcome_ids:
            return self._moment_label()
        return self.env._(
            "%(moment)s with %(outcomes)s",
            moment=self._moment_label(),
            outcomes=self._or_list(self.outcome_ids.mapped("name")),
        )

    def _or_list(self, names):
        """ "A, B or C" ("..." for none)."""
        if not names:
            return "..."
        if len(names) == 1:
            return names[0]
        return self.env._(
            "%(types)s or %(last)s", types=", ".join(names[:-1]), last=names[-1]
        )

    def _moment_label(self):
        return dict(self._fields["trigger_on"]._description_selection(self.env)).get(
            self.trigger_on, ""
        )

    def _unit_label(self):
        return self._unit_word(self.delay_unit, self.delay_count)

    @api.model
    def _unit_word(self, unit, count):
        """The word for ``count`` of a delay ``unit``: "day", "working days"..."""
        _ = self.env._
        singular = count == 1
        return {
            "days": _("day") if singular else _("days"),
            "working_days": _("working day") if singular else _("working days"),
            "weeks": _("week") if singular else _("weeks"),
            "months": _("month") if singular else _("months"),
        }.get(unit, "")

    def _delay_label(self):
        _ = self.env._
        if self.delay_from == "previous_activity":
            if not self.delay_count:
                return _("on its deadline")
            return _(
                "%(count)s %(unit)s after its deadline",
                count=self.delay_count,
                unit=self._unit_label(),
            )
        if self.trigger_on == "scheduled":
            if not self.delay_count:
                return _("on the day it is scheduled")
            return _(
                "%(count)s %(unit)s after it is scheduled",
                count=self.delay_count,
                unit=self._unit_label(),
            )
        if not self.delay_count:
            return _("on the day it is done")
        return _(
            "%(count)s %(unit)s after completion",
            count=self.delay_count,
            unit=self._unit_label(),
        )
