"""Everything a user reads is in their language (issue 27): the selections that copy an
account's status or lifecycle stage, the texts written by the engine and the crons (one
text per reader: a Chinese key account manager reads Chinese, an English director
English), amounts with their currency, dates and times in the reader's time zone."""

from collections import defaultdict
from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .test_kam_service_request import KamServiceCommon, at

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


@tagged("post_install", "-at_install")
class TestKamTextsLang(KamServiceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        cls.user_kam.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.user_director.write({"lang": "en_US", "tz": "Europe/London"})
        cls.user_director_zh = new_test_user(
            cls.env, login="kamt_director_zh", name="Zhou Director", groups=GROUP_DIRECTOR,
            lang="zh_CN", tz="Asia/Shanghai")
        cls.account.kam_manager_id = cls.user_kam
        cls.symbol = cls.company.currency_id.symbol

    def _notes_to(self, record, user):
        return record.message_ids.filtered(lambda m: user.partner_id in m.partner_ids)

    def _activities(self, partner, user):
        return self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", partner.id),
            ("user_id", "=", user.id)])

    def _labels(self, model, fname, lang="zh_CN"):
        return dict(self.env[model].with_context(lang=lang).fields_get(
            [fname], ["selection"])[fname]["selection"])

    # ---- 1. selections copied from the account's status and lifecycle stage ----
    def test_copied_selections_are_translated(self):
        """The status before a nomination ("Candidate" on the nomination form), the tier
        history's old and new status and lifecycle stage, the snapshot's and the lifecycle
        wizard's stage read as the account's own fields do, in Chinese too."""
        copies = [
            ("kam.nomination", "previous_state", "kam_state"),
            ("kam.tier.history", "old_state", "kam_state"),
            ("kam.tier.history", "new_state", "kam_state"),
            ("kam.tier.history", "old_lifecycle", "kam_lifecycle_stage"),
            ("kam.tier.history", "new_lifecycle", "kam_lifecycle_stage"),
            ("kam.account.snapshot", "lifecycle_stage", "kam_lifecycle_stage"),
            ("kam.lifecycle.wizard", "stage", "kam_lifecycle_stage"),
        ]
        self.assertEqual(self._labels("res.partner", "kam_state")["candidate"], "候选")
        self.assertNotEqual(self._labels("res.partner", "kam_lifecycle_stage")["potential"],
                            "Potential")
        for model, fname, source in copies:
            for lang in ("zh_CN", "en_US"):
                with self.subTest(model=model, field=fname, lang=lang):
                    self.assertEqual(self._labels(model, fname, lang),
                                     self._labels("res.partner", source, lang))
        self.assertEqual(self._labels("kam.nomination", "previous_state", "en_US")["candidate"],
                         "Candidate")
        # the values stay the values: a stored copy reads as its label in the reader's language
        history = self.env["kam.tier.history"].search(
            [("partner_id", "=", self.account.id), ("change_type", "=", "state")], limit=1)
        self.assertTrue(history)
        self.assertEqual(history.with_context(lang="zh_CN")._fields["new_state"]
                         .convert_to_export(history.new_state, history.with_context(lang="zh_CN")),
                         self._labels("res.partner", "kam_state")[history.new_state])

    # ---- 3. texts of the engine and the crons, rendered for their reader ----
    def test_engine_activities_in_the_assignees_language(self):
        """The tier activity of a Chinese KAM is in Chinese, the candidates' review of an
        English director in English, the churn signal's amount with its currency."""
        # the first director of the company (the English one) reviews the candidates
        candidate = self.env["res.partner"].create({"name": "Gamma Retail", "is_company": True})
        events = {
            "tier": {self.tier_a.id: [(self.account.id, self.tier_b.id, "upgrade")]},
            "candidates": [(80.0, candidate.id)],
            "signals": [(self.account.id, "overdue", {"amount": 12345.5, "days": 40,
                                                      "limit": 30}, self.user_kam.id)],
            "lifecycle": [(self.account.id, "growing", "at_risk", "signals")],
        }
        self.account.kam_tier_id = self.tier_b
        self.env["kam.scoring"].with_company(self.company)._apply_events(
            self.company, self.tier_a | self.tier_b | self.tier_c, events, defaultdict(int))
        tier = self._activities(self.account, self.user_kam).filtered(
            lambda a: "→" in (a.summary or ""))
        self.assertEqual(len(tier), 1)
        self.assertTrue(tier.summary.startswith("等级上调："), tier.summary)
        self.assertIn("的评分改变了其大客户等级", str(tier.note))
        signal = self._activities(self.account, self.user_kam) - tier
        self.assertEqual(len(signal), 1)
        self.assertTrue(signal.summary.startswith("流失预警："), signal.summary)
        self.assertIn("已逾期 40 天", str(signal.note))
        self.assertIn(self.symbol, str(signal.note))
        self.assertIn("12,345.50", str(signal.note))
        review = self._activities(candidate, self.user_director)
        self.assertEqual(review.summary, "Review 1 new key account candidates")
        self.assertIn("These customers now qualify", str(review.note))
        # the lifecycle change made by the engine: its rule, shown in the reader's language
        history = self.account.kam_history_ids.filtered(
            lambda h: h.change_type == "lifecycle" and h.new_lifecycle == "at_risk")
        self.assertEqual(len(history), 1)
        self.assertEqual(history.with_context(lang="zh_CN").reason, "出现流失预警。")
        self.assertEqual(history.with_context(lang="en_US").reason, "Churn signals are raised.")

    def test_service_notes_per_reader(self):
        """SLA notes: one per language of the readers, the deadline in each reader's time
        zone (Shanghai for the KAM, London for the English director)."""
        request = self._request(at(2025, 9, 29, 1, 0), priority="3")
        self.assertEqual(request.response_deadline, at(2025, 9, 29, 2, 0))
        request._notify_at_risk("response")
        note = self._notes_to(request, self.user_kam).filtered(lambda m: "时限" in m.body)
        self.assertEqual(len(note), 1)
        # 02:00 UTC is 10:00 in Shanghai
        self.assertIn("2025/09/29 10:00:00", note.body)
        self.assertIn("响应计时即将超时", note.body)
        request.user_id = self.user_director
        request._notify_at_risk("response")
        note = self._notes_to(request, self.user_director).filtered(
            lambda m: "at risk" in m.body)
        self.assertEqual(len(note), 1)
        # 02:00 UTC is 03:00 in London (summer time)
        self.assertIn("deadline 09/29/2025 03:00:00", note.body)
        request._notify_breach_kam()
        note = self._notes_to(request, self.user_kam).filtered(lambda m: "请大客户经理" in m.body)
        self.assertEqual(len(note), 1)
        request._notify_breach_directors()
        english = self._notes_to(request, self.user_director).filtered(
            lambda m: "escalated to the directors" in m.body)
        chinese = self._notes_to(request, self.user_director_zh).filtered(
            lambda m: "已升级至总监" in m.body)
        self.assertEqual(len(english), 1)
        self.assertEqual(len(chinese), 1)
        self.assertNotIn(self.user_director_zh.partner_id, english.partner_ids)
        self.assertNotIn(self.user_director.partner_id, chinese.partner_ids)

    def test_care_reminder_budget_with_currency(self):
        occasion = self.env["kam.care.occasion"].create({
            "name": "Test Occasion", "occasion_type": "fixed", "fixed_month": 12, "fixed_day": 20,
            "gesture": "Flowers", "budget": 500.0})
        self.env["kam.care.reminder"]._kam_create(self.company, [
            (occasion, self.account, self.env["kam.stakeholder"], date(2026, 12, 20),
             self.user_kam)])
        activity = self._activities(self.account, self.user_kam)
        self.assertEqual(len(activity), 1)
        self.assertIn("建议关怀方式", str(activity.note))
        self.assertIn(self.symbol, str(activity.note))
        self.assertIn("500.00", str(activity.note))

    def test_credit_rating_limit_with_currency(self):
        self._make_credit_ratings("KT")
        request = self.env["kam.credit.rating.request"].with_user(self.user_kam).create({
            "partner_id": self.account.id, "new_rating_id": self.rating_aa.id,
            "reason": "Paid on time for 3 years"})
        request.action_submit()
        # the web client sends the director's language
        request.with_user(self.user_director_zh).with_context(lang="zh_CN").action_approve()
        body = request.message_ids.filtered(lambda m: "信用额度" in (m.body or "")).body
        self.assertTrue(body)
        self.assertIn(self.symbol, body)
        self.assertIn("100,000.00", body)
        self.assertNotIn("100000.0", body)


