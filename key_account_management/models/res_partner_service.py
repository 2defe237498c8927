from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_service_open_count = fields.Integer(
        string="Open Service Requests", compute="_compute_kam_service_counts",
        groups="key_account_management.key_account_management_group_service")
    kam_service_breach_count = fields.Integer(
        string="SLA Breaches (90 days)", compute="_compute_kam_service_counts",
        groups="key_account_management.key_account_management_group_service")

    def _compute_kam_service_counts(self):
        figures = self.env["kam.service.request"]._get_account_figures(self)
        for partner in self:
            partner.kam_service_open_count, partner.kam_service_breach_count = \
                figures.get(partner, (0, 0))

    def action_view_kam_service_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_service_request_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
