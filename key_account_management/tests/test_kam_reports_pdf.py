"""The printed reports as real PDFs: wkhtmltopdf renders each QWeb report of the addon
(visit, visit plan, account plan, account review) to a PDF with the customer's name in its text.

Odoo renders reports as HTML while tests run; the context key `force_report_rendering`
asks for the real PDF. An HttpCase, so that wkhtmltopdf fetches the report's styles from
the server of the test run, as it does for a user.

Styled, the PDF of Debian's wkhtmltopdf (Qt without Odoo's patches) draws the text in
Odoo's web font (Lato) as outlines: it prints right but holds no extractable text. The
text is therefore read from a second rendering without the web assets (wkhtmltopdf gets
no stylesheet and falls back to the system's fonts), the same document otherwise."""

import io
import shutil
from datetime import datetime, time, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfReader


@tagged("post_install", "-at_install")
class TestKamReportsPdf(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam = new_test_user(
            cls.env, login="kamt_pdf_kam", name="Pia Printer", tz="UTC",
            groups="key_account_management.key_account_management_group_manager")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Kamt Printable Holdings", "is_company": True})
        cls.customer.write({"kam_state": "registered", "kam_manager_id": cls.kam.id})
        cls.visit_plan = cls.env["kam.visit.plan"].create({"user_id": cls.kam.id})
        start = datetime.combine(cls.visit_plan.date_start, time(9))
        cls.visit = cls.env["kam.visit"].create({
            "partner_id": cls.customer.id, "user_id": cls.kam.id, "plan_id": cls.visit_plan.id,
            "objective": "Present the printed offer",
            "date_start": start, "date_end": start + timedelta(hours=1),
        })
        cls.account_plan = cls.env["kam.account.plan"].create({
            "partner_id": cls.customer.id, "revenue_target": 50000.0,
            "objective_ids": [(0, 0, {"name": "First printed order", "target_value": 1})],
        })

    def _render_pdf(self, report_xmlid, records):
        pdf, report_type = self.env["ir.actions.report"].with_context(
            force_report_rendering=True)._render_qweb_pdf(report_xmlid, records.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "wkhtmltopdf did not return a PDF")
        reader = PdfReader(io.BytesIO(pdf))
        self.assertGreaterEqual(len(reader.pages), 1)
        return pdf, reader

    def _pdf_text(self, report_xmlid, records):
        """Render the report as a user gets it, then its text (see the module's docstring)."""
        styled, _reader = self._render_pdf(report_xmlid, records)
        self.assertGreater(len(styled), 10000, "the styled PDF is suspiciously small")
        # nothing listens on port 9 (discard): wkhtmltopdf loads no stylesheet nor web font
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            _plain, reader = self._render_pdf(report_xmlid, records)
        # PyPDF2 separates words by tabs or newlines
        return " ".join("\n".join(page.extract_text() for page in reader.pages).split())

    def test_wkhtmltopdf_installed(self):
        self.assertTrue(shutil.which("wkhtmltopdf"),
                        "wkhtmltopdf is not installed: reports cannot print "
                        "(Debian/Ubuntu: apt-get install wkhtmltopdf)")
        self.assertEqual(self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok")

    def test_visit_pdf(self):
        text = self._pdf_text("key_account_management.kam_visit_report_action", self.visit)
        self.assertIn("Kamt Printable Holdings", text)
        self.assertIn(self.visit.name, text)
        self.assertIn("Present the printed offer", text)

    def test_visit_plan_pdf(self):
        text = self._pdf_text("key_account_management.kam_visit_plan_report_action",
                              self.visit_plan)
        self.assertIn(self.visit_plan.name, text)
        self.assertIn("Pia Printer", text)
        self.assertIn("Kamt Printable Holdings", text)

    def test_account_plan_pdf(self):
        text = self._pdf_text("key_account_management.kam_account_plan_report",
                              self.account_plan)
        self.assertIn("Kamt Printable Holdings", text)
        self.assertIn("First printed order", text)

    def test_account_review_pdf(self):
        """The one-page account review prints for an account without orders, health or
        requests. (A portfolio prints as one PDF only with the patched-Qt wkhtmltopdf: Odoo
        refuses several documents with Debian's build; its HTML is tested in
        test_kam_account_review.)"""
        text = self._pdf_text("key_account_management.kam_account_review_report_action",
                              self.customer)
        self.assertIn("Kamt Printable Holdings", text)
        self.assertIn("Pia Printer", text)
