from odoo import api, fields, models


class ResCompany(models.Model):
    # the key-account settings are bounded (each feature's file declares its _kam_bounds)
    _inherit = ["res.company", "kam.bounds.mixin"]

    kam_revenue_basis = fields.Selection(
        [
            ("order", "Confirmed Sales Orders"),
            ("invoice", "Posted Customer Invoices"),
        ],
        string="Key Account Revenue Basis", default="order", required=True,
        help="Confirmed sales orders: untaxed amount of confirmed orders, in company currency.\n"
             "Posted customer invoices: untaxed amount of posted invoices net of refunds.")

    kam_tz = fields.Char(
        string="Key Account Time Zone", compute="_compute_kam_tz", store=True,
        help="The time zone of the company's offices (of its working hours, else of its "
             "address): the company's day, the one the key account engine and the "
             "scheduled actions date their work by.")

    # ---- Compute ----
    @api.depends("resource_calendar_id.tz", "partner_id.tz")
    def _compute_kam_tz(self):
        # stored: read with the company itself, so the company's "today" costs no query
        for company in self:
            company.kam_tz = company.resource_calendar_id.tz or company.partner_id.tz or "UTC"

    # ---- Business ----
    def _kam_tz(self):
        """The company's time zone: that of its working hours (as Odoo's digest and
        HR read it), else of its address, else UTC."""
        self.ensure_one()
        return self.kam_tz or "UTC"

    def _kam_today(self):
        """The company's "today": the date at the company's offices, the one day
        that the engine, the scheduled actions, the forms' defaults and the tests
        all use for this company (whoever asks, at any hour of UTC)."""
        self.ensure_one()
        return fields.Datetime.context_timestamp(
            self.with_context(tz=self._kam_tz()), fields.Datetime.now()).date()
