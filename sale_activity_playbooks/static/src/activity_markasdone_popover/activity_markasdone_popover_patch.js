import { ActivityMarkAsDone } from "@mail/core/web/activity_markasdone_popover";
import { onWillStart, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

// The requests of core's Done and Done & Schedule Next (the activity model's
// markAsDone and markAsDoneAndScheduleNext, on 18.0 and 19.0).
const DONE_METHODS = ["action_feedback", "action_feedback_schedule_next"];

/**
 * Run ``done`` (a Done of core's popover) with ``outcomeId`` in the context of
 * the Done's request (playbook_outcome_id): the outcome travels with the Done,
 * one request. Core's activity model sends that request before its first
 * await, so the ORM adds the outcome only while ``done`` runs synchronously.
 */
function doneWithOutcome(activity, outcomeId, done) {
    const orm = activity.store.env.services.orm;
    const ownCall = Object.hasOwn(orm, "call");
    const call = orm.call;
    let sent = false;
    orm.call = function (model, method, args = [], kwargs = {}) {
        if (
            !sent &&
            model === "mail.activity" &&
            DONE_METHODS.includes(method) &&
            args[0]?.[0] === activity.id
        ) {
            sent = true;
            kwargs = {
                ...kwargs,
                context: { ...kwargs.context, playbook_outcome_id: outcomeId },
            };
        }
        return call.call(this, model, method, args, kwargs);
    };
    let result;
    try {
        result = done();
    } finally {
        if (ownCall) {
            orm.call = call;
        } else {
            delete orm.call;
        }
    }
    if (!sent) {
        throw new Error(
            "sale_activity_playbooks: the Done sent no request at once; its outcome was not recorded"
        );
    }
    return result;
}

// How the activity went, one click among the outcomes of its type, before
// Done or Done & Schedule Next: the playbooks' branches follow it.
patch(ActivityMarkAsDone.prototype, {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.outcomeState = useState({
            outcomes: [],
            outcomeId: this.props.activity.outcome_id?.[0] || false,
        });
        onWillStart(async () => {
            const ids = this.props.activity.playbook_outcome_ids || [];
            if (ids.length) {
                this.outcomeState.outcomes = await this.orm.read(
                    "sale.activity.outcome",
                    ids,
                    ["name", "result"]
                );
            }
        });
    },
    onClickOutcome(outcome) {
        this.outcomeState.outcomeId =
            this.outcomeState.outcomeId === outcome.id ? false : outcome.id;
    },
    /** Run ``done`` with the outcome picked, when it changed. */
    withOutcome(done) {
        const outcomeId = this.outcomeState.outcomeId;
        if (outcomeId === (this.props.activity.outcome_id?.[0] || false)) {
            return done();
        }
        return doneWithOutcome(this.props.activity, outcomeId, done);
    },
    onClickDone() {
        return this.withOutcome(() => super.onClickDone(...arguments));
    },
    onClickDoneAndScheduleNext() {
        return this.withOutcome(() => super.onClickDoneAndScheduleNext(...arguments));
    },
});
