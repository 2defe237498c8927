from odoo import fields, models


class KamTierHistory(models.Model):
    """Changes of an account's key account manager are recorded too (manual
    assignment, approval of a nomination, handover), next to tier and status."""

    _inherit = "kam.tier.history"

    change_type = fields.Selection(
        selection_add=[("manager", "Key Account Manager")], ondelete={"manager": "cascade"})
    old_manager_id = fields.Many2one(
        "res.users", string="Old Key Account Manager", readonly=True)
    new_manager_id = fields.Many2one(
        "res.users", string="New Key Account Manager", readonly=True)

    def _kam_message_body(self):
        self.ensure_one()
        if self.change_type != "manager":
            return super()._kam_message_body()
        cause = dict(self._fields["cause"]._description_selection(self.env))[self.cause]
        body = self.env._(
            "Key account manager: %(old)s → %(new)s (%(cause)s)",
            old=self.old_manager_id.name or self.env._("none"),
            new=self.new_manager_id.name or self.env._("none"), cause=cause)
        if self.note:
            body = self.env._("%(change)s: %(note)s", change=body, note=self.note)
        return body
