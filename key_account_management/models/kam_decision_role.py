from odoo import fields, models

from .kam_bounds import COLOR, SEQUENCE


class KamDecisionRole(models.Model):
    """A buying role in a key account's decision unit (决策链角色): decision maker,
    technical evaluator, user, coach, procurement... A stakeholder can hold
    several roles."""

    _name = "kam.decision.role"
    _description = "Decision Role"
    _inherit = ["kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE, "color": COLOR}
    _order = "sequence, id"

    # ---- Identity ----
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, unique, e.g. DM, TECH, COACH.")
    description = fields.Text(translate=True, help="What a person in this role does in a purchase.")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True,
        help="Leave empty to share the role with every company.")

    # ---- Meaning for the coverage red flags ----
    is_decision_maker = fields.Boolean(
        string="Decision Maker",
        help="A person in this role signs off the purchase: an account without one is flagged.")
    is_coach = fields.Boolean(
        string="Coach",
        help="A person in this role guides us from inside the account (内线): an account "
             "without one is flagged.")

    _code_uniq = models.Constraint(
        "UNIQUE(code, company_id)",
        "The code of a decision role must be unique.",
    )
