from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamRegistryAccess(KamCommon):
    def test_salesman_reads_tier_and_kam_only(self):
        account = self.account.with_user(self.user_salesman)
        self.assertEqual(account.kam_tier_id, self.tier_a)
        self.assertEqual(account.kam_manager_id, self.user_kam)
        self.assertFalse(account.kam_can_edit_registry)
        self.assertFalse(account.kam_can_edit_account)
        for vals in ({"kam_manager_id": self.user_salesman.id}, {"kam_tier_id": self.tier_c.id},
                     {"kam_credit_rating": "c"}, {"kam_state": "lost"}):
            with self.assertRaises(AccessError):
                account.write(vals)
        self.assertEqual(self.account.kam_tier_id, self.tier_a)

    def test_kam_edits_data_of_own_account_only(self):
        account = self.account.with_user(self.user_kam)
        self.assertFalse(account.kam_can_edit_registry)
        self.assertTrue(account.kam_can_edit_account)
        account.write({"kam_strategic_value": 4, "kam_potential_revenue": 250000.0})
        # the lifecycle stage is the engine's (test_kam_account_access)
        with self.assertRaisesRegex(UserError, "Lifecycle Stage"):
            account.write({"kam_lifecycle_stage": "growing"})
        # the credit rating changes only through an approved request (test_kam_credit_rating)
        with self.assertRaisesRegex(AccessError, "Credit Rating"):
            account.write({"kam_credit_rating": "b"})
        self.assertEqual(self.account.kam_strategic_value, 4)
        # unchanged registry values pass, changes do not
        account.write({"kam_tier_id": self.tier_a.id, "kam_manager_id": self.user_kam.id})
        with self.assertRaisesRegex(AccessError, "Key Account Manager"):
            account.write({"kam_manager_id": self.user_kam_2.id})
        with self.assertRaisesRegex(AccessError, "Key Account Tier"):
            account.write({"kam_tier_id": self.tier_b.id})
        with self.assertRaisesRegex(AccessError, "Key Account Status"):
            self.account_2.with_user(self.user_kam).write({"kam_state": "lost"})
        with self.assertRaisesRegex(AccessError, "Credit Rating"):
            self.account_2.with_user(self.user_kam).write({"kam_credit_rating": "c"})
        self.assertFalse(self.account_2.with_user(self.user_kam).kam_can_edit_account)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_kam).create({
                "name": "Self-made Key Account", "is_company": True, "kam_state": "registered"})

    def test_team_member_edits_account_data(self):
        self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_kam_2.id, "role": "technical"})
        self.account.with_user(self.user_kam_2).write({"kam_strategic_value": 2})
        self.assertEqual(self.account.kam_strategic_value, 2)

    def test_director_changes_registry(self):
        account = self.account.with_user(self.user_director)
        self.assertTrue(account.kam_can_edit_registry)
        account.write({"kam_manager_id": self.user_kam_2.id, "kam_tier_id": self.tier_b.id})
        self.assertEqual(self.account.kam_manager_id, self.user_kam_2)
        history = self.account.kam_history_ids.filtered(lambda h: h.new_tier_id == self.tier_b)
        self.assertEqual(history.old_tier_id, self.tier_a)
        self.assertEqual(history.user_id, self.user_director)
        manager_change = self.account.kam_history_ids.filtered(
            lambda h: h.change_type == "manager" and h.new_manager_id == self.user_kam_2)
        self.assertEqual(manager_change.old_manager_id, self.user_kam)
        self.assertEqual(manager_change.cause, "manual")
        self.assertTrue(any("Key account manager" in body
                            for body in self.account.message_ids.mapped("body")))
        prospect = self.env["res.partner"].create({"name": "Omega", "is_company": True})
        prospect.with_user(self.user_director).write({"kam_state": "registered"})
        self.assertEqual(prospect.kam_state, "registered")

    def test_director_of_other_company(self):
        """Values are per company: a director of company 2 changes company 2's only."""
        account = self.account.with_user(self.user_director_2)
        account.write({"kam_state": "candidate", "kam_strategic_value": 3})
        self.assertEqual(self.account.kam_state, "registered")
        self.assertEqual(self.account.kam_strategic_value, 0)
        self.assertEqual(self.account.with_company(self.company_2).kam_state, "candidate")
        with self.assertRaises(AccessError):
            self.tier_a.with_user(self.user_director_2).read(["name"])

    def test_system_write_passes(self):
        """The scoring cron writes as superuser with cause 'score'."""
        self.assertTrue(self.env.su)
        self.account_2.with_context(kam_change_cause="score").write({"kam_tier_id": self.tier_a.id})
        self.assertEqual(self.account_2.kam_tier_id, self.tier_a)
        history = self.account_2.kam_history_ids.filtered(lambda h: h.new_tier_id == self.tier_a)
        self.assertEqual(history.cause, "score")

    def test_lock_needs_reason(self):
        account = self.account.with_user(self.user_director)
        with self.assertRaisesRegex(UserError, "Tier Lock Reason"):
            account.write({"kam_tier_locked": True})
        with self.assertRaisesRegex(UserError, "Tier Lock Reason"):
            self.account.write({"kam_tier_locked": True, "kam_tier_lock_reason": "  "})
        self.assertFalse(self.account.kam_tier_locked)
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_kam).write(
                {"kam_tier_locked": True, "kam_tier_lock_reason": "mine"})
        with self.assertRaisesRegex(UserError, "Tier Lock Reason"):
            self.env["res.partner"].create(
                {"name": "Locked Co", "is_company": True, "kam_tier_locked": True})

    def test_lock_and_unlock_buttons(self):
        action = self.account.with_user(self.user_director).action_kam_lock_tier()
        wizard_env = self.env[action["res_model"]].with_user(self.user_director).with_context(
            **action["context"])
        form = Form(wizard_env)
        form.reason = "Three-year framework contract"
        form.save().action_lock()
        self.assertTrue(self.account.kam_tier_locked)
        self.assertEqual(self.account.kam_tier_lock_reason, "Three-year framework contract")
        self.assertIn("Three-year framework contract", self.account.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_kam).action_kam_unlock_tier()
        self.account.with_user(self.user_director).action_kam_unlock_tier()
        self.assertFalse(self.account.kam_tier_locked)
        self.assertFalse(self.account.kam_tier_lock_reason)
        with self.assertRaises(AccessError):
            self.env["kam.tier.lock.wizard"].with_user(self.user_kam).create(
                {"partner_id": self.account.id, "reason": "x"})

    def test_history_button_and_count(self):
        self.account.write({"kam_tier_id": self.tier_b.id})
        account = self.account.with_user(self.user_kam)
        self.assertEqual(account.kam_history_count, len(self.account.kam_history_ids))
        action = account.action_kam_view_history()
        self.assertEqual(self.env["kam.tier.history"].search(action["domain"]),
                         self.account.kam_history_ids)
        self.assertEqual(self.account_2.with_user(self.user_kam).kam_history_count, 0,
                         "history of another KAM's account is not visible")

    def test_tier_thresholds_refused_with_field_name(self):
        with self.assertRaisesRegex(ValidationError, "Maximum Line Discount"):
            self.env["kam.tier"].create({"name": "Too generous", "code": "TG", "max_discount": 120})
        with self.assertRaisesRegex(ValidationError, "Minimum Yearly Revenue"):
            self.tier_c.write({"min_revenue": -1})
        with self.assertRaisesRegex(ValidationError, "Minimum Score"):
            self.tier_c.write({"min_score": 101})
        with self.assertRaisesRegex(ValidationError, "Visit Interval"):
            self.env["kam.tier"].create({"name": "Neg", "code": "NG", "visit_interval_days": -5})

    def test_history_count_in_batch(self):
        """The history count of a list of accounts costs the same queries for 2 or 20."""
        partners = self.env["res.partner"].create(
            [{"name": f"Batch {i}", "is_company": True} for i in range(20)])
        partners.write({"kam_state": "candidate"})

        def queries(records):
            records.invalidate_recordset(["kam_history_count"])
            before = self.env.cr.sql_log_count
            records.mapped("kam_history_count")
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(partners[:2]), queries(partners))
        self.assertEqual(set(partners.mapped("kam_history_count")), {1})
