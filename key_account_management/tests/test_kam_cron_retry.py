"""Scheduled actions safe when interrupted and retried (issue 15): nothing is
committed when their methods run outside a cron, and the directors' weekly
digest is sent once per week and company however often the job runs."""

from datetime import timedelta
from unittest.mock import patch

import psycopg2.errors
from markupsafe import Markup

from odoo import fields
from odoo.tests import tagged

from .common import KamCommon

# the key-account crons other than the scoring one, with their methods
CRONS = {
    "key_account_management.ir_cron_kam_director_digest": "_cron_send_director_digest",
    "key_account_management.ir_cron_kam_stakeholder_last_contact":
        "_cron_update_last_contact_date",
    "key_account_management.ir_cron_kam_visit_overdue": "_cron_kam_visit_overdue",
    "key_account_management.ir_cron_kam_visit_plan_prepare": "_cron_kam_visit_plan_prepare",
    "key_account_management.ir_cron_kam_account_plan_check": "_cron_check_plans",
}


@tagged("post_install", "-at_install")
class TestKamCronRetry(KamCommon):
    def _run_cron(self, xmlid):
        with self.enter_registry_test_mode():
            self.env.ref(xmlid).method_direct_trigger()

    def _digest_messages(self):
        return self.env["mail.message"].search([
            ("partner_ids", "in", self.user_director.partner_id.ids),
            ("subject", "like", "Key accounts weekly digest"),
        ])

    def test_no_commit_outside_a_cron(self):
        IrCron = type(self.env["ir.cron"])
        with patch.object(IrCron, "_commit_progress", autospec=True,
                          side_effect=AssertionError("commit outside a cron")) as commit, \
                patch.object(type(self.env.cr), "commit",
                             side_effect=AssertionError("commit outside a cron")):
            for xmlid, method in CRONS.items():
                with self.subTest(cron=xmlid):
                    model = self.env.ref(xmlid).model_id.model
                    getattr(self.env[model], method)()
        self.assertFalse(commit.called)

    def test_progress_committed_inside_the_cron(self):
        IrCron = type(self.env["ir.cron"])
        original = IrCron._commit_progress
        calls = []

        def spy(self, *args, **kwargs):
            calls.append(self.env.context.get("cron_id"))
            return original(self, *args, **kwargs)

        with patch.object(IrCron, "_commit_progress", spy):
            for xmlid in ("key_account_management.ir_cron_kam_director_digest",
                          "key_account_management.ir_cron_kam_visit_plan_prepare"):
                calls.clear()
                self._run_cron(xmlid)
                self.assertIn(self.env.ref(xmlid).id, calls, xmlid)

    def test_digest_sent_once_per_week(self):
        KamDigest = type(self.env["kam.digest"])
        main = self.company  # the test class's own company, where its director works
        self.env["res.company"].search([]).kam_digest_last_week = False

        def sections(self, company):
            return [("Overdue visits", Markup("<p>Acme: 40 days</p>"))] if company == main else []

        with patch.object(KamDigest, "_get_digest_sections", sections):
            self._run_cron("key_account_management.ir_cron_kam_director_digest")
            self.assertEqual(len(self._digest_messages()), 1)
            today = main._kam_today()
            self.assertEqual(main.kam_digest_last_week, today - timedelta(days=today.weekday()))
            # retried (or run again) the same week: nothing more
            self._run_cron("key_account_management.ir_cron_kam_director_digest")
            self.assertEqual(len(self._digest_messages()), 1)
            # the next week's run sends the next digest
            main.kam_digest_last_week -= timedelta(days=7)
            self._run_cron("key_account_management.ir_cron_kam_director_digest")
            self.assertEqual(len(self._digest_messages()), 2)

    def test_digest_retry_after_interruption(self):
        """A run of the cron interrupted after the first company sent its digest
        (committed with it): the retry sends the other companies' digests, not
        the first one's again."""
        KamDigest = type(self.env["kam.digest"])
        main = self.company  # the test class's own company, where its director works
        main.sequence = -1000  # digested first
        self.env["res.company"].search([]).kam_digest_last_week = False
        original = KamDigest._send_director_digest
        failed = []

        def send(self, company, group):
            if company != main and not failed:
                failed.append(company)
                raise RuntimeError("interrupted")
            return original(self, company, group)

        with patch.object(KamDigest, "_send_director_digest", send), \
                patch.object(KamDigest, "_get_digest_sections",
                             lambda self, company: [("Plans", Markup("<p>x</p>"))]):
            # the cron logs the failure, keeps what it committed and retries the
            # rest (in the same job, as progress was made, or at its next run)
            with self.assertLogs("odoo.addons.base.models.ir_cron", "ERROR"):
                self._run_cron("key_account_management.ir_cron_kam_director_digest")
            self.assertTrue(failed, "a second company is needed (KamCommon creates one)")
            self.assertEqual(len(self._digest_messages()), 1)
            self.assertTrue(main.kam_digest_last_week)
            self._run_cron("key_account_management.ir_cron_kam_director_digest")
        self.assertEqual(len(self._digest_messages()), 1)
        other = self.env["res.company"].browse(failed[0].id)
        self.assertEqual(other.kam_digest_last_week, main.kam_digest_last_week)
        if other == self.company_2:
            self.assertEqual(self.env["mail.message"].search_count([
                ("partner_ids", "in", self.user_director_2.partner_id.ids),
                ("subject", "=", f"Key accounts weekly digest: {other.name}"),
            ]), 1)

    def test_client_sent_progress_commits_nothing(self):
        """``ir_cron_progress_id`` (with ``cron_id``) is a plain context value that a
        client may send with a manual call: it makes no key-account job commit part of
        its work. Only a run started by the scheduler (our ``_add_progress``) commits."""
        IrCron = type(self.env["ir.cron"])
        cron = self.env.ref("key_account_management.ir_cron_kam_recompute")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        forged = {"ir_cron_progress_id": progress.id, "cron_id": cron.id}
        self.assertFalse(self.env["ir.cron"].with_context(**forged)._kam_in_cron())
        self.assertEqual(
            self.env["ir.cron"].with_context(**forged)._kam_commit_progress(1, remaining=1),
            float("inf"))
        with patch.object(IrCron, "_commit_progress", autospec=True,
                          side_effect=AssertionError("commit by a client's context")) as commit, \
                patch.object(type(self.env.cr), "commit",
                             side_effect=AssertionError("commit by a client's context")):
            self.env["kam.scoring"].with_context(**forged)._cron_recompute()
            for xmlid, method in CRONS.items():
                with self.subTest(cron=xmlid):
                    model = self.env.ref(xmlid).model_id.model
                    getattr(self.env[model].with_context(**forged), method)()
        self.assertFalse(commit.called)
        # the scheduler's run carries its private object: there it commits
        run, run_progress = cron._add_progress()
        self.assertTrue(run.env["ir.cron"]._kam_in_cron())
        self.assertFalse(run.env["ir.cron"].with_context(
            ir_cron_progress_id=progress.id)._kam_in_cron(), "the run's own progress only")
        self.assertTrue(run_progress)
    def test_concurrent_update_runs_the_job_again_within_a_minute(self):
        """A serialization failure (a user saved an account the engine was writing) or a
        deadlock does not fail the job until its next day: the job logs a warning and runs
        again within a minute (issue 21); outside a cron the error reaches the caller."""
        cases = {
            "key_account_management.ir_cron_kam_recompute":
                ("kam.scoring", "_recompute_companies", psycopg2.errors.SerializationFailure),
            "key_account_management.ir_cron_kam_account_snapshot":
                ("kam.account.snapshot", "_take_snapshots", psycopg2.errors.DeadlockDetected),
            "key_account_management.ir_cron_kam_service_escalate":
                ("kam.service.request", "_mark_breaches", psycopg2.errors.SerializationFailure),
        }
        for xmlid, (model, method, error) in cases.items():
            with self.subTest(cron=xmlid):
                cron = self.env.ref(xmlid)
                calls = []

                def conflict(self, *args, error=error, calls=calls, **kwargs):
                    calls.append(1)
                    raise error("could not serialize access due to concurrent update")

                before = fields.Datetime.now().replace(microsecond=0)
                with patch.object(type(self.env[model]), method, conflict), \
                        self.assertNoLogs("odoo.addons.base.models.ir_cron", "ERROR"), \
                        self.assertLogs("odoo.addons.key_account_management.models.ir_cron",
                                        "WARNING"):
                    self._run_cron(xmlid)
                self.assertTrue(calls)
                triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
                self.assertTrue(any(
                    before < t.call_at <= before + timedelta(minutes=2) for t in triggers),
                    triggers.mapped("call_at"))
                self.assertEqual(cron.failure_count, 0)
        with patch.object(type(self.env["kam.scoring"]), "_recompute_companies",
                          side_effect=psycopg2.errors.SerializationFailure("conflict")), \
                self.assertRaises(psycopg2.errors.SerializationFailure):
            self.env["kam.scoring"]._cron_recompute()
