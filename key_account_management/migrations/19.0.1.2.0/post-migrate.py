"""19.0.1.2.0: the scoring engine's metrics and score columns of res_partner have
no index any more (``index=False``): every scored customer has a value, so the
``IS NOT NULL`` indexes Odoo makes for company-dependent fields only slowed down
the engine's nightly UPDATE (each index gets a new entry per row written). Odoo
keeps an index a field no longer asks for: drop them here, as a new
installation has none."""

from odoo.tools import sql

from odoo.addons.key_account_management.models.res_partner_scoring import UNINDEXED_COLUMNS


def migrate(cr, version):
    for column in UNINDEXED_COLUMNS:
        sql.drop_index(cr, sql.make_index_name("res_partner", column), "res_partner")
