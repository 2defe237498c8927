from odoo import api, models


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
