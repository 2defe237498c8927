from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import MAX_AMOUNT, MAX_WEIGHT, SEQUENCE
from .kam_scorecard_template import SCORECARD_MEASURES


class KamScorecardTemplateLine(models.Model):
    """One measure of a scorecard template with its target, weight and scale.

    Points of a value, out of 100 at the target:

    * ``linear``: value / target × 100, capped at ``cap`` (a target of 0 gives 100);
    * ``threshold``: 100 when the target is reached, else 0;
    * ``lower``: lower is better (accounts lost): 100 at or under the target,
      target / value × 100 above it (0 when the target is 0).
    """

    _name = "kam.scorecard.template.line"
    _description = "Key Account Scorecard Measure"
    _inherit = ["kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {
        "sequence": SEQUENCE, "target": (0, MAX_AMOUNT), "weight": (0, MAX_WEIGHT),
        # points of a proportional measure: the target gives 100, a hundred times it at most
        "cap": (100, MAX_WEIGHT),
    }
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "kam.scorecard.template", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="template_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    measure = fields.Selection(SCORECARD_MEASURES, required=True)
    target = fields.Float(required=True, default=100.0, digits=(16, 2))
    weight = fields.Float(required=True, default=1.0, digits=(16, 2))
    scale = fields.Selection(
        [("linear", "Proportional"), ("threshold", "All or Nothing"), ("lower", "Lower Is Better")],
        required=True, default="linear")
    cap = fields.Float(
        string="Cap (points)", default=120.0, digits=(16, 1),
        help="Highest number of points a proportional measure can give (100 = the target).")

    _template_measure_uniq = models.Constraint(
        "UNIQUE(template_id, measure)", "A measure can be used only once in a template.")

    @api.constrains("target", "weight", "cap")
    def _check_values(self):
        for line in self:
            if line.weight <= 0:
                raise ValidationError(self.env._(
                    "Scorecard measure %(measure)s: the weight must be positive (%(value)s).",
                    measure=line.measure, value=line.weight))
            if line.target < 0:
                raise ValidationError(self.env._(
                    "Scorecard measure %(measure)s: the target cannot be negative (%(value)s).",
                    measure=line.measure, value=line.target))
            if line.cap < 100:
                raise ValidationError(self.env._(
                    "Scorecard measure %(measure)s: the cap must be at least 100 points "
                    "(%(value)s).", measure=line.measure, value=line.cap))

    def _points(self, value):
        self.ensure_one()
        target = self.target
        if self.scale == "threshold":
            return 100.0 if value >= target else 0.0
        if self.scale == "lower":
            if value <= target:
                return 100.0
            return target / value * 100.0 if value else 0.0
        if not target:
            return 100.0
        return min(max(value, 0.0) / target * 100.0, self.cap)
