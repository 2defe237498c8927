from odoo.tests import new_test_user, tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamRegistrationUi(KamHttpCase):
    def test_tour_nominate_and_approve(self):
        """A Key Account Manager nominates a customer from its Key Account tab; a
        director approves the nomination from "Nominations to Approve"."""
        new_test_user(self.env, login="tour_kam", name="Tina Tour",
                      groups="key_account_management.key_account_management_group_manager")
        self.env["kam.tier"].create({"name": "Tour Strategic", "code": "TS", "sequence": 1})
        prospect = self.env["res.partner"].create({"name": "Tour Prospect Ltd", "is_company": True})

        self.start_tour(f"/odoo/res.partner/{prospect.id}", "kam_nomination_tour", login="tour_kam")
        nomination = self.env["kam.nomination"].search([("partner_id", "=", prospect.id)])
        self.assertEqual(nomination.state, "to_approve")
        self.assertEqual(nomination.proposed_tier_id.code, "TS")
        self.assertEqual(prospect.kam_state, "nominated")

        self.start_tour("/odoo/action-key_account_management.kam_nomination_action",
                        "kam_nomination_approve_tour", login="admin")
        self.assertEqual(nomination.state, "approved")
        self.assertEqual(prospect.kam_state, "registered")
        self.assertEqual(prospect.kam_tier_id.code, "TS")
        self.assertEqual(prospect.kam_manager_id.login, "tour_kam")
