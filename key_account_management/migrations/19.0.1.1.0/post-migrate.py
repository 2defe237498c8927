"""The record rules are ``noupdate``: bring the rule on account plan needs of an
existing database to the new domain (the owners of the plan's actions who are
not on the account team no longer read the personal needs)."""

from odoo import SUPERUSER_ID, api

NEED_RULE_DOMAIN = ("['|', ('plan_id.user_id', '=', user.id), "
                    "('plan_id.partner_id.kam_user_ids', 'in', [user.id])]")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("key_account_management.kam_account_plan_need_rule_salesman",
                   raise_if_not_found=False)
    if rule and "action_ids" in (rule.domain_force or ""):
        rule.domain_force = NEED_RULE_DOMAIN
