# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# A Wednesday: Friday and the weekend are two and three days away.
TODAY = date(2026, 11, 25)
# The Monday after it: deadlines that a delay would put on the weekend land
# there (the test company works Monday to Friday).
MONDAY = date(2026, 11, 30)


class PlaybookCase(TransactionCase):
    """A sales team that follows a playbook, and one that follows none.

    ========================  =========================================
    user                      role
    ========================  =========================================
    salesman (lead owner)     salesperson of ``lead``
    clicker                   another salesperson, who marks activities
                              done
    leader                    leader of the playbook team (sales manager)
    ========================  =========================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Europe/Brussels"
        user_values = {"tz": "Europe/Brussels", "company_id": cls.company.id}
        cls.salesman = new_test_user(
            cls.env,
            "pb_salesman",
            groups="sales_team.group_sale_salesman",
            name="Sally Salesman",
            **user_values,
        )
        cls.clicker = new_test_user(
            cls.env,
            "pb_clicker",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Clark Clicker",
            **user_values,
        )
        cls.leader = new_test_user(
            cls.env,
            "pb_leader",
            groups="sales_team.group_sale_manager",
            name="Lea Leader",
            **user_values,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Playbook Team",
                "user_id": cls.leader.id,
                "company_id": cls.company.id,
                "member_ids": [Command.set((cls.salesman | cls.clicker).ids)],
            }
        )
        cls.plain_team = cls.env["crm.team"].create(
            {"name": "Plain Team", "company_id": cls.company.id}
        )
        cls.email = cls.env.ref("mail.mail_activity_data_email")
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.meeting = cls.env.ref("mail.mail_activity_data_meeting")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.upload = cls.env.ref("mail.mail_activity_data_upload_document")
        cls.follow_up = cls.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up"
        )
        cls.create_quote = cls.env.ref(
            "sale_activity_playbooks.mail_activity_type_create_quote"
        )
        cls.follow_up_quote = cls.env.ref(
            "sale_activity_playbooks.mail_activity_type_follow_up_quote"
        )
        cls.request_signature = cls.env.ref(
            "sale_activity_playbooks.mail_activity_type_request_signature"
        )
        cls.playbook = cls.env["sale.activity.playbook"].create(
            {"name": "Test cadence", "team_ids": [Command.link(cls.team.id)]}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Big Deal",
                "type": "opportunity",
                "team_id": cls.team.id,
                "user_id": cls.salesman.id,
                "expected_revenue": 50000,
            }
        )
        cls.plain_lead = cls.env["crm.lead"].create(
            {
                "name": "Plain Deal",
                "type": "opportunity",
                "team_id": cls.plain_team.id,
                "user_id": cls.salesman.id,
            }
        )

    @classmethod
    def add_rule(cls, source, next_types, playbook=None, **values):
        """A rule of ``playbook`` (the test playbook by default)."""
        return cls.env["sale.activity.playbook.line"].create(
            {
                "playbook_id": (playbook or cls.playbook).id,
                "activity_type_id": source.id,
                "next_type_ids": [Command.set(next_types.ids)],
                **values,
            }
        )

    def schedule(
        self,
        activity_type,
        lead=None,
        user=None,
        deadline=TODAY,
        as_user=None,
        **values,
    ):
        """Schedule an activity for ``user`` (the salesman by default) the way
        the chatter does, as ``as_user`` (the superuser by default)."""
        lead = lead or self.lead
        if as_user:
            lead = lead.with_user(as_user)
        return lead.activity_schedule(
            activity_type_id=activity_type.id,
            user_id=(user or self.salesman).id,
            date_deadline=deadline,
            **values,
        )

    def activities(self, lead=None, activity_type=None):
        domain = [
            ("res_model", "=", "crm.lead"),
            ("res_id", "=", (lead or self.lead).id),
        ]
        if activity_type:
            domain.append(("activity_type_id", "=", activity_type.id))
        return self.env["mail.activity"].search(domain)
