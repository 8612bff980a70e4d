from odoo import release
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_on_top_of_crm(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("crm", "sale_activity_playbooks"))]
        )
        self.assertEqual(
            {m.name: m.state for m in modules},
            {"crm": "installed", "sale_activity_playbooks": "installed"},
        )
        # the manifest's series-neutral 1.0.0, in the series it runs on
        self.assertEqual(
            self.env.ref("base.module_sale_activity_playbooks").latest_version,
            f"{release.major_version}.1.0.0",
        )
