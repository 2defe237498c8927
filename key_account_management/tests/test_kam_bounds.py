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


# (model, field, label, minimum, maximum, integer): every number of the configuration a
# director or an administrator types in, with its bounds (models/kam_bounds.py)
CONFIG_BOUNDS = [
    ("kam.service.team", "sequence", "Sequence", 0, 1000000, True),
    ("kam.service.team", "color", "Color", 0, 11, True),
    ("kam.service.team", "deadline_share", "Deadline Share (%)", 0, 100, False),
    ("kam.service.category", "sequence", "Sequence", 0, 1000000, True),
    ("kam.team.member", "sequence", "Sequence", 0, 1000000, True),
    ("kam.visit.product.line", "sequence", "Sequence", 0, 1000000, True),
    ("kam.visit.product.line", "quantity", "Quantity", 0, 10 ** 9, False),
    ("kam.scorecard.template.line", "sequence", "Sequence", 0, 1000000, True),
    ("kam.scorecard.template.line", "target", "Target", 0, 10 ** 12, False),
    ("kam.scorecard.template.line", "weight", "Weight", 0, 10000, False),
    ("kam.scorecard.template.line", "cap", "Cap (points)", 100, 10000, False),
    ("kam.tier", "sequence", "Sequence", 0, 1000000, True),
    ("kam.tier", "color", "Color", 0, 11, True),
    ("kam.tier", "min_revenue", "Minimum Yearly Revenue", 0, 10 ** 12, False),
    ("kam.tier", "min_score", "Minimum Score", 0, 100, False),
    ("kam.tier", "max_discount", "Maximum Line Discount (%)", 0, 100, False),
    ("kam.tier", "visit_interval_days", "Visit Interval (days)", 0, 3650, True),
    ("kam.tier", "response_sla_hours", "Response SLA (hours)", 0, 87600, False),
    ("kam.tier", "resolution_sla_hours", "Resolution SLA (hours)", 0, 87600, False),
    ("kam.sla.policy", "response_hours", "Response Hours", 0, 87600, False),
    ("kam.sla.policy", "resolution_hours", "Resolution Hours", 0, 87600, False),
    ("kam.sla.policy", "confirmation_hours", "Confirmation Hours", 0, 87600, False),
    ("kam.decision.role", "sequence", "Sequence", 0, 1000000, True),
    ("kam.decision.role", "color", "Color", 0, 11, True),
    ("kam.credit.rating", "sequence", "Sequence", 0, 1000000, True),
    ("kam.care.occasion", "sequence", "Sequence", 0, 1000000, True),
    ("res.company", "kam_weight_revenue", "Revenue Rank Weight", 0, 10000, True),
    ("res.company", "kam_weight_credit", "Credit Rating Weight", 0, 10000, True),
    ("res.company", "kam_downgrade_grace_days", "Tier Downgrade Grace (days)", 0, 3650, True),
    ("res.company", "kam_health_weight_service", "Green Channel Weight", 0, 10000, True),
    ("res.company", "kam_health_yellow_max", "Yellow Band Up To", 0, 100, True),
    ("res.company", "kam_signal_sla_breaches", "SLA Breaches Signal", 0, 100000, True),
    ("res.company", "kam_signal_satisfaction_min", "Low Satisfaction Signal", 0, 5, False),
    ("res.company", "kam_service_return_visit_days", "Return Visit After (days)", 0, 3650, True),
    ("res.company", "kam_service_confirmation_hours", "Confirmation Window (hours)", 0, 87600,
     False),
    ("res.company", "kam_plan_pace_threshold", "Account Plan Pace Threshold (%)", 0, 100, False),
]
# what a valid record of each model must hold besides the bounded field (the cap is at
# least 100 points, a policy's hours more than 0, the yellow band above the red one...)
VALID_LOW = {("kam.sla.policy", "response_hours"): 0.5, ("kam.sla.policy", "resolution_hours"): 0.5,
             ("kam.sla.policy", "confirmation_hours"): 0.5,
             ("kam.scorecard.template.line", "weight"): 0.5,
             ("res.company", "kam_health_yellow_max"): None}
