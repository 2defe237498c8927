from odoo import http
from odoo.addons.sale.controllers import portal as sale_portal
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request


class KamSaleCustomerPortal(sale_portal.CustomerPortal):
    """The online signature confirms a quotation in the customer's name (Odoo
    runs it as the superuser): the customer's rules hold. A quotation with a
    discount no director approved, or beyond the account's credit limit, is not
    signed: the customer reads why in the signature dialog, the KAM gets an
    activity saying who tried to sign and why it was refused."""

    @http.route()
    def portal_quote_accept(self, order_id, access_token=None, name=None, signature=None):
        refusal = self._kam_online_refusal(
            order_id, access_token or request.httprequest.args.get("access_token"), "sign",
            check=lambda order: order._has_to_be_signed() and signature)
        if refusal:
            return {"error": refusal}
        return super().portal_quote_accept(
            order_id, access_token=access_token, name=name, signature=signature)

    def _kam_online_refusal(self, order_id, access_token, channel, check):
        """The message for the customer when the quotation cannot be confirmed
        online (the KAM told), or False (the standard flow goes on: it also answers
        an invalid order or token)."""
        try:
            order_sudo = self._document_check_access("sale.order", order_id,
                                                     access_token=access_token)
        except (AccessError, MissingError):
            return False
        if not check(order_sudo):
            return False
        order_sudo._kam_refresh_account()
        return order_sudo._kam_online_confirmation_refused(channel)


class KamSalePaymentPortal(sale_portal.PaymentPortal):
    """No online payment of a quotation the customer could not confirm: the
    payment form shows why (a payment received all the same, e.g. through a
    payment link, is kept and leaves the order a quotation: payment_transaction.py)."""

    @http.route()
    def portal_order_transaction(self, order_id, access_token, **kwargs):
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token)
        except (AccessError, MissingError):
            return super().portal_order_transaction(order_id, access_token, **kwargs)
        if order_sudo.state in ("draft", "sent"):
            order_sudo._kam_refresh_account()
            problems = order_sudo._kam_confirmation_problems()
            if problems:
                raise ValidationError(" ".join([p["customer"] for p in problems] + [
                    request.env._("Please contact your key account manager.")]))
        return super().portal_order_transaction(order_id, access_token, **kwargs)
