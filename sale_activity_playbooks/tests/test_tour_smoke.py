from odoo.tests import new_test_user, tagged

from .tour_common import PlaybookTourCase


@tagged("post_install", "-at_install")
class TestTourSmoke(PlaybookTourCase):
    def test_salesperson_opens_crm_pipeline(self):
        new_test_user(
            self.env,
            login="smoke_salesman",
            groups="sales_team.group_sale_salesman",
            name="Smoke Salesman",
        )
        self.start_tour(
            "/odoo", "sale_activity_playbooks_smoke", login="smoke_salesman"
        )
