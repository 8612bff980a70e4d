import { Activity } from "@mail/core/web/activity";
import { ActivityMarkAsDone } from "@mail/core/web/activity_markasdone_popover";
import { usePopover } from "@web/core/popover/popover_hook";
import { patch } from "@web/core/utils/patch";

// On a phone, Mark Done opens below (or above) the whole activity, as wide as
// it: at the right of its button, core's popover is squeezed to a strip.
patch(Activity.prototype, {
    setup() {
        super.setup();
        if (this.env.isSmall) {
            this.markDonePopover = usePopover(ActivityMarkAsDone, { position: "bottom-fit" });
        }
    },
    onClickMarkAsDone(ev) {
        const row = this.env.isSmall && ev.currentTarget.closest(".o-mail-Activity");
        // core only reads the target of the click
        return super.onClickMarkAsDone(row ? { currentTarget: row } : ev);
    },
});

// A pending automated follow-up becomes a task in one click: the salesperson
// sends the email (mail.activity.action_playbook_send_manually).
patch(Activity.prototype, {
    async onClickSendManually() {
        const thread = this.thread;
        await this.env.services.orm.call("mail.activity", "action_playbook_send_manually", [
            [this.props.activity.id],
        ]);
        this.props.activity.playbook_auto_send = false;
        this.props.onActivityChanged(thread);
    },
});
