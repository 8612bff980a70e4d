import { ActivityMarkAsDone } from "@mail/core/web/activity_markasdone_popover";
import { onWillStart, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

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
    async saveOutcome() {
        const outcomeId = this.outcomeState.outcomeId;
        if (outcomeId !== (this.props.activity.outcome_id?.[0] || false)) {
            await this.orm.write("mail.activity", [this.props.activity.id], {
                outcome_id: outcomeId,
            });
        }
    },
    async onClickDone() {
        await this.saveOutcome();
        return super.onClickDone(...arguments);
    },
    async onClickDoneAndScheduleNext() {
        await this.saveOutcome();
        return super.onClickDoneAndScheduleNext(...arguments);
    },
});
