from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_bounds import SEQUENCE


class KamTeamMember(models.Model):
    """A user who serves on a key account's team (项目小组), with their role."""

    _name = "kam.team.member"
    _description = "Key Account Team Member"
    _inherit = ["kam.private.mixin", "kam.bounds.mixin"]
    # bounds of the numbers users type in (kam.bounds.mixin; the others: their column's)
    _kam_bounds = {"sequence": SEQUENCE}
    _kam_fixed_link_fields = ("partner_id", "company_id", "user_id")
    _order = "partner_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade",
        domain=[("is_company", "=", True)])
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users", string="Member", required=True, index=True, ondelete="cascade",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]")
    role = fields.Selection(
        [
            ("sales", "Sales Support"),
            ("technical", "Technical Support"),
            ("service", "Customer Service"),
            ("delivery", "Delivery / Operations"),
            ("finance", "Finance"),
            ("executive", "Executive Sponsor"),
            ("other", "Other"),
        ],
        required=True, default="sales")
    note = fields.Char()

    _partner_user_company_uniq = models.Constraint(
        "UNIQUE(partner_id, user_id, company_id)",
        "A user can serve only once on the same account's team.",
    )

    @api.constrains("user_id", "company_id")
    def _check_user_company(self):
        for member in self:
            if member.company_id not in member.user_id.company_ids:
                raise ValidationError(self.env._(
                    "Account team: %(user)s cannot serve on an account of %(company)s, "
                    "a company they have no access to.",
                    user=member.user_id.name, company=member.company_id.name))

    # ---- ORM ----
    # the record rules cache each user's accounts (res.users._kam_account_domain)
    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env.registry.clear_cache()
        return members

    def write(self, vals):
        res = super().write(vals)
        if {"partner_id", "company_id", "user_id"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
