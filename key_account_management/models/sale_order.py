from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_list

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"
# the account's tier and KAM on an order are internal, like on the customer
GROUP_SALESMAN = "sales_team.group_sale_salesman"


class SaleOrder(models.Model):
    """What the customer's key-account tier gives it on a sales order: the
    tier's pricelist, and a discount allowance above which only a Key Account
    Director may confirm (the approval is logged on the order).

    A salesperson whose order needs more discount requests a director's
    approval (an activity for the directors); the director approves (which
    confirms the order) or refuses with a reason. The check does not depend on
    who confirms: an order within the allowance or approved by a director is
    confirmed also when Odoo confirms it as the customer (online signature or
    payment); one over the allowance and not approved is not."""

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

    # ---- Discount approval ----
    kam_discount_approval = fields.Selection(
        [("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused")],
        string="Discount Approval", copy=False, readonly=True, tracking=True,
        help="A Key Account Director's decision on a discount above the allowance of the "
             "customer's key account tier.")
    kam_discount_approved_max = fields.Float(
        string="Approved Discount (%)", digits="Discount", copy=False, readonly=True,
        help="The highest line discount the director approved: a line raised above it needs "
             "a new approval.")
    kam_discount_decided_by_id = fields.Many2one(
        "res.users", string="Discount Decided By", copy=False, readonly=True)
    kam_discount_refusal_reason = fields.Text(
        string="Discount Refusal Reason", copy=False, readonly=True)
    kam_discount_over_allowance = fields.Boolean(
        string="Over Discount Allowance", compute="_compute_kam_discount_over_allowance",
        help="A line's discount is above the allowance of the key account tier and no "
             "director approved it.")

    # ---- Compute ----
    @api.depends("order_line.discount", "kam_tier_id", "kam_discount_approval",
                 "kam_discount_approved_max")
    def _compute_kam_discount_over_allowance(self):
        excess = self._kam_lines_over_allowance()
        for order in self:
            order.kam_discount_over_allowance = bool(excess.get(order)) \
                and not order._kam_discount_is_approved()

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

    # ---- ORM ----
    def write(self, vals):
        decision = {"kam_discount_approved_max", "kam_discount_decided_by_id",
                    "kam_discount_refusal_reason"} & set(vals) \
            or vals.get("kam_discount_approval") in ("approved", "refused")
        if decision and not self.env.su and not self.env.user.has_group(GROUP_DIRECTOR):
            raise AccessError(self.env._(
                "Only a Key Account Director can approve or refuse a discount above the "
                "allowance of a key account tier."))
        return super().write(vals)

    # ---- Actions ----
    def action_confirm(self):
        # the tier and KAM of a confirmed order are those of the day it was confirmed
        self._kam_refresh_account()
        excess = self._kam_lines_over_allowance()
        # a director's approval holds whoever confirms (also the customer online);
        # without it, only a director confirming in person may go over the allowance
        unapproved = {order: lines for order, lines in excess.items()
                      if not order._kam_discount_is_approved()}
        if unapproved and not (self.env.user.has_group(GROUP_DIRECTOR)
                               and not self.env.user.share):
            order, lines = next(iter(unapproved.items()))
            raise UserError(self.env._(
                "%(order)s: the discount of %(lines)s is above the %(allowance)s%% allowed "
                "for key account tier %(tier)s. Only a Key Account Director can confirm it: "
                "request their approval.",
                order=order.name, lines=order._kam_format_lines(lines),
                allowance=order.kam_tier_id.max_discount, tier=order.kam_tier_id.display_name))
        res = super().action_confirm()
        for order, lines in unapproved.items():
            order.message_post(body=Markup("%s") % self.env._(
                "Discount above the allowance of key account tier %(tier)s (%(allowance)s%%) "
                "approved by %(user)s: %(lines)s.",
                tier=order.kam_tier_id.display_name, allowance=order.kam_tier_id.max_discount,
                user=self.env.user.name, lines=order._kam_format_lines(lines)),
                subtype_xmlid="mail.mt_note")
        return res

    def action_kam_request_discount_approval(self):
        """Ask the company's Key Account Directors to approve the discount."""
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._(
                    "%(order)s is not a quotation: its discount approval cannot be requested.",
                    order=order.name))
            if not order.kam_discount_over_allowance:
                raise UserError(self.env._(
                    "%(order)s: no discount is above the allowance of the key account tier; "
                    "there is nothing to approve.", order=order.name))
        for order, lines in self._kam_lines_over_allowance().items():
            order.kam_discount_approval = "requested"
            summary = self.env._("Approve discount: %(order)s", order=order.name)
            note = self.env._(
                "%(user)s requests the approval of %(lines)s (allowance of tier %(tier)s: "
                "%(allowance)s%%).", user=self.env.user.name,
                lines=order._kam_format_lines(lines), tier=order.kam_tier_id.display_name,
                allowance=order.kam_tier_id.max_discount)
            # the directors are found whatever the requester may read of the users
            for director in order._kam_get_directors():
                order.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=director.id, summary=summary,
                    note=note)
            order.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True

    def action_kam_open_discount_decision(self):
        self.ensure_one()
        if not self.env.user.has_group(GROUP_DIRECTOR):
            raise AccessError(self.env._(
                "Only a Key Account Director can approve or refuse a discount above the "
                "allowance of a key account tier."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Discount Approval"),
            "res_model": "kam.discount.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _kam_approve_discount(self, reason=False, confirm=True):
        """The director's approval: logged, the request's activities closed, the
        order confirmed (unless the customer is to sign or pay it online)."""
        for order in self:
            lines = order._kam_lines_over_allowance().get(order, order.order_line.browse())
            order.write({
                "kam_discount_approval": "approved",
                "kam_discount_approved_max": max(lines.mapped("discount"), default=0.0),
                "kam_discount_decided_by_id": self.env.user.id,
                "kam_discount_refusal_reason": False,
            })
            order.message_post(body=self.env._(
                "Discount above the allowance of key account tier %(tier)s (%(allowance)s%%) "
                "approved by %(user)s: %(lines)s. %(reason)s",
                tier=order.kam_tier_id.display_name, allowance=order.kam_tier_id.max_discount,
                user=self.env.user.name, lines=order._kam_format_lines(lines),
                reason=reason or ""), subtype_xmlid="mail.mt_note")
            order._kam_close_discount_activities()
        if confirm:
            self.filtered(lambda o: o.state in ("draft", "sent")).action_confirm()
        return True

    def _kam_refuse_discount(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._(
                "Discount Refusal Reason: write why the discount is refused."))
        for order in self:
            order.write({
                "kam_discount_approval": "refused",
                "kam_discount_approved_max": 0.0,
                "kam_discount_decided_by_id": self.env.user.id,
                "kam_discount_refusal_reason": reason,
            })
            order.message_post(body=self.env._(
                "Discount above the allowance of key account tier %(tier)s refused by "
                "%(user)s: %(reason)s", tier=order.kam_tier_id.display_name,
                user=self.env.user.name, reason=reason), subtype_xmlid="mail.mt_note")
            order._kam_close_discount_activities()
            if order.user_id:
                order.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=order.user_id.id,
                    summary=self.env._("Discount refused: %(order)s", order=order.name),
                    note=reason)
        return True

    # ---- Business ----
    def _kam_discount_is_approved(self):
        """A director approved the discount of every line as it is now."""
        self.ensure_one()
        return self.kam_discount_approval == "approved" and all(
            float_compare(line.discount, self.kam_discount_approved_max,
                          precision_digits=2) <= 0
            for line in self.order_line if not line.display_type)

    def _kam_get_directors(self):
        """Active internal Key Account Directors of the order's company."""
        self.ensure_one()
        return self.env.ref(GROUP_DIRECTOR).sudo().all_user_ids.filtered(
            lambda u: not u.share and u.active and self.company_id in u.company_ids)

    def _kam_close_discount_activities(self):
        """The request went to every director: one decision closes all their activities
        (sudo: the other directors' activities are not the deciding director's own)."""
        names = {self.env._("Approve discount: %(order)s", order=o.name) for o in self}
        self.sudo().activity_ids.filtered(lambda a: a.summary in names).action_feedback(
            feedback=self.env._("Decided by %(user)s", user=self.env.user.name))

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
