from odoo import fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL


class KamAccountPlanWhitespace(models.Model):
    """Whitespace grid of an account plan (SQL view): for each product category
    we sell (products without a category are left out; when the company names its
    product lines, ``kam_whitespace_categ_ids``, those and their subcategories only),
    what the account bought
    in it over the last 24 months, on the
    company's revenue basis (confirmed order lines or posted invoice lines net
    of refunds). A category never bought is a gap to turn into an opportunity.

    One grouped query; the plan filter is pushed down to the grouped lines.
    """

    _name = "kam.account.plan.whitespace"
    _description = "Account Plan Whitespace"
    _auto = False
    _order = "bought, amount desc, categ_id"

    plan_id = fields.Many2one("kam.account.plan", string="Account Plan", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    amount = fields.Monetary(
        string="Bought (24 Months)", currency_field="currency_id", readonly=True)
    last_date = fields.Date(string="Last Purchase", readonly=True)
    bought = fields.Boolean(readonly=True)
    has_opportunity = fields.Boolean(
        string="Opportunity Open", readonly=True,
        help="An open opportunity was created from the plan for this category.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE OR REPLACE VIEW %(table)s AS (
            WITH sold AS (
                SELECT kp.id AS plan_id, pt.categ_id,
                       SUM(sol.price_subtotal
                           / COALESCE(NULLIF(so.currency_rate, 0), 1.0)) AS amount,
                       MAX(so.date_order)::date AS last_date
                  FROM kam_account_plan kp
                  JOIN res_company c ON c.id = kp.company_id AND c.kam_revenue_basis = 'order'
                  JOIN res_partner p ON p.commercial_partner_id = kp.partner_id
                  JOIN sale_order so ON so.partner_id = p.id AND so.company_id = kp.company_id
                  JOIN sale_order_line sol ON sol.order_id = so.id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE so.state = 'sale'
                   AND pt.categ_id IS NOT NULL
                   AND sol.display_type IS NULL
                   AND NOT COALESCE(sol.is_downpayment, FALSE)
                   AND so.date_order >= (CURRENT_DATE - INTERVAL '24 months')
              GROUP BY kp.id, pt.categ_id
             UNION ALL
                SELECT kp.id AS plan_id, pt.categ_id,
                       SUM(-aml.balance) AS amount,
                       MAX(am.invoice_date) AS last_date
                  FROM kam_account_plan kp
                  JOIN res_company c ON c.id = kp.company_id AND c.kam_revenue_basis = 'invoice'
                  JOIN account_move am ON am.commercial_partner_id = kp.partner_id
                                      AND am.company_id = kp.company_id
                  JOIN account_move_line aml ON aml.move_id = am.id
                  JOIN product_product pp ON pp.id = aml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE am.state = 'posted'
                   AND pt.categ_id IS NOT NULL
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND aml.display_type = 'product'
                   AND am.invoice_date >= (CURRENT_DATE - INTERVAL '24 months')
              GROUP BY kp.id, pt.categ_id
            ), offered AS (
                SELECT kp.id AS plan_id, pt.categ_id
                  FROM kam_account_plan kp
                  JOIN product_template pt ON pt.active AND pt.sale_ok AND pt.categ_id IS NOT NULL
                                          AND (pt.company_id IS NULL
                                               OR pt.company_id = kp.company_id)
              GROUP BY kp.id, pt.categ_id
            ), grid AS (
                SELECT plan_id, categ_id FROM offered
                 UNION
                SELECT plan_id, categ_id FROM sold
            )
            SELECT grid.plan_id::bigint * 100000 + grid.categ_id AS id,
                   grid.plan_id,
                   kp.partner_id,
                   kp.company_id,
                   grid.categ_id,
                   COALESCE(sold.amount, 0.0) AS amount,
                   sold.last_date,
                   COALESCE(sold.amount, 0.0) > 0 AS bought,
                   EXISTS (SELECT 1 FROM crm_lead l
                            WHERE l.kam_account_plan_id = grid.plan_id
                              AND l.kam_product_categ_id = grid.categ_id
                              AND l.active AND l.won_status = 'pending') AS has_opportunity
              FROM grid
              JOIN kam_account_plan kp ON kp.id = grid.plan_id
              JOIN product_category pc ON pc.id = grid.categ_id
         LEFT JOIN sold ON sold.plan_id = grid.plan_id AND sold.categ_id = grid.categ_id
             WHERE NOT EXISTS (SELECT 1 FROM kam_company_whitespace_categ_rel r
                                WHERE r.company_id = kp.company_id)
                OR EXISTS (SELECT 1 FROM kam_company_whitespace_categ_rel r
                             JOIN product_category line ON line.id = r.categ_id
                            WHERE r.company_id = kp.company_id
                              AND pc.parent_path LIKE line.parent_path || '%%')
            )
            """,
            table=SQL.identifier(self._table)))

    def action_create_opportunity(self):
        """Turn a gap of the grid into an opportunity of the account, linked to
        the plan and the category, and open it."""
        self.ensure_one()
        plan = self.plan_id
        if self.has_opportunity:
            raise UserError(self.env._(
                "An open opportunity already exists for %(category)s at %(account)s.",
                category=self.categ_id.display_name, account=plan.partner_id.display_name))
        lead = self.env["crm.lead"].create({
            "name": self.env._("%(account)s: %(category)s",
                               account=plan.partner_id.name, category=self.categ_id.name),
            "type": "opportunity",
            "partner_id": plan.partner_id.id,
            "user_id": plan.user_id.id,
            "company_id": plan.company_id.id,
            "date_deadline": plan.date_end,
            "kam_account_plan_id": plan.id,
            "kam_product_categ_id": self.categ_id.id,
            "description": self.env._(
                "Whitespace of the account plan %(plan)s: the account has not bought %(category)s "
                "from us in the last 24 months.",
                plan=plan.name, category=self.categ_id.display_name),
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
