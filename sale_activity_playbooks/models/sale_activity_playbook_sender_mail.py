# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)


class SaleActivityPlaybookSender(models.AbstractModel):
    """What the send cron does with a batch: the checks at sending time, the
    emails queued by the template's batch sending (``send_mail_batch``), and
    the follow-ups done ("Sent automatically") or left as tasks."""

    _inherit = "sale.activity.playbook.sender"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Checks at sending time
    # ------------------------------------------------------------------

    @api.model
    def _recipient_email(self, lead):
        """The address the email goes to: the lead's customer's, or the
        lead's own when it has no customer."""
        return lead.partner_id.email if lead.partner_id else lead.email_from

    @api.model
    def _blacklisted(self, leads):
        """The normalized addresses of ``leads``' recipients that are on the
        blacklist: one query."""
        emails = {email_normalize(self._recipient_email(lead) or "") for lead in leads}
        emails.discard(False)
        if not emails:
            return set()
        Blacklist = self.env["mail.blacklist"].sudo()
        return set(Blacklist.search([("email", "in", list(emails))]).mapped("email"))

    @api.model
    def _never_send_reason(self, activity, lead, blacklisted):
        """Why the email of ``activity`` may not go out to ``lead``'s
        customer, in the assignee's language, or None: no address or an
        invalid one, a blacklisted one (``blacklisted``), bounced emails, or
        no template any more (its rule stopped sending and lost it)."""
        _ = self._assignee_env(activity)._
        if not activity.playbook_line_id.mail_template_id:
            return _("its playbook rule has no email template any more.")
        email = self._recipient_email(lead)
        if not email:
            return _("the customer has no email address.")
        normalized = email_normalize(email)
        if not normalized:
            return _(
                "the customer's email address %(email)s is not valid.", email=email
            )
        if normalized in blacklisted:
            return _(
                "%(email)s is blacklisted: the customer does not want emails.",
                email=normalized,
            )
        if lead.message_bounce > 0:
            return _("emails to %(email)s bounced.", email=normalized)
        return None

    @api.model
    def _assignee_env(self, activity):
        """The environment in the language of ``activity``'s assignee."""
        return self.with_context(lang=activity.user_id.lang or self.env.lang).env

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _queue_emails(self, activities):
        """Queue the emails of ``activities`` (``mail.mail``, for Odoo's
        queue: nothing is sent in this transaction), one batch per template
        and assignee. Returns ``({activity: message}, {activity:
        why nothing went out})``: a template that fails to render for a lead
        fails that lead's email only."""
        groups = defaultdict(list)
        for activity in activities:
            template = activity.playbook_line_id.mail_template_id
            groups[template, activity.user_id].append(activity)
        messages, failed = {}, {}
        for (template, user), group in groups.items():
            by_lead = {activity.res_id: activity for activity in group}
            try:
                with self.env.cr.savepoint():
                    mails = self._queue_template(template, user, list(by_lead))
            except UserError:
                self.env.invalidate_all()
                mails = self.env["mail.mail"]
                for lead_id, activity in by_lead.items():
                    try:
                        with self.env.cr.savepoint():
                            mails |= self._queue_template(template, user, [lead_id])
                    except UserError as error:
                        self.env.invalidate_all()
                        _ = self._assignee_env(activity)._
                        failed[activity] = _(
                            "the template %(template)s could not be filled in "
                            "for this lead: %(error)s",
                            template=template.name,
                            error=error.args[0] if error.args else "",
                        )
            for mail in mails:
                messages[by_lead[mail.res_id]] = mail.mail_message_id
        return messages, failed

    @api.model
    def _queue_template(self, template, user, lead_ids):
        """Queue ``template`` for the leads ``lead_ids`` from ``user``: the
        template's own batch (each lead's recipients, each in their
        language), logged on the lead from ``user``'s partner and kept there
        once sent, answered to the lead's reply-to. Returns the ``mail.mail``
        records, as superuser."""
        # (not Odoo's mass-mail composer: with the shipped template, whose body
        # has inline styles, it took its own sanitized copy of the body for an
        # edited one and sent it untranslated)
        mails = (
            template.with_user(user)
            .sudo()
            .send_mail_batch(
                lead_ids,
                email_values={"author_id": user.partner_id.id, "is_notification": True},
            )
        )
        leads = self.env["crm.lead"].sudo().browse(lead_ids)
        self._address_to_customers(mails, leads)
        # the template's reply-to, else the lead's (its team's alias, the
        # catchall): answers come back to the lead
        reply_tos = leads._notify_get_reply_to(default=False)
        by_reply_to = defaultdict(list)
        for mail in mails.filtered(lambda m: not m.reply_to):
            by_reply_to[reply_tos.get(mail.res_id) or mail.email_from].append(mail.id)
        for reply_to, ids in by_reply_to.items():
            mails.browse(ids).write({"reply_to": reply_to})
        return mails

    @api.model
    def _address_to_customers(self, mails, leads):
        """``mails`` that their template addresses to nobody go to their
        lead's customer, or to the lead's address without one: the lead's
        default recipients, as Odoo's templates without recipients use
        them."""
        for mail in mails.filtered(
            lambda m: not (m.recipient_ids or m.email_to or m.email_cc)
        ):
            lead = leads.browse(mail.res_id)
            if lead.partner_id:
                mail.recipient_ids = lead.partner_id
            else:
                mail.email_to = lead.email_from

    # ------------------------------------------------------------------
    # Afterwards
    # ------------------------------------------------------------------

    @api.model
    def _mark_sent(self, messages, now):
        """Mark the follow-ups of ``messages`` (``{activity: message}``) done
        with the feedback "Sent automatically", as any Done (the next rules
        fire), in their assignee's language; their log rows say when the
        email went out and which one it is."""
        by_lang = defaultdict(list)
        for activity in messages:
            by_lang[activity.user_id.lang or self.env.lang].append(activity.id)
        sent = {activity.id: message.id for activity, message in messages.items()}
        Activity = self.env["mail.activity"].sudo()
        for lang, ids in by_lang.items():
            activities = Activity.browse(ids).with_context(
                lang=lang, playbook_done_at=now, playbook_sent_messages=sent
            )
            activities._action_done(feedback=activities.env._("Sent automatically"))

    @api.model
    def _keep_as_tasks(self, reasons, leads):
        """The follow-ups of ``reasons`` (``{activity: why}``) send nothing:
        they become tasks for their assignee, with a note that says why, in
        the follow-up and in the lead's chatter."""
        if not reasons:
            return
        bodies = defaultdict(Markup)
        for activity, reason in reasons.items():
            _ = self._assignee_env(activity)._
            sentence = _(
                "The automated email was not sent: %(reason)s It is a task for "
                "%(user)s now.",
                reason=reason,
                user=activity.user_id.name,
            )
            note = Markup("%s<p>%s</p>") % (activity.note or Markup(), sentence)
            activity.sudo().write({"playbook_auto_send": False, "note": note})
            bodies[leads[activity].id] += Markup("<p>%s</p>") % sentence
            _logger.info("Automated follow-up %s not sent: %s", activity.id, reason)
        Lead = self.env["crm.lead"].sudo()
        Lead.browse(list(bodies))._message_log_batch(dict(bodies))
