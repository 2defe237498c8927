"""19.0.1.4.0, for existing databases: the printed documents' file names (issue 27).

The reports' ``print_report_name`` is a translated field: the update writes its new
English value and keeps the other languages' old expressions ('走访 - %s' % object.name),
and the translations loaded after this step do not overwrite them. Each language's value
is dropped here, so that the update's translations give the new one.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

REPORTS = (
    "key_account_management.kam_visit_report_action",
    "key_account_management.kam_visit_plan_report_action",
    "key_account_management.kam_account_plan_report",
    "key_account_management.kam_account_review_report_action",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    reports = [env.ref(xmlid, raise_if_not_found=False) for xmlid in REPORTS]
    ids = [report.id for report in reports if report]
    if ids:
        cr.execute(SQL(
            "UPDATE ir_act_report_xml SET print_report_name = "
            "jsonb_build_object('en_US', print_report_name->'en_US') "
            "WHERE id IN %s AND print_report_name IS NOT NULL", tuple(ids)))
