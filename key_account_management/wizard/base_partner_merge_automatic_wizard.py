from odoo import models

from ..models.res_partner_scoring import KAM_ENGINE, KAM_ENGINE_WRITE


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # merging contacts copies the merged contacts' values, key-account figures
        # included, onto the one kept: allowed (they are the engine's own figures,
        # recomputed by its next run)
        return super()._update_values(
            src_partners, dst_partner.with_context(**{KAM_ENGINE_WRITE: KAM_ENGINE}))
