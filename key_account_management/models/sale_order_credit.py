from odoo import models
from odoo.tools import float_compare


class SaleOrder(models.Model):
    """Orders beyond the credit limit of the account's credit rating need a Key
    Account Director when the rating says so: whoever else confirms them (a
    salesperson, a KAM, the customer signing or paying online) is refused
    (see ``_kam_confirmation_problems`` and ``action_confirm`` in sale_order.py)."""

    _inherit = "sale.order"

    def _kam_confirmation_problems(self):
        problems = super()._kam_confirmation_problems()
        breach = self._kam_credit_breach()
        if breach:
            exposure, limit, currency, account = breach
            problems.append({
                "rule": "credit",
                "message": self.env._(
                    "%(order)s brings the open receivables of %(account)s to %(exposure)s, "
                    "beyond the credit limit of %(limit)s of its credit rating: only a Key "
                    "Account Director can confirm it.",
                    order=self.name, account=account.display_name,
                    exposure=currency.format(exposure), limit=currency.format(limit)),
                # a salesperson outside the account team reads neither the rating nor
                # the receivables: that the order exceeds the allowance, and who confirms
                "sales": self.env._(
                    "%(order)s exceeds the credit allowance of %(account)s: only a Key "
                    "Account Director can confirm it.",
                    order=self.name, account=account.display_name),
                "team": self.env._(
                    "%(order)s brings the open receivables of %(account)s beyond the credit "
                    "limit of its credit rating: only a Key Account Director can confirm it.",
                    order=self.name, account=account.display_name),
                "customer": self.env._(
                    "%(order)s cannot be confirmed online yet: its amount is beyond the credit "
                    "available on your account and needs the approval of our Key Account "
                    "Director.", order=self.name),
            })
        return problems

    def _kam_credit_breach(self):
        """(exposure, limit, currency, account) when confirming this order would bring
        the account's open receivables beyond the limit of a credit rating that
        reserves that to a director; False otherwise."""
        self.ensure_one()
        # sudo: the rating and the receivables are reserved to the account team
        # and accounting; the salesperson only learns that the limit is exceeded
        order = self.sudo()
        account = order.partner_id.commercial_partner_id.with_company(order.company_id)
        rating = account.kam_credit_rating_id
        if not rating.director_beyond_limit or not rating.credit_limit:
            return False
        amount = order.currency_id._convert(
            order.amount_total, order.company_id.currency_id, order.company_id,
            order.date_order or order.create_date)
        # the receivables of now (the computed value is not invalidated by new entries)
        account.invalidate_recordset(["credit"])
        exposure = account.credit + amount
        currency = order.company_id.currency_id
        if float_compare(exposure, rating.credit_limit,
                         precision_rounding=currency.rounding) > 0:
            return exposure, rating.credit_limit, currency, account
        return False
