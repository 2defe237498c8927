from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamHandover(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_3 = cls.env["res.partner"].create({"name": "Zeta Hospital", "is_company": True})
        cls.account_3.write({"kam_state": "registered", "kam_tier_id": cls.tier_c.id,
                             "kam_manager_id": cls.user_kam.id})

    def _wizard(self, user, from_user, to_user):
        form = Form(self.env["kam.handover.wizard"].with_user(user))
        form.from_user_id = from_user
        form.to_user_id = to_user
        return form

    def test_handover_moves_accounts_and_activities(self):
        activity = self.account.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_kam.id, summary="Quarterly review")
        other_activity = self.account.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_director.id, summary="Sponsor call")
        form = self._wizard(self.user_director, self.user_kam, self.user_kam_2)
        form.note = "Kim moves to the north region"
        wizard = form.save()
        self.assertEqual(wizard.partner_ids, self.account | self.account_3)
        history_before = self.account.kam_history_ids
        wizard.action_handover()
        self.assertEqual(self.account.kam_manager_id, self.user_kam_2)
        self.assertEqual(self.account_3.kam_manager_id, self.user_kam_2)
        self.assertEqual(activity.user_id, self.user_kam_2)
        self.assertEqual(other_activity.user_id, self.user_director)
        new_history = self.account.kam_history_ids - history_before
        self.assertEqual(len(new_history), 1, "one row: the manager changed, tier and status not")
        self.assertEqual(new_history.change_type, "manager")
        self.assertEqual(new_history.cause, "handover")
        self.assertEqual(new_history.note, "Kim moves to the north region")
        self.assertEqual((new_history.old_manager_id, new_history.new_manager_id),
                         (self.user_kam, self.user_kam_2))
        self.assertEqual(new_history.user_id, self.user_director)
        log = self.account.message_ids[0]
        self.assertIn("Handover", log.body)
        self.assertIn(self.user_kam_2.name, log.body)
        self.assertIn("north region", log.body)
        self.assertIn(self.user_kam_2, self.account.kam_user_ids)
        self.assertNotIn(self.user_kam, self.account.kam_user_ids)

    def test_handover_subset_and_hook(self):
        calls = []
        Partner = self.env.registry["res.partner"]
        original = Partner._kam_handover_records

        def spy(partners, old, new):
            calls.append((partners, old, new))
            return original(partners, old, new)

        self.patch(Partner, "_kam_handover_records", spy)
        form = self._wizard(self.user_director, self.user_kam, self.user_kam_2)
        form.partner_ids.remove(id=self.account_3.id)
        form.save().action_handover()
        self.assertEqual(self.account.kam_manager_id, self.user_kam_2)
        self.assertEqual(self.account_3.kam_manager_id, self.user_kam)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][0], self.account)
        self.assertEqual((calls[0][1], calls[0][2]), (self.user_kam, self.user_kam_2))

    def test_handover_validation(self):
        wizard = self.env["kam.handover.wizard"].with_user(self.user_director).create({
            "from_user_id": self.user_kam.id, "to_user_id": self.user_kam.id})
        with self.assertRaisesRegex(UserError, "another user"):
            wizard.action_handover()
        wizard.to_user_id = self.user_director_2
        with self.assertRaisesRegex(UserError, "not an internal user of"):
            wizard.action_handover()
        wizard.write({"to_user_id": self.user_kam_2.id,
                      "partner_ids": [(6, 0, self.account_2.ids)]})
        with self.assertRaisesRegex(UserError, "not managed by"):
            wizard.action_handover()
        self.assertEqual(self.account.kam_manager_id, self.user_kam)
        with self.assertRaises(AccessError):
            self.env["kam.handover.wizard"].with_user(self.user_kam).create({
                "from_user_id": self.user_kam.id, "to_user_id": self.user_kam_2.id})
