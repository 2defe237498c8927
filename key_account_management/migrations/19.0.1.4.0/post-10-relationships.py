"""19.0.1.4.0, for existing databases: the relationship strengths (issue 26) from the day
of the upgrade, not from the next night.

The model, its rules and its scheduled action arrive with the module's data; this computes
the relationships once, as the scheduled action does (one SQL pass per kind of touch), so
that the coverage map, "who knows whom" and the red flags drawn from strengths have data at
once. Running it again changes nothing (only changed pairs are written).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    stats = env["kam.relationship"]._kam_recompute()
    _logger.info("Relationship strengths computed by the 19.0.1.4.0 upgrade: %s", stats)
