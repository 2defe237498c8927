from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


class SaleOrderLine(models.Model):
    """The tier's discount allowance also holds once the order is confirmed: a
    line of a confirmed order cannot get a discount above the allowance (or
    above what a director approved) unless a Key Account Director sets it."""

    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._kam_check_confirmed_discount()
        return lines

    def write(self, vals):
        if "discount" not in vals:
            return super().write(vals)
        before = {line.id: line.discount for line in self}
        res = super().write(vals)
        self.filtered(lambda line: float_compare(
            line.discount, before[line.id], precision_digits=2) > 0)._kam_check_confirmed_discount()
        return res

    def _kam_check_confirmed_discount(self):
        if self.env.su or (self.env.user.has_group(GROUP_DIRECTOR) and not self.env.user.share):
            return
        for line in self:
            order = line.order_id
            if order.state != "sale" or not order.kam_tier_id or line.display_type:
                continue
            allowance = order.kam_tier_id.max_discount
            if order.kam_discount_approval == "approved":
                allowance = max(allowance, order.kam_discount_approved_max)
            if float_compare(line.discount, allowance, precision_digits=2) > 0:
                raise UserError(self.env._(
                    "%(order)s is confirmed: the discount of %(lines)s cannot go above the "
                    "%(allowance)s%% allowed for key account tier %(tier)s. Only a Key Account "
                    "Director can set it.", order=order.name,
                    lines=order._kam_format_lines(line), allowance=allowance,
                    tier=order.kam_tier_id.display_name))
