from odoo.tests import new_test_user, tagged

from .common import KamHttpCase


@tagged("post_install", "-at_install")
class TestKamRegistrationUi(KamHttpCase):
    def test_tour_nominate_and_approve(self):
        """A Key Account Manager nominates a customer from its Key Account tab; a
        director approves the nomination from "Nominations to Approve"."""
        new_test_user(self.env, login="kamt_tour_kam", name="Tina Tour",
                      groups="key_account_management.key_account_management_group_manager")
        self.env["kam.tier"].create({"name": "Tour Strategic", "code": "TS", "sequence": 1})
        prospect = self.env["res.partner"].create({"name": "Tour Prospect Ltd", "is_company": True})

        self.start_tour(f"/odoo/res.partner/{prospect.id}", "kam_nomination_tour", login="kamt_tour_kam")
        nomination = self.env["kam.nomination"].search([("partner_id", "=", prospect.id)])
        self.assertEqual(nomination.state, "to_approve")
        self.assertEqual(nomination.proposed_tier_id.code, "TS")
        self.assertEqual(prospect.kam_state, "nominated")

        self.start_tour("/odoo/action-key_account_management.kam_nomination_action",
                        "kam_nomination_approve_tour", login="admin")
        self.assertEqual(nomination.state, "approved")
        self.assertEqual(prospect.kam_state, "registered")
        self.assertEqual(prospect.kam_tier_id.code, "TS")
        self.assertEqual(prospect.kam_manager_id.login, "kamt_tour_kam")

    def test_tour_lock_tier(self):
        """A director locks an account's tier, giving the reason."""
        tier = self.env["kam.tier"].create({"name": "Tour Key", "code": "TK", "sequence": 2})
        account = self.env["res.partner"].create({"name": "Lock Tour Co", "is_company": True})
        account.write({"kam_state": "registered", "kam_tier_id": tier.id})
        self.start_tour(f"/odoo/res.partner/{account.id}", "kam_tier_lock_tour", login="admin")
        self.assertTrue(account.kam_tier_locked)
        self.assertEqual(account.kam_tier_lock_reason, "Three-year framework contract")

    def test_tour_handover(self):
        """A director hands a KAM's accounts over to a colleague."""
        group = "key_account_management.key_account_management_group_manager"
        old = new_test_user(self.env, login="kamt_tour_from", name="Fiona From", groups=group)
        new = new_test_user(self.env, login="kamt_tour_to", name="Toby To", groups=group)
        accounts = self.env["res.partner"].create([
            {"name": f"Handover Account {i}", "is_company": True} for i in range(2)])
        accounts.write({"kam_state": "registered", "kam_manager_id": old.id})
        self.start_tour("/odoo", "kam_handover_tour", login="admin")
        self.assertEqual(accounts.kam_manager_id, new)
