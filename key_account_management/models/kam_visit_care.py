from odoo import fields, models


class KamVisit(models.Model):
    """A care visit (客户关怀) records the gesture of a care occasion and its cost
    (the visit's expenses)."""

    _inherit = "kam.visit"

    care_occasion_id = fields.Many2one(
        "kam.care.occasion", index="btree_not_null", ondelete="set null")
    care_reminder_id = fields.Many2one(
        "kam.care.reminder", index="btree_not_null", ondelete="set null",
        copy=False)
