from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import SEQUENCE
from .kam_flow_mixin import kam_flow


class KamCreditRating(models.Model):
    """A credit rating (信用等级) of a company's credit policy and the sales
    conditions it gives: payment terms, credit limit, and whether orders beyond
    the limit need a Key Account Director. An account's rating changes only
    through an approved ``kam.credit.rating.request``."""

    _name = "kam.credit.rating"
    _description = "Key Account Credit Rating"
    _inherit = ["kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE}
    _order = "company_id, sequence, id"
    _check_company_auto = True
    _rec_names_search = ["code", "name"]

    # ---- Identity ----
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="Short code, e.g. AAA.")
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    # ---- Conditions ----
    payment_term_id = fields.Many2one(
        "account.payment.term", string="Payment Terms", required=True, check_company=True,
        help="The account's customer payment terms once the rating is approved.")
    credit_limit = fields.Monetary(
        currency_field="currency_id",
        help="The account's credit limit once the rating is approved (0: no limit).")
    director_beyond_limit = fields.Boolean(
        string="Director Approves Orders Beyond the Limit",
        help="Confirming an order that brings the account's open receivables beyond the credit "
             "limit is reserved to Key Account Directors.")
    score = fields.Integer(
        string="Score Value", default=50,
        help="0-100: what the rating brings to the key-account score (100 = best credit).")
    note = fields.Text()

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "A credit rating code must be unique per company.")

    # ---- Compute ----
    @api.depends("code", "name")
    def _compute_display_name(self):
        for rating in self:
            rating.display_name = f"{rating.code} - {rating.name}" if rating.code else rating.name

    # ---- Constraints ----
    @api.constrains("score", "credit_limit")
    def _check_values(self):
        for rating in self:
            if not 0 <= rating.score <= 100:
                raise ValidationError(self.env._(
                    "Score Value of the credit rating %(rating)s must be between 0 and 100.",
                    rating=rating.display_name))
            if rating.credit_limit < 0:
                raise ValidationError(self.env._(
                    "Credit Limit of the credit rating %(rating)s cannot be negative.",
                    rating=rating.display_name))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("payment_term_id"):
                raise ValidationError(self._kam_payment_term_message(vals.get("code") or ""))
        return super().create(vals_list)

    def write(self, vals):
        if "payment_term_id" in vals and not vals["payment_term_id"]:
            raise ValidationError(self._kam_payment_term_message(self[:1].code or ""))
        res = super().write(vals)
        if "score" in vals:
            self._kam_sync_legacy_rating()
        return res

    # ---- Business ----
    def _kam_payment_term_message(self, code):
        return self.env._(
            "Payment Terms: the credit rating %(rating)s needs payment terms (the account's "
            "payment terms follow its rating).", rating=code)

    def _kam_legacy_rating(self):
        """The a/b/c value of ``res.partner.kam_credit_rating`` that follows this
        rating, so that the scoring engine (which reads that selection) keeps
        scoring the credit: score >= 80 -> a, >= 50 -> b, else c."""
        self.ensure_one()
        if self.score >= 80:
            return "a"
        return "b" if self.score >= 50 else "c"

    def _kam_sync_legacy_rating(self):
        """The accounts rated ``self`` follow a changed score value in the a/b/c
        selection the scoring engine reads (one search and one write per rating)."""
        for rating in self:
            # sudo: every account of the rating, also those the director may not read;
            # the flow token: the rating fields of res.partner are written by our flows only
            partners = self.env["res.partner"].with_company(rating.company_id).sudo().search(
                [("kam_credit_rating_id", "=", rating.id)])
            legacy = rating._kam_legacy_rating()
            kam_flow(partners.filtered(lambda p, v=legacy: p.kam_credit_rating != v)).write(
                {"kam_credit_rating": legacy})
