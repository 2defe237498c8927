from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    # the key-account settings have the bounds of the company's fields they show
    _inherit = ["res.config.settings", "kam.bounds.mixin"]

    kam_revenue_basis = fields.Selection(
        related="company_id.kam_revenue_basis", readonly=False)

    # ---- Onchanges ----
    @api.onchange("group_product_pricelist")
    def _onchange_group_sale_pricelist(self):
        """The pricelist feature stays on while a key-account tier gives a pricelist:
        switching it off would archive every pricelist, the tiers' included."""
        if not self.group_product_pricelist:
            tiers = self.env["kam.tier"]._tiers_using_pricelists()
            if tiers:
                self.group_product_pricelist = True
                return {"warning": {
                    "title": self.env._("Pricelists are in use"),
                    "message": self._kam_pricelist_feature_message(tiers),
                }}
        return super()._onchange_group_sale_pricelist()

    # ---- Business ----
    def _kam_pricelist_feature_message(self, tiers):
        return self.env._(
            "The pricelist feature cannot be switched off: the key-account tiers %(tiers)s "
            "give their accounts a pricelist, which switching it off would archive. Remove "
            "the pricelist of these tiers first (Key Accounts > Configuration > Tiers).",
            tiers=", ".join(tiers.mapped("display_name")))

    def set_values(self):
        # kept on rather than refused: the form already warned (onchange), and saving
        # other settings must not fail because of it
        if not self.group_product_pricelist and self.env["kam.tier"]._tiers_using_pricelists():
            self.group_product_pricelist = True
        return super().set_values()
