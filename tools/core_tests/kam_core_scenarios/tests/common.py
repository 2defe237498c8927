"""A key account as the addon's users set it up, in the current company."""

from odoo.tests import new_test_user

GROUP_MANAGER = "key_account_management.key_account_management_group_manager"
GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"
KAM_GROUPS = (GROUP_MANAGER, GROUP_DIRECTOR)


def make_key_account(env, name="Zenith Retail Group"):
    """``(account, contact, kam_user)``: a registered key account of tier
    "Strategic" (15% discount allowance) with one contact, managed by a KAM, in
    the current company. Set up as the addon's users do: a Key Account Director
    creates the tier, registers the account and names its KAM. Not by ``sudo()``:
    the test classes of Odoo's apps run as a user of their own (``accountman``,
    in no key-account group), and the addon grants a ``sudo()`` environment of a
    user no right that user lacks (``kam_trusted``). The records are returned in
    a ``sudo()`` environment, for the scenarios' checks."""
    env = env(su=True)
    company = env.company
    director = new_test_user(env, login=f"kamcore_director_{company.id}",
                             name="Dora Director", groups=GROUP_DIRECTOR,
                             company_id=company.id)
    kam_user = new_test_user(env, login=f"kamcore_kam_{company.id}",
                             name="Kai Account Manager", groups=GROUP_MANAGER,
                             company_id=company.id)
    as_director = env(user=director, su=False)
    tier = as_director["kam.tier"].create({
        "name": "Strategic", "code": "CS", "sequence": 1, "min_score": 70,
        "min_revenue": 100000, "visit_interval_days": 14, "max_discount": 15,
    })
    account = env["res.partner"].create({
        "name": name, "is_company": True, "email": "buyer@zenith.example.com",
        "street": "1 Zenith Road", "city": "Shanghai", "zip": "200000",
        "country_id": env.ref("base.cn").id,
    })
    contact = env["res.partner"].create({
        "name": "Zoe Buyer", "parent_id": account.id, "type": "contact",
        "email": "zoe@zenith.example.com",
    })
    account.with_env(as_director).write({
        "kam_state": "registered", "kam_tier_id": tier.id, "kam_manager_id": kam_user.id})
    return account, contact, kam_user


def assert_no_kam_group(testcase, *users):
    for user in users:
        for group in KAM_GROUPS:
            testcase.assertFalse(user.has_group(group), f"{user.login} has {group}")
