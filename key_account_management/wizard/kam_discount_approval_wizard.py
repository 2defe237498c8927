from odoo import fields, models
from odoo.exceptions import UserError


class KamDiscountApprovalWizard(models.TransientModel):
    """A Key Account Director's decision on a quotation whose discount is above
    the allowance of the customer's tier: approve (the order is confirmed) or
    refuse with a reason (the salesperson gets an activity). The decision is
    the current user's, in their own name: a real director of the order's
    company (the superuser is not one)."""

    _name = "kam.discount.approval.wizard"
    _description = "Key Account Discount Approval"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    decision = fields.Selection(
        [("confirm", "Approve and Confirm"),
         ("approve", "Approve (the customer signs or pays online)"),
         ("refuse", "Refuse")],
        required=True, default="confirm")
    reason = fields.Text(help="Why the discount is approved or refused; required to refuse.")

    def action_decide(self):
        self.ensure_one()
        order = self.order_id.with_env(self.env)
        order._kam_check_director()
        if order.state not in ("draft", "sent"):
            raise UserError(self.env._(
                "%(order)s is not a quotation any more: there is no discount to decide on.",
                order=order.name))
        if self.decision in ("confirm", "approve"):
            order._kam_approve_discount(self.reason, confirm=self.decision == "confirm")
        else:
            order._kam_refuse_discount(self.reason)
        return {"type": "ir.actions.act_window_close"}
