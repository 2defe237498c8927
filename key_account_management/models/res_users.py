from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL


class ResUsers(models.Model):
    _inherit = "res.users"

    # ---- ORM ----
    @api.model
    def default_get(self, fields):
        """A new user's contact gets the defaults of its key-account fields from
        res.partner itself. Through ``_inherits`` Odoo passes the defaults of
        res.users (those of its contact's fields) to the contact's creation as
        given values, and refuses given values of fields outside the creator's
        groups: an accountant, an HR officer or an administrator outside sales
        could not create a user (issue 21)."""
        defaults = super().default_get(fields)
        partner = self.env["res.partner"]
        for name in [name for name in defaults if name.startswith("kam_")]:
            field = self._fields.get(name)
            if (field is not None and field.inherited
                    and f"default_{name}" not in self.env.context
                    and not partner._has_field_access(partner._fields[name], "write")):
                del defaults[name]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._kam_set_home_action()
        return users

    def write(self, vals):
        res = super().write(vals)
        if "group_ids" in vals:
            self._kam_set_home_action()
        return res

    @api.model
    def _kam_init_home_actions(self):
        """At install and upgrade (menus data): the users already in the key-account
        groups get the same home action."""
        group = self.env.ref("key_account_management.key_account_management_group_manager")
        self.search([("all_group_ids", "in", group.ids), ("action_id", "=", False),
                     ("share", "=", False)])._kam_set_home_action()

    def _kam_set_home_action(self):
        """The day's work first: a user who becomes a Key Account Manager or Director,
        and has no home action of their own, lands on their key accounts (My Accounts)
        instead of Discuss. A home action already chosen is kept; administrators keep
        theirs (they set up every app, not only this one)."""
        action = self.env.ref("key_account_management.res_partner_action_my_key_accounts",
                              raise_if_not_found=False)
        if not action:
            return
        users = self.filtered(
            lambda u: not u.action_id and not u.share
            and u.has_group("key_account_management.key_account_management_group_manager")
            and not u.has_group("base.group_system"))
        if users:
            users.write({"action_id": action.id})

    def _kam_account_domain(self, prefix="", managed_only=False):
        """Domain of the records of the key accounts ``self`` works on, correlated
        with the company: ``[(prefix+'company_id', '=', c), (prefix+'partner_id',
        'in', [accounts of c])]`` or-ed over every company where the user is the
        key account manager (the company-dependent ``kam_manager_id``) or, unless
        ``managed_only``, serves on the account team (``kam.team.member``), and the
        members of these accounts' groups at every level (group customers: the group
        KAM works on the members). A false domain when there is none.

        Used by the record rules (``user._kam_account_domain()``): unlike
        ``partner_id.kam_user_ids`` it does not depend on the current company,
        so a user with several companies active sees, in each company, only
        the accounts they work on in that company. The rules cache this domain:
        changes of a manager or a team row clear the registry cache.
        """
        self.ensure_one()
        self.env["res.partner"].flush_model(["kam_manager_id"])
        query = SQL(
            """SELECT p.id, kv.key::int
                 FROM res_partner p, jsonb_each_text(p.kam_manager_id) kv
                WHERE p.kam_manager_id IS NOT NULL AND kv.value = %s""",
            str(self.id))
        if not managed_only:
            self.env["kam.team.member"].flush_model(["partner_id", "company_id", "user_id"])
            query = SQL(
                "%s UNION SELECT partner_id, company_id FROM kam_team_member WHERE user_id = %s",
                query, self.id)
        # group customers (集团客户, issue 22): who works on a group account works on its
        # members at every level, in the same company (a loop stops at its first repeat)
        self.env["res.partner"].flush_model(["kam_group_parent_id"])
        query = SQL(
            """WITH RECURSIVE base(pid, cid) AS (%s),
                    tree(pid, cid, path) AS (
                        SELECT pid, cid, ARRAY[pid] FROM base
                     UNION ALL
                        SELECT c.id, t.cid, t.path || c.id
                          FROM tree t
                          JOIN res_partner c
                            ON c.kam_group_parent_id IS NOT NULL
                           AND (c.kam_group_parent_id->>t.cid::text)::int4 = t.pid
                         WHERE NOT c.id = ANY(t.path))
               SELECT DISTINCT pid, cid FROM tree""", query)
        self.env.cr.execute(query)
        by_company = defaultdict(list)
        for partner_id, company_id in sorted(self.env.cr.fetchall()):
            by_company[company_id].append(partner_id)
        # written out in prefix form (one term) so that rules can append it to
        # their own or-ed terms: ['|', ('user_id', '=', user.id)] + user._kam_account_domain()
        items = sorted(by_company.items())
        if not items:
            return [(0, "=", 1)]
        domain = ["|"] * (len(items) - 1)
        for company_id, partner_ids in items:
            domain += ["&", (f"{prefix}company_id", "=", company_id),
                       (f"{prefix}partner_id", "in", partner_ids)]
        return domain
