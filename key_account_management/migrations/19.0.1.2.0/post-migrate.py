"""The record rules are ``noupdate``: an existing database keeps the rules it was
installed with. 19.0.1.2.0 adds one (issue 12: a service user creates dispatch
lines only on the requests they drive or whose main team they lead), so reload
the rules from the module's rules file, as a new installation has them."""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(env, "key_account_management", "security/key_account_management_rules.xml",
                 {}, mode="update", noupdate=False)
