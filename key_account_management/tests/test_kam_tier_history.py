from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamTierHistory(KamCommon):
    def test_tier_and_state_changes_logged(self):
        partner = self.env["res.partner"].create({"name": "Gamma Logistics", "is_company": True})
        partner.with_context(kam_change_cause="approval").write(
            {"kam_state": "registered", "kam_tier_id": self.tier_c.id})
        partner.write({"kam_tier_id": self.tier_a.id})
        partner.write({"kam_tier_id": self.tier_b.id, "name": "Gamma Logistics Ltd"})
        partner.write({"kam_tier_id": self.tier_b.id})  # no change: nothing logged
        history = partner.kam_history_ids.sorted("id")
        self.assertEqual(history.mapped("change_type"), ["tier", "state", "tier", "tier"])
        self.assertEqual(history.mapped("direction"), ["up", "same", "up", "down"])
        self.assertEqual(history.mapped("cause"), ["approval", "approval", "manual", "manual"])
        self.assertEqual(history[1].new_state, "registered")
        self.assertEqual(history[1].old_state, "none")
        self.assertEqual(history.company_id, self.env.company)
        self.assertEqual(history.user_id, self.env.user)
        bodies = partner.message_ids.mapped("body")
        self.assertEqual(sum("Key account tier" in b for b in bodies), 3)

    def test_history_access(self):
        self.account.write({"kam_tier_id": self.tier_b.id})
        history = self.account.kam_history_ids.filtered(lambda h: h.new_tier_id == self.tier_b)
        self.assertEqual(len(history), 1)
        # the account's KAM reads it, another KAM does not see it, nobody edits it
        self.assertEqual(history.with_user(self.user_kam).read(["cause"])[0]["cause"], "manual")
        with self.assertRaises(AccessError):
            history.with_user(self.user_kam_2).read(["cause"])
        with self.assertRaises(AccessError):
            history.with_user(self.user_director).write({"cause": "score"})
        self.assertEqual(
            self.env["kam.tier.history"].with_user(self.user_director).search(
                [("id", "=", history.id)]), history)