@tagged("post_install", "-at_install")
class TestKamValidationTz(KamServiceCommon):
    """Validation messages print dates and times as their reader reads them (issue 27):
    in the user's time zone and language, not in UTC. A visit of 14:00-13:00 in
    Shanghai (06:00-05:00 UTC) reads 14:00:00 and 13:00:00, in Chinese for a Chinese
    KAM, in English for an English one, whether the request's context carries the time
    zone or only the user has one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        cls.user_kam.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.user_kam_2.write({"lang": "en_US", "tz": "Asia/Shanghai"})
        cls.account_2.kam_manager_id = cls.user_kam_2

    def _end_before_start(self, user, account, context_tz=True):
        context = {"lang": user.lang}
        if context_tz:
            context["tz"] = user.tz
        Visit = self.env["kam.visit"].with_user(user).with_context(**context)
        with self.assertRaises(ValidationError) as caught:
            Visit.create({"partner_id": account.id, "user_id": user.id,
                          "date_start": at(2026, 12, 10, 6, 0), "date_end": at(2026, 12, 10, 5, 0)})
        return str(caught.exception)

    def test_visit_times_in_shanghai_in_chinese(self):
        for context_tz in (True, False):
            message = self._end_before_start(self.user_kam, self.account, context_tz)
            self.assertIn("结束时间", message)
            self.assertIn("不能早于开始时间", message)
            self.assertIn("14:00:00", message)
            self.assertIn("13:00:00", message)
            self.assertIn("2026", message)
            self.assertNotIn("06:00:00", message)
            self.assertNotIn("05:00:00", message)
            self.assertNotIn("must not be before", message)

    def test_visit_times_in_shanghai_in_english(self):
        for context_tz in (True, False):
            message = self._end_before_start(self.user_kam_2, self.account_2, context_tz)
            # the English format of the language (en_US: 12 hours)
            self.assertIn("must not be before the start", message)
            self.assertIn("(12/10/2026 01:00:00 PM)", message)
            self.assertIn("(12/10/2026 02:00:00 PM)", message)
            self.assertNotIn("06:00:00", message)
            self.assertNotIn("结束时间", message)
