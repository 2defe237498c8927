from odoo import fields, models


class KamVisit(models.Model):
    _inherit = "kam.visit"

    service_request_id = fields.Many2one(
        "kam.service.request", index="btree_not_null",
        ondelete="set null", copy=False, readonly=True,
        help="The confirmed service request this return visit follows up.")
