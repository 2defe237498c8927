from odoo import fields, models


class KamTierLockWizard(models.TransientModel):
    """Asks a director why an account's tier is locked, then locks it."""

    _name = "kam.tier.lock.wizard"
    _description = "Lock a Key Account Tier"

    partner_id = fields.Many2one("res.partner", string="Account", required=True)
    tier_id = fields.Many2one(related="partner_id.kam_tier_id", string="Tier")
    reason = fields.Char(
        required=True, help="Why scoring must no longer change this account's tier.")

    def action_lock(self):
        self.ensure_one()
        self.partner_id._kam_with_change("manual").write({
            "kam_tier_locked": True, "kam_tier_lock_reason": self.reason,
        })
        self.partner_id._message_log(body=self.env._(
            "Key account tier %(tier)s locked by %(user)s: %(reason)s",
            tier=self.partner_id.kam_tier_id.display_name or self.env._("none"),
            user=self.env.user.name, reason=self.reason))
        return {"type": "ir.actions.act_window_close"}
