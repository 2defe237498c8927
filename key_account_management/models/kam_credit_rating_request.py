from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .kam_flow_mixin import kam_flow, kam_has_group
from .kam_private_mixin import kam_changed_records
from .kam_reader import reader_amount

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"
# what only the buttons of a request change (submit, approve, refuse, back to draft):
# its flow fields (kam.flow.mixin), written through ``_kam_flow()`` (issue 12: the
# approval is the only path)
KAM_REQUEST_FLOW_FIELDS = ("state", "decided_by_id", "decided_on", "current_rating_id",
                           "requested_by_id")
# what the director decides on: changed only while the request is a draft
KAM_REQUEST_TERMS_FIELDS = ("partner_id", "company_id", "new_rating_id", "reason")


class KamCreditRatingRequest(models.Model):
    """A request to change the credit rating of a key account, with its reason,
    approved or refused by a Key Account Director. The approved requests are the
    history of the account's credit ratings."""

    _name = "kam.credit.rating.request"
    _description = "Credit Rating Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.flow.mixin", "kam.bounds.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _kam_flow_fields = KAM_REQUEST_FLOW_FIELDS

    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, tracking=True,
        check_company=True, domain="[('is_company', '=', True), ('kam_state', '!=', 'none')]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    current_rating_id = fields.Many2one(
        "kam.credit.rating", readonly=True, check_company=True,
        help="The account's rating when the request was made.")
    new_rating_id = fields.Many2one(
        "kam.credit.rating", required=True, tracking=True,
        check_company=True, domain="[('company_id', '=', company_id)]")
    reason = fields.Text(required=True, help="Why the account's credit rating should change.")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"),
         ("refused", "Refused")],
        default="draft", required=True, tracking=True, copy=False, index=True)
    requested_by_id = fields.Many2one(
        "res.users", required=True, readonly=True,
        default=lambda self: self.env.user)
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    decided_on = fields.Datetime(readonly=True, copy=False)
    refusal_reason = fields.Text(copy=False, tracking=True)
    # the conditions the new rating brings, shown to the approver
    new_payment_term_id = fields.Many2one(
        related="new_rating_id.payment_term_id", string="New Payment Terms")
    currency_id = fields.Many2one(related="company_id.currency_id")
    new_credit_limit = fields.Monetary(
        related="new_rating_id.credit_limit", string="New Credit Limit")

    # ---- Compute ----
    @api.depends("partner_id", "new_rating_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(account)s: credit rating %(rating)s",
                account=request.partner_id.display_name or "",
                rating=request.new_rating_id.code or "")

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        # the flow fields may only be left to their defaults (kam.flow.mixin): a draft,
        # requested by its creator, whose current rating the request reads itself
        requests = super().create(vals_list)
        for request in requests:
            if not request.current_rating_id:
                request._kam_flow_write({
                    "current_rating_id": request.partner_id.with_company(
                        request.company_id).kam_credit_rating_id.id})
            if request.new_rating_id == request.current_rating_id:
                raise UserError(self.env._(
                    "New Rating: %(account)s already has the credit rating %(rating)s.",
                    account=request.partner_id.display_name,
                    rating=request.new_rating_id.display_name))
        return requests

    def write(self, vals):
        # the flow fields are refused by kam.flow.mixin to anyone but the trusted
        if not self._kam_trusted():
            terms = [f for f in KAM_REQUEST_TERMS_FIELDS if f in vals]
            for request in self.filtered(lambda r: r.state != "draft"):
                for fname in terms:
                    if kam_changed_records(request, fname, vals[fname]):
                        raise UserError(self.env._(
                            "%(field)s of %(request)s cannot be changed: the request is "
                            "%(state)s, and only a draft request is edited.",
                            field=self._fields[fname]._description_string(self.env),
                            request=request.display_name,
                            state=dict(self._fields["state"]._description_selection(
                                self.env))[request.state]))
            if "refusal_reason" in vals and self.filtered(lambda r: r.state == "approved"):
                raise UserError(self.env._(
                    "An approved credit rating request is the account's history: it cannot be "
                    "changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(request.state == "approved" for request in self):
            raise UserError(self.env._(
                "An approved credit rating request is the account's history: it cannot be "
                "deleted."))

    # ---- Actions ----
    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._(
                    "Only a draft credit rating request can be submitted (%(request)s).",
                    request=request.display_name))
            if not (request.reason or "").strip():
                raise UserError(self.env._(
                    "Reason: say why the credit rating of %(account)s should change.",
                    account=request.partner_id.display_name))
        self._kam_flow_write({"state": "submitted"})
        return True

    def action_approve(self):
        self._kam_check_decision()
        self._kam_flow_write({"state": "approved", "decided_by_id": self.env.user.id,
                              "decided_on": fields.Datetime.now()})
        for request in self:
            request._kam_apply()
        return True

    def action_refuse(self):
        self._kam_check_decision()
        for request in self:
            if not (request.refusal_reason or "").strip():
                raise UserError(self.env._(
                    "Refusal Reason: say why the credit rating request %(request)s is refused.",
                    request=request.display_name))
        self._kam_flow_write({"state": "refused", "decided_by_id": self.env.user.id,
                              "decided_on": fields.Datetime.now()})
        return True

    def action_draft(self):
        for request in self:
            if request.state != "refused":
                raise UserError(self.env._(
                    "Only a refused credit rating request goes back to draft (%(request)s).",
                    request=request.display_name))
        self._kam_flow_write({"state": "draft", "decided_by_id": False, "decided_on": False})
        return True

    # ---- Business ----
    def _kam_flow_field_message(self, fname):
        return self.env._(
            "%(field)s of a credit rating request is set by its buttons only: Submit, then "
            "Approve or Refuse by a Key Account Director.",
            field=self._fields[fname]._description_string(self.env))

    def _kam_check_decision(self):
        user = self._kam_acting_user()
        trusted = self._kam_trusted()
        if not trusted and not kam_has_group(self.env, GROUP_DIRECTOR):
            raise AccessError(self.env._(
                "Only a Key Account Director can approve or refuse a credit rating request."))
        for request in self:
            if request.state != "submitted":
                raise UserError(self.env._(
                    "Only a submitted credit rating request can be decided (%(request)s).",
                    request=request.display_name))
            if not trusted and request.requested_by_id == user:
                raise AccessError(self.env._(
                    "%(user)s requested %(request)s: another Key Account Director decides it.",
                    user=user.name, request=request.display_name))

    def _kam_apply(self):
        """The account takes the new rating and its conditions in the request's
        company: rating, payment terms, credit limit; logged on the account."""
        self.ensure_one()
        rating = self.new_rating_id
        partner = self.partner_id.with_company(self.company_id)
        old = partner.kam_credit_rating_id
        # the flow token: the rating fields are written only here (res.partner refuses
        # other writes); sudo: the credit limit belongs to the accounting groups; the
        # director's right to decide was checked in _kam_check_decision
        kam_flow(partner.sudo()).write({
            "kam_credit_rating_id": rating.id,
            "kam_credit_rating": rating._kam_legacy_rating(),
            "property_payment_term_id": rating.payment_term_id.id,
            "credit_limit": rating.credit_limit,
        })
        # the rating, its limit and the reason go on the request's own chatter, which only
        # the account team and the directors read; the account's chatter is read by every
        # employee who reads the customer (other companies' users, service users): it says
        # that the conditions changed, not what they are
        self._message_log(body=self.env._(
            "Credit rating changed from %(old)s to %(new)s (approved by %(user)s): payment terms "
            "%(terms)s, credit limit %(limit)s. Reason: %(reason)s",
            old=old.display_name or self.env._("none"), new=rating.display_name,
            user=self.env.user.name, terms=rating.payment_term_id.display_name or "-",
            limit=reader_amount(self.env, rating.credit_limit, self.company_id.currency_id),
            reason=self.reason))
        partner._message_log(body=self.env._(
            "The credit conditions of the account changed with a credit rating request "
            "approved by %(user)s (the key account team and directors read it).",
            user=self.env.user.name))
