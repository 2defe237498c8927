from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import COLOR, PERCENT, SEQUENCE


class KamServiceTeam(models.Model):
    """A department that acts on the dispatches of the green channel (network
    operations, field service, billing...): its members, working time and the
    share of the customer's remaining resolution time it gets by default."""

    _name = "kam.service.team"
    _description = "Key Account Service Team"
    _inherit = ["kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE, "color": COLOR, "deadline_share": PERCENT}
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    leader_id = fields.Many2one(
        "res.users", string="Team Leader", domain="[('share', '=', False)]")
    member_ids = fields.Many2many(
        "res.users", "kam_service_team_user_rel", "team_id", "user_id", string="Members",
        domain="[('share', '=', False)]")
    calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", check_company=True,
        help="Working time of the team for its internal deadlines; the company's when empty.")
    deadline_share = fields.Float(
        string="Deadline Share (%)", default=0.0,
        help="Internal deadline of a dispatch to this team, as a percentage of the remaining "
             "resolution time of the request; the company setting when 0.")
    color = fields.Integer()

    @api.constrains("deadline_share")
    def _check_deadline_share(self):
        for team in self:
            if not 0 <= team.deadline_share <= 100:
                raise ValidationError(self.env._(
                    "Service team %(team)s: the deadline share must be between 0 and 100 %% "
                    "(%(value)s).", team=team.name, value=team.deadline_share))

    def _get_users(self):
        """Leader and members."""
        return self.leader_id | self.member_ids
