from odoo import api, models


class KamDigest(models.AbstractModel):
    _inherit = "kam.digest"

    @api.model
    def _get_digest_sections(self, company):
        """Add the approved plans running behind the company's pace threshold."""
        sections = super()._get_digest_sections(company)
        plans = self.env["kam.account.plan"].with_company(company)._get_behind_pace_plans(company)
        if plans:
            sections.append((
                self.env._("Account plans behind pace (below %(threshold)s %% of time elapsed)",
                           threshold=round(company.kam_plan_pace_threshold)),
                plans._digest_html(),
            ))
        return sections
