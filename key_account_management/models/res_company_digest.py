from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_digest_last_week = fields.Date(
        string="Last Key Account Digest Week", readonly=True, copy=False,
        help="Monday of the week whose directors' digest was sent for this company: a run "
             "of the weekly digest retried in the same week sends nothing again.")
