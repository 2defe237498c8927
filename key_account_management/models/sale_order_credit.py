from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


class SaleOrder(models.Model):
    """Orders beyond the credit limit of the account's credit rating need a Key
    Account Director when the rating says so."""

    _inherit = "sale.order"

    def action_confirm(self):
        if not self.env.su and not self.env.user.has_group(GROUP_DIRECTOR):
            self._kam_check_credit_limit()
        return super().action_confirm()

    def _kam_check_credit_limit(self):
        for order in self:
            # sudo: the rating and the receivables are reserved to the account team
            # and accounting; the salesperson only learns that the limit is exceeded
            account = order.partner_id.commercial_partner_id.with_company(order.company_id).sudo()
            rating = account.kam_credit_rating_id
            if not rating.director_beyond_limit or not rating.credit_limit:
                continue
            amount = order.currency_id._convert(
                order.amount_total, order.company_id.currency_id, order.company_id,
                order.date_order or order.create_date)
            # the receivables of now (the computed value is not invalidated by new entries)
            account.invalidate_recordset(["credit"])
            exposure = account.credit + amount
            currency = order.company_id.currency_id
            if float_compare(exposure, rating.credit_limit,
                             precision_rounding=currency.rounding) > 0:
                raise UserError(self.env._(
                    "%(order)s brings the open receivables of %(account)s to %(exposure)s, beyond "
                    "the credit limit of %(limit)s of its credit rating: only a Key Account "
                    "Director can confirm it.",
                    order=order.name, account=account.display_name,
                    exposure=currency.format(exposure), limit=currency.format(rating.credit_limit)))
