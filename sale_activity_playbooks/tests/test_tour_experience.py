# Copyright 2026 sale_activity_playbooks developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

import pytz

from odoo.tests import tagged

from .test_my_followups import QUEUE_ACTION, FollowupQueueCase
from .tour_common import PlaybookTourCase

STEP_REPORT_ACTION = "sale_activity_playbooks.sale_activity_playbook_step_report_action"


@tagged("post_install", "-at_install")
class TestTourExperience(PlaybookTourCase, FollowupQueueCase):
    """What dialogs read, how groups come and what fits a 1400 px screen
    (tours in static/tests/tours/experience_tours.js)."""

    browser_size = "1400,900"
    # the browser's today (the salespeople work in Brussels)
    queue_today = datetime.now(pytz.timezone("Europe/Brussels")).date()

    def test_reschedule_dialog_reads_postpone_by_some_working_days(self):
        self.start_tour(
            f"/odoo/action-{QUEUE_ACTION}",
            "sale_activity_playbooks_reschedule_reads_well",
            login="pb_salesman",
        )

    def test_follow_ups_of_no_playbook_come_after_the_playbooks(self):
        # by revenue (the list's order), they would come first
        self.follow_ups_of_two_playbooks()
        self.start_tour(
            f"/odoo/action-{QUEUE_ACTION}",
            "sale_activity_playbooks_followups_by_playbook",
            login="pb_salesman",
        )

    def test_playbook_steps_fit_1400_px_and_count_no_internal_rows(self):
        # the demo data's steps (the test database has demo data)
        self.start_tour(
            f"/odoo/action-{STEP_REPORT_ACTION}",
            "sale_activity_playbooks_step_report_fits",
            login="admin",
        )
