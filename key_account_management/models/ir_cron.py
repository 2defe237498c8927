import functools
import logging
from datetime import timedelta

import psycopg2

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# minutes after which a job stopped by a concurrent update runs again
CONFLICT_RETRY_MINUTES = 1


def kam_retry_on_conflict(method):
    """Decorator of the key-account jobs: a run stopped by a concurrent update of the
    users (a serialization failure or a deadlock, on a statement or on the commit of a
    batch) rolls back its unfinished batch, keeps what it committed and runs again
    within a minute, instead of failing until its next interval (a day for most jobs:
    one user saving an account while the nightly engine writes it cost a day of figures).
    Outside a running scheduled action the error reaches the caller as before."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except psycopg2.extensions.TransactionRollbackError as exc:
            cron = self.env["ir.cron"].browse(self.env.context.get("cron_id"))
            if not (cron and kam_in_cron(self.env)):
                raise
            self.env.cr.rollback()
            _logger.warning("Job %r stopped by a concurrent update (%s): it runs again in "
                            "%s minute(s)", cron.name, exc.pgcode, CONFLICT_RETRY_MINUTES)
            cron._trigger(fields.Datetime.now() + timedelta(minutes=CONFLICT_RETRY_MINUTES))
            # the scheduler's own run (kam_in_cron): keep the retry's trigger
            self.env.cr.commit()  # pylint: disable=invalid-commit
            return None
    return run

KAM_CRON_RUN_KEY = "kam_cron_run"


class _KamCronRun:
    """The value of the context key ``kam_cron_run``, put there by the
    scheduler only (``ir.cron._add_progress``, when a job starts a run): a
    Python object naming the progress record of that run, which no client can
    put into a context (JSON-2, JSON-RPC, XML-RPC and the web client carry
    plain values only)."""

    __slots__ = ("progress_id",)

    def __init__(self, progress_id):
        self.progress_id = progress_id

    def __repr__(self):
        return f"KAM_CRON_RUN({self.progress_id})"


def kam_in_cron(env):
    """Whether ``env`` runs inside a scheduled action started by the scheduler:
    the private object of our ``_add_progress`` names the progress record of the
    context. ``ir_cron_progress_id`` (and ``cron_id``) alone are plain values a
    client may send: they make nothing commit."""
    run = env.context.get(KAM_CRON_RUN_KEY)
    progress_id = env.context.get("ir_cron_progress_id")
    return isinstance(run, _KamCronRun) and bool(progress_id) and run.progress_id == progress_id


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _add_progress(self, *, timed_out_counter=None):
        """The scheduler's run of a job (``_run_job``, ``method_direct_trigger``)
        creates its progress record here: the run also carries our private
        object, which the key-account jobs require before they commit."""
        cron, progress = super()._add_progress(timed_out_counter=timed_out_counter)
        return cron.with_context(**{KAM_CRON_RUN_KEY: _KamCronRun(progress.id)}), progress

    @api.model
    def _kam_in_cron(self):
        """Whether this environment is a scheduled action's run (:func:`kam_in_cron`)."""
        return kam_in_cron(self.env)

    @api.model
    def _kam_commit_progress(self, processed=0, *, remaining=None):
        """``_commit_progress`` for the key-account jobs, but only inside a
        running scheduled action.

        Odoo's ``_commit_progress`` commits even when its caller runs outside a
        cron (a button, a test, a shell), and trusts the context key
        ``ir_cron_progress_id``, which a client can send with a manual call:
        half of a batch job would then be committed by a user's request. A run
        started by the scheduler carries our private object (``_add_progress``);
        without it nothing is committed and the caller is told it has all the
        time it needs.
        """
        if not kam_in_cron(self.env):
            return float("inf")
        return self._commit_progress(processed, remaining=remaining)
