from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .kam_flow_mixin import kam_acting_user, kam_flow, kam_has_group
from .res_partner import kam_partner_selection

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"

# fields of a nomination only the decision (approve / reject) writes
DECISION_FIELDS = ("state", "decided_by_id", "decision_date", "rejection_reason")


class KamNomination(models.Model):
    """The registration (备案) of a key account: a salesperson nominates a
    customer company with a reason, a proposed tier and KAM; a Key Account
    Director approves it (the account becomes ``registered``) or rejects it
    with a reason (the account goes back to its former status)."""

    _name = "kam.nomination"
    _description = "Key Account Nomination"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.private.mixin", "kam.state.mixin"]
    _kam_fixed_link_fields = ("partner_id", "company_id")
    _kam_transitions = {"to_approve": ("approved", "rejected")}
    _kam_create_states = ("to_approve",)
    # who nominated: the user who creates the nomination, never changed afterwards
    # (a director cannot nominate in another's name, and then approve it)
    _kam_flow_fields = ("nominated_by_id",)
    _order = "create_date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    # ---- Nomination ----
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade",
        tracking=True, domain=[("is_company", "=", True)],
        help="The customer company proposed as a key account.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True,
        default=lambda self: self.env.company)
    nominated_by_id = fields.Many2one(
        "res.users", string="Nominated by", required=True, index=True, readonly=True,
        default=lambda self: self.env.user)
    reason = fields.Text(
        required=True, tracking=True,
        help="Why this customer should be a key account: revenue, potential, strategic value...")
    proposed_tier_id = fields.Many2one(
        "kam.tier", tracking=True, check_company=True,
        domain="[('company_id', '=', company_id)]")
    proposed_manager_id = fields.Many2one(
        "res.users", string="Proposed Key Account Manager", tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]")
    previous_state = fields.Selection(
        kam_partner_selection("kam_state"),
        string="Status before Nomination", readonly=True, copy=False)

    # ---- Decision ----
    state = fields.Selection(
        [("to_approve", "To Approve"), ("approved", "Approved"), ("rejected", "Rejected")],
        string="Status", required=True, default="to_approve", tracking=True, readonly=True,
        copy=False, index=True)
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True, copy=False)
    decision_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(tracking=True, copy=False)
    can_decide = fields.Boolean(compute="_compute_can_decide")

    _open_partner_company_uniq = models.UniqueIndex(
        "(partner_id, company_id) WHERE state = 'to_approve'",
        "An account can have only one nomination to approve per company.",
    )

    # ---- Compute ----
    @api.depends_context("uid")
    def _compute_can_decide(self):
        self.can_decide = self.env.user.has_group(GROUP_DIRECTOR)

    # ---- Constraints ----
    @api.constrains("partner_id")
    def _check_partner_is_company(self):
        for nomination in self:
            partner = nomination.partner_id
            if not partner.is_company:
                raise ValidationError(self.env._(
                    "Account: only a company can be nominated as a key account. %(partner)s is a "
                    "contact person; nominate its company %(company)s instead.",
                    partner=partner.name,
                    company=partner.commercial_partner_id.name or self.env._("(none)")))

    @api.constrains("partner_id", "company_id", "state")
    def _check_one_open_nomination(self):
        open_ones = self.filtered(lambda n: n.state == "to_approve")
        if open_ones:
            self._check_no_open_nomination(
                [(n.partner_id.id, n.company_id.id) for n in open_ones], exclude_ids=open_ones.ids)

    @api.model
    def _check_no_open_nomination(self, partner_company_pairs, exclude_ids=()):
        """Refuse a second open nomination of an account in a company (checked before the
        unique index so that the user reads which account, not a database error)."""
        pairs = set(partner_company_pairs)
        if not pairs:
            return
        # all nominations count, also those the current user may not read
        existing = self.sudo()._read_group(
            [("state", "=", "to_approve"), ("id", "not in", list(exclude_ids)),
             ("partner_id", "in", [p for p, _c in pairs])],
            ["partner_id", "company_id"], ["__count"])
        for partner, company, _count in existing:
            if (partner.id, company.id) in pairs:
                raise ValidationError(self.env._(
                    "Account: %(partner)s already has a nomination to approve in %(company)s.",
                    partner=partner.name, company=company.name))

    @api.constrains("state", "rejection_reason")
    def _check_rejection_reason(self):
        for nomination in self:
            if nomination.state == "rejected" and not (nomination.rejection_reason or "").strip():
                raise ValidationError(self.env._(
                    "Rejection Reason: a nomination of %(partner)s cannot be rejected without "
                    "a reason.", partner=nomination.partner_id.name))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        if not self._kam_trusted() and not kam_has_group(self.env, GROUP_DIRECTOR):
            user = kam_acting_user(self.env)
            for vals in vals_list:
                if any(vals.get(f) for f in (*DECISION_FIELDS, "previous_state") if f != "state") \
                        or vals.get("state", "to_approve") != "to_approve" \
                        or vals.get("nominated_by_id", user.id) != user.id:
                    raise AccessError(self.env._(
                        "Only a Key Account Director can decide on a nomination."))
        self._kam_check_create_states(vals_list)
        self._check_no_open_nomination([
            (vals["partner_id"], vals.get("company_id") or self.env.company.id)
            for vals in vals_list
            if vals.get("partner_id") and vals.get("state", "to_approve") == "to_approve"
        ])
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("partner_id") and not vals.get("previous_state"):
                company = self.env["res.company"].browse(vals.get("company_id")) \
                    if vals.get("company_id") else self.env.company
                state = self.env["res.partner"].browse(vals["partner_id"]).with_company(
                    company).kam_state
                vals["previous_state"] = state if state not in (False, "nominated") else "none"
        nominations = super().create(vals_list)
        for nomination in nominations.filtered(lambda n: n.state == "to_approve"):
            partner = nomination.partner_id.with_company(nomination.company_id)
            if partner.kam_state == "registered":
                raise UserError(self.env._(
                    "Account: %(partner)s is already a registered key account of %(company)s.",
                    partner=partner.name, company=nomination.company_id.name))
            # The nomination itself went through the access rules; moving the
            # account to "nominated" is the step of the workflow any salesperson
            # may trigger, including those without write access to contacts.
            # sudo for the contact's record rules, the flow token for the registry's guard
            kam_flow(partner.sudo())._kam_with_change("manual", self.env._(
                "Nominated by %(user)s", user=nomination.nominated_by_id.name),
            ).write({"kam_state": "nominated"})
            nomination._schedule_director_activities()
        return nominations

    def write(self, vals):
        if not self._kam_trusted() and not kam_has_group(self.env, GROUP_DIRECTOR):
            self.check_access("write")
            if any(f in vals for f in (*DECISION_FIELDS, "company_id", "nominated_by_id",
                                       "previous_state")):
                raise AccessError(self.env._(
                    "Only a Key Account Director can decide on a nomination."))
            if any(n.state != "to_approve" for n in self):
                raise UserError(self.env._(
                    "A nomination that was approved or rejected cannot be changed."))
        self._kam_check_transitions(vals)
        self._kam_check_signer(vals, "decided_by_id")
        if "partner_id" in vals and any(n.partner_id.id != vals["partner_id"] for n in self):
            raise UserError(self.env._(
                "Account: the account of a nomination cannot be changed; reject it and "
                "nominate the other company."))
        return super().write(vals)

    def _kam_check_move(self, old, new, vals):
        """A decision is a director's, and the account must already be where the
        Approve / Reject buttons put it (registered with the proposed tier and KAM;
        no longer nominated): a bare change of state would leave it behind."""
        if new == "to_approve":
            return
        if not self._kam_is_director():
            raise AccessError(self.env._(
                "Only a Key Account Director can approve or reject a nomination."))
        if new == "approved":
            self._check_not_own_nomination()
        partner = self.partner_id.with_company(self.company_id)
        if new == "approved" and not (
                partner.kam_state == "registered" and self.proposed_tier_id
                and partner.kam_tier_id == self._kam_value(vals, "proposed_tier_id")
                and partner.kam_manager_id == self._kam_value(vals, "proposed_manager_id")):
            raise UserError(self.env._(
                "Nomination of %(partner)s: approve it with the Approve button, which "
                "registers the account with the proposed tier and key account manager.",
                partner=partner.name))
        if new == "rejected":
            if self._kam_is_empty(self._kam_value(vals, "rejection_reason")):
                raise UserError(self.env._(
                    "Rejection Reason: write why the nomination of %(partner)s is rejected "
                    "before rejecting it.", partner=partner.name))
            if partner.kam_state == "nominated":
                raise UserError(self.env._(
                    "Nomination of %(partner)s: reject it with the Reject button, which "
                    "gives the account back its former status.", partner=partner.name))

    # ---- Actions ----
    def action_approve(self):
        """Register the accounts with the proposed tier and KAM."""
        self._check_can_decide()
        self._check_not_own_nomination()
        for nomination in self:
            missing = [
                nomination._fields[f]._description_string(self.env)
                for f in ("proposed_tier_id", "proposed_manager_id") if not nomination[f]
            ]
            if missing:
                raise UserError(self.env._(
                    "Nomination of %(partner)s: set the %(fields)s before approving it.",
                    partner=nomination.partner_id.name, fields=", ".join(missing)))
            manager = nomination.proposed_manager_id
            if manager.share or nomination.company_id not in manager.company_ids:
                raise UserError(self.env._(
                    "Proposed Key Account Manager: %(user)s is not an internal user of "
                    "%(company)s.", user=manager.name, company=nomination.company_id.name))
        now = fields.Datetime.now()
        for nomination in self:
            nomination.partner_id.with_company(nomination.company_id)._kam_with_change(
                "approval", self.env._("Nomination approved by %(user)s", user=self.env.user.name),
            ).write({
                "kam_state": "registered",
                "kam_tier_id": nomination.proposed_tier_id.id,
                "kam_manager_id": nomination.proposed_manager_id.id,
            })
            nomination.write({"state": "approved", "decided_by_id": self.env.user.id,
                              "decision_date": now})
        self._close_director_activities()
        return True

    def action_reject(self):
        """Reject with the reason typed on the nomination; the account goes back
        to the status it had before."""
        self._check_can_decide()
        for nomination in self:
            if not (nomination.rejection_reason or "").strip():
                raise UserError(self.env._(
                    "Rejection Reason: write why the nomination of %(partner)s is rejected "
                    "before rejecting it.", partner=nomination.partner_id.name))
        now = fields.Datetime.now()
        for nomination in self:
            partner = nomination.partner_id.with_company(nomination.company_id)
            if partner.kam_state == "nominated":
                partner._kam_with_change("approval", self.env._(
                    "Nomination rejected: %(reason)s", reason=nomination.rejection_reason),
                ).write({"kam_state": nomination.previous_state or "none"})
            nomination.write({"state": "rejected", "decided_by_id": self.env.user.id,
                              "decision_date": now})
        self._close_director_activities()
        return True

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    # ---- Business ----
    def _check_can_decide(self):
        if any(n.state != "to_approve" for n in self):
            raise UserError(self.env._("Only a nomination to approve can be approved or rejected."))
        if kam_has_group(self.env, GROUP_DIRECTOR):
            return
        own = self.filtered(lambda n: n.nominated_by_id == kam_acting_user(self.env))
        if own:
            raise AccessError(self.env._(
                "You cannot decide on your own nomination of %(partner)s: only a Key Account "
                "Director can approve or reject it.", partner=own[0].partner_id.name))
        raise AccessError(self.env._(
            "Only a Key Account Director can approve or reject a nomination."))

    def _check_not_own_nomination(self):
        """Four eyes: whoever nominated an account (a director too) does not approve
        the nomination; another director does. The system is exempt."""
        if self._kam_trusted():
            return
        user = self._kam_acting_user()
        own = self.filtered(lambda n: n.nominated_by_id == user)
        if own:
            raise AccessError(self.env._(
                "You cannot approve your own nomination of %(partner)s: you nominated it, "
                "so another Key Account Director must approve it.",
                partner=own[0].partner_id.name))

    def _get_directors(self):
        """Active internal directors with access to the nomination's company."""
        self.ensure_one()
        group = self.env.ref(GROUP_DIRECTOR)
        return group.sudo().all_user_ids.filtered(
            lambda u: not u.share and u.active and self.company_id in u.company_ids)

    def _schedule_director_activities(self):
        for nomination in self:
            # who nominated does not approve: the other directors are asked
            for director in nomination._get_directors() - nomination.nominated_by_id:
                nomination.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=director.id,
                    summary=self.env._("Approve key account: %(partner)s",
                                       partner=nomination.partner_id.name),
                    note=nomination.reason)

    def _close_director_activities(self):
        self.activity_feedback(["mail.mail_activity_data_todo"])
