from markupsafe import Markup

from odoo import api, models


class KamDigest(models.AbstractModel):
    """Directors' digest: the accounts overdue for a visit, by key account manager."""

    _inherit = "kam.digest"

    @api.model
    def _get_digest_sections(self, company):
        sections = super()._get_digest_sections(company)
        partners = self.env["res.partner"].with_company(company).search(
            [("kam_visit_overdue", "=", True)], order="name")
        if not partners:
            return sections
        today = self.env.company._kam_today()
        rows = []
        for user, accounts in sorted(partners.grouped("kam_manager_id").items(),
                                     key=lambda item: item[0].name or ""):
            items = Markup("").join(
                Markup("<li>%s (%s)</li>") % (
                    account.name,
                    self.env._("%(days)s days overdue", days=(
                        today - account.kam_visit_due_date).days)
                    if account.kam_last_visit_date else self.env._("never visited"))
                for account in accounts)
            rows.append(Markup("<p><b>%s</b></p><ul>%s</ul>") % (
                user.name or self.env._("No key account manager"), items))
        title = self.env._("Accounts overdue for a visit (%(count)s)", count=len(partners))
        sections.append((title, Markup("").join(rows)))
        return sections
