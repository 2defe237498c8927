from odoo.tests import tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamUi(KamHttpCase):
    def test_tour_kam_tier_configuration(self):
        """A director opens the Key Accounts app and defines a tier."""
        self.start_tour("/odoo", "kam_tier_configuration_tour", login="admin")
        tier = self.env["kam.tier"].search([("code", "=", "P")])
        self.assertEqual(tier.name, "Platinum")
        self.assertEqual(tier.visit_interval_days, 7)
