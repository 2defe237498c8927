from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .kam_flow_mixin import kam_acting_user, kam_has_group, kam_trusted
from .kam_private_mixin import kam_changed_records
from .res_partner import SALES_GROUP

GROUP_MANAGER = "key_account_management.key_account_management_group_manager"
GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"

# what only a Key Account Director changes: the registry itself
KAM_DIRECTOR_FIELDS = (
    "kam_state", "kam_tier_id", "kam_manager_id", "kam_tier_locked", "kam_tier_lock_reason",
)
# what the key account manager and the account team of the account may change too (the
# lifecycle stage is the engine's, see KAM_ENGINE_FIELDS; the credit rating changes through
# an approved request, see res_partner_credit.py)
KAM_ACCOUNT_FIELDS = (
    "kam_strategic_value", "kam_potential_revenue", "kam_contract_date",
)


class ResPartner(models.Model):
    """Registration (备案) of key accounts and who may change the registry.

    * directors: status, tier, KAM, tier lock, everything else;
    * the KAM and the account team of an account: its key-account data
      (strategic value, potential, contract date); the lifecycle stage is the
      engine's (a director sets it with the lifecycle wizard) and the credit
      rating changes through an approved request;
    * other sales users: read only.

    Only the trusted (``kam_trusted``: the system outside another user's
    request, e.g. the scoring cron and data files, and our flows passing the
    flow token) skip these checks; ``sudo()`` does not.
    """

    _inherit = "res.partner"

    kam_nomination_ids = fields.One2many("kam.nomination", "partner_id", string="Nominations",
        groups=SALES_GROUP)
    kam_nomination_open_id = fields.Many2one(
        "kam.nomination", string="Open Nomination", compute="_compute_kam_nomination_open_id",
        groups=SALES_GROUP)
    kam_history_count = fields.Integer(
        string="Tier History Count", compute="_compute_kam_history_count",
        groups=SALES_GROUP)
    kam_can_edit_registry = fields.Boolean(
        string="Can Edit Key Account Registry", compute="_compute_kam_can_edit",
        groups=SALES_GROUP)
    kam_can_edit_account = fields.Boolean(
        string="Can Edit Key Account Data", compute="_compute_kam_can_edit",
        groups=SALES_GROUP)

    # ---- Compute ----
    @api.depends_context("company")
    @api.depends("kam_nomination_ids.state", "kam_nomination_ids.company_id")
    def _compute_kam_nomination_open_id(self):
        company = self.env.company
        for partner in self:
            partner.kam_nomination_open_id = partner.kam_nomination_ids.filtered(
                lambda n: n.state == "to_approve" and n.company_id == company)[:1]

    @api.depends_context("company")
    def _compute_kam_history_count(self):
        counts = dict(self.env["kam.tier.history"]._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id"], ["__count"]))
        for partner in self:
            partner.kam_history_count = counts.get(partner, 0)

    @api.depends_context("uid", "company")
    @api.depends("kam_manager_id", "kam_team_member_ids.user_id")
    def _compute_kam_can_edit(self):
        user = self.env.user
        is_director = user.has_group(GROUP_DIRECTOR)
        is_manager = user.has_group(GROUP_MANAGER)
        for partner in self:
            partner.kam_can_edit_registry = is_director
            partner.kam_can_edit_account = is_director or (
                is_manager and user in partner.kam_user_ids)

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        if not kam_trusted(self.env) and not kam_has_group(self.env, GROUP_DIRECTOR):
            for vals in vals_list:
                guarded = [
                    f for f in KAM_DIRECTOR_FIELDS + KAM_ACCOUNT_FIELDS
                    if vals.get(f) and vals[f] != "none"
                ]
                if guarded:
                    raise AccessError(self.env._(
                        "Only a Key Account Director can set %(field)s on a new contact.",
                        field=self._fields[guarded[0]]._description_string(self.env)))
        for vals in vals_list:
            if vals.get("kam_tier_locked") and not (vals.get("kam_tier_lock_reason") or "").strip():
                raise UserError(self._kam_lock_reason_message(vals.get("name") or ""))
        return super().create(vals_list)

    def write(self, vals):
        if not kam_trusted(self.env) and any(
                f in vals for f in KAM_DIRECTOR_FIELDS + KAM_ACCOUNT_FIELDS):
            self._kam_check_registry_write(vals)
        if "kam_tier_locked" in vals or "kam_tier_lock_reason" in vals:
            self._kam_check_lock_reason(vals)
        return super().write(vals)

    # ---- Actions ----
    def action_kam_nominate(self):
        """Open the nomination form of this company (a dialog)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Nominate as Key Account"),
            "res_model": "kam.nomination",
            "view_mode": "form",
            "views": [(self.env.ref("key_account_management.kam_nomination_view_form_nominate").id,
                       "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_proposed_manager_id": self.env.user.id,
            },
        }

    def action_kam_view_nomination(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.nomination",
            "res_id": self.kam_nomination_open_id.id,
            "view_mode": "form",
        }

    def action_kam_lock_tier(self):
        """Ask the director for the reason, then lock (see kam.tier.lock.wizard)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lock Tier"),
            "res_model": "kam.tier.lock.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_kam_unlock_tier(self):
        self._kam_with_change("manual").write(
            {"kam_tier_locked": False, "kam_tier_lock_reason": False})
        for partner in self:
            partner._message_log(body=self.env._(
                "Key account tier unlocked by %(user)s", user=self.env.user.name))
        return True

    def action_kam_view_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_tier_history_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        action["view_mode"] = "list,pivot,graph"
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        return action

    # ---- Business ----
    def _kam_handover_records(self, old_user, new_user):
        """Open quotations of the accounts show their new key account manager."""
        res = super()._kam_handover_records(old_user, new_user)
        self.env["sale.order"].search([
            ("partner_id", "child_of", self.ids), ("state", "in", ("draft", "sent")),
            ("company_id", "=", self.env.company.id),
        ])._kam_refresh_account()
        return res

    def _kam_check_registry_write(self, vals):
        """Refuse key-account changes the current user is not allowed to make
        (the user the environment acts for: ``sudo()`` grants nothing)."""
        user = kam_acting_user(self.env)
        if user.has_group(GROUP_DIRECTOR):
            return
        for fname in KAM_DIRECTOR_FIELDS:
            if fname in vals:
                changed = kam_changed_records(self, fname, vals[fname])
                if changed:
                    raise AccessError(self.env._(
                        "Only a Key Account Director can change %(field)s of %(partner)s.",
                        field=self._fields[fname]._description_string(self.env),
                        partner=changed[0].display_name))
        account_fields = [f for f in KAM_ACCOUNT_FIELDS if f in vals]
        if not account_fields:
            return
        is_manager = user.has_group(GROUP_MANAGER)
        for fname in account_fields:
            for partner in kam_changed_records(self, fname, vals[fname]):
                if not is_manager or user not in partner.kam_user_ids:
                    raise AccessError(self.env._(
                        "Only the key account manager or the account team of %(partner)s can "
                        "change its %(field)s.",
                        partner=partner.display_name,
                        field=self._fields[fname]._description_string(self.env)))

    def _kam_check_lock_reason(self, vals):
        for partner in self:
            locked = vals.get("kam_tier_locked", partner.kam_tier_locked)
            reason = vals.get("kam_tier_lock_reason", partner.kam_tier_lock_reason)
            if locked and not (reason or "").strip():
                raise UserError(self._kam_lock_reason_message(partner.display_name))

    def _kam_lock_reason_message(self, name):
        return self.env._(
            "Tier Lock Reason: the tier of %(partner)s cannot be locked without a reason.",
            partner=name)
