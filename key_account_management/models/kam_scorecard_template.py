from odoo import api, fields, models
from odoo.exceptions import ValidationError

# measures a scorecard template can weigh: (key, label, scorecard field)
SCORECARD_MEASURES = [
    ("revenue_achievement", "Revenue vs Target (%)"),
    ("growth", "Revenue Growth (%)"),
    ("key_account_share", "Share of Company Revenue (%)"),
    ("visit_compliance", "Visit Compliance (%)"),
    ("plan_coverage", "Accounts with an Approved Plan (%)"),
    ("won_count", "Accounts Won"),
    ("lost_count", "Accounts Lost"),
    ("pipeline_amount", "Plans' Pipeline"),
    ("health_avg", "Average Health"),
    ("sla_compliance", "SLA Compliance (%)"),
    ("satisfaction", "Satisfaction"),
]


class KamScorecardTemplate(models.Model):
    """How the key account managers of a company are assessed in a year
    (考核): the measures of their scorecard, each with a target, a weight and
    a scale. Set by the directors; gives every scorecard its score."""

    _name = "kam.scorecard.template"
    _description = "Key Account Scorecard Template"
    _inherit = ["kam.bounds.mixin"]
    _order = "year desc, company_id"

    name = fields.Char(required=True, translate=True)
    year = fields.Integer(
        required=True, index=True, default=lambda self: self.env.company._kam_today().year)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    line_ids = fields.One2many(
        "kam.scorecard.template.line", "template_id", string="Measures", copy=True)
    total_weight = fields.Float(compute="_compute_total_weight")
    active = fields.Boolean(default=True)

    _company_year_uniq = models.Constraint(
        "UNIQUE(company_id, year)",
        "There can be only one scorecard template per company and year.")

    @api.depends("line_ids.weight")
    def _compute_total_weight(self):
        for template in self:
            template.total_weight = sum(template.line_ids.mapped("weight"))

    @api.constrains("year")
    def _check_year(self):
        for template in self:
            if not 2000 <= template.year <= 2999:
                raise ValidationError(self.env._(
                    "Scorecard template %(name)s: %(year)s is not a valid year.",
                    name=template.name, year=template.year))

    def _score(self, values):
        """Score (0 to the highest cap) of one scorecard from its ``values``
        (measure key -> value): the weighted mean of the points of every
        measure."""
        self.ensure_one()
        total_weight = sum(self.line_ids.mapped("weight"))
        if not total_weight:
            return 0.0
        return sum(line.weight * line._points(values.get(line.measure) or 0.0)
                   for line in self.line_ids) / total_weight
