"""19.0.1.3.0, for existing databases: the engine's figures are the new release's.

The figures of each account (revenue, Pareto class, score, suggested tier, health) are
stored by the engine's nightly run: after an upgrade they would stay those of the old
release's formulas until the next night, and screens, reports and scorecards would mix
both. The engine runs here once, as its scheduled action does (batched SQL per company,
companies locked by another run skipped): the upgrade test checks that running it again
changes nothing.

The calendar events of the visits are private to the visit's people (earlier releases
made them readable by every employee, the other company's KAMs included): the events of
existing visits are made private here, as new ones are.

A care reminder is unique per company.

Up to 19.0.1.2.0 the constraint ``kam_care_reminder_key_uniq`` was ``UNIQUE(key)``,
the key being occasion, account, stakeholder and year without the company: an
account registered in two companies (an occasion of every company, e.g. a holiday)
got the reminder of the first company the daily action ran for, never the second
one's. The constraint is now ``UNIQUE(company_id, key)``. Odoo replaces a changed
constraint of the same name when it loads the model; this step makes sure the
database ends with the new definition (and not the old one) whatever happened
then. The existing rows satisfy it (they were unique by key alone); their keys are
unchanged, so no reminder of the year is sent a second time in its company.

The pricelist feature is on when a tier gives a pricelist: up to 19.0.1.2.0 a tier
could point to a pricelist with Odoo's pricelist feature off, and saving the Settings
then archived every pricelist, the tiers' included. New tiers switch it on; here it is
switched on for the tiers already there.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import sql

_logger = logging.getLogger(__name__)

TABLE = "kam_care_reminder"
CONSTRAINT = "kam_care_reminder_key_uniq"
DEFINITION = "UNIQUE(company_id, key)"


def _care_reminder_unique_per_company(cr):
    if not sql.table_exists(cr, TABLE):
        return
    current = sql.constraint_definition(cr, TABLE, CONSTRAINT)
    if current == DEFINITION:
        return
    if current:
        sql.drop_constraint(cr, TABLE, CONSTRAINT)
    sql.add_constraint(cr, TABLE, CONSTRAINT, DEFINITION)


def migrate(cr, version):
    _care_reminder_unique_per_company(cr)
    cr.execute("""
        UPDATE calendar_event e
           SET privacy = 'private'
          FROM kam_visit v
         WHERE v.calendar_event_id = e.id
           AND e.privacy IS DISTINCT FROM 'private'
    """)
    _logger.info("Visits' calendar events made private: %s", cr.rowcount)
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["kam.tier"]._tiers_using_pricelists()._ensure_pricelist_feature()
    stats = env["kam.scoring"]._recompute_companies()
    _logger.info("Key account engine run by the 19.0.1.3.0 upgrade: %s", dict(stats))
