from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_list

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"
# the account's tier and KAM on an order are internal, like on the customer
GROUP_SALESMAN = "sales_team.group_sale_salesman"
GROUP_MANAGER = "key_account_management.key_account_management_group_manager"


def kam_real_director(user, company=None):
    """Whether ``user`` is a Key Account Director in person: an active internal
    user of the group (of ``company`` when given). The superuser (OdooBot, uid 1,
    which Odoo's portal and crons run as) is in the group but is nobody's director."""
    return bool(
        user and len(user) == 1 and user.id != SUPERUSER_ID and user.active
        and not user.share and user.has_group(GROUP_DIRECTOR)
        and (not company or company in user.company_ids))


class SaleOrder(models.Model):
    """What the customer's key-account tier gives it on a sales order: the
    tier's pricelist, and a discount allowance above which only a Key Account
    Director may confirm (the approval is logged on the order).

    A salesperson whose order needs more discount requests a director's
    approval (an activity for the directors); the director approves (which
    confirms the order, or leaves it for the customer to sign or pay online)
    or refuses with a reason. The approval covers the line discounts it saw:
    raising one afterwards voids it.

    Who confirms matters: a real director in person (and the system itself:
    install, demo data, scripts) may confirm beyond the rules; everybody else,
    and the customer when Odoo confirms in their name (online signature,
    online payment, both run as the superuser), only an order within the
    allowance or approved by a director, and within the account's credit limit."""

    _name = "sale.order"
    _inherit = ["sale.order", "kam.flow.mixin"]

    # set by the flow only: the account's tier and KAM (computed from the customer,
    # refreshed at confirmation) and the director's decision
    _kam_flow_fields = (
        "kam_tier_id", "kam_manager_id", "kam_tier_source_id", "kam_discount_approval",
        "kam_discount_approved_max",
        "kam_discount_decided_by_id", "kam_discount_refusal_reason",
    )

    kam_tier_id = fields.Many2one(
        "kam.tier", string="Key Account Tier", compute="_compute_kam_account", store=True,
        index="btree_not_null", readonly=True,
        help="Tier of the customer's company in the order's company when the order was "
             "confirmed (for quotations: now).",
        groups=GROUP_SALESMAN)
    kam_manager_id = fields.Many2one(
        "res.users", string="Key Account Manager", compute="_compute_kam_account", store=True,
        index="btree_not_null", readonly=True, groups=GROUP_SALESMAN)
    kam_tier_source_id = fields.Many2one(
        "res.partner", string="Tier From", compute="_compute_kam_account", store=True,
        readonly=True, groups=GROUP_SALESMAN,
        help="The account whose key account tier holds on the order: the customer itself, "
             "or the group customer (集团客户) it is a member of when the group's tier is "
             "higher than its own.")

    # ---- Discount approval ----
    kam_discount_approval = fields.Selection(
        [("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused")],
        string="Discount Approval", copy=False, readonly=True, tracking=True,
        help="A Key Account Director's decision on a discount above the allowance of the "
             "customer's key account tier.")
    kam_discount_approved_max = fields.Float(
        string="Approved Discount (%)", digits="Discount", copy=False, readonly=True,
        help="The highest line discount the director approved: a line raised above what "
             "was approved for it needs a new approval.")
    kam_discount_decided_by_id = fields.Many2one(
        "res.users", string="Discount Decided By", copy=False, readonly=True)
    kam_discount_refusal_reason = fields.Text(
        string="Discount Refusal Reason", copy=False, readonly=True)
    kam_discount_over_allowance = fields.Boolean(
        string="Over Discount Allowance", compute="_compute_kam_discount_over_allowance",
        help="A line's discount is above the allowance of the key account tier and no "
             "director approved it.")

    # ---- Compute ----
    @api.depends("order_line.discount", "order_line.kam_discount_approved", "partner_id",
                 "company_id", "state", "kam_tier_id", "kam_discount_approval",
                 "kam_discount_decided_by_id")
    def _compute_kam_discount_over_allowance(self):
        excess = self._kam_lines_over_allowance()
        for order in self:
            order.kam_discount_over_allowance = bool(excess.get(order)) \
                and not order._kam_discount_is_approved()

    @api.depends("partner_id", "company_id")
    def _compute_kam_account(self):
        for order, (tier, manager, source) in self._kam_account_values().items():
            if order.state == "sale" and order.id \
                    and (order.kam_tier_id or order.kam_manager_id):
                # a confirmed order keeps the tier and KAM of the day it was confirmed,
                # also when its customer is changed afterwards
                order.kam_tier_id = order.kam_tier_id
                order.kam_manager_id = order.kam_manager_id
                order.kam_tier_source_id = order.kam_tier_source_id
                continue
            order.kam_tier_id = tier
            order.kam_manager_id = manager
            order.kam_tier_source_id = source

    def _compute_pricelist_id(self):
        res = super()._compute_pricelist_id()
        drafts = self.filtered(lambda o: o.state == "draft" and o.partner_id)
        for company, orders in drafts.grouped("company_id").items():
            if not company:
                continue
            # the account's tier, or its group's (a member gets the group's pricelist): the
            # hierarchy of all the orders' customers in one query
            tiers = orders.partner_id.with_company(company)._kam_effective_tiers()
            for order in orders:
                tier, source = tiers[order.partner_id]
                if source.kam_state == "registered" and tier.pricelist_id:
                    order.pricelist_id = tier.pricelist_id
        return res

    # ---- Actions ----
    def action_confirm(self):
        # the tier and KAM of a confirmed order are those of the day it was confirmed
        self._kam_refresh_account()
        user = self._kam_acting_user()
        beyond = {order: order._kam_may_confirm_beyond_rules(user) for order in self}
        for order in self.filtered(lambda o: not beyond[o]):
            problems = order._kam_confirmation_problems()
            if problems:
                key = order._kam_problem_audience(user)
                raise UserError(" ".join(problem[key] for problem in problems))
        excess = self._kam_lines_over_allowance()
        unapproved = {order: lines for order, lines in excess.items()
                      if not order._kam_discount_is_approved()}
        res = super().action_confirm()
        for order, lines in unapproved.items():
            if not kam_real_director(user, order.company_id):
                continue  # the system confirmed it: nobody approved anything
            tier = order._kam_allowance_tier()
            order.message_post(body=Markup("%s") % self.env._(
                "Discount above the allowance of key account tier %(tier)s (%(allowance)s%%) "
                "approved by %(user)s: %(lines)s.",
                tier=tier.display_name, allowance=tier.max_discount,
                user=user.name, lines=order._kam_format_lines(lines)),
                author_id=user.partner_id.id, subtype_xmlid="mail.mt_note")
        return res

    def action_kam_request_discount_approval(self):
        """Ask the company's Key Account Directors to approve the discount."""
        if self.env.user.share or not self.env.user.has_group(GROUP_SALESMAN):
            raise AccessError(self.env._(
                "Only a salesperson can request a Key Account Director's approval of a "
                "discount."))
        # whoever asks must be able to change the quotation
        self.check_access("write")
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
            order._kam_flow_write({"kam_discount_approval": "requested",
                                   "kam_discount_refusal_reason": False})
            tier = order._kam_allowance_tier()
            summary = self.env._("Approve discount: %(order)s", order=order.name)
            note = self.env._(
                "%(user)s requests the approval of %(lines)s (allowance of tier %(tier)s: "
                "%(allowance)s%%).", user=self.env.user.name,
                lines=order._kam_format_lines(lines), tier=tier.display_name,
                allowance=tier.max_discount)
            # the directors are found whatever the requester may read of the users
            for director in order._kam_get_directors():
                order.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=director.id, summary=summary,
                    note=note)
            order.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True

    def action_kam_open_discount_decision(self):
        self.ensure_one()
        self._kam_check_director()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Discount Approval"),
            "res_model": "kam.discount.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _kam_check_director(self):
        """The current user decides on these orders' discounts in person: a real
        Key Account Director of each order's company (not the superuser)."""
        user = self.env.user
        for order in self:
            if not kam_real_director(user, order.company_id):
                raise AccessError(self.env._(
                    "Only a Key Account Director can approve or refuse a discount above the "
                    "allowance of a key account tier, in their own name."))

    def _kam_approve_discount(self, reason=False, confirm=True):
        """The director's approval: logged, the request's activities closed, the
        order confirmed (unless the customer is to sign or pay it online). It
        covers each line's discount as it is now."""
        self._kam_check_director()
        user = self.env.user
        for order in self:
            lines = order._kam_lines_over_allowance().get(order, order.order_line.browse())
            if not lines:
                raise UserError(self.env._(
                    "%(order)s: no discount is above the allowance of the key account tier; "
                    "there is nothing to approve.", order=order.name))
            tier = order._kam_allowance_tier()
            for line in order.order_line.filtered(lambda line: not line.display_type):
                line._kam_flow_write({
                    "kam_discount_approved": line.discount if line in lines else 0.0})
            order._kam_flow_write({
                "kam_discount_approval": "approved",
                "kam_discount_approved_max": max(lines.mapped("discount"), default=0.0),
                "kam_discount_decided_by_id": user.id,
                "kam_discount_refusal_reason": False,
            })
            order.message_post(body=self.env._(
                "Discount above the allowance of key account tier %(tier)s (%(allowance)s%%) "
                "approved by %(user)s: %(lines)s. %(reason)s",
                tier=tier.display_name, allowance=tier.max_discount,
                user=user.name, lines=order._kam_format_lines(lines),
                reason=reason or ""), subtype_xmlid="mail.mt_note")
            order._kam_close_discount_activities()
        if confirm:
            self.filtered(lambda o: o.state in ("draft", "sent")).action_confirm()
        return True

    def _kam_refuse_discount(self, reason):
        self._kam_check_director()
        if not (reason or "").strip():
            raise UserError(self.env._(
                "Discount Refusal Reason: write why the discount is refused."))
        for order in self:
            order.order_line._kam_flow_write({"kam_discount_approved": 0.0})
            order._kam_flow_write({
                "kam_discount_approval": "refused",
                "kam_discount_approved_max": 0.0,
                "kam_discount_decided_by_id": self.env.user.id,
                "kam_discount_refusal_reason": reason,
            })
            order.message_post(body=self.env._(
                "Discount above the allowance of key account tier %(tier)s refused by "
                "%(user)s: %(reason)s", tier=order._kam_allowance_tier().display_name,
                user=self.env.user.name, reason=reason), subtype_xmlid="mail.mt_note")
            order._kam_close_discount_activities()
            if order.user_id:
                order.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=order.user_id.id,
                    summary=self.env._("Discount refused: %(order)s", order=order.name),
                    note=reason)
        return True

    def _kam_void_discount_approval(self, lines):
        """A line's discount went above what the director approved for it: the
        approval is void, a new one is needed."""
        for order in self.filtered(lambda o: o.kam_discount_approval == "approved"):
            raised = lines.filtered(lambda line, order=order: line.order_id == order)
            order.order_line._kam_flow_write({"kam_discount_approved": 0.0})
            order._kam_flow_write({
                "kam_discount_approval": False,
                "kam_discount_approved_max": 0.0,
                "kam_discount_decided_by_id": False,
            })
            order.message_post(body=self.env._(
                "%(user)s raised the discount of %(lines)s above what the Key Account "
                "Director approved: the approval is void, a new one is needed.",
                user=self.env.user.name, lines=order._kam_format_lines(raised)),
                subtype_xmlid="mail.mt_note")

    # ---- Business ----
    def _kam_may_confirm_beyond_rules(self, user):
        """Whether ``user`` may confirm this order over the allowance without an
        approval, or beyond the credit limit: the system itself and a real
        director of the order's company, in person."""
        self.ensure_one()
        return user.id == SUPERUSER_ID or kam_real_director(user, self.company_id)

    def _kam_problem_audience(self, user):
        """Which message of :meth:`_kam_confirmation_problems` ``user`` reads:
        ``customer`` for a portal user, ``message`` (with the figures) for the
        account's key account manager and team and the directors, ``sales`` for
        any other employee (no credit figures nor rating)."""
        self.ensure_one()
        if user.share:
            return "customer"
        account = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        if user.id == SUPERUSER_ID or kam_real_director(user, self.company_id) or (
                user.has_group(GROUP_MANAGER) and user in account.kam_user_ids):
            return "message"
        return "sales"

    def _kam_confirmation_problems(self):
        """What stops this quotation's confirmation under the key-account rules,
        as ``[{'rule', 'message', 'sales', 'customer', 'team'}]``: the message for
        the account team and directors, the one for another employee (no credit
        figures nor rating), the one for the customer (no internal figures), the
        one for the account team's activity."""
        self.ensure_one()
        lines = self._kam_lines_over_allowance().get(self)
        if not lines or self._kam_discount_is_approved():
            return []
        tier = self._kam_allowance_tier()
        text = self.env._(
            "%(order)s: the discount of %(lines)s is above the %(allowance)s%% allowed "
            "for key account tier %(tier)s. Only a Key Account Director can confirm it: "
            "request their approval.",
            order=self.name, lines=self._kam_format_lines(lines),
            allowance=tier.max_discount, tier=tier.display_name)
        return [{
            "rule": "discount",
            "message": text,
            "sales": text,
            "team": text,
            "customer": self.env._(
                "%(order)s cannot be confirmed online yet: its discount needs the approval "
                "of our Key Account Director.", order=self.name),
        }]

    def _kam_online_confirmation_refused(self, channel):
        """The customer tries to confirm this quotation online (``channel``:
        ``'sign'`` or ``'pay'``): under the customer's rules, the message to show
        them when it cannot be confirmed (an activity for the KAM saying why), or
        False when it can. Called by the portal and payment flows only."""
        self.ensure_one()
        problems = self._kam_confirmation_problems()
        if not problems:
            return False
        self._kam_notify_online_refusal(channel)
        return " ".join([p["customer"] for p in problems] + [self.env._(
            "Your key account manager has been told and will contact you.")])

    def _kam_notify_online_refusal(self, channel):
        """An activity for the account's KAM (else the salesperson), in their
        language, and a note on the order: the customer tried to sign or pay
        online and why it was not confirmed."""
        self.ensure_one()
        account = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        kam = account.kam_manager_id or self.sudo().user_id
        order = self.sudo().with_context(lang=kam.lang or self.env.lang)
        problems = order._kam_confirmation_problems()
        reasons = " ".join(p["team"] for p in problems)
        if channel == "pay":
            summary = order.env._("Paid online, not confirmed: %(order)s", order=self.name)
            note = order.env._(
                "%(customer)s paid %(order)s online; the order was not confirmed and stays a "
                "quotation (the payment is kept): %(reasons)s",
                customer=self.partner_id.display_name, order=self.name, reasons=reasons)
        else:
            summary = order.env._("Signature refused: %(order)s", order=self.name)
            note = order.env._(
                "%(customer)s tried to sign %(order)s online; it was not confirmed: "
                "%(reasons)s", customer=self.partner_id.display_name, order=self.name,
                reasons=reasons)
        if kam and kam.active and not kam.share:
            open_ones = order.activity_ids.filtered(
                lambda a: a.user_id == kam and a.summary == summary)
            if not open_ones:
                order.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=kam.id, summary=summary, note=note)
        order.message_post(body=note, subtype_xmlid="mail.mt_note")

    def _kam_tell_customer_payment_held(self):
        """The customer paid online a quotation that cannot be confirmed yet: a
        message on the order, which they read in their portal, in their language."""
        self.ensure_one()
        order = self.sudo().with_context(lang=self.partner_id.lang or self.env.lang)
        problems = order._kam_confirmation_problems()
        body = " ".join([order.env._(
            "Thank you: your payment for %(order)s is received and kept.", order=self.name)]
            + [p["customer"] for p in problems] + [order.env._(
                "Your key account manager has been told and will contact you.")])
        order.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment",
                           partner_ids=self.partner_id.ids)

    def _kam_discount_is_approved(self):
        """A real director approved the discount of every line as it is now: no
        line is above both the allowance and what was approved for it."""
        self.ensure_one()
        if not self._kam_discount_is_approved_by_director():
            return False
        allowance = self._kam_allowance_tier().max_discount
        return all(
            float_compare(line.discount, max(allowance, line.kam_discount_approved),
                          precision_digits=2) <= 0
            for line in self.order_line if not line.display_type)

    def _kam_discount_is_approved_by_director(self):
        """The order's approval was given by a real director of its company (the
        approval fields are the flow's: set by the approval wizard only)."""
        self.ensure_one()
        return self.kam_discount_approval == "approved" and kam_real_director(
            self.sudo().kam_discount_decided_by_id, self.company_id)

    def _kam_get_directors(self):
        """Active internal Key Account Directors of the order's company."""
        self.ensure_one()
        return self.env.ref(GROUP_DIRECTOR).sudo().all_user_ids.filtered(
            lambda u: kam_real_director(u, self.company_id))

    def _kam_close_discount_activities(self):
        """The request went to every director: one decision closes all their activities
        (sudo: the other directors' activities are not the deciding director's own)."""
        names = {self.env._("Approve discount: %(order)s", order=o.name) for o in self}
        self.sudo().activity_ids.filtered(lambda a: a.summary in names).action_feedback(
            feedback=self.env._("Decided by %(user)s", user=self.env.user.name))

    def _kam_account_values(self):
        """{order: (tier, manager, tier's account)} of the customer's company in the order's
        company: the tier is the account's own or its group's when higher
        (``res.partner._kam_effective_tiers``), the manager the account's own."""
        values = {}
        for company, orders in self.grouped("company_id").items():
            orders = orders.with_company(company).sudo()
            tiers = orders.partner_id._kam_effective_tiers()
            for order in orders:
                account = order.partner_id.commercial_partner_id
                tier, source = tiers.get(order.partner_id) or (
                    account.kam_tier_id, account if account.kam_tier_id else account.browse())
                values[order.with_env(self.env)] = (
                    tier.with_env(self.env), account.kam_manager_id.with_env(self.env),
                    source.with_env(self.env))
        return values

    def _kam_allowance_tier(self):
        """The tier whose discount allowance holds on this order, read from the
        customer itself: for a quotation the account's tier now; for a confirmed
        order the stricter of the tier it was confirmed with and the account's tier
        now (an empty record: no key account, no allowance)."""
        self.ensure_one()
        current = self._kam_account_values()[self][0]
        if self.state in ("draft", "sent"):
            return current
        tiers = (self.sudo().kam_tier_id.with_env(self.env) | current)
        return min(tiers, key=lambda t: t.max_discount) if tiers else tiers

    def _kam_refresh_account(self):
        """Store the customer's current tier and KAM on orders not yet confirmed."""
        for order, (tier, manager, source) in self.filtered(
                lambda o: o.state in ("draft", "sent"))._kam_account_values().items():
            if order.sudo().kam_tier_id != tier or order.sudo().kam_manager_id != manager \
                    or order.sudo().kam_tier_source_id != source:
                order._kam_flow_write({"kam_tier_id": tier.id, "kam_manager_id": manager.id,
                                       "kam_tier_source_id": source.id})

    def _kam_lines_over_allowance(self):
        """{order: lines whose discount exceeds the tier's maximum}."""
        excess = {}
        for order in self:
            tier = order._kam_allowance_tier()
            if not tier:
                continue
            allowance = tier.max_discount
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
