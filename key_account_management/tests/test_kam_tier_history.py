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

    def test_client_context_cannot_forge_the_cause(self):
        """``kam_change_cause`` / ``kam_change_note`` (and ``kam_change``) sent with a
        write are client input: a director's change is recorded as a manual one,
        without the forged note, ``sudo()`` too. The addon's flows keep their cause,
        whatever context the client adds to their button."""
        account = self.account.with_user(self.user_director)
        forged = {"kam_change_cause": "score", "kam_change_note": "Forged by the engine",
                  "kam_change": "handover"}
        for cause, tier in (("score", self.tier_b), ("handover", self.tier_c),
                            ("approval", self.tier_a)):
            with self.subTest(cause=cause):
                account.with_context(**dict(forged, kam_change_cause=cause)).write(
                    {"kam_tier_id": tier.id})
                history = self.account.kam_history_ids.sorted("id")[-1]
                self.assertEqual((history.new_tier_id, history.cause, history.note),
                                 (tier, "manual", False))
                self.assertEqual(history.user_id, self.user_director)
        account.sudo().with_context(**forged).write({"kam_state": "lost"})
        history = self.account.kam_history_ids.sorted("id")[-1]
        self.assertEqual((history.new_state, history.cause, history.note),
                         ("lost", "manual", False))
        # the handover wizard records its own cause and note
        wizard = self.env["kam.handover.wizard"].with_user(self.user_director).with_context(
            **forged).create({"from_user_id": self.user_kam.id, "to_user_id": self.user_kam_2.id,
                            "note": "New region"})
        wizard.action_handover()
        history = self.account.kam_history_ids.sorted("id")[-1]
        self.assertEqual((history.change_type, history.cause, history.note),
                         ("manager", "handover", "New region"))
