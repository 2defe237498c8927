from odoo import api, fields, models

# what a plan's pipeline and forecast depend on (see ``kam.account.plan._get_pipeline``)
PIPELINE_FIELDS = frozenset(
    ("type", "active", "stage_id", "probability", "expected_revenue", "date_deadline",
     "partner_id", "company_id", "won_status"))


class CrmLead(models.Model):
    _inherit = "crm.lead"

    kam_account_plan_id = fields.Many2one(
        "kam.account.plan", string="Account Plan", index="btree_not_null", ondelete="set null",
        copy=False,
        help="The key account plan this opportunity was created from.")
    kam_product_categ_id = fields.Many2one(
        "product.category", string="Whitespace Category", index="btree_not_null",
        ondelete="set null", copy=False,
        help="The product category gap of the account plan this opportunity addresses.")

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._kam_refresh_plans()
        return leads

    def write(self, vals):
        if not PIPELINE_FIELDS.intersection(vals):
            return super().write(vals)
        partners = self.partner_id
        res = super().write(vals)
        self._kam_refresh_plans(partners)
        return res

    def unlink(self):
        partners = self.filtered(lambda lead: lead.type == "opportunity").partner_id
        res = super().unlink()
        self.env["kam.account.plan"]._refresh_plans_of(partners)
        return res

    # ---- Business ----
    def _kam_refresh_plans(self, partners=None):
        """An opportunity created, moved or won/lost refreshes the forecast reported by
        the plans of its account (before and after the change)."""
        opportunities = self.filtered(lambda lead: lead.type == "opportunity")
        accounts = opportunities.partner_id | (partners or self.env["res.partner"])
        if accounts:
            self.env["kam.account.plan"]._refresh_plans_of(accounts)