VALID_HIGH = {("res.company", "kam_health_yellow_max"): 99}


@tagged("post_install", "-at_install")
class TestKamNumberBounds(KamCommon):
    """Issue 20: a huge number in a setting (3,000,000,000, 1e308, infinity) got Odoo's
    "integer out of range", an OverflowError or a database error, or was stored and then
    broke the engine; every number of the configuration is refused outside its bounds
    with a translated error naming the field and its range, on every path, and nothing
    is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls._make_credit_ratings("KNB")
        cls.admin = env.ref("base.user_admin")
        cls.admin.write({"company_ids": [(4, cls.company.id)]})
        product = env["product.product"].create({"name": "Bounds Router"})
        visit = env["kam.visit"].create({
            "partner_id": cls.account.id, "user_id": cls.user_kam.id,
            "date_start": "2031-03-03 08:00:00", "date_end": "2031-03-03 09:00:00"})
        template = env["kam.scorecard.template"].create(
            {"name": "Bounds assessment", "year": 2031, "company_id": cls.company.id})
        cls.records = {
            "kam.service.team": env["kam.service.team"].create({"name": "Bounds NOC"}),
            "kam.service.category": env["kam.service.category"].create({"name": "Bounds"}),
            "kam.team.member": env["kam.team.member"].create({
                "partner_id": cls.account.id, "user_id": cls.user_kam_2.id,
                "role": "technical"}),
            "kam.visit.product.line": env["kam.visit.product.line"].create(
                {"visit_id": visit.id, "product_id": product.id}),
            "kam.scorecard.template.line": env["kam.scorecard.template.line"].create(
                {"template_id": template.id, "measure": "growth"}),
            "kam.tier": cls.tier_c,
            "kam.sla.policy": env["kam.sla.policy"].create(
                {"tier_id": cls.tier_c.id, "priority": "3"}),
            "kam.decision.role": env["kam.decision.role"].create(
                {"name": "Bounds Role", "code": "BOUNDS"}),
            "kam.credit.rating": cls.rating_b,
            "kam.care.occasion": env["kam.care.occasion"].search([], limit=1)
            or env["kam.care.occasion"].create({"name": "Bounds Day", "fixed_month": 1,
                                                "fixed_day": 1}),
            "res.company": cls.company,
        }

    def _user(self, model):
        return self.admin if model == "res.company" else self.user_director

    def _write(self, model, vals):
        record = self.records[model]
        return _api_write(record, self._user(model), vals)

    def _assert_refused(self, model, fname, label, low, high, value, call=None):
        record = self.records[model]
        before = record.read([fname])[0][fname]
        with self.subTest(model=model, field=fname, value=value), \
                self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            (call or self._write)(model, {fname: value})
        message = str(caught.exception)
        self.assertIn(label, message)
        self.assertIn(f"between {low:,} and {high:,}", message)
        record.invalidate_recordset()
        self.assertEqual(record.read([fname])[0][fname], before, f"{model}.{fname} changed")

    def test_edges_over_the_api(self):
        for model, fname, label, low, high, _integer in CONFIG_BOUNDS:
            top = VALID_HIGH.get((model, fname), high)
            with self.subTest(model=model, field=fname, value=top):
                self._write(model, {fname: top})
                self.assertEqual(self.records[model][fname], top)
            bottom = VALID_LOW.get((model, fname), low)
            if bottom is not None:
                with self.subTest(model=model, field=fname, value=bottom):
                    self._write(model, {fname: bottom})
                    self.assertEqual(self.records[model][fname], bottom)
            for value in (high + 1, 3000000000, -3000000000, 1e308, -1e308,
                          float("inf"), float("nan"), "3000000000"):
                if not low <= float(value) <= high:
                    self._assert_refused(model, fname, label, low, high, value)
            if low == 0:
                self._assert_refused(model, fname, label, low, high, -1)

    def test_create_refused_before_the_database(self):
        """A create is checked before its INSERT: no "integer out of range"."""
        cases = [("kam.service.team", {"name": "Huge", "sequence": 3000000000}, "Sequence"),
                 ("kam.service.category", {"name": "Huge", "sequence": 3000000000}, "Sequence"),
                 ("kam.tier", {"name": "Huge", "code": "TH", "color": 3000000000}, "Color"),
                 ("kam.tier", {"name": "Rich", "code": "TR", "min_revenue": 1e308},
                  "Minimum Yearly Revenue"),
                 ("kam.scorecard.template.line",
                  {"template_id": self.records["kam.scorecard.template.line"].template_id.id,
                   "measure": "won_count", "weight": 1e308}, "Weight")]
        for model, vals, label in cases:
            with self.subTest(model=model, vals=vals), \
                    self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                self.env[model].with_user(self.user_director).create(vals)
            self.assertIn(label, str(caught.exception))
            self.assertIn("between", str(caught.exception))
        self.assertFalse(self.env["kam.tier"].search([("code", "in", ("TH", "TR"))]))

    def test_settings_refused_with_the_company_bounds(self):
        """The settings screen writes the company's fields: same bounds, same message,
        before the value reaches the screen's record (1e308 days was an OverflowError)."""
        Settings = self.env["res.config.settings"].with_user(self.admin)
        for fname, label, value in (
                ("kam_service_return_visit_days", "Return Visit After (days)", 3000000000),
                ("kam_signal_overdue_days", "Overdue Receivables Signal (days)", 1e308),
                ("kam_service_risk_percent", "Service Clock At Risk (%)", float("inf")),
                ("kam_weight_credit", "Credit Rating Weight", 3000000000)):
            with self.subTest(field=fname), self.assertRaises(ValidationError) as caught, \
                    self.env.cr.savepoint():
                Settings.create({fname: value}).execute()
            self.assertIn(label, str(caught.exception))
            self.assertIn("between 0 and", str(caught.exception))
        self.assertEqual(self.company.kam_service_return_visit_days, 7)

    def test_import_reports_the_bad_line(self):
        """An import of three teams, the second with a sequence of 3,000,000,000: the
        error names that line and the field, and no team is created."""
        result = self.env["kam.service.team"].with_user(self.user_director).load(
            ["name", "sequence"],
            [["Import A", "5"], ["Import B", "3000000000"], ["Import C", "7"]])
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        # Odoo adds the error of the whole batch to its first line; the line that fails on
        # its own is the second one
        self.assertEqual([e["rows"]["from"] for e in errors if e["rows"]["from"] != 0], [1],
                         result["messages"])
        for error in errors:
            self.assertIn("Sequence must be between 0 and 1,000,000", error["message"])
        self.assertFalse(self.env["kam.service.team"].search([("name", "like", "Import ")]))

    def test_message_in_chinese(self):
        """The error is in the user's language, the bounds in their number format."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        team = self.records["kam.service.team"]
        with self.assertRaises(ValidationError) as caught:
            call_kw(team.env["kam.service.team"].with_user(self.user_director), "write",
                    [team.ids, {"sequence": 3000000000}], {"context": {"lang": "zh_CN"}})
        message = str(caught.exception)
        self.assertIn("1,000,000", message)
        self.assertNotIn("must be between", message)
        self.assertRegex(message, "[\u4e00-\u9fff]")

    def test_typed_dates_bounded(self):
        """A birthday of the year 1, a contract date or a due date of the year 9999: the
        care engine and the time zones leave the calendar on them (an OverflowError on
        every later run); refused with the field and its range, on every model of the
        addon, before anything is written."""
        stakeholder = self.env["kam.stakeholder"].create(
            {"partner_id": self.account.id, "contact_id": self.account_contact.id})
        for record, user, fname, label in (
                (stakeholder, self.user_kam, "birthday", "Birthday"),
                (self.account, self.user_kam, "kam_contract_date", "Contract Date")):
            for value in ("0001-01-01", "9999-12-31", "1899-12-31"):
                with self.subTest(field=fname, value=value), \
                        self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                    _api_write(record, user, {fname: value})
                self.assertIn(label, str(caught.exception))
                self.assertIn("between 1900-01-01 and 2999-12-31", str(caught.exception))
            _api_write(record, user, {fname: "1960-05-04"})
            self.assertEqual(str(record[fname]), "1960-05-04")
