"""Access and bad input (issue 12): the lifecycle stage is the engine's (a
director sets it by hand with a reason, through the lifecycle wizard, and the
change is kept in the account's history); the credit rating and the conditions
that follow it change only through an approved credit rating request."""

from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import Form, new_test_user, tagged

from .common import KamCommon

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


def _api_write(record, user, vals, context=None):
    """``write`` of ``record`` by ``user`` as the external API calls it."""
    return call_kw(record.env[record._name].with_user(user), "write", [record.ids, vals],
                   {"context": dict(context or {}, allowed_company_ids=user.company_ids.ids)})


@tagged("post_install", "-at_install")
class TestKamLifecycleAccess(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account._kam_write_engine_figures({"kam_lifecycle_stage": "growing"})
        cls.env["kam.team.member"].create({
            "partner_id": cls.account.id, "user_id": cls.user_kam_2.id, "role": "technical"})

    def _assert_refused(self, user, vals=None):
        with self.assertRaisesRegex(UserError, "Lifecycle Stage is computed by the nightly") as caught:
            _api_write(self.account, user, vals or {"kam_lifecycle_stage": "at_risk"})
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_lifecycle_stage, "growing")
        return caught.exception

    def test_kam_and_team_cannot_write_stage(self):
        self.assertIn(self.user_kam_2, self.account.kam_user_ids)
        for user in (self.user_kam, self.user_kam_2):
            with self.subTest(user=user.login):
                self._assert_refused(user)
                # the data they may change still goes through, without the stage
                _api_write(self.account, user, {"kam_strategic_value": 3})
                self._assert_refused(user, {"kam_strategic_value": 4,
                                            "kam_lifecycle_stage": "mature"})
        self.assertEqual(self.account.kam_strategic_value, 3)

    def test_director_cannot_write_stage_directly(self):
        error = self._assert_refused(self.user_director)
        # the director may write the account: the refusal is the rule's, and says how
        self.assertNotIsInstance(error, AccessError)
        self.assertIn("Set stage", str(error))
        with self.assertRaisesRegex(UserError, "Lifecycle Stage"):
            call_kw(self.env["res.partner"].with_user(self.user_director), "create",
                    [{"name": "Staged Co", "is_company": True, "kam_lifecycle_stage": "mature"}],
                    {})
        # nor in superuser mode (an import, a server action): only the engine
        with self.assertRaisesRegex(UserError, "Lifecycle Stage"):
            self.account.sudo().write({"kam_lifecycle_stage": "lost"})

    def test_form_shows_stage_read_only(self):
        for user in (self.user_kam, self.user_director):
            with self.subTest(user=user.login):
                form = Form(self.account.with_user(user))
                with self.assertRaises(AssertionError):
                    form.kam_lifecycle_stage = "lost"

    def test_wizard_sets_stage_with_reason_and_history(self):
        action = self.account.with_user(self.user_director).action_kam_set_lifecycle()
        wizard = Form(self.env[action["res_model"]].with_user(self.user_director)
                      .with_context(**action["context"]))
        self.assertEqual(wizard.stage, "growing")
        wizard.stage = "at_risk"
        wizard.reason = "Main contract lost to a competitor"
        wizard.save().action_apply()
        self.assertEqual(self.account.kam_lifecycle_stage, "at_risk")
        self.assertTrue(self.account.kam_lifecycle_manual)
        self.assertEqual(self.account.kam_lifecycle_rule, "manual")
        history = self.account.kam_history_ids.filtered(
            lambda h: h.change_type == "lifecycle" and h.new_lifecycle == "at_risk")
        self.assertEqual(len(history), 1)
        self.assertEqual(
            (history.old_lifecycle, history.new_lifecycle, history.cause, history.note,
             history.user_id),
            ("growing", "at_risk", "manual", "Main contract lost to a competitor",
             self.user_director))
        self.assertIn("Main contract lost to a competitor", self.account.kam_lifecycle_rule_text)
        # the wizard is the directors': a KAM neither opens nor applies it
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_kam).action_kam_set_lifecycle()
        with self.assertRaises(AccessError):
            self.env["kam.lifecycle.wizard"].with_user(self.user_kam).create(
                {"partner_id": self.account.id, "stage": "lost", "reason": "mine"})
        with self.assertRaises(AccessError):
            call_kw(self.env["res.partner"].with_user(self.user_director), "_kam_set_lifecycle",
                    [[self.account.id], "lost", "over the API"], {})
        self.assertEqual(self.account.kam_lifecycle_stage, "at_risk")

    def test_refusal_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        with self.assertRaisesRegex(UserError, "夜间"):
            _api_write(self.account, self.user_director, {"kam_lifecycle_stage": "lost"},
                       {"lang": "zh_CN"})


