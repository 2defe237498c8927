from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    """The tier's discount allowance also holds once the order is confirmed: a
    line of a confirmed order cannot get a discount above the allowance (or
    above what a director approved for it) unless a Key Account Director sets
    it. On a quotation whose discount a director approved, raising a line above
    what was approved for it voids the approval."""

    _name = "sale.order.line"
    _inherit = ["sale.order.line", "kam.flow.mixin"]

    _kam_flow_fields = ("kam_discount_approved",)

    kam_discount_approved = fields.Float(
        string="Approved Discount (%)", digits="Discount", copy=False, readonly=True,
        help="The discount of this line a Key Account Director approved above the "
             "allowance of the key account tier.")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._kam_check_raised_discount()
        return lines

    def write(self, vals):
        if "discount" not in vals:
            return super().write(vals)
        before = {line.id: line.discount for line in self}
        res = super().write(vals)
        self.filtered(lambda line: float_compare(
            line.discount, before[line.id], precision_digits=2) > 0)._kam_check_raised_discount()
        return res

    def _kam_check_raised_discount(self):
        """Lines whose discount was just set or raised: refused on a confirmed order
        beyond the allowance (unless a director or the system sets it); on an approved
        quotation, a line above what was approved for it voids the approval."""
        lines = self.filtered(lambda line: not line.display_type)
        if not lines:
            return
        lines._kam_check_confirmed_discount()
        voiding = lines.filtered(lambda line: line.order_id.state in ("draft", "sent")
                                 and line.order_id.kam_discount_approval == "approved"
                                 and line._kam_above_approved())
        if voiding:
            voiding.order_id._kam_void_discount_approval(voiding)

    def _kam_line_allowance(self):
        """The discount this line may have without a director: the tier's allowance,
        or what a real director approved for it."""
        self.ensure_one()
        order = self.order_id
        tier = order._kam_allowance_tier()
        if not tier:
            return None
        allowance = tier.max_discount
        if order.kam_discount_approval == "approved" and order._kam_discount_is_approved_by_director():
            allowance = max(allowance, self.kam_discount_approved)
        return allowance

    def _kam_above_approved(self):
        self.ensure_one()
        allowance = self._kam_line_allowance()
        return allowance is not None and float_compare(
            self.discount, allowance, precision_digits=2) > 0

    def _kam_check_confirmed_discount(self):
        for line in self:
            order = line.order_id
            if order.state != "sale" \
                    or order._kam_may_confirm_beyond_rules(order._kam_acting_user()):
                continue
            allowance = line._kam_line_allowance()
            if allowance is not None and float_compare(
                    line.discount, allowance, precision_digits=2) > 0:
                tier = order._kam_allowance_tier()
                raise UserError(self.env._(
                    "%(order)s is confirmed: the discount of %(lines)s cannot go above the "
                    "%(allowance)s%% allowed for key account tier %(tier)s. Only a Key Account "
                    "Director can set it.", order=order.name,
                    lines=order._kam_format_lines(line), allowance=allowance,
                    tier=tier.display_name))
