from unittest.mock import patch

from markupsafe import Markup

from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamDigest(KamCommon):
    def _digest_messages(self, user):
        return self.env["mail.message"].search([
            ("partner_ids", "in", user.partner_id.ids),
            ("subject", "like", "Key accounts weekly digest"),
        ])

    def test_cron_calls_digest(self):
        cron = self.env.ref("key_account_management.ir_cron_kam_director_digest")
        self.assertEqual(cron.code.strip(), "model._cron_send_director_digest()")
        self.assertEqual(cron.model_id.model, "kam.digest")

    def _run_cron(self):
        cron = self.env.ref("key_account_management.ir_cron_kam_director_digest")
        # a digest already sent this week (a real run of the database) is not sent again
        self.env["res.company"].search([]).kam_digest_last_week = False
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()

    def test_no_section_no_message(self):
        KamDigest = type(self.env["kam.digest"])
        with patch.object(KamDigest, "_get_digest_sections", lambda self, company: []):
            self._run_cron()
        self.assertFalse(self._digest_messages(self.user_director))

    def test_sections_sent_to_directors_of_the_company(self):
        KamDigest = type(self.env["kam.digest"])
        test_company = self.company

        def sections(self, company):
            return [("Overdue visits", Markup("<p>Acme: 40 days</p>"))] \
                if company == test_company else []

        with patch.object(KamDigest, "_get_digest_sections", sections):
            self._run_cron()
        messages = self._digest_messages(self.user_director)
        self.assertEqual(len(messages), 1)
        self.assertIn("Acme: 40 days", messages.body)
        self.assertFalse(self._digest_messages(self.user_kam))
        self.assertFalse(self._digest_messages(self.user_director_2))

    def test_handover_moves_activities(self):
        activity = self.account.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call", user_id=self.user_kam.id)
        self.account._kam_handover_records(self.user_kam, self.user_kam_2)
        self.assertEqual(activity.user_id, self.user_kam_2)
