from odoo import fields, models

from ..models.res_partner import kam_partner_selection


class KamLifecycleWizard(models.TransientModel):
    """A director sets an account's lifecycle stage by hand, with a reason."""

    _name = "kam.lifecycle.wizard"
    _description = "Set a Key Account's Lifecycle Stage"

    partner_id = fields.Many2one("res.partner", string="Account", required=True)
    stage = fields.Selection(
        kam_partner_selection("kam_lifecycle_stage"),
        string="Lifecycle Stage", required=True)
    reason = fields.Char(
        required=True, help="Why the stage is set by hand; the engine keeps it until a "
                            "director gives it back.")

    def action_apply(self):
        self.ensure_one()
        self.partner_id._kam_set_lifecycle(self.stage, self.reason)
        return {"type": "ir.actions.act_window_close"}
