import base64
import json

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open

ZH_JSON = "key_account_management/demo/kam_demo_zh_CN.json"


@tagged("post_install", "-at_install")
class TestKamDemo(TransactionCase):
    """The demo is a Chinese operator's and a Chinese manufacturer's: in CNY, in
    China, every screen of the user guide with data, and in Chinese when it is
    loaded in Chinese. Runs on a database with the demo data only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env.ref("key_account_management.kam_demo_customer_bank",
                               raise_if_not_found=False)

    def _demo(self, xmlid):
        return self.env.ref(xmlid if "." in xmlid else f"key_account_management.{xmlid}")

    def test_companies_in_renminbi_in_china(self):
        if not self.bank:
            return  # a database without demo data: nothing to check
        cny = self.env.ref("base.CNY")
        for company in (self._demo("base.main_company"), self._demo("kam_demo_company_mfg")):
            self.assertEqual(company.currency_id, cny, company.name)
            self.assertEqual(company.country_id, self.env.ref("base.cn"), company.name)
            self.assertTrue(company.street and company.city and company.phone, company.name)
            self.assertEqual(company._kam_tz(), "Asia/Shanghai", company.name)
        # the demo's orders are in the company's currency
        orders = self.env["sale.order"].search([("partner_id", "child_of", self.bank.id)])
        self.assertTrue(orders)
        self.assertEqual(orders.currency_id, cny)
        # the care occasions' budgets too (the shared ones were created at install in the
        # former currency), and the reminders print them in renminbi
        occasions = self.env["kam.care.occasion"].search([
            ("company_id", "in", (self._demo("base.main_company").id, False))])
        self.assertTrue(occasions)
        self.assertEqual(occasions.currency_id, cny)
        notes = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.bank.id),
            ("note", "ilike", "budget")]).mapped("note")
        self.assertTrue(notes)
        for note in notes:
            self.assertIn(cny.symbol, note)
            self.assertNotIn("$", note)

    def test_companies_have_their_logo_on_the_reports(self):
        """Each company of the demo has a logo of its own (tools/kam_demo_logos.py), not
        Odoo's "Your logo", and the account review prints it in its header."""
        if not self.bank:
            return
        with file_open("base/static/img/res_company_logo.png", "rb") as fh:
            placeholder = base64.b64encode(fh.read())
        main = self._demo("base.main_company")
        for company, name in ((main, "huaxin"), (self._demo("kam_demo_company_mfg"), "precision")):
            with file_open(f"key_account_management/demo/img/kam_demo_logo_{name}.png",
                           "rb") as fh:
                self.assertEqual(base64.b64decode(company.logo), fh.read(), company.name)
            self.assertNotEqual(company.logo, placeholder)
        html = self.env["ir.actions.report"].with_company(main)._render_qweb_html(
            "key_account_management.kam_account_review_report_action", self.bank.ids)[0]
        html = html.decode()
        self.assertIn(main.logo.decode()[:200], html)
        self.assertNotIn(placeholder.decode()[:200], html)

    def test_the_director_approves_the_bank_credit_rating(self):
        """The demo's approval is the director's (her language, her name in the chatter),
        not OdooBot's."""
        if not self.bank:
            return
        request = self._demo("kam_demo_credit_request_bank")
        director = self._demo("kam_demo_user_director")
        self.assertEqual(request.decided_by_id, director)
        bodies = [str(m.body) for m in (request.message_ids | self.bank.message_ids) if m.body]
        approved = [b for b in bodies if director.name in b]
        self.assertEqual(len(approved), 2, bodies)  # the request's log and the account's
        self.assertFalse([b for b in bodies if "OdooBot" in b])

    def test_every_screen_has_data(self):
        if not self.bank:
            return  # a database without demo data: nothing to check
        # Health and Tier over Time: six past months and this one (the manufacturer's
        # accounts were registered today: their history starts this month)
        Snapshot = self.env["kam.account.snapshot"]
        for company, count in ((self._demo("base.main_company"), 7),
                               (self._demo("kam_demo_company_mfg"), 1)):
            months = {s.month for s in Snapshot.search([("company_id", "=", company.id)])}
            self.assertGreaterEqual(len(months), count, company.name)
            self.assertIn(company._kam_today().replace(day=1), months)
        # the whitespace grid: the telecom's products have categories, bought or not
        grid = self.env["kam.account.plan.whitespace"].search([
            ("plan_id", "=", self._demo("kam_account_plan_demo_bank").id)])
        telecom = self._demo("kam_demo_categ_telecom")
        ours = grid.filtered(lambda g: g.categ_id.parent_id == telecom)
        self.assertTrue(ours.filtered("bought"))
        self.assertIn(self._demo("kam_demo_categ_security"),
                      ours.filtered(lambda g: not g.bought).categ_id)
        # and only the telecom's product lines: none of Odoo's sample categories
        # (Expenses, Office Furniture...) in the bank's whitespace
        self.assertEqual(grid, ours)
        # a discount waiting for a director's approval, with the directors' activities
        quote = self._demo("kam_demo_order_bank_5g_quote")
        self.assertEqual(quote.state, "draft")
        self.assertEqual(quote.kam_discount_approval, "requested")
        self.assertTrue(quote.kam_discount_over_allowance)
        self.assertIn(self._demo("kam_demo_user_director"), quote.activity_ids.user_id)
        # Plans vs Actuals: the reported figures of the plans
        plan = self._demo("kam_account_plan_demo_bank")
        self.assertTrue(plan.report_date)
        self.assertEqual(plan.report_actual_revenue, plan.currency_id.round(plan.actual_revenue))
        self.assertGreater(plan.report_actual_revenue, 0)

    def test_every_chinese_text_has_its_record(self):
        if not self.bank:
            return  # a database without demo data: nothing to check
        with file_open(ZH_JSON, "rb") as fh:
            data = json.loads(fh.read().decode())
        for xmlid, vals in data["records"].items():
            record = self._demo(xmlid)
            for field in vals:
                self.assertIn(field, record._fields, f"{xmlid}: {field}")
                self.assertFalse(record._fields[field].translate,
                                 f"{xmlid}.{field} is translatable: it belongs in zh_CN.po")

    def test_demo_reads_in_chinese_when_loaded_in_chinese(self):
        if not self.bank:
            return  # a database without demo data: nothing to check
        Demo = self.env["kam.demo"]
        if not self.env["res.lang"]._lang_get("zh_CN"):
            # without the language, the demo stays as it is
            self.assertFalse(Demo._demo_localize("zh_CN", ZH_JSON))
            self.assertEqual(self.bank.name, "Pacific Union Bank")
            self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        self.assertTrue(Demo._demo_localize("zh_CN", ZH_JSON))
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(self.bank.name, "太平洋联合银行")
        self.assertEqual(self._demo("base.main_company").name, "华信通信")
        self.assertEqual(self._demo("kam_demo_user_kam_li").name, "李伟")
        self.assertIn("周红", self._demo("kam_demo_visit_bank_1").summary)
        self.assertEqual(self._demo("kam_demo_service_request_bank_outage").subject,
                         "网点网络故障：浦东 12 个网点断网")
        self.assertEqual(self._demo("kam_account_plan_demo_bank_obj_sdwan").name,
                         "网点接入 SD-WAN 服务")
        self.assertEqual(self._demo("kam_demo_categ_connectivity").complete_name,
                         "政企通信 / 网络连接")
        # the translatable names come from zh_CN.po
        self.assertEqual(self._demo("kam_tier_demo_strategic").with_env(zh).name, "战略")
        self.assertEqual(self._demo("kam_demo_product_sdwan").with_env(zh).name,
                         "SD-WAN 托管服务")
        self.assertEqual(self._demo("kam_demo_service_category_outage").with_env(zh).name,
                         "网络故障")
        # what the demo posted, and the chatter's creation messages
        hospital = self._demo("kam_demo_service_request_hospital_install")
        self.assertTrue(any("交换机" in m.body for m in hospital.message_ids))
        self.assertFalse(hospital.message_ids.filtered(
            lambda m: "Key Account Service Request created" in (m.body or "")))
        # the demo's people, the bank's portal user included, read in Chinese
        portal = self._demo("kam_demo_user_portal_bank")
        self.assertTrue(portal.share)
        for user in (portal, self._demo("kam_demo_user_kam_li"), self._demo("base.user_admin")):
            self.assertEqual(user.lang, "zh_CN", user.login)
        self.assertEqual(self._demo("kam_demo_contact_bank_cio").lang, "zh_CN")
        # what the flows copied from the demo's texts while it loaded: the directors'
        # approval activities of a nomination (its summary and reason), the request's
        # subject and resolution in its notes and mails
        nomination = self._demo("kam_nomination_demo_logistics")
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "kam.nomination"), ("res_id", "=", nomination.id)])
        self.assertTrue(activities)
        for activity in activities:
            self.assertIn("审批大客户", activity.summary)
            self.assertNotIn("Approve key account", activity.summary)
            self.assertNotIn("Orders tripled", activity.note or "")
        outage = self._demo("kam_demo_service_request_bank_outage")
        bodies = " ".join(str(body) for body in outage.message_ids.mapped("body") if body)
        self.assertIn("网点网络故障", bodies)
        for english in ("Branch network outage", "Failed aggregation router"):
            self.assertNotIn(english, bodies)
