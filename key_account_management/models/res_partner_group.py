from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .kam_flow_mixin import kam_acting_user, kam_has_group, kam_trusted
from .kam_private_mixin import kam_changed_records, kam_write_value
from .kam_reader import reader_amount
from .res_partner import SALES_GROUP

# the roll-ups of a group account (kam.scoring, kam_scoring_group.py): the engine's only
GROUP_ROLLUP_FIELDS = (
    "kam_group_member_count", "kam_group_buying_count", "kam_group_coverage",
    "kam_group_revenue_children_12m", "kam_group_revenue_12m",
    "kam_group_revenue_prev_children_12m", "kam_group_revenue_prev_12m",
    "kam_group_order_count", "kam_group_growth_rate", "kam_group_revenue_share",
    "kam_group_open_requests", "kam_group_breached_requests", "kam_group_worst_health",
    "kam_group_worst_member_id",
)

GROUP_MANAGER = "key_account_management.key_account_management_group_manager"
GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


class ResPartner(models.Model):
    """Group customers (集团客户): the group an account belongs to, per company.

    A field of our own (``kam_group_parent_id``), never ``parent_id``: Odoo
    copies a parent's address into its children and writes their address
    changes up to it (``_fields_sync``), whereas the members of a group keep
    their own invoicing, VAT, addresses and key account manager. A member
    belongs to one group per company (a many2one per company), any depth;
    loops, self-membership, contacts and companies' partners of another company
    are refused.

    Who sets it: a Key Account Director, or a key account manager who is in the
    account team of the member *and* of the new group (joining a group shows
    the group's figures to the member's team, so nobody attaches an account to
    a group they do not serve). Each change is kept in the account's history.
    """

    _inherit = "res.partner"

    kam_group_parent_id = fields.Many2one(
        "res.partner", string="Group Account", company_dependent=True, copy=False,
        domain="[('is_company', '=', True), ('parent_id', '=', False), ('id', '!=', id)]",
        help="The group customer (集团客户) this account is a member of in the current "
             "company: its headquarters or the subsidiary above it. The member keeps its own "
             "addresses, VAT, invoicing and key account manager.",
        groups=SALES_GROUP)
    kam_group_member_ids = fields.Many2many(
        "res.partner", string="Group Members", compute="_compute_kam_group_member_ids",
        help="The accounts directly below this one in its group, in the current company.",
        groups=SALES_GROUP)
    kam_group_root_id = fields.Many2one(
        "res.partner", string="Top Group Account", compute="_compute_kam_group_root_id",
        help="The top of this account's group in the current company (itself when it is "
             "not a member of a group).",
        groups=SALES_GROUP)

    # ---- Roll-ups (the nightly engine's, per company; empty on an account without members) ----
    kam_group_member_count = fields.Integer(
        string="Group Members (all levels)", company_dependent=True, index=False, copy=False,
        readonly=True, groups=SALES_GROUP,
        help="The accounts below this one in its group, at every level.")
    kam_group_buying_count = fields.Integer(
        string="Buying Members", company_dependent=True, index=False, copy=False, readonly=True,
        groups=SALES_GROUP, help="The members (all levels) with revenue in the last 12 months.")
    kam_group_coverage = fields.Float(
        string="Group Coverage (%)", company_dependent=True, index=False, copy=False,
        readonly=True, digits=(16, 2), groups=SALES_GROUP,
        help="Buying members against all members, in %: 5 of 12 branches buy = 41.67 %.")
    kam_group_revenue_children_12m = fields.Float(
        string="Members' Revenue (12 months)", company_dependent=True, index=False, copy=False,
        readonly=True, digits=(16, 2), groups=SALES_GROUP,
        help="The 12-month revenue of the members (all levels), without the account's own.")
    kam_group_revenue_12m = fields.Float(
        string="Group Revenue (12 months)", company_dependent=True, index=False, copy=False,
        readonly=True, digits=(16, 2), groups=SALES_GROUP,
        help="The account's own 12-month revenue plus its members'.")
    kam_group_revenue_prev_children_12m = fields.Float(
        string="Members' Revenue (previous 12 months)", company_dependent=True, index=False,
        copy=False, readonly=True, digits=(16, 2), groups=SALES_GROUP)
    kam_group_revenue_prev_12m = fields.Float(
        string="Group Revenue (previous 12 months)", company_dependent=True, index=False,
        copy=False, readonly=True, digits=(16, 2), groups=SALES_GROUP)
    kam_group_order_count = fields.Integer(
        string="Group Orders (12 months)", company_dependent=True, index=False, copy=False,
        readonly=True, groups=SALES_GROUP)
    kam_group_growth_rate = fields.Float(
        string="Group Growth (%)", company_dependent=True, index=False, copy=False,
        readonly=True, digits=(16, 2), groups=SALES_GROUP,
        help="Change of the group's 12-month revenue against the 12 months before, in %.")
    kam_group_revenue_share = fields.Float(
        string="Group Revenue Share (%)", company_dependent=True, index=False, copy=False,
        readonly=True, digits=(16, 2), groups=SALES_GROUP,
        help="The group's 12-month revenue against the company's, in %.")
    kam_group_open_requests = fields.Integer(
        string="Group Open Service Requests", company_dependent=True, index=False, copy=False,
        readonly=True, groups=SALES_GROUP,
        help="Open service requests of the account and its members.")
    kam_group_breached_requests = fields.Integer(
        string="Group Breached Service Requests", company_dependent=True, index=False,
        copy=False, readonly=True, groups=SALES_GROUP,
        help="Open service requests of the account and its members past a service-level "
             "deadline.")
    kam_group_worst_health = fields.Float(
        string="Weakest Health in the Group", company_dependent=True, index=False, copy=False,
        readonly=True, digits=(16, 2), groups=SALES_GROUP,
        help="The lowest health score among the account and its members.")
    kam_group_worst_member_id = fields.Many2one(
        "res.partner", string="Weakest Account of the Group", company_dependent=True,
        copy=False, readonly=True, groups=SALES_GROUP,
        help="The account of the group (itself or a member) with the lowest health score.")

    # ---- Explained, never stored (the reader's language and currency) ----
    kam_group_tier_note = fields.Char(
        string="Group Tier", compute="_compute_kam_group_tier_note", groups=SALES_GROUP,
        help="Why the group tier is not applied: the group's 12-month total does not reach "
             "the minimum yearly revenue of the nearest tier that qualifies on the group "
             "total (on a member: its group's).")
    kam_group_unvisited_count = fields.Integer(
        string="Members Never Visited", compute="_compute_kam_group_unvisited_count",
        groups=SALES_GROUP,
        help="The members of the group (all levels) without any done visit in the current "
             "company, ever.")

    # ---- Compute ----
    @api.depends_context("company", "lang")
    def _compute_kam_group_tier_note(self):
        """One search of the company's group-qualifying tiers; the group totals are the
        engine's stored roll-ups (a member reads its top group account's)."""
        tiers = self.env["kam.tier"].search([
            ("company_id", "=", self.env.company.id), ("group_qualification", "=", True)])
        notes = {}
        roots = {partner.id: partner.kam_group_root_id for partner in self}
        for root in self.browse({r.id for r in roots.values()}):
            if tiers and root.kam_group_member_count:
                notes[root.id] = root._kam_group_tier_text(tiers)
        for partner in self:
            partner.kam_group_tier_note = notes.get(roots[partner.id].id, False)

    def _kam_group_tier_text(self, tiers):
        """The explanation for the group account ``self`` (one record): the nearest tier
        qualifying on the group total, at or above the account's own tier, whose minimum
        yearly revenue the group's 12-month total does not reach; False when none."""
        self.ensure_one()
        total = self.kam_group_revenue_12m or 0.0
        own = self.kam_tier_id
        above = tiers.filtered(
            lambda t: not own or (t.sequence, t.id) <= (own.sequence, own.id))
        missed = above.filtered(lambda t: t.currency_id.compare_amounts(
            total, t.min_revenue) < 0)
        if not missed:
            return False
        tier = missed.sorted(lambda t: (t.min_revenue, -t.sequence, -t.id))[0]
        return self.env._(
            "Group total %(total)s is below the %(threshold)s of tier %(tier)s: the group "
            "tier is not applied.",
            total=reader_amount(self.env, total, tier.currency_id),
            threshold=reader_amount(self.env, tier.min_revenue, tier.currency_id),
            tier=tier.name)

    @api.depends_context("company")
    def _compute_kam_group_unvisited_count(self):
        unvisited = self._kam_group_unvisited(self.ids)
        for partner in self:
            partner.kam_group_unvisited_count = len(unvisited.get(partner.id, ()))

    @api.model
    def _kam_group_unvisited(self, partner_ids, company=None):
        """``{group_id: [member ids]}``: the members (all levels) of each group account of
        ``partner_ids`` without a done visit in ``company`` (the current one by default),
        ever, on the member or its contacts. One recursive query for all of them, stopped
        at a loop; a figure of the group like its roll-ups, whoever may read the visits."""
        company = company or self.env.company
        if not partner_ids:
            return {}
        self.flush_model(["kam_group_parent_id", "commercial_partner_id"])
        self.env["kam.visit"].flush_model(["partner_id", "company_id", "state"])
        cid = str(company.id)
        self.env.cr.execute(SQL(
            """WITH RECURSIVE down(root, node, path) AS (
                   SELECT (p.kam_group_parent_id->>%(cid)s)::int4, p.id,
                          ARRAY[(p.kam_group_parent_id->>%(cid)s)::int4, p.id]
                     FROM res_partner p
                    WHERE (p.kam_group_parent_id->>%(cid)s)::int4 = ANY(%(ids)s)
                      AND p.id != (p.kam_group_parent_id->>%(cid)s)::int4
                UNION ALL
                   SELECT down.root, p.id, down.path || p.id
                     FROM down JOIN res_partner p
                       ON (p.kam_group_parent_id->>%(cid)s)::int4 = down.node
                    WHERE NOT p.id = ANY(down.path)
               ), members AS (
                   SELECT DISTINCT root, node FROM down WHERE root != node
               )
               SELECT m.root, m.node FROM members m
                WHERE NOT EXISTS (
                      SELECT 1 FROM kam_visit v JOIN res_partner vp ON vp.id = v.partner_id
                       WHERE v.state = 'done' AND v.company_id = %(company)s
                         AND vp.commercial_partner_id = m.node)
             ORDER BY m.root, m.node""",
            cid=cid, ids=list(partner_ids), company=company.id))
        result = {}
        for root, node in self.env.cr.fetchall():
            result.setdefault(root, []).append(node)
        return result

    def action_kam_group_unvisited(self):
        """The members of the group account ``self`` never visited, in the Key Accounts
        list (what the reader may read of them: the list applies the reader's rules)."""
        self.ensure_one()
        self.check_access("read")
        member_ids = self._kam_group_unvisited(self.ids).get(self.id, [])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Members Never Visited: %(group)s", group=self.display_name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(self.env.ref(
                "key_account_management.res_partner_view_list_key_accounts").id, "list"),
                (False, "form")],
            "domain": [("id", "in", member_ids)],
            "context": {"create": False},
        }

    # ---- Compute ----
    @api.depends_context("company")
    def _compute_kam_group_member_ids(self):
        members = self.search_fetch(
            [("kam_group_parent_id", "in", self.ids)], ["kam_group_parent_id"]) if self.ids \
            else self.browse()
        by_parent = {}
        for member in members:
            by_parent.setdefault(member.kam_group_parent_id.id, []).append(member.id)
        for partner in self:
            partner.kam_group_member_ids = self.browse(by_parent.get(partner.id, []))

    @api.depends_context("company")
    def _compute_kam_group_root_id(self):
        ancestors = self._kam_group_ancestors(self.ids)
        for partner in self:
            chain = ancestors.get(partner.id) or []
            partner.kam_group_root_id = self.browse(chain[-1]) if chain else partner

    # ---- Constraints ----
    @api.constrains("kam_group_parent_id")
    def _check_kam_group_parent(self):
        company = self.env.company
        field = self._fields["kam_group_parent_id"]._description_string(self.env)
        with_parent = self.filtered("kam_group_parent_id")
        for partner in with_parent:
            group = partner.kam_group_parent_id
            if group == partner:
                raise ValidationError(self.env._(
                    "%(field)s: %(partner)s cannot be a member of its own group.",
                    field=field, partner=partner.display_name))
            for rec in (partner, group):
                if not rec.is_company or rec.parent_id:
                    raise ValidationError(self.env._(
                        "%(field)s: %(partner)s is a contact, not a company: only companies "
                        "are members of a group customer.",
                        field=field, partner=rec.display_name))
                if rec.company_id and rec.company_id != company:
                    raise ValidationError(self.env._(
                        "%(field)s: %(partner)s belongs to the company %(other)s: a group of "
                        "%(company)s has only accounts of %(company)s (or shared ones) as "
                        "members.",
                        field=field, partner=rec.display_name, other=rec.company_id.name,
                        company=company.name))
        if not with_parent:
            return
        ancestors = self._kam_group_ancestors(with_parent.ids)
        for partner in with_parent:
            if partner.id in (ancestors.get(partner.id) or []):
                raise ValidationError(self.env._(
                    "%(field)s: %(partner)s cannot be a member of %(group)s, which is already "
                    "one of its own members (a group cannot contain itself).",
                    field=field, partner=partner.display_name,
                    group=partner.kam_group_parent_id.display_name))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kam_check_engine_fields([f for f in GROUP_ROLLUP_FIELDS if vals.get(f)])
        if not kam_trusted(self.env) and not kam_has_group(self.env, GROUP_DIRECTOR):
            if any(vals.get("kam_group_parent_id") for vals in vals_list):
                raise AccessError(self.env._(
                    "Only a Key Account Director can set %(field)s on a new contact.",
                    field=self._fields["kam_group_parent_id"]._description_string(self.env)))
        partners = super().create(vals_list)
        if any(vals.get("kam_group_parent_id") for vals in vals_list):
            self.env.registry.clear_cache()  # the record rules' accounts of each user
        return partners

    def write(self, vals):
        self._kam_check_engine_fields([f for f in GROUP_ROLLUP_FIELDS if f in vals])
        if "kam_group_parent_id" in vals and not kam_trusted(self.env):
            self._kam_check_group_write(vals["kam_group_parent_id"])
        res = super().write(vals)
        if "kam_group_parent_id" in vals:
            # the record rules cache each user's accounts, members of their groups included
            # (res.users._kam_account_domain)
            self.env.registry.clear_cache()
        return res

    # ---- Business ----
    def _kam_check_group_write(self, value):
        """Refuse a change of the group of ``self`` by anyone but a director or a
        key account manager in the account team of the member and of the new
        group (the user the environment acts for: ``sudo()`` grants nothing)."""
        user = kam_acting_user(self.env)
        if user.has_group(GROUP_DIRECTOR):
            return
        changed = kam_changed_records(self, "kam_group_parent_id", value)
        if not changed:
            return
        field = self._fields["kam_group_parent_id"]._description_string(self.env)
        is_manager = user.has_group(GROUP_MANAGER)
        new_group = self.sudo().browse(
            kam_write_value(self._fields["kam_group_parent_id"], value)).exists()
        for partner in changed:
            # the check reads the account teams whoever may read the accounts
            if not is_manager or user not in partner.sudo().kam_user_ids:
                raise AccessError(self.env._(
                    "Only the key account manager or the account team of %(partner)s can "
                    "change its %(field)s.", partner=partner.display_name, field=field))
        if new_group and user not in new_group.kam_user_ids:
            raise AccessError(self.env._(
                "%(field)s: only a Key Account Director or the account team of %(group)s can "
                "add an account to the group %(group)s.",
                field=field, group=new_group.display_name))

    def _kam_effective_tiers(self):
        """``{partner: (tier, account)}`` in the current company: the tier that holds for
        the pricelist, the discount allowance and the service level of each partner of
        ``self`` (its commercial entity), and the account it comes from. The account's
        own tier, unless a registered account above it in its group has a higher one: a
        member without a tier of its own gets its group's, its own higher tier wins.
        One query for the hierarchy; the accounts are read in batch."""
        accounts = self.commercial_partner_id
        ancestors = self._kam_group_ancestors(accounts.ids)
        groups = self.browse(sorted({gid for chain in ancestors.values() for gid in chain}))
        by_id = {group.id: group for group in groups}
        result = {}
        for partner in self:
            account = partner.commercial_partner_id
            tier, source = account.kam_tier_id, account
            for gid in ancestors.get(account.id, []):
                group = by_id.get(gid)
                if not group or group.kam_state != "registered" or not group.kam_tier_id:
                    continue
                rank = (group.kam_tier_id.sequence, group.kam_tier_id.id)
                if not tier or rank < (tier.sequence, tier.id):
                    tier, source = group.kam_tier_id, group
            result[partner] = (tier, source if tier else self.browse())
        return result

    def _kam_served_by_group(self):
        """Whether the account ``self`` gets its tier from a registered group customer it
        is a member of (the green channel serves it at the group's service level)."""
        self.ensure_one()
        tier, source = self._kam_effective_tiers()[self]
        return bool(tier) and source != self.commercial_partner_id \
            and source.kam_state == "registered"

    @api.model
    def _kam_group_ancestors(self, partner_ids, company=None):
        """``{partner_id: [parent, grandparent, ...]}`` in ``company`` (the current one by
        default): one recursive query for all of ``partner_ids``, whatever the depth, that
        stops at a loop (the loop's first repeated account ends the list)."""
        company = company or self.env.company
        if not partner_ids:
            return {}
        self.flush_model(["kam_group_parent_id"])
        cid = str(company.id)
        self.env.cr.execute(SQL(
            """WITH RECURSIVE up(start, node, depth, path) AS (
                   SELECT p.id, (p.kam_group_parent_id->>%(cid)s)::int4, 1, ARRAY[p.id]
                     FROM res_partner p
                    WHERE p.id = ANY(%(ids)s) AND p.kam_group_parent_id->>%(cid)s IS NOT NULL
                UNION ALL
                   SELECT up.start, (p.kam_group_parent_id->>%(cid)s)::int4, up.depth + 1,
                          up.path || p.id
                     FROM up JOIN res_partner p ON p.id = up.node
                    WHERE p.kam_group_parent_id->>%(cid)s IS NOT NULL
                      AND NOT p.id = ANY(up.path)
               )
               SELECT start, node FROM up ORDER BY start, depth""",
            cid=cid, ids=list(partner_ids)))
        result = {}
        for start, node in self.env.cr.fetchall():
            result.setdefault(start, []).append(node)
        return result
