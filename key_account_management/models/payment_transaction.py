from odoo import models


class PaymentTransaction(models.Model):
    """An online payment confirms its quotation in the customer's name (Odoo runs
    it as the superuser, from the payment status page or the post-processing
    cron): the customer's rules hold. A quotation the customer could not confirm
    (a discount no director approved, beyond the account's credit limit) stays a
    quotation; the payment is kept, linked to it, and its KAM gets an activity."""

    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        held = self.browse()
        for tx in self:
            if len(tx.sale_order_ids) != 1:
                continue
            quotation = tx.sale_order_ids.filtered(lambda so: so.state in ("draft", "sent"))
            if not quotation or not quotation._is_confirmation_amount_reached():
                continue
            quotation._kam_refresh_account()
            if quotation._kam_confirmation_problems():
                quotation._kam_notify_online_refusal("pay")
                quotation._kam_tell_customer_payment_held()
                held |= tx
        return super(PaymentTransaction, self - held)._check_amount_and_confirm_order()
