from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTourSmoke(HttpCase):
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
