"""Bad values jam nothing: the numeric inputs of the key-account models are bounded
(a translated error names the field and its range), and the scoring engine skips and
logs an account whose values it cannot read or score (a value written before the
bounds existed) instead of failing the whole company every night."""

from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.service.model import call_kw
from odoo.tests import tagged

from .common import KamCommon

SCORING_LOGGER = "odoo.addons.key_account_management.models.kam_scoring"


def _api_write(record, user, vals):
    """``write`` of ``record`` by ``user`` as the external API (JSON-RPC) calls it."""
    return call_kw(record.env[record._name].with_user(user), "write", [record.ids, vals],
                   {"context": {"allowed_company_ids": user.company_ids.ids}})


@tagged("post_install", "-at_install")
class TestKamBounds(KamCommon):
    def test_strategic_value_out_of_range_refused(self):
        """3,000,000,000 fits a JSON number (company-dependent fields are jsonb), not what
        the engine and the account list read back: refused, for the KAM and a director."""
        for user in (self.user_kam, self.user_director):
            for value in (3000000000, 6, -1):
                with self.subTest(user=user.login, value=value), \
                        self.assertRaises(ValidationError) as caught:
                    _api_write(self.account, user, {"kam_strategic_value": value})
                message = str(caught.exception)
                self.assertIn("Strategic Value", message)
                self.assertIn("between 0 and 5", message)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.kam_strategic_value, 0)
        _api_write(self.account, self.user_kam, {"kam_strategic_value": 5})
        self.assertEqual(self.account.kam_strategic_value, 5)

    def test_potential_revenue_not_negative(self):
        with self.assertRaises(ValidationError) as caught:
            _api_write(self.account, self.user_kam, {"kam_potential_revenue": -5.0})
        self.assertIn("Potential Yearly Revenue", str(caught.exception))

    def test_tier_periods_bounded(self):
        """The engine adds the visit interval and the SLA hours to dates: ten years at most
        (a bigger one leaves the calendar and stops the nightly run)."""
        for vals, label in (({"visit_interval_days": 10 ** 6}, "Visit Interval (days)"),
                            ({"response_sla_hours": 10.0 ** 9}, "Response SLA (hours)"),
                            ({"sequence": 3000000000}, "Sequence")):
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as caught:
                _api_write(self.tier_a, self.user_director, vals)
            self.assertIn(label, str(caught.exception))
            self.assertIn("between", str(caught.exception))
        with self.assertRaises(ValidationError):
            self.env["kam.tier"].with_user(self.user_director).create(
                {"name": "Far", "code": "TF", "visit_interval_days": 3000000000})

    def test_company_periods_bounded(self):
        for vals in ({"kam_downgrade_grace_days": 10 ** 6}, {"kam_signal_overdue_days": 10 ** 6},
                     {"kam_signal_revenue_drop": 150}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)


@tagged("post_install", "-at_install")
class TestKamScoringRobust(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls._make_order(cls.account, 5000, cls.today - timedelta(days=10))
        cls._make_order(cls.account_2, 3000, cls.today - timedelta(days=20))

    def _write_raw(self, partner, column, value):
        """What an old database holds: a value written before the constraint."""
        self.env.flush_all()
        self.env.cr.execute(
            f"UPDATE res_partner SET {column} = jsonb_build_object(%s::text, %s::numeric)"
            " WHERE id = %s", [self.company.id, value, partner.id])
        self.env.invalidate_all()

    def test_bad_value_in_database_skipped_and_logged(self):
        self._write_raw(self.account_2, "kam_strategic_value", 3000000000)
        with self.assertLogs(SCORING_LOGGER, "WARNING") as logs:
            stats = self.env["kam.scoring"]._recompute_companies(self.company)
        self.assertEqual(stats.get("failed"), 1)
        self.assertTrue(any(str(self.account_2.id) in line and "skipped" in line
                            for line in logs.output), logs.output)
        # the other accounts are scored
        account = self.env["res.partner"].browse(self.account.id)
        self.assertEqual(account.kam_metrics_date, self.today)
        self.assertAlmostEqual(account.kam_revenue_12m, 5000)
        self.assertGreater(account.kam_score, 0)
        # the bad account is left as it was, and the next run tries it again (no digest)
        self.env.cr.execute("SELECT kam_metrics_date->>%s FROM res_partner WHERE id = %s",
                            [str(self.company.id), self.account_2.id])
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.assertFalse(self.env["kam.scoring"]._get_stored_digest(self.company))

    def test_failing_account_write_skipped(self):
        """An account whose write fails is logged and skipped (its batch is written again
        account by account, each in a savepoint); the others are written."""
        Scoring = type(self.env["kam.scoring"])
        write_values = Scoring._write_values
        bad_id = self.account_2.id

        def failing(self_, company, values_by_partner):
            if bad_id in values_by_partner:
                raise ValueError("broken account")
            return write_values(self_, company, values_by_partner)

        with patch.object(Scoring, "_write_values", failing), \
                self.assertLogs(SCORING_LOGGER, "WARNING") as logs:
            stats = self.env["kam.scoring"]._recompute_companies(self.company)
        self.assertEqual(stats.get("failed"), 1, logs.output)
        self.assertTrue(any("broken account" in line for line in logs.output))
        account = self.env["res.partner"].browse(self.account.id)
        self.assertEqual(account.kam_metrics_date, self.today)
        self.assertAlmostEqual(account.kam_revenue_12m, 5000)
        self.assertFalse(self.env["res.partner"].browse(bad_id).kam_metrics_date)
