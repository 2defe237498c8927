from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_list

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"
# the account's tier and KAM on an order are internal, like on the customer
GROUP_SALESMAN = "sales_team.group_sale_salesman"


class SaleOrder(models.Model):
    """What the customer's key-account tier gives it on a sales order: the
    tier's pricelist, and a discount allowance above which only a Key Account
    Director may confirm (the approval is logged on the order)."""

    _inherit = "sale.order"

    kam_tier_id = fields.Many2one(
        "kam.tier", string="Key Account Tier", compute="_compute_kam_account", store=True,
        index="btree_not_null", readonly=True,
        help="Tier of the customer's company in the order's company when the order was "
             "confirmed (for quotations: now).",
        groups=GROUP_SALESMAN)
    kam_manager_id = fields.Many2one(
        "res.users", string="Key Account Manager", compute="_compute_kam_account", store=True,
        index="btree_not_null", readonly=True, groups=GROUP_SALESMAN)

    # ---- Compute ----
    @api.depends("partner_id", "company_id")
    def _compute_kam_account(self):
        for order, (tier, manager) in self._kam_account_values().items():
            order.kam_tier_id = tier
            order.kam_manager_id = manager

    def _compute_pricelist_id(self):
        res = super()._compute_pricelist_id()
        for order in self.filtered(lambda o: o.state == "draft" and o.partner_id):
            account = order.partner_id.commercial_partner_id.with_company(order.company_id)
            pricelist = account.kam_tier_id.pricelist_id
            if account.kam_state == "registered" and pricelist:
                order.pricelist_id = pricelist
        return res

    # ---- Actions ----
    def action_confirm(self):
        # the tier and KAM of a confirmed order are those of the day it was confirmed
        self._kam_refresh_account()
        excess = self._kam_lines_over_allowance()
        if excess:
            if not self.env.user.has_group(GROUP_DIRECTOR):
                order, lines = next(iter(excess.items()))
                raise UserError(self.env._(
                    "%(order)s: the discount of %(lines)s is above the %(allowance)s%% allowed "
                    "for key account tier %(tier)s. Only a Key Account Director can confirm it.",
                    order=order.name, lines=order._kam_format_lines(lines),
                    allowance=order.kam_tier_id.max_discount, tier=order.kam_tier_id.display_name))
        res = super().action_confirm()
        for order, lines in excess.items():
            order.message_post(body=Markup("%s") % self.env._(
                "Discount above the allowance of key account tier %(tier)s (%(allowance)s%%) "
                "approved by %(user)s: %(lines)s.",
                tier=order.kam_tier_id.display_name, allowance=order.kam_tier_id.max_discount,
                user=self.env.user.name, lines=order._kam_format_lines(lines)),
                subtype_xmlid="mail.mt_note")
        return res

    # ---- Business ----
    def _kam_account_values(self):
        """{order: (tier, manager)} of the customer's company in the order's company."""
        values = {}
        for company, orders in self.grouped("company_id").items():
            for order in orders.with_company(company):
                account = order.partner_id.commercial_partner_id
                values[order] = (account.kam_tier_id, account.kam_manager_id)
        return values

    def _kam_refresh_account(self):
        """Store the customer's current tier and KAM on orders not yet confirmed."""
        for order, (tier, manager) in self.filtered(
                lambda o: o.state in ("draft", "sent"))._kam_account_values().items():
            if order.kam_tier_id != tier or order.kam_manager_id != manager:
                order.write({"kam_tier_id": tier.id, "kam_manager_id": manager.id})

    def _kam_lines_over_allowance(self):
        """{order: lines whose discount exceeds the tier's maximum}."""
        excess = {}
        for order in self.filtered("kam_tier_id"):
            allowance = order.kam_tier_id.max_discount
            lines = order.order_line.filtered(
                lambda line, allowance=allowance: not line.display_type
                and float_compare(line.discount, allowance, precision_digits=2) > 0)
            if lines:
                excess[order] = lines
        return excess

    def _kam_format_lines(self, lines):
        return format_list(self.env, [
            self.env._("%(product)s (%(discount)s%%)",
                       product=line.product_id.display_name or line.name,
                       discount=line.discount)
            for line in lines
        ])
