from odoo import api, fields, models

from .res_partner import kam_partner_selection


class KamTierHistory(models.Model):
    """One change of an account's tier, key-account status or key account
    manager: when, from what to what, why and by whom. Written by
    ``res.partner.write``; never edited."""

    _name = "kam.tier.history"
    _description = "Key Account Tier and Status History"
    _inherit = ["kam.private.mixin"]
    _kam_fixed_link_fields = ("partner_id", "company_id")
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade",
        readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Changed by", readonly=True, default=lambda self: self.env.user)
    change_type = fields.Selection(
        [("tier", "Tier"), ("state", "Status"), ("manager", "Key Account Manager"),
         ("lifecycle", "Lifecycle Stage"), ("group", "Group Account")],
        required=True, readonly=True)
    old_tier_id = fields.Many2one("kam.tier", readonly=True)
    new_tier_id = fields.Many2one("kam.tier", readonly=True)
    old_manager_id = fields.Many2one("res.users", string="Old Key Account Manager", readonly=True)
    new_manager_id = fields.Many2one("res.users", string="New Key Account Manager", readonly=True)
    old_group_id = fields.Many2one("res.partner", string="Old Group Account", readonly=True)
    new_group_id = fields.Many2one("res.partner", string="New Group Account", readonly=True)
    old_state = fields.Selection(
        kam_partner_selection("kam_state"),
        string="Old Status", readonly=True)
    new_state = fields.Selection(
        kam_partner_selection("kam_state"),
        string="New Status", readonly=True)
    old_lifecycle = fields.Selection(
        kam_partner_selection("kam_lifecycle_stage"),
        string="Old Lifecycle Stage", readonly=True)
    new_lifecycle = fields.Selection(
        kam_partner_selection("kam_lifecycle_stage"),
        string="New Lifecycle Stage", readonly=True)
    direction = fields.Selection(
        [("up", "Upgrade"), ("down", "Downgrade"), ("same", "Other")],
        compute="_compute_direction", store=True)
    cause = fields.Selection(
        [
            ("score", "Scoring"),
            ("manual", "Manual"),
            ("approval", "Approval"),
            ("handover", "Handover"),
        ],
        required=True, default="manual", readonly=True)
    note = fields.Char(readonly=True)
    lifecycle_rule = fields.Char(
        readonly=True, help="The engine's rule that set the lifecycle stage (its code), "
                            "shown as its explanation in the reader's language.")
    reason = fields.Char(
        string="Note", compute="_compute_reason",
        help="The note of the change, or the explanation of the engine's lifecycle rule in "
             "the reader's language.")

    @api.depends("change_type", "old_tier_id.sequence", "new_tier_id.sequence")
    def _compute_direction(self):
        for rec in self:
            if rec.change_type != "tier" or rec.old_tier_id == rec.new_tier_id:
                rec.direction = "same"
            elif not rec.old_tier_id:
                rec.direction = "up"
            elif not rec.new_tier_id:
                rec.direction = "down"
            else:
                rec.direction = "up" if rec.new_tier_id.sequence < rec.old_tier_id.sequence \
                    else "down"

    @api.depends("note", "lifecycle_rule")
    @api.depends_context("lang")
    def _compute_reason(self):
        Partner = self.env["res.partner"]
        for rec in self:
            rec.reason = rec.note or (rec.lifecycle_rule and Partner._kam_lifecycle_rule_text(
                rec.lifecycle_rule)) or False

    def _kam_message_body(self):
        self.ensure_one()
        cause = dict(self._fields["cause"]._description_selection(self.env))[self.cause]
        none = self.env._("none")
        if self.change_type == "tier":
            body = self.env._(
                "Key account tier: %(old)s → %(new)s (%(cause)s)",
                old=self.old_tier_id.display_name or none,
                new=self.new_tier_id.display_name or none, cause=cause)
        elif self.change_type == "lifecycle":
            stages = dict(self._fields["new_lifecycle"]._description_selection(self.env))
            body = self.env._(
                "Lifecycle stage: %(old)s → %(new)s (%(cause)s)",
                old=stages.get(self.old_lifecycle, none), new=stages.get(self.new_lifecycle, none),
                cause=cause)
        elif self.change_type == "group":
            body = self.env._(
                "Group account: %(old)s → %(new)s (%(cause)s)",
                old=self.old_group_id.display_name or none,
                new=self.new_group_id.display_name or none, cause=cause)
        elif self.change_type == "manager":
            body = self.env._(
                "Key account manager: %(old)s → %(new)s (%(cause)s)",
                old=self.old_manager_id.name or none, new=self.new_manager_id.name or none,
                cause=cause)
        else:
            states = dict(self._fields["new_state"]._description_selection(self.env))
            body = self.env._(
                "Key account status: %(old)s → %(new)s (%(cause)s)",
                old=states.get(self.old_state, "-"), new=states.get(self.new_state, "-"),
                cause=cause)
        if self.reason:
            body = self.env._("%(change)s: %(note)s", change=body, note=self.reason)
        return body
