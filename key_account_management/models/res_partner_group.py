from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .kam_flow_mixin import kam_acting_user, kam_has_group, kam_trusted
from .kam_private_mixin import kam_changed_records, kam_write_value
from .res_partner import SALES_GROUP

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
        if not kam_trusted(self.env) and not kam_has_group(self.env, GROUP_DIRECTOR):
            if any(vals.get("kam_group_parent_id") for vals in vals_list):
                raise AccessError(self.env._(
                    "Only a Key Account Director can set %(field)s on a new contact.",
                    field=self._fields["kam_group_parent_id"]._description_string(self.env)))
        return super().create(vals_list)

    def write(self, vals):
        if "kam_group_parent_id" in vals and not kam_trusted(self.env):
            self._kam_check_group_write(vals["kam_group_parent_id"])
        return super().write(vals)

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
