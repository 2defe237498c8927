from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamNomination(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prospect = cls.env["res.partner"].create(
            {"name": "Gamma Logistics", "is_company": True})
        cls.prospect.kam_state = "candidate"
        cls.prospect_contact = cls.env["res.partner"].create(
            {"name": "Greg Gamma", "parent_id": cls.prospect.id})

    def _nominate(self, user, partner=None, **vals):
        form = Form(self.env["kam.nomination"].with_user(user).with_context(
            default_partner_id=(partner or self.prospect).id))
        form.reason = vals.get("reason", "Orders doubled this year")
        form.proposed_tier_id = vals.get("tier", self.tier_b)
        form.proposed_manager_id = vals.get("manager", self.user_kam)
        return form.save()

    def test_nominate_and_approve(self):
        """A salesperson nominates a customer, a director approves: registered with
        the proposed tier and KAM, history by cause, activities for the director."""
        nomination = self._nominate(self.user_salesman)
        self.assertEqual(nomination.state, "to_approve")
        self.assertEqual(nomination.nominated_by_id, self.user_salesman)
        self.assertEqual(nomination.previous_state, "candidate")
        self.assertEqual(self.prospect.kam_state, "nominated")
        self.assertEqual(self.prospect.kam_nomination_open_id, nomination)
        activities = nomination.activity_ids
        self.assertIn(self.user_director, activities.user_id)
        self.assertNotIn(self.user_director_2, activities.user_id,
                         "a director of another company is not asked")
        self.assertNotIn(self.user_kam, activities.user_id)

        nomination.with_user(self.user_director).action_approve()
        self.assertEqual(nomination.state, "approved")
        self.assertEqual(nomination.decided_by_id, self.user_director)
        self.assertTrue(nomination.decision_date)
        self.assertFalse(nomination.activity_ids, "the approval closes the directors' activities")
        self.assertEqual(self.prospect.kam_state, "registered")
        self.assertEqual(self.prospect.kam_tier_id, self.tier_b)
        self.assertEqual(self.prospect.kam_manager_id, self.user_kam)
        self.assertFalse(self.prospect.kam_nomination_open_id)
        history = self.prospect.kam_history_ids
        approval = history.filtered(lambda h: h.cause == "approval")
        self.assertEqual(set(approval.mapped("change_type")), {"tier", "state", "manager"})
        self.assertEqual(approval.filtered(lambda h: h.change_type == "manager").new_manager_id,
                         self.user_kam)
        self.assertEqual(approval.filtered(lambda h: h.change_type == "state").new_state,
                         "registered")
        self.assertEqual(approval.user_id, self.user_director)
        nominated = history.filtered(lambda h: h.new_state == "nominated")
        self.assertEqual(nominated.user_id, self.user_salesman)

    def test_reject_needs_reason_and_restores_state(self):
        nomination = self._nominate(self.user_kam)
        with self.assertRaisesRegex(UserError, "Rejection Reason"):
            nomination.with_user(self.user_director).action_reject()
        self.assertEqual(nomination.state, "to_approve")
        self.assertEqual(self.prospect.kam_state, "nominated")
        with Form(nomination.with_user(self.user_director)) as form:
            form.rejection_reason = "Revenue too small yet"
        nomination.with_user(self.user_director).action_reject()
        self.assertEqual(nomination.state, "rejected")
        self.assertEqual(self.prospect.kam_state, "candidate")
        self.assertFalse(self.prospect.kam_tier_id)
        with self.assertRaises(ValidationError):
            nomination.with_user(self.user_director).rejection_reason = " "

    def test_approve_own_nomination_refused_for_non_director(self):
        nomination = self._nominate(self.user_kam)
        with self.assertRaisesRegex(AccessError, "own nomination"):
            nomination.with_user(self.user_kam).action_approve()
        with self.assertRaisesRegex(AccessError, "own nomination"):
            nomination.with_user(self.user_kam).action_reject()
        with self.assertRaises(AccessError):
            nomination.with_user(self.user_kam).write({"state": "approved"})
        self.assertEqual(nomination.state, "to_approve")
        self.assertEqual(self.prospect.kam_state, "nominated")
        # a director does not approve their own either (test_director_own_nomination)

    def test_director_own_nomination(self):
        """Four eyes: the director who nominated an account cannot approve it (with the
        button or a bare write, sudo neither), nor nominate in another's name; another
        director of the company approves it."""
        other_director = new_test_user(
            self.env, login="kamt_director_other", name="Olga Other",
            groups="key_account_management.key_account_management_group_director")
        own = self._nominate(self.user_director)
        self.assertEqual(own.nominated_by_id, self.user_director)
        self.assertNotIn(self.user_director, own.activity_ids.user_id)
        self.assertIn(other_director, own.activity_ids.user_id)
        for approver in (own.with_user(self.user_director),
                         own.with_user(self.user_director).sudo()):
            with self.subTest(su=approver.env.su), self.assertRaises(AccessError) as caught:
                approver.action_approve()
            self.assertIn("own nomination", str(caught.exception))
        # the account registered and the decision written as the button would: still refused
        with self.assertRaises(AccessError):
            self.prospect.with_user(self.user_director).write({
                "kam_state": "registered", "kam_tier_id": self.tier_b.id,
                "kam_manager_id": self.user_kam.id})
            own.with_user(self.user_director).write({
                "state": "approved", "decided_by_id": self.user_director.id})
        # nominated by is the creator's, for good
        with self.assertRaises(AccessError):
            own.with_user(self.user_director).write({"nominated_by_id": other_director.id})
        with self.assertRaises(AccessError):
            self.env["kam.nomination"].with_user(self.user_director).create({
                "partner_id": self.env["res.partner"].create(
                    {"name": "Epsilon Foods", "is_company": True}).id,
                "reason": "On behalf",
                "nominated_by_id": self.user_salesman.id})
        self.assertEqual((own.state, self.prospect.kam_state), ("to_approve", "nominated"))
        # another director approves it
        own.with_user(other_director).action_approve()
        self.assertEqual((own.state, own.decided_by_id), ("approved", other_director))
        self.assertEqual(self.prospect.kam_state, "registered")

    def test_salesman_cannot_create_decided_or_on_behalf(self):
        Nomination = self.env["kam.nomination"].with_user(self.user_salesman)
        base = {"partner_id": self.prospect.id, "reason": "Potential"}
        for extra in ({"state": "approved"}, {"decided_by_id": self.user_director.id},
                      {"nominated_by_id": self.user_kam.id}, {"previous_state": "registered"}):
            with self.assertRaises(AccessError):
                Nomination.create(dict(base, **extra))
        self.assertEqual(self.prospect.kam_state, "candidate")
        nomination = self._nominate(self.user_salesman)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            nomination.with_user(self.user_director).write({"partner_id": self.account_2.id})
        nomination.with_user(self.user_salesman).write({"reason": "Orders tripled"})
        self.assertEqual(nomination.reason, "Orders tripled")

    def test_salesman_cannot_approve(self):
        nomination = self._nominate(self.user_kam)
        with self.assertRaises(AccessError):
            nomination.with_user(self.user_salesman).action_approve()

    def test_nominate_contact_person_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._nominate(self.user_salesman, partner=self.prospect_contact)
        self.assertIn("Gamma Logistics", str(caught.exception))
        self.assertIn("contact person", str(caught.exception))
        self.assertFalse(self.env["kam.nomination"].search(
            [("partner_id", "in", (self.prospect | self.prospect_contact).ids)]))
        self.assertEqual(self.prospect_contact.kam_state, "none")

    def test_one_open_nomination_per_account_and_company(self):
        self._nominate(self.user_salesman)
        with self.assertRaises(ValidationError) as caught:
            self._nominate(self.user_kam)
        self.assertIn("already has a nomination", str(caught.exception))
        # the same customer can be nominated in another company
        other = self.env["kam.nomination"].with_user(self.user_director_2).create({
            "partner_id": self.prospect.id, "reason": "Big buyer of ours too"})
        self.assertEqual(other.company_id, self.company_2)
        self.assertEqual(self.prospect.with_company(self.company_2).kam_state, "nominated")

    def test_registered_account_cannot_be_nominated(self):
        with self.assertRaisesRegex(UserError, "already a registered key account"):
            self._nominate(self.user_salesman, partner=self.account)

    def test_approve_needs_tier_and_manager(self):
        nomination = self.env["kam.nomination"].with_user(self.user_salesman).create({
            "partner_id": self.prospect.id, "reason": "Potential"})
        with self.assertRaisesRegex(UserError, "Proposed Tier"):
            nomination.with_user(self.user_director).action_approve()
        nomination.with_user(self.user_director).write({
            "proposed_tier_id": self.tier_c.id, "proposed_manager_id": self.user_director_2.id})
        with self.assertRaisesRegex(UserError, "not an internal user of"):
            nomination.with_user(self.user_director).action_approve()
        self.assertEqual(self.prospect.kam_state, "nominated")

    def test_nomination_access(self):
        """Sales users see their own nominations, managers also those of their accounts,
        directors those of their companies only."""
        mine = self._nominate(self.user_salesman)
        Nomination = self.env["kam.nomination"]
        self.assertEqual(Nomination.with_user(self.user_salesman).search([]), mine)
        self.assertFalse(Nomination.with_user(self.user_kam_2).search([]))
        with self.assertRaises(AccessError):
            mine.with_user(self.user_kam_2).read(["reason"])
        # once approved with user_kam as KAM, user_kam reads it but cannot change it
        mine.with_user(self.user_director).action_approve()
        self.assertEqual(Nomination.with_user(self.user_kam).search([]), mine)
        with self.assertRaises(AccessError):
            mine.with_user(self.user_kam).write({"reason": "changed"})
        with self.assertRaises(UserError):
            mine.with_user(self.user_salesman).write({"reason": "changed"})
        self.assertIn(mine, Nomination.with_user(self.user_director).search([]))
        self.assertNotIn(mine, Nomination.with_user(self.user_director_2).search([]))
        with self.assertRaises(AccessError):
            mine.with_user(self.user_director_2).action_approve()

    def test_partner_nominate_button(self):
        action = self.prospect.with_user(self.user_salesman).action_kam_nominate()
        self.assertEqual(action["res_model"], "kam.nomination")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"]["default_partner_id"], self.prospect.id)
        nomination = self._nominate(self.user_salesman)
        action = self.prospect.action_kam_view_nomination()
        self.assertEqual(action["res_id"], nomination.id)
