from odoo import api, fields, models
from odoo.exceptions import AccessError

from .kam_flow_mixin import kam_trusted
from .kam_private_mixin import kam_changed_records

REQUEST_MODEL = "kam.service.request"
# what the customer's rating flow writes on the rating of a service request (the
# satisfaction and comment that feed health, SLA compliance and the scorecards) and
# the links that make it that request's rating: written by the rating flow only
# (``kam.service.request.rating_apply``: ``/rate`` and the portal), by nobody over the
# API, an employee who may read the request neither
KAM_RATING_FLOW_FIELDS = ("rating", "feedback", "consumed", "partner_id", "res_model_id",
                          "res_id")


class RatingRating(models.Model):
    _inherit = "rating.rating"

    # The token of a rating lets whoever holds it rate, and with a service request
    # confirm, in the customer's name (``/rate/<token>``): the customer's secret, known
    # to the mail sent to them. Employees (who may read ratings) do not read it; Odoo's
    # own flows read it as the system (``_rating_get_access_token``, the /rate routes).
    access_token = fields.Char(groups="base.group_system")
    # the service request rated, for the record rules: a rating of a request is read by
    # the users who read the request only (security/key_account_management_rules.xml)
    kam_request_id = fields.Many2one(
        "kam.service.request", string="Service Request", compute="_compute_kam_request_id",
        store=True, index="btree_not_null", readonly=True)

    # ---- Compute ----
    @api.depends("res_model", "res_id")
    def _compute_kam_request_id(self):
        for rating in self:
            rating.kam_request_id = rating.res_id if rating.res_model == REQUEST_MODEL else False

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        if not kam_trusted(self.env):
            request_model_id = self.env["ir.model"]._get_id(REQUEST_MODEL)
            for vals in vals_list:
                if vals.get("res_model_id") == request_model_id and any(
                        vals.get(f) for f in ("rating", "feedback", "consumed")):
                    raise AccessError(self._kam_rating_flow_message())
        return super().create(vals_list)

    def write(self, vals):
        if not kam_trusted(self.env) and set(KAM_RATING_FLOW_FIELDS) & set(vals):
            self._kam_check_rating_flow(vals)
        return super().write(vals)

    # ---- Business ----
    def _kam_check_rating_flow(self, vals):
        """Refuse a change of the value, comment or links of a service request's
        rating, and a move of another rating onto a service request, outside the
        rating flow (writing the value a rating already has is not a change)."""
        request_model_id = self.env["ir.model"]._get_id(REQUEST_MODEL)
        if "res_model_id" in vals and vals["res_model_id"] == request_model_id \
                and kam_changed_records(self.sudo(), "res_model_id", vals["res_model_id"]):
            raise AccessError(self._kam_rating_flow_message())
        # sudo: the check holds whatever the writer reads
        requests_ratings = self.sudo().filtered(lambda r: r.res_model == REQUEST_MODEL)
        for fname in KAM_RATING_FLOW_FIELDS:
            if fname in vals and kam_changed_records(requests_ratings, fname, vals[fname]):
                raise AccessError(self._kam_rating_flow_message())

    def _kam_rating_flow_message(self):
        return self.env._(
            "Rating of a service request: its value and comment are given by the customer "
            "only (the rating mail or the portal); they cannot be written directly, over "
            "the API neither.")
