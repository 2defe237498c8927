from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from ..models.res_partner_scoring import UNINDEXED_COLUMNS
from .common import KamCommon

WEIGHTS = ("kam_weight_revenue", "kam_weight_growth", "kam_weight_frequency",
           "kam_weight_strategic", "kam_weight_potential", "kam_weight_credit")


@tagged("post_install", "-at_install")
class TestKamScoring(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.Scoring = cls.env["kam.scoring"]

    # ---- helpers ----
    def _run(self, today=None, partners=None):
        return self.Scoring._recompute_companies(self.company, partners=partners, today=today)

    def _weights(self, **weights):
        vals = dict.fromkeys(WEIGHTS, 0)
        vals.update({f"kam_weight_{k}": v for k, v in weights.items()})
        self.company.write(vals)

    def _customer(self, name):
        return self.env["res.partner"].create({"name": name, "is_company": True})

    def _ctids(self, partners):
        self.env.cr.execute("SELECT id, ctid::text FROM res_partner WHERE id = ANY(%s)",
                            [partners.ids])
        return dict(self.env.cr.fetchall())

    # ---- metrics ----
    def test_metrics_from_orders(self):
        """Confirmed orders of the account and its contacts, trailing 12
        months, previous 12 months, growth, count, last date, share."""
        self._make_order(self.account, 1000, self.today - timedelta(days=10))
        self._make_order(self.account_contact, 500, self.today - timedelta(days=5))
        self._make_order(self.account, 700, confirm=False)
        self._make_order(self.account, 800, self.today - timedelta(days=400))
        self._make_order(self.account_2, 500, self.today - timedelta(days=30))
        self._make_order(self.account, 9999, self.today - timedelta(days=30),
                         company=self.company_2)
        self._run()
        acc = self.account
        self.assertAlmostEqual(acc.kam_revenue_12m, 1500)
        self.assertAlmostEqual(acc.kam_revenue_prev_12m, 800)
        self.assertAlmostEqual(acc.kam_growth_rate, 87.5)
        self.assertEqual(acc.kam_order_count, 2)
        self.assertEqual(acc.kam_last_order_date, self.today - timedelta(days=5))
        self.assertAlmostEqual(acc.kam_revenue_share, 75.0)
        self.assertEqual(acc.kam_pareto_class, "a")
        self.assertEqual(acc.kam_metrics_date, self.today)
        self.assertFalse(self.account_contact.kam_revenue_12m, "contacts count for their company")
        # new customer: 100 % growth; the other company was not scored
        self.assertAlmostEqual(self.account_2.kam_growth_rate, 100.0)
        self.assertFalse(acc.with_company(self.company_2).kam_revenue_12m)

    def test_metrics_from_invoices_with_refunds(self):
        self.company.kam_revenue_basis = "invoice"
        self._make_order(self.account, 5000, self.today - timedelta(days=10))  # not counted
        self._make_invoice(self.account, 2000, self.today - timedelta(days=20))
        self._make_invoice(self.account_contact, 400, self.today - timedelta(days=3),
                           move_type="out_refund")
        self._make_invoice(self.account, 1000, self.today - timedelta(days=500))
        self._run()
        self.assertAlmostEqual(self.account.kam_revenue_12m, 1600)
        self.assertAlmostEqual(self.account.kam_revenue_prev_12m, 1000)
        self.assertAlmostEqual(self.account.kam_growth_rate, 60.0)
        self.assertEqual(self.account.kam_order_count, 1)
        self.assertEqual(self.account.kam_last_order_date, self.today - timedelta(days=20))

    def test_growth_decline_and_reset(self):
        order = self._make_order(self.account, 500, self.today - timedelta(days=10))
        self._make_order(self.account, 1000, self.today - timedelta(days=380))
        self._run()
        self.assertAlmostEqual(self.account.kam_growth_rate, -50.0)
        # the order is cancelled: the metrics fall back to zero
        order._action_cancel()
        self._run()
        self.assertEqual(self.account.kam_revenue_12m, 0.0)
        self.assertEqual(self.account.kam_order_count, 0)
        self.assertFalse(self.account.kam_pareto_class)

    def test_pareto_classes(self):
        """50/30/10/5/3/2: A makes the first 80 %, B the next 15 %, C the rest."""
        customers = self.env["res.partner"]
        for index, amount in enumerate((50000, 30000, 10000, 5000, 3000, 2000)):
            customer = self._customer(f"Pareto {index}")
            self._make_order(customer, amount, self.today - timedelta(days=3))
            customers |= customer
        self._run()
        self.assertEqual(customers.mapped("kam_pareto_class"), ["a", "a", "b", "b", "c", "c"])
        self.assertEqual(customers.mapped("kam_revenue_share"), [50.0, 30.0, 10.0, 5.0, 3.0, 2.0])
        report = self.env["kam.pareto.report"].search(
            [("partner_id", "in", customers.ids)], order="rank")
        self.assertEqual(report.mapped("cumulative_share"), [50.0, 80.0, 90.0, 95.0, 98.0, 100.0])
        self.assertEqual(report.mapped("pareto_class"), ["a", "a", "b", "b", "c", "c"])
        # what the pivot (by class) and the graph (cumulative share by rank) read
        by_class = dict(self.env["kam.pareto.report"]._read_group(
            [("partner_id", "in", customers.ids)], ["pareto_class"], ["revenue_12m:sum"]))
        self.assertEqual(by_class, {"a": 80000.0, "b": 15000.0, "c": 5000.0})
        curve = self.env["kam.pareto.report"]._read_group(
            [("partner_id", "in", customers.ids)], ["rank"], ["cumulative_share:max"])
        self.assertEqual([share for _rank, share in curve], [50.0, 80.0, 90.0, 95.0, 98.0, 100.0])

    # ---- score ----
    def test_score_components_and_weights(self):
        self.account.write({"kam_strategic_value": 3, "kam_credit_rating": "a",
                            "kam_potential_revenue": 50000})
        for days in range(6):
            self._make_order(self.account, 1000, self.today - timedelta(days=days * 30 + 1))
        self._make_order(self.account, 6000, self.today - timedelta(days=400))  # growth 0 %
        self._make_order(self.account_2, 500, self.today - timedelta(days=2))
        self._weights(revenue=10, growth=10, frequency=10, strategic=10, potential=10, credit=50)
        self._run()
        acc = self.account
        self.assertAlmostEqual(acc.kam_score_revenue, 10.0)     # rank 1 of 2
        self.assertAlmostEqual(acc.kam_score_growth, 5.0)       # 0 % growth: half
        self.assertAlmostEqual(acc.kam_score_frequency, 5.0)    # 6 orders of 12
        self.assertAlmostEqual(acc.kam_score_strategic, 6.0)    # 3 of 5
        self.assertAlmostEqual(acc.kam_score_potential, 5.0)    # 50k of the top tier's 100k
        self.assertAlmostEqual(acc.kam_score_credit, 50.0)      # rating A
        self.assertAlmostEqual(acc.kam_score, 81.0)
        self.assertAlmostEqual(self.account_2.kam_score_revenue, 5.0)  # rank 2 of 2
        self.assertAlmostEqual(self.account_2.kam_score_credit, 25.0)  # not rated: half
        # the weights are relative: doubling all of them changes nothing
        self._weights(revenue=20, growth=20, frequency=20, strategic=20, potential=20, credit=100)
        stats = self._run()
        self.assertAlmostEqual(acc.kam_score, 81.0)
        self.assertEqual(stats.get("written", 0), 0)
        # only the strategic value counts
        self._weights(strategic=7)
        self._run()
        self.assertAlmostEqual(acc.kam_score, 60.0)
        self.assertAlmostEqual(acc.kam_score_strategic, 60.0)
        self.assertEqual(acc.kam_score_credit, 0.0)

    def test_suggested_tier(self):
        """The highest tier whose minimum score AND minimum revenue are met."""
        self._weights(revenue=100)
        small = self._customer("Small but first")
        self._make_order(self.account, 150000, self.today - timedelta(days=5))
        self._make_order(self.account_2, 40000, self.today - timedelta(days=5))
        self._make_order(small, 1000, self.today - timedelta(days=5))
        self._run()
        self.assertEqual(self.account.kam_suggested_tier_id, self.tier_a)
        self.assertAlmostEqual(self.account_2.kam_score, 66.67)
        self.assertEqual(self.account_2.kam_suggested_tier_id, self.tier_b)
        self.assertAlmostEqual(small.kam_score, 33.33)
        self.assertFalse(small.kam_suggested_tier_id, "score 33 but revenue under 5,000")
        # an archived tier is never suggested
        self.tier_a.active = False
        self._run()
        self.assertEqual(self.account.kam_suggested_tier_id, self.tier_b)

    # ---- tier follow rules ----
    def test_upgrade_now_downgrade_after_grace(self):
        self._weights(revenue=100)
        self.company.kam_downgrade_grace_days = 90
        self._make_order(self.account_2, 200000, self.today - timedelta(days=5))
        self._make_order(self.account, 150000, self.today - timedelta(days=5))
        tier_changes = [("change_type", "!=", "lifecycle")]
        history_before = self.env["kam.tier.history"].search_count(tier_changes)
        self._run()
        # account_2 (B) is first: upgraded at once, with history and an activity for its KAM
        self.assertEqual(self.account_2.kam_tier_id, self.tier_a)
        history = self.env["kam.tier.history"].search(
            [("partner_id", "=", self.account_2.id), ("cause", "=", "score"),
             ("change_type", "=", "tier")])
        self.assertEqual(history.cause, "score")
        self.assertEqual(history.new_tier_id, self.tier_a)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.account_2.id)])
        self.assertEqual(activity.user_id, self.user_kam_2)
        self.assertIn("upgraded", activity.summary)
        # account (A) now only qualifies for B: the downgrade waits
        self.assertEqual(self.account.kam_suggested_tier_id, self.tier_b)
        self.assertEqual(self.account.kam_tier_id, self.tier_a)
        self.assertEqual(self.account.kam_downgrade_pending_since, self.today)
        self._run(today=self.today + timedelta(days=30))
        self.assertEqual(self.account.kam_tier_id, self.tier_a)
        self.assertEqual(self.account.kam_downgrade_pending_since, self.today)
        self.assertEqual(self.env["kam.tier.history"].search_count(tier_changes),
                         history_before + 1)
        self._run(today=self.today + timedelta(days=91))
        self.assertEqual(self.account.kam_tier_id, self.tier_b)
        self.assertFalse(self.account.kam_downgrade_pending_since)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.account.id)])
        self.assertEqual(activity.user_id, self.user_kam)
        self.assertIn("downgraded", activity.summary)

    def test_downgrade_cancelled_when_score_recovers(self):
        self._weights(revenue=100)
        self._make_order(self.account_2, 200000, self.today - timedelta(days=5))
        self._make_order(self.account, 150000, self.today - timedelta(days=5))
        self._run()
        self.assertEqual(self.account.kam_downgrade_pending_since, self.today)
        self._make_order(self.account, 100000, self.today - timedelta(days=1))
        self._run(today=self.today + timedelta(days=91))
        self.assertEqual(self.account.kam_tier_id, self.tier_a)
        self.assertFalse(self.account.kam_downgrade_pending_since)

    def test_locked_tier_does_not_follow(self):
        self._weights(revenue=100)
        self.account_2.write({"kam_tier_locked": True,
                              "kam_tier_lock_reason": "Framework contract"})
        self._make_order(self.account_2, 200000, self.today - timedelta(days=5))
        self._run()
        self.assertEqual(self.account_2.kam_suggested_tier_id, self.tier_a)
        self.assertEqual(self.account_2.kam_tier_id, self.tier_b)
        self.assertFalse(self.account_2.kam_downgrade_pending_since)

    # ---- candidates ----
    def test_candidates_and_one_director_activity(self):
        self._weights(revenue=100)
        new_1, new_2, too_small = (self._customer(n) for n in ("New One", "New Two", "Too Small"))
        person = self.env["res.partner"].create({"name": "Private Buyer"})
        self._make_order(new_1, 60000, self.today - timedelta(days=5))
        self._make_order(new_2, 50000, self.today - timedelta(days=5))
        self._make_order(person, 70000, self.today - timedelta(days=5))
        self._make_order(too_small, 100, self.today - timedelta(days=5))
        stats = self._run()
        self.assertEqual((new_1 | new_2).mapped("kam_state"), ["candidate", "candidate"])
        self.assertEqual(too_small.kam_state, "none")
        self.assertEqual(person.kam_state, "none", "only companies become candidates")
        self.assertEqual(stats["candidates"], 2)
        activities = self.env["mail.activity"].search([("user_id", "=", self.user_director.id)])
        self.assertEqual(len(activities), 1)
        self.assertIn("2", activities.summary)
        self.assertIn("New One", str(activities.note))
        history = self.env["kam.tier.history"].search(
            [("partner_id", "=", new_1.id), ("change_type", "=", "state")])
        self.assertEqual((history.new_state, history.cause), ("candidate", "score"))
        # second run: nothing new
        stats = self._run()
        self.assertFalse(stats.get("candidates"))
        self.assertEqual(self.env["mail.activity"].search_count(
            [("user_id", "=", self.user_director.id)]), 1)
        # a director sets one back to "none": it is not proposed again while it qualifies
        new_1.kam_state = "none"
        self._run()
        self.assertEqual(new_1.kam_state, "none")

    # ---- runs ----
    def test_second_run_writes_nothing(self):
        self._weights(revenue=50, growth=50)
        self._make_order(self.account, 150000, self.today - timedelta(days=5))
        self._make_order(self.account_2, 2000, self.today - timedelta(days=5))
        first = self._run()
        self.assertEqual(first["written"], 2)
        ctids = self._ctids(self.account | self.account_2)
        counts = (self.env["kam.tier.history"].search_count([]),
                  self.env["mail.message"].search_count([]),
                  self.env["mail.activity"].search_count([]))
        second = self._run()
        self.assertEqual(second, {"unchanged": 1}, "same inputs: the run stops at once")
        # computed again all the same (the digest forgotten): the values are a fixed point
        self.Scoring._set_stored_digest(self.company, None)
        third = self._run()
        self.assertGreaterEqual(third["partners"], 2)
        self.assertEqual(third.get("written", 0), 0)
        self.assertFalse(third.get("tier_changes") or third.get("activities"))
        self.assertEqual(self._ctids(self.account | self.account_2), ctids, "no row was updated")
        self.assertEqual(counts, (self.env["kam.tier.history"].search_count([]),
                                  self.env["mail.message"].search_count([]),
                                  self.env["mail.activity"].search_count([])))

    def test_cron_twice(self):
        self._weights(revenue=100)
        self._make_order(self.account_2, 200000, self.today - timedelta(days=5))
        newcomer = self._customer("Cron Newcomer")
        self._make_order(newcomer, 150000, self.today - timedelta(days=5))
        self._make_order(self.account, 5000, self.today - timedelta(days=5),
                         company=self.company_2)
        cron = self.env.ref("key_account_management.ir_cron_kam_recompute")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(self.account_2.kam_tier_id, self.tier_a)
        self.assertEqual(newcomer.kam_state, "candidate")
        self.assertAlmostEqual(self.account.with_company(self.company_2).kam_revenue_12m, 5000)
        scored = self.account | self.account_2 | newcomer
        ctids = self._ctids(scored)
        counts = (self.env["kam.tier.history"].search_count([]),
                  self.env["mail.message"].search_count([]),
                  self.env["mail.activity"].search_count([]))
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(self._ctids(scored), ctids, "the second run updated rows")
        self.assertEqual(counts, (self.env["kam.tier.history"].search_count([]),
                                  self.env["mail.message"].search_count([]),
                                  self.env["mail.activity"].search_count([])))

    def test_overlapping_run_skips_the_company(self):
        """A company locked by another transaction is skipped, not scored twice."""
        from odoo.sql_db import db_connect
        self._make_order(self.account, 1000, self.today - timedelta(days=5))
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x4B414D, self.company.id])
            stats = self._run()
            other.rollback()
        self.assertEqual(stats["skipped"], 1)
        self.assertFalse(self.account.kam_revenue_12m)
        self.assertTrue(self._run().get("written"))
        self.assertAlmostEqual(self.account.kam_revenue_12m, 1000)

    # ---- button ----
    def test_recompute_button_access(self):
        self._make_order(self.account, 1000, self.today - timedelta(days=5))
        self._make_order(self.account_2, 3000, self.today - timedelta(days=5))
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_kam).action_kam_recompute()
        self.assertFalse(self.account.kam_revenue_12m)
        self.account.with_user(self.user_director).action_kam_recompute()
        self.assertAlmostEqual(self.account.kam_revenue_12m, 1000)
        self.assertAlmostEqual(self.account.kam_revenue_share, 25.0,
                               msg="share of the whole company")
        self.assertFalse(self.account_2.kam_revenue_12m, "only the chosen account is written")

    # ---- performance ----
    def _query_count(self, func):
        start = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - start

    def test_query_count_independent_of_partners(self):
        """The engine's queries do not grow with the number of partners (no
        tier changes here: the tiers need more revenue than anyone has)."""
        self.env["res.partner"].flush_model()

        def make(count, prefix):
            partners = self.env["res.partner"].create(
                [{"name": f"{prefix} {i}", "is_company": True} for i in range(count)])
            for partner in partners:
                self._make_order(partner, 100, self.today - timedelta(days=5))
            self.env.flush_all()

        self._run()  # warm the caches (ir.default, refs, ...)
        make(3, "Few")
        first_small = self._query_count(self._run)
        second_small = self._query_count(self._run)
        make(30, "Many")
        first_big = self._query_count(self._run)
        second_big = self._query_count(self._run)
        self.assertEqual(first_small, first_big)
        self.assertEqual(second_small, second_big)
        # a computing run: digests, health inputs, revenue, current values, one UPDATE,
        # the digest stored again, and the savepoints of the read of the current values
        # and of the write batch (an account that fails is skipped, see test_kam_bounds);
        # a run with unchanged inputs: digests and health inputs; the group customers'
        # roll-ups (issue 22) add the open requests' digest (both digests) and their one
        # UPDATE in a savepoint
        self.assertLessEqual(first_big, 33)
        self.assertLessEqual(second_big, 15)
        self.assertLess(second_big, first_big)

    # ---- inputs digest: a run with nothing new stops at once ----
    def _done_visit(self, partner, day):
        self.env["kam.visit"].create({
            "partner_id": partner.id, "user_id": self.user_kam.id, "state": "done",
            "summary": "<p>Met</p>", "date_start": fields.Datetime.to_datetime(day),
            "date_end": fields.Datetime.to_datetime(day) + timedelta(hours=1)})

    def test_every_input_makes_the_next_run_compute(self):
        """Whatever the values depend on, a change of it makes the next run
        compute (and the one after stop again): documents, which company a
        contact's orders count for, the accounts' data, settings, tiers, credit
        ratings, health inputs, the date."""
        self._weights(revenue=40, growth=20, strategic=20, credit=20)
        self._make_order(self.account, 150000, self.today - timedelta(days=5))
        self._make_order(self.account_2, 1000, self.today - timedelta(days=5))
        contact = self.env["res.partner"].create({"name": "Kamt Loose Buyer"})
        self._make_order(contact, 700, self.today - timedelta(days=3))
        cancelled = self._make_order(self.account_2, 300, self.today - timedelta(days=2))
        rating = self.env["kam.credit.rating"].create({
            "code": "KT-DG", "name": "Digest", "score": 70,
            "payment_term_id": self.env.ref("account.account_payment_term_30days").id})
        self._run()
        self.assertEqual(self._run(), {"unchanged": 1})
        self.assertAlmostEqual(self.account_2.kam_revenue_12m, 1300)
        changes = [
            ("a confirmed order",
             lambda: self._make_order(self.account_2, 500, self.today - timedelta(days=1)),
             lambda: self.assertAlmostEqual(self.account_2.kam_revenue_12m, 1800)),
            ("an order cancelled", lambda: cancelled.with_context(
                disable_cancel_warning=True).action_cancel(),
             lambda: self.assertAlmostEqual(self.account_2.kam_revenue_12m, 1500)),
            ("a contact joins a company", lambda: contact.write({"parent_id": self.account_2.id}),
             lambda: self.assertAlmostEqual(self.account_2.kam_revenue_12m, 2200)),
            ("the strategic value", lambda: self.account_2.write({"kam_strategic_value": 5}),
             lambda: self.assertEqual(self.account_2.kam_score_strategic, 20)),
            ("a score weight", lambda: self.company.write({"kam_weight_strategic": 60}),
             lambda: self.assertEqual(self.account_2.kam_score_strategic, 42.86)),
            ("a tier threshold", lambda: self.tier_c.write({"min_revenue": 1000}), None),
            ("a credit rating's score value", lambda: rating.write({"score": 20}), None),
            ("a health setting", lambda: self.company.write({"kam_health_red_max": 40}), None),
            ("a done visit", lambda: self._done_visit(self.account, self.today), None),
        ]
        for label, change, check in changes:
            with self.subTest(label):
                change()
                self.env.flush_all()
                stats = self._run()
                self.assertNotIn("unchanged", stats, f"{label}: the run computed")
                self.assertGreaterEqual(stats["partners"], 2)
                self.env.invalidate_all()
                if check:
                    check()
                self.assertEqual(self._run(), {"unchanged": 1}, f"{label}: then stops again")
        stats = self._run(today=self.today + timedelta(days=1))
        self.assertNotIn("unchanged", stats, "another day: the run computed")

    def test_digest_cleared_before_the_first_write(self):
        """A run that computes forgets the stored digest before its first
        UPDATE and stores the new one at the end: a cron run interrupted
        between two committed batches is never taken for a complete one."""
        self._make_order(self.account, 150000, self.today - timedelta(days=5))
        self._run()
        self._make_order(self.account, 1000, self.today - timedelta(days=1))
        seen = []
        write_values = type(self.Scoring)._write_values

        def spy(scoring, company, values):
            seen.append(scoring._get_stored_digest(company))
            return write_values(scoring, company, values)

        with patch.object(type(self.Scoring), "_write_values", spy):
            self._run()
        self.assertEqual(seen, [None])
        self.assertTrue(self.Scoring._get_stored_digest(self.company))

    def test_partner_subset_run_keeps_the_digest(self):
        """"Recompute now" on one account neither reads nor stores the digest."""
        self._make_order(self.account, 150000, self.today - timedelta(days=5))
        self._run()
        digest = self.Scoring._get_stored_digest(self.company)
        self.account.write({"kam_strategic_value": 3})
        stats = self._run(partners=self.account)
        self.assertEqual(stats["partners"], 1)
        self.assertEqual(self.Scoring._get_stored_digest(self.company), digest)
        self.assertNotIn("unchanged", self._run(), "the company's inputs changed")

    def test_engine_columns_without_index(self):
        """The metrics every scored customer has carry no index (each would
        cost the nightly UPDATE one entry per row); the health columns, set for
        key accounts only, keep theirs, and a customer without health has
        NULL there, not an empty object (no entry in those indexes)."""
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner'")
        indexes = {row[0] for row in self.env.cr.fetchall()}
        for column in UNINDEXED_COLUMNS:
            self.assertNotIn(f"res_partner__{column}_index", indexes)
        self.assertIn("res_partner__kam_health_score_index", indexes)
        customer = self._customer("Kamt Plain Customer")
        self._make_order(customer, 1000, self.today - timedelta(days=5))
        self._run()
        self.env.cr.execute(
            "SELECT kam_score IS NOT NULL, kam_health_score IS NULL, kam_signal_count IS NULL "
            "FROM res_partner WHERE id = %s", [customer.id])
        self.assertEqual(self.env.cr.fetchone(), (True, True, True))

    def test_engine_activities_are_automated(self):
        """Tier changes give the KAM an automated activity, without a
        notification mail per activity (a nightly run may raise many)."""
        self._weights(revenue=100)
        self._make_order(self.account_2, 200000, self.today - timedelta(days=5))
        mails = self.env["mail.mail"].search_count([])
        self._run()
        activity = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.account_2.id),
            ("user_id", "=", self.user_kam_2.id)])
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.automated)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    # ---- settings ----
    def test_settings_weights_and_grace(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.kam_weight_credit = 40
            settings.kam_downgrade_grace_days = 30
        self.assertEqual(self.company.kam_weight_credit, 40)
        self.assertEqual(self.company.kam_downgrade_grace_days, 30)
        with self.assertRaisesRegex(ValidationError, "Credit Rating Weight"), \
                self.env.cr.savepoint():
            self.company.kam_weight_credit = -1
        self.company.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "Tier Downgrade Grace"), \
                self.env.cr.savepoint():
            self.company.kam_downgrade_grace_days = -5
        self.company.invalidate_recordset()
        self.assertEqual(self.company.kam_weight_credit, 40)
        self.assertEqual(self.company.kam_downgrade_grace_days, 30)
