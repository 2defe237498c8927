from odoo import api, fields, models


class KamCareOccasionDate(models.Model):
    """The date of a care occasion in one year (lunar holidays move every year)."""

    _name = "kam.care.occasion.date"
    _description = "Key Account Care Occasion Date"
    _inherit = ["kam.bounds.mixin"]
    _order = "date"

    occasion_id = fields.Many2one(
        "kam.care.occasion", required=True, index=True, ondelete="cascade")
    date = fields.Date(required=True)
    year = fields.Integer(compute="_compute_year", store=True)

    _occasion_year_uniq = models.Constraint(
        "UNIQUE(occasion_id, year)", "A care occasion has one date per year.")

    @api.depends("date")
    def _compute_year(self):
        for line in self:
            line.year = line.date.year if line.date else 0
