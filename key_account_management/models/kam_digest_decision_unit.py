from markupsafe import Markup

from odoo import api, models

from .res_partner_decision_unit import RED_FLAGS

DIGEST_MAX_ACCOUNTS = 20


class KamDigest(models.AbstractModel):
    """Directors' digest: the key accounts whose decision unit raises red flags."""

    _inherit = "kam.digest"

    @api.model
    def _get_digest_sections(self, company):
        sections = super()._get_digest_sections(company)
        Partner = self.env["res.partner"].with_company(company)
        accounts = Partner.search(Partner._kam_decision_unit_domain())
        stats = accounts._kam_decision_unit_stats()
        flagged = accounts.filtered(lambda p: stats.get(p.id, {}).get("flags"))
        if not flagged:
            return sections
        flagged = flagged.sorted(lambda p: (-len(stats[p.id]["flags"]), p.name))
        labels = Partner._kam_red_flag_labels()
        rows = Markup("").join(
            Markup("<li><b>%s</b> (%s): %s</li>") % (
                account.name, account.kam_manager_id.name or "-",
                ", ".join(labels[f] for f in RED_FLAGS if f in stats[account.id]["flags"]))
            for account in flagged[:DIGEST_MAX_ACCOUNTS])
        title = self.env._(
            "Decision units with red flags: %(count)s account(s)", count=len(flagged))
        sections.append((title, Markup("<ul>%s</ul>") % rows))
        return sections
