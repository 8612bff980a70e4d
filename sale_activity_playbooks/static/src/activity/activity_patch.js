import { Activity } from "@mail/core/web/activity";
import { patch } from "@web/core/utils/patch";

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
