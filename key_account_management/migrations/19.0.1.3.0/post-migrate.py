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
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute("""
        UPDATE calendar_event e
           SET privacy = 'private'
          FROM kam_visit v
         WHERE v.calendar_event_id = e.id
           AND e.privacy IS DISTINCT FROM 'private'
    """)
    _logger.info("Visits' calendar events made private: %s", cr.rowcount)
    env = api.Environment(cr, SUPERUSER_ID, {})
    stats = env["kam.scoring"]._recompute_companies()
    _logger.info("Key account engine run by the 19.0.1.3.0 upgrade: %s", dict(stats))
