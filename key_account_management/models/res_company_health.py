from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import MAX_COUNT, MAX_DAYS, MAX_WEIGHT, PERCENT, check_bounds

HEALTH_WEIGHT_FIELDS = (
    "kam_health_weight_revenue", "kam_health_weight_recency", "kam_health_weight_receivables",
    "kam_health_weight_visits", "kam_health_weight_decision_unit", "kam_health_weight_service",
)


# weights (only their ratios count), bands and percentages, periods the engine subtracts
# from today, a count of breaches and a rating (1-5 stars)
HEALTH_LIMITS = {
    **dict.fromkeys(HEALTH_WEIGHT_FIELDS, (0, MAX_WEIGHT)),
    "kam_health_red_max": PERCENT, "kam_health_yellow_max": PERCENT,
    "kam_signal_revenue_drop": PERCENT, "kam_signal_overdue_days": (0, MAX_DAYS),
    "kam_signal_sla_breaches": (0, MAX_COUNT), "kam_signal_satisfaction_min": (0, 5),
}


class ResCompany(models.Model):
    """Settings of the account health and churn signals: component weights
    (normalised; a component without data is left out and the others
    re-weighted), band thresholds and signal limits."""

    _inherit = "res.company"
    _kam_bounds = HEALTH_LIMITS

    kam_health_weight_revenue = fields.Integer(string="Revenue Trend Weight", default=25)
    kam_health_weight_recency = fields.Integer(string="Order Recency Weight", default=20)
    kam_health_weight_receivables = fields.Integer(
        string="Overdue Receivables Weight", default=20)
    kam_health_weight_visits = fields.Integer(string="Visit Coverage Weight", default=15)
    kam_health_weight_decision_unit = fields.Integer(string="Decision Unit Weight", default=10)
    kam_health_weight_service = fields.Integer(string="Green Channel Weight", default=10)
    kam_health_red_max = fields.Integer(
        string="Red Band Up To", default=50, help="A health score up to this value is red.")
    kam_health_yellow_max = fields.Integer(
        string="Yellow Band Up To", default=75,
        help="A health score above the red band and up to this value is yellow; above, green.")
    kam_signal_revenue_drop = fields.Integer(
        string="Revenue Drop Signal (%)", default=30,
        help="Churn signal when the 12-month revenue fell by more than this percentage.")
    kam_signal_overdue_days = fields.Integer(
        string="Overdue Receivables Signal (days)", default=60,
        help="Churn signal when an invoice is overdue by more than this many days.")
    kam_signal_sla_breaches = fields.Integer(
        string="SLA Breaches Signal", default=2,
        help="Churn signal from this many green-channel SLA breaches in 90 days.")
    kam_signal_satisfaction_min = fields.Float(
        string="Low Satisfaction Signal", default=3.0, digits=(16, 1),
        help="Churn signal when the average green-channel rating of 90 days is below this.")

    # ---- Constraints ----
    @api.constrains(*HEALTH_WEIGHT_FIELDS, "kam_health_red_max", "kam_health_yellow_max",
                    "kam_signal_revenue_drop", "kam_signal_overdue_days",
                    "kam_signal_sla_breaches", "kam_signal_satisfaction_min")
    def _check_kam_health_settings(self):
        for company in self:
            weights = [company[fname] for fname in HEALTH_WEIGHT_FIELDS]
            if any(weight < 0 for weight in weights) or not sum(weights):
                raise ValidationError(self.env._(
                    "The health score weights of %(company)s must be 0 or more and add up to "
                    "more than 0 (got %(weights)s).",
                    company=company.name, weights=", ".join(map(str, weights))))
            if not 0 <= company.kam_health_red_max < company.kam_health_yellow_max < 100:
                raise ValidationError(self.env._(
                    "The health bands of %(company)s are out of order: the red band must end "
                    "below the yellow band, both between 0 and 100 (got red up to %(red)s, "
                    "yellow up to %(yellow)s).", company=company.name,
                    red=company.kam_health_red_max, yellow=company.kam_health_yellow_max))
            if min(company.kam_signal_revenue_drop, company.kam_signal_overdue_days,
                   company.kam_signal_sla_breaches) < 0 \
                    or company.kam_signal_satisfaction_min < 0:
                raise ValidationError(self.env._(
                    "The churn signal limits of %(company)s cannot be negative.",
                    company=company.name))
        check_bounds(self, HEALTH_LIMITS)
