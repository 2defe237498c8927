from odoo import api, fields, models
from odoo.exceptions import AccessError

from .kam_flow_mixin import kam_trusted
from .kam_private_mixin import kam_changed_records, kam_write_value

GROUP_MANAGER = "key_account_management.key_account_management_group_manager"
# changed only by an approved kam.credit.rating.request (see _kam_apply)
KAM_CREDIT_FIELDS = ("kam_credit_rating_id", "kam_credit_rating")
# the conditions that follow the rating: of an account with a rating (in the current
# company), changed only by the approval too; its contacts may take the account's values
# (Odoo copies them to the contacts of a company)
KAM_CREDIT_TERMS_FIELDS = ("property_payment_term_id", "credit_limit")


class ResPartner(models.Model):
    """Credit rating (信用等级) of a key account: visible to the account team and
    directors only, changed only through an approved request."""

    _inherit = "res.partner"

    kam_credit_rating_id = fields.Many2one(
        "kam.credit.rating", string="Credit Rating Level", company_dependent=True, copy=False,
        groups=GROUP_MANAGER, domain="[('company_id', '=', current_company_id)]",
        help="Changed by a credit rating request approved by a Key Account Director; the "
             "payment terms and credit limit follow it.")
    # the selection read by the scoring engine follows the rating (see kam.credit.rating)
    kam_credit_rating = fields.Selection(groups=GROUP_MANAGER, copy=False)
    kam_credit_request_ids = fields.One2many(
        "kam.credit.rating.request", "partner_id", string="Credit Rating Requests",
        groups=GROUP_MANAGER)

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        if not kam_trusted(self.env) and any(
                vals.get(f) for vals in vals_list for f in KAM_CREDIT_FIELDS):
            raise AccessError(self._kam_credit_write_message())
        return super().create(vals_list)

    def write(self, vals):
        if not kam_trusted(self.env):
            for fname in KAM_CREDIT_FIELDS:
                if fname in vals and kam_changed_records(self, fname, vals[fname]):
                    raise AccessError(self._kam_credit_write_message())
            terms = [f for f in KAM_CREDIT_TERMS_FIELDS if f in vals]
            if terms:
                self._kam_check_credit_terms(vals, terms)
        if "kam_credit_rating_id" in vals and "kam_credit_rating" not in vals:
            rating = self.env["kam.credit.rating"].browse(vals["kam_credit_rating_id"])
            vals = {**vals, "kam_credit_rating": rating._kam_legacy_rating() if rating else False}
        return super().write(vals)

    # ---- Actions ----
    def action_kam_request_credit_rating(self):
        """Open a new credit rating request for this account (a dialog)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Credit Rating Change"),
            "res_model": "kam.credit.rating.request",
            "view_mode": "form",
            "views": [(self.env.ref(
                "key_account_management.kam_credit_rating_request_view_form_request").id, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_kam_view_credit_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_credit_rating_request_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ---- Business ----
    def _kam_check_credit_terms(self, vals, fnames):
        """Refuse a change of the payment terms or credit limit of an account
        that has a credit rating in the current company (or of one of its
        contacts, unless to the account's own value): they follow the rating."""
        # sudo: the rating and the credit limit are for the key account and accounting
        # groups; whoever writes a contact learns only that its conditions are locked
        for partner in self.sudo():
            account = partner.commercial_partner_id
            rating = account.kam_credit_rating_id
            if not rating:
                continue
            for fname in fnames:
                field = self._fields[fname]
                value = vals[fname]
                if field.type == "many2one":
                    new = kam_write_value(field, value)
                    allowed = (partner[fname].id, account[fname].id)
                else:
                    new = float(value or 0.0)
                    allowed = (partner[fname], account[fname])
                if new not in allowed:
                    raise AccessError(self.env._(
                        "%(field)s of %(account)s follows its credit rating %(rating)s: it "
                        "changes only through a credit rating request approved by a Key "
                        "Account Director.",
                        field=field._description_string(self.env),
                        account=account.display_name, rating=rating.display_name))

    def _kam_credit_write_message(self):
        return self.env._(
            "Credit Rating: a key account's credit rating changes only through a credit rating "
            "request approved by a Key Account Director.")
