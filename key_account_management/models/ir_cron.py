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
            if not (cron and self.env.context.get("ir_cron_progress_id")):
                raise
            self.env.cr.rollback()
            _logger.warning("Job %r stopped by a concurrent update (%s): it runs again in "
                            "%s minute(s)", cron.name, exc.pgcode, CONFLICT_RETRY_MINUTES)
            cron._trigger(fields.Datetime.now() + timedelta(minutes=CONFLICT_RETRY_MINUTES))
            self.env.cr.commit()
            return None
    return run


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _kam_commit_progress(self, processed=0, *, remaining=None):
        """``_commit_progress`` for the key-account jobs, but only inside a
        running scheduled action.

        Odoo's ``_commit_progress`` commits even when its caller runs outside a
        cron (a button, a test, a shell): half of a batch job would then be
        committed by a user's request. A running job carries its progress
        record in the context (``ir_cron_progress_id``, set by
        ``ir.cron._add_progress`` for the job's method); without it nothing is
        committed and the caller is told it has all the time it needs.
        """
        if not self.env.context.get("ir_cron_progress_id"):
            return float("inf")
        return self._commit_progress(processed, remaining=remaining)
