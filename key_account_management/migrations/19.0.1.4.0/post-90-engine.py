"""19.0.1.4.0, for existing databases: the engine's figures are the new release's.

Runs last of this release's post-migrations (they are named ``post-10-<topic>.py``): the
engine stores each account's figures in its nightly run; after an upgrade they would stay
the old release's until the next night. It runs here once, as its scheduled action does
(batched SQL per company); the upgrade test checks that running it again changes nothing.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    stats = env["kam.scoring"]._recompute_companies()
    _logger.info("Key account engine run by the 19.0.1.4.0 upgrade: %s", dict(stats))
