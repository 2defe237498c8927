from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.kam_flow_mixin import kam_has_group

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


class KamHandoverWizard(models.TransientModel):
    """A director hands a key account manager's portfolio over to another user
    in one step: the KAM of the chosen accounts changes, and whatever the old
    KAM carried for them (activities, open visits, plans: see
    ``res.partner._kam_handover_records``) moves along; each account's chatter
    logs the handover."""

    _name = "kam.handover.wizard"
    _description = "Key Account Portfolio Handover"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company)
    from_user_id = fields.Many2one(
        "res.users", string="From", required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="The key account manager who hands the accounts over.")
    to_user_id = fields.Many2one(
        "res.users", string="To", required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id), "
               "('id', '!=', from_user_id)]",
        help="The user who takes the accounts over.")
    partner_ids = fields.Many2many(
        "res.partner", string="Accounts", compute="_compute_partner_ids", store=True,
        readonly=False, domain="[('kam_manager_id', '=', from_user_id)]",
        help="By default every account the first user manages in this company.")
    note = fields.Char(help="Why the portfolio moves, e.g. new assignment, leave.")
    relationship_move_ids = fields.Many2many(
        "kam.relationship", string="Relationships Moving", compute="_compute_relationships",
        help="The first user's relationships with the contacts of the accounts handed over: "
             "introduce the new manager to these people.")
    relationship_stay_ids = fields.Many2many(
        "kam.relationship", string="Relationships Staying", compute="_compute_relationships",
        help="The first user's relationships with the contacts of the accounts they keep.")

    # ---- Compute ----
    @api.depends("from_user_id", "company_id")
    def _compute_partner_ids(self):
        for wizard in self:
            if not wizard.from_user_id:
                wizard.partner_ids = False
                continue
            wizard.partner_ids = self.env["res.partner"].with_company(wizard.company_id).search(
                [("kam_manager_id", "=", wizard.from_user_id.id)])

    @api.depends("from_user_id", "company_id", "partner_ids")
    def _compute_relationships(self):
        """The relationships of the user handing over (issue 26), with the reader's
        rights: those with the accounts handed over move, the others stay."""
        Relationship = self.env["kam.relationship"]
        for wizard in self:
            if not wizard.from_user_id:
                wizard.relationship_move_ids = wizard.relationship_stay_ids = False
                continue
            relationships = Relationship.search([
                ("user_id", "=", wizard.from_user_id.id),
                ("company_id", "=", wizard.company_id.id)])
            accounts = wizard.partner_ids._origin.commercial_partner_id
            moving = relationships.filtered_domain([("partner_id", "in", accounts.ids)])
            wizard.relationship_move_ids = moving
            wizard.relationship_stay_ids = relationships - moving

    # ---- Actions ----
    def action_handover(self):
        self.ensure_one()
        if not kam_has_group(self.env, GROUP_DIRECTOR):
            raise AccessError(self.env._(
                "Only a Key Account Director can hand key accounts over."))
        old, new, company = self.from_user_id, self.to_user_id, self.company_id
        if old == new:
            raise UserError(self.env._(
                "To: the accounts of %(user)s must go to another user.", user=old.name))
        if company not in new.company_ids or new.share:
            raise UserError(self.env._(
                "To: %(user)s is not an internal user of %(company)s and cannot manage its "
                "key accounts.", user=new.name, company=company.name))
        partners = self.partner_ids.with_company(company)
        if not partners:
            raise UserError(self.env._("Accounts: choose at least one account to hand over."))
        others = partners.filtered(lambda p: p.kam_manager_id != old)
        if others:
            raise UserError(self.env._(
                "Accounts: %(partners)s are not managed by %(user)s in %(company)s.",
                partners=", ".join(others.mapped("display_name")), user=old.name,
                company=company.name))
        # the partners log the change (kam.tier.history + chatter) with the cause
        partners._kam_with_change("handover", self.note).write({"kam_manager_id": new.id})
        partners._kam_handover_records(old, new)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s accounts handed over from %(old)s to %(new)s.",
                    count=len(partners), old=old.name, new=new.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
