"""19.0.1.2.0, for existing databases:

* (The record rules it added reach an upgraded database through 19.0.1.3.0's
  migration: the rules file follows the code since then.)
* The scoring engine's metrics and score columns of res_partner have no index any
  more (``index=False``): every scored customer has a value, so the ``IS NOT
  NULL`` indexes Odoo makes for company-dependent fields only slowed down the
  engine's nightly UPDATE (each index gets a new entry per row written). Odoo
  keeps an index a field no longer asks for: they are dropped here.
* A cancelled service request has no next deadline any more: the ones already
  cancelled are recomputed."""

from odoo import SUPERUSER_ID, api
from odoo.addons.key_account_management.models.res_partner_scoring import UNINDEXED_COLUMNS
from odoo.tools import sql


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for column in UNINDEXED_COLUMNS:
        sql.drop_index(cr, sql.make_index_name("res_partner", column), "res_partner")
    cancelled = env["kam.service.request"].with_context(active_test=False).search(
        [("state", "=", "cancelled"), ("next_deadline", "!=", False)])
    env.add_to_compute(cancelled._fields["next_deadline"], cancelled)
    cancelled.flush_recordset(["next_deadline"])
