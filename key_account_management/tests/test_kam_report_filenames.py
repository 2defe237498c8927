"""The file names of the printed documents (issue 27): the translated title of the
document, the account (the KAM for a visit plan) and its date or period, as the
reader reads them, evaluated as Odoo's report download does (``print_report_name``
with ``object`` and ``time``, in the user's language); no slash of a reference."""

from datetime import datetime, timedelta

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval, time

GROUP_MANAGER = "key_account_management.key_account_management_group_manager"
REPORTS = {
    "visit": "key_account_management.kam_visit_report_action",
    "visit_plan": "key_account_management.kam_visit_plan_report_action",
    "account_plan": "key_account_management.kam_account_plan_report",
    "review": "key_account_management.kam_account_review_report_action",
}


@tagged("post_install", "-at_install")
class TestKamReportFilenames(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        cls.kam = new_test_user(cls.env, login="kamt_fname_kam", name="Li Printer",
                                groups=GROUP_MANAGER, tz="Asia/Shanghai")
        cls.account = cls.env["res.partner"].create(
            {"name": "Pacific/Union Bank", "is_company": True})
        cls.account.write({"kam_state": "registered", "kam_manager_id": cls.kam.id})
        today = cls.env.company._kam_today()
        cls.visit_plan = cls.env["kam.visit.plan"].create({
            "user_id": cls.kam.id, "date_start": today.replace(day=1),
            "date_end": (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            - timedelta(days=1)})
        # 02:00 UTC is 10:00 in Shanghai: the visit's day is the KAM's
        start = datetime.combine(cls.visit_plan.date_start, datetime.min.time()) + timedelta(
            hours=2)
        cls.visit = cls.env["kam.visit"].create({
            "partner_id": cls.account.id, "user_id": cls.kam.id,
            "plan_id": cls.visit_plan.id, "date_start": start,
            "date_end": start + timedelta(hours=1)})
        cls.account_plan = cls.env["kam.account.plan"].create({
            "partner_id": cls.account.id, "user_id": cls.kam.id,
            "date_start": today.replace(month=1, day=1),
            "date_end": today.replace(month=12, day=31)})
        cls.today = today

    def _filename(self, key, record, lang):
        """As web's /report/download names the file (without its extension)."""
        env = self.env(user=self.kam, context=dict(self.env.context, lang=lang))
        report = env.ref(REPORTS[key])
        self.assertTrue(report.print_report_name, key)
        return safe_eval(report.print_report_name,
                         {"object": record.with_env(env), "time": time})

    def test_file_names_in_chinese(self):
        day = self.visit_plan.date_start
        self.assertEqual(self._filename("visit", self.visit, "zh_CN"),
                         f"走访报告 - Pacific-Union Bank - {self.visit.visit_date.isoformat()}")
        self.assertEqual(self.visit.visit_date, day)
        self.assertEqual(self._filename("visit_plan", self.visit_plan, "zh_CN"),
                         f"走访计划 - Li Printer - {day.strftime('%Y-%m')}")
        self.assertEqual(self._filename("account_plan", self.account_plan, "zh_CN"),
                         f"客户计划 - Pacific-Union Bank - {self.today.year}")
        self.assertEqual(self._filename("review", self.account, "zh_CN"),
                         f"客户经营回顾 - Pacific-Union Bank - {self.today.isoformat()}")

    def test_file_names_in_english(self):
        day = self.visit_plan.date_start
        self.assertEqual(self._filename("visit", self.visit, "en_US"),
                         f"Visit Report - Pacific-Union Bank - {day.isoformat()}")
        self.assertEqual(self._filename("visit_plan", self.visit_plan, "en_US"),
                         f"Visit Plan - Li Printer - {day.strftime('%Y-%m')}")
        self.assertEqual(self._filename("account_plan", self.account_plan, "en_US"),
                         f"Account Plan - Pacific-Union Bank - {self.today.year}")
        self.assertEqual(self._filename("review", self.account, "en_US"),
                         f"Account Review - Pacific-Union Bank - {self.today.isoformat()}")

    def test_a_period_that_is_not_a_whole_year(self):
        self.account_plan.write({"date_start": self.today.replace(month=1, day=15),
                                 "date_end": self.today.replace(month=4, day=14)})
        year = self.today.year
        self.assertEqual(self._filename("account_plan", self.account_plan, "en_US"),
                         f"Account Plan - Pacific-Union Bank - {year}-01-15~{year}-04-14")

    def test_every_report_of_the_addon_is_named(self):
        reports = self.env["ir.actions.report"].search([
            ("report_name", "like", "key_account_management.%"),
            ("report_type", "=", "qweb-pdf")])
        self.assertEqual(set(reports.get_external_id().values()), set(REPORTS.values()))
