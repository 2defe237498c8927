from markupsafe import Markup

from odoo import api, models

DIGEST_MAX_ACCOUNTS = 20


class KamDigest(models.AbstractModel):
    """Directors' digest: the key accounts with churn signals, the weakest first."""

    _inherit = "kam.digest"

    @api.model
    def _get_digest_sections(self, company):
        sections = super()._get_digest_sections(company)
        Partner = self.env["res.partner"].with_company(company)
        accounts = Partner.search([("is_company", "=", True), ("kam_state", "=", "registered"),
                                   ("kam_signal_count", ">", 0)])
        if not accounts:
            return sections
        accounts = accounts.sorted(lambda p: (p.kam_health_score or 0.0, p.name))
        rows = Markup("").join(
            Markup("<li><b>%s</b> (%s, %s): %s</li>") % (
                account.name, account.kam_manager_id.name or "-",
                self.env._("health %(score)s", score=account.kam_health_score),
                Markup("; ").join(account._kam_signal_lines()))
            for account in accounts[:DIGEST_MAX_ACCOUNTS])
        title = self.env._("Churn signals: %(count)s account(s)", count=len(accounts))
        sections.append((title, Markup("<ul>%s</ul>") % rows))
        return sections
