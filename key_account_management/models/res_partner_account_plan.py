from odoo import api, fields, models

from .res_partner import SALES_GROUP


class ResPartner(models.Model):
    """Account plans seen from the account: smart button and handover."""

    _inherit = "res.partner"

    kam_account_plan_ids = fields.One2many("kam.account.plan", "partner_id", string="Account Plans",
        groups=SALES_GROUP)
    kam_account_plan_count = fields.Integer(
        string="Account Plan Count", compute="_compute_kam_account_plan_count",
        groups=SALES_GROUP)
    kam_current_plan_id = fields.Many2one(
        "kam.account.plan", string="Current Account Plan", compute="_compute_kam_current_plan",
        help="The plan of the current company running today (approved first).",
        groups=SALES_GROUP)
    kam_current_plan_achievement = fields.Float(
        string="Current Plan Achievement (%)", compute="_compute_kam_current_plan",
        digits=(16, 0), groups=SALES_GROUP, help="The achievement of the current plan.")

    @api.depends_context("company")
    def _compute_kam_account_plan_count(self):
        groups = self.env["kam.account.plan"]._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id"], ["__count"])
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.kam_account_plan_count = counts.get(partner.id, 0)

    @api.depends_context("company")
    def _compute_kam_current_plan(self):
        today = self.env.company._kam_today()
        plans = self.env["kam.account.plan"].search([
            ("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id),
            ("date_start", "<=", today), ("date_end", ">=", today), ("state", "!=", "closed"),
        ])
        rank = {"approved": 0, "submitted": 1, "draft": 2}
        current = {}
        for plan in plans.sorted(lambda p: (rank.get(p.state, 3), -p.id)):
            current.setdefault(plan.partner_id.id, plan)
        for partner in self:
            plan = current.get(partner.id, plans.browse())
            partner.kam_current_plan_id = plan
            partner.kam_current_plan_achievement = plan.achievement if plan else 0.0

    def action_view_kam_current_plan(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.account.plan",
            "res_id": self.kam_current_plan_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_kam_account_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_account_plan_action")
        action.update({
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        })
        return action

    def _kam_handover_records(self, old_user, new_user):
        """Also move the open account plans of these accounts carried by
        ``old_user``, their open actions and the activities on them."""
        res = super()._kam_handover_records(old_user, new_user)
        Plan = self.env["kam.account.plan"]
        plans = Plan.search([
            ("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id),
            ("state", "!=", "closed"),
        ])
        plans.filtered(lambda p: p.user_id == old_user).write({"user_id": new_user.id})
        actions = self.env["kam.account.plan.action"].search([
            ("plan_id", "in", plans.ids), ("user_id", "=", old_user.id),
            ("state", "in", ("todo", "in_progress")),
        ])
        actions.write({"user_id": new_user.id})
        self.env["mail.activity"].search([
            ("res_model", "=", Plan._name), ("res_id", "in", plans.ids),
            ("user_id", "=", old_user.id),
        ]).write({"user_id": new_user.id})
        return res