@tagged("post_install", "-at_install")
class TestKamCreditAccess(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_now = cls.env.ref("account.account_payment_term_immediate")
        cls._make_credit_ratings("KX")
        cls.env["kam.team.member"].create({
            "partner_id": cls.account.id, "user_id": cls.user_kam_2.id, "role": "finance"})
        cls.user_accountant = new_test_user(
            cls.env, login="kamt_cx_accountant", name="Ada Accountant",
            groups="account.group_account_invoice,key_account_management."
                   "key_account_management_group_manager")
        cls.env["kam.team.member"].create({
            "partner_id": cls.account.id, "user_id": cls.user_accountant.id, "role": "finance"})
        cls.user_director_b = new_test_user(
            cls.env, login="kamt_cx_director_b", name="Bo Director", groups=GROUP_DIRECTOR)
        cls.Request = cls.env["kam.credit.rating.request"]

    def _approved(self, rating):
        request = self.Request.with_user(self.user_kam).create({
            "partner_id": self.account.id, "new_rating_id": rating.id,
            "reason": "Paid on time for 3 years"})
        request.action_submit()
        request.with_user(self.user_director).action_approve()
        return request

    # ---- the rating of the account ----
    def test_rating_fields_refused_to_everyone(self):
        self._approved(self.rating_aa)
        users = (self.user_kam, self.user_kam_2, self.user_director)
        for user in users:
            for vals in ({"kam_credit_rating_id": self.rating_b.id},
                         {"kam_credit_rating": "c"}, {"kam_credit_rating_id": False}):
                with self.subTest(user=user.login, vals=vals), \
                        self.assertRaisesRegex(AccessError, "Credit Rating: a key account's "
                                                            "credit rating changes only"):
                    _api_write(self.account, user, vals)
        account = self.account.sudo()
        self.assertEqual((account.kam_credit_rating_id, account.kam_credit_rating),
                         (self.rating_aa, "a"))
        # the legacy selection is no longer an account field the team edits
        self.assertTrue(self.account.with_user(self.user_kam).kam_can_edit_account)
        with self.assertRaises(AccessError):
            call_kw(self.env["res.partner"].with_user(self.user_kam), "create",
                    [{"name": "Rated Co", "is_company": True, "kam_credit_rating": "a"}], {})

    def test_conditions_follow_the_rating(self):
        # without a rating the payment terms are the team's, as in Odoo
        _api_write(self.account, self.user_kam, {"property_payment_term_id": self.term_now.id})
        self.assertEqual(self.account.property_payment_term_id, self.term_now)
        self._approved(self.rating_aa)
        account = self.account.sudo()
        self.assertEqual((account.property_payment_term_id, account.credit_limit),
                         (self.term_30, 100000.0))
        cases = [
            (self.user_kam, {"property_payment_term_id": self.term_now.id}),
            (self.user_kam_2, {"property_payment_term_id": False}),
            (self.user_director, {"property_payment_term_id": self.term_15.id}),
            (self.user_accountant, {"credit_limit": 5e6}),
            (self.user_accountant, {"use_partner_credit_limit": False}),
        ]
        for user, vals in cases:
            with self.subTest(user=user.login, vals=vals), self.assertRaisesRegex(
                    AccessError, "follows its credit rating KX-AA"):
                _api_write(self.account, user, vals)
        # nor through a contact of the account (the commercial fields of the company)
        with self.assertRaisesRegex(AccessError, "follows its credit rating"):
            _api_write(self.account_contact, self.user_kam,
                       {"property_payment_term_id": self.term_now.id})
        account.invalidate_recordset()
        self.assertEqual((account.property_payment_term_id, account.credit_limit),
                         (self.term_30, 100000.0))
        # what does not change passes, and a new contact takes the account's conditions
        _api_write(self.account, self.user_kam, {"property_payment_term_id": self.term_30.id,
                                                 "kam_strategic_value": 2})
        contact_id = call_kw(self.env["res.partner"].with_user(self.user_kam), "create",
                             [{"name": "Carl Contact", "parent_id": self.account.id}], {})
        contact = self.env["res.partner"].browse(contact_id)
        self.assertEqual(contact.property_payment_term_id, self.term_30)
        # the next approval moves them
        self._approved(self.rating_b)
        account.invalidate_recordset()
        self.assertEqual((account.property_payment_term_id, account.credit_limit),
                         (self.term_15, 1000.0))
        self.assertEqual(contact.property_payment_term_id, self.term_15)
        # per company: the second company has no rating, its terms are free
        _api_write(self.account, self.user_director_2, {"property_payment_term_id": self.term_now.id})
        self.assertEqual(self.account.with_company(self.company_2).property_payment_term_id,
                         self.term_now)

    # ---- the request: its state moves only through its buttons ----
    def test_request_state_only_through_buttons(self):
        Request = self.Request.with_user(self.user_kam)
        base = {"partner_id": self.account.id, "new_rating_id": self.rating_aa.id,
                "reason": "Paid on time"}
        forged = [{"state": "approved"}, {"state": "submitted"},
                  {"decided_by_id": self.user_director.id},
                  {"requested_by_id": self.user_director_b.id},
                  {"current_rating_id": self.rating_b.id}]
        for vals in forged:
            with self.subTest(vals=vals), self.assertRaisesRegex(
                    AccessError, "is set by its buttons only"):
                call_kw(Request, "create", [dict(base, **vals)], {})
        request = Request.create(base)
        self.assertEqual((request.state, request.requested_by_id), ("draft", self.user_kam))
        for user in (self.user_kam, self.user_director):
            for vals in ({"state": "approved"}, {"decided_by_id": user.id},
                         {"decided_on": "2026-01-01 00:00:00"},
                         {"requested_by_id": self.user_director_b.id}):
                with self.subTest(user=user.login, vals=vals), self.assertRaisesRegex(
                        AccessError, "is set by its buttons only"):
                    _api_write(request, user, vals, {"kam_credit_request_flow": True})
        self.assertEqual(request.state, "draft")
        # a draft is edited; once submitted, what the director decides on is fixed
        _api_write(request, self.user_kam, {"reason": "Paid on time for 5 years"})
        request.action_submit()
        with self.assertRaisesRegex(UserError, "New Rating of .* only a draft request"):
            _api_write(request, self.user_kam, {"new_rating_id": self.rating_b.id})
        with self.assertRaisesRegex(UserError, "Account of .* only a draft request"):
            _api_write(request, self.user_kam, {"partner_id": self.account_2.id})
        # the director refuses it with a reason, the KAM takes it back to draft and edits it
        _api_write(request, self.user_director, {"refusal_reason": "Wait for the audit"})
        request.with_user(self.user_director).action_refuse()
        self.assertEqual((request.state, request.decided_by_id), ("refused", self.user_director))
        request.with_user(self.user_kam).action_draft()
        _api_write(request, self.user_kam, {"new_rating_id": self.rating_b.id})
        request.with_user(self.user_kam).action_submit()
        request.with_user(self.user_director).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self.account.sudo().kam_credit_rating_id, self.rating_b)
        # an approved request is the account's history
        for vals in ({"reason": "Rewritten"}, {"refusal_reason": "Rewritten"},
                     {"new_rating_id": self.rating_aa.id}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                _api_write(request, self.user_director, vals)
        self.assertEqual(request.new_rating_id, self.rating_b)
        # the flow's own helper is private
        with self.assertRaises(AccessError):
            call_kw(self.Request.with_user(self.user_director), "_kam_flow_write",
                    [request.ids, {"state": "draft"}], {})
