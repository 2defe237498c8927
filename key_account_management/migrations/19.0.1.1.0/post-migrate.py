"""The record rules are ``noupdate``: an existing database keeps the rules it was
installed with. 19.0.1.1.0 changes them (rules that correlate account and
company, personal needs private to the account team), so reload them all from
the module's rules file, as a new installation has them."""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(env, "key_account_management", "security/key_account_management_rules.xml",
                 {}, mode="update", noupdate=False)
