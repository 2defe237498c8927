from odoo import SUPERUSER_ID, api, fields, models
from odoo.fields import Domain

from .kam_bounds import MAX_AMOUNT, check_bounds
from .kam_flow_mixin import kam_acting_user
from .kam_reader import report_filename

# key-account fields whose changes are recorded in kam.tier.history, with their change type
KAM_TRACKED_FIELDS = {"kam_tier_id": "tier", "kam_state": "state", "kam_manager_id": "manager",
                      "kam_lifecycle_stage": "lifecycle", "kam_group_parent_id": "group"}
# the key-account states (res.partner.kam_state, also shown by the reports)
KAM_STATE_SELECTION = [
    ("none", "Not a Key Account"),
    ("candidate", "Candidate"),
    ("nominated", "Nominated"),
    ("registered", "Registered"),
    ("lost", "Lost"),
]



def kam_partner_selection(fname):
    """The selection of res.partner's ``fname`` (an account's status or lifecycle stage)
    for a field that copies it: the same values, the labels in the reader's language
    (a callable selection is not translated by the ORM, the partner's field is)."""
    def selection(records):
        return records.env["res.partner"]._fields[fname]._description_selection(records.env)
    return selection


# the context key of the cause of a key-account change (kam.tier.history), set by
# ``res.partner._kam_with_change()`` only
KAM_CHANGE_KEY = "kam_change"


class _KamChange:
    """The cause (``score``, ``manual``, ``approval``, ``handover``) and note of
    the key-account changes of a write: the value of the context key
    ``kam_change``, put there by the addon's own flows through
    ``res.partner._kam_with_change()`` (a private method). A Python object, which
    no client (JSON-2, JSON-RPC, XML-RPC, web client) can put into a context: a
    client that sends ``kam_change_cause``, ``kam_change_note`` or ``kam_change``
    records a manual change, without note."""

    __slots__ = ("cause", "note")

    def __init__(self, cause, note=False):
        self.cause = cause
        self.note = note or False

    def __repr__(self):
        return f"KAM_CHANGE({self.cause!r})"


# field-level access (issue 15): the key-account figures and classification are
# for sales users at most, the credit rating and the tier lock reason for the key
# account groups; portal users and internal users outside sales read none of them
SALES_GROUP = "sales_team.group_sale_salesman"
KAM_GROUP = "key_account_management.key_account_management_group_manager"
# the key-account data a user types in, with their bounds (company-dependent fields are JSON
# numbers that no column type bounds: the engine and the account list read them as int4/float8)
PARTNER_LIMITS = {
    "kam_strategic_value": (0, 5),
    "kam_potential_revenue": (0, MAX_AMOUNT),
}


class ResPartner(models.Model):
    """Key-account data of a customer company.

    Values are per company (``company_dependent``): the same customer can be a
    strategic account of one company of the database and nobody's account in
    another one.
    """

    _inherit = ["res.partner", "kam.bounds.mixin"]
    _kam_bounds = PARTNER_LIMITS

    # ---- Registry ----
    kam_state = fields.Selection(
        KAM_STATE_SELECTION,
        string="Key Account Status", company_dependent=True, default="none", copy=False,
        help="Candidate: qualifies by score or revenue and waits for a review.\n"
             "Nominated: proposed by a salesperson, waits for a director's approval.\n"
             "Registered: an approved key account (备案).\n"
             "Lost: was a key account and no longer buys.",
        groups=SALES_GROUP)
    kam_tier_id = fields.Many2one(
        "kam.tier", string="Key Account Tier", company_dependent=True, copy=False,
        domain="[('company_id', '=', current_company_id)]",
        groups=SALES_GROUP)
    kam_manager_id = fields.Many2one(
        "res.users", string="Key Account Manager", company_dependent=True, copy=False,
        domain="[('share', '=', False)]",
        help="The key account manager (大客户经理) fully responsible for the account.",
        groups=SALES_GROUP)
    kam_team_member_ids = fields.One2many(
        "kam.team.member", "partner_id", string="Account Team",
        groups=SALES_GROUP)
    kam_history_ids = fields.One2many(
        "kam.tier.history", "partner_id", string="Tier History",
        groups=SALES_GROUP)
    kam_user_ids = fields.Many2many(
        "res.users", string="Key Account Users",
        compute="_compute_kam_user_ids", search="_search_kam_user_ids",
        help="The key account manager and the account team of the current company.",
        groups=SALES_GROUP)

    # ---- Classification ----
    kam_tier_locked = fields.Boolean(
        string="Tier Locked", company_dependent=True, copy=False,
        help="A director locked the tier: scoring no longer changes it.",
        groups=SALES_GROUP)
    kam_tier_lock_reason = fields.Char(
        string="Tier Lock Reason", company_dependent=True, copy=False, groups=KAM_GROUP)
    kam_credit_rating = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], string="Credit Rating", company_dependent=True,
        copy=False, groups=KAM_GROUP)
    kam_lifecycle_stage = fields.Selection(
        [
            ("potential", "Potential"),
            ("developing", "Developing"),
            ("growing", "Growing"),
            ("mature", "Mature"),
            ("at_risk", "Churn Risk"),
            ("lost", "Lost"),
        ],
        string="Lifecycle Stage", company_dependent=True, copy=False,
        groups=SALES_GROUP)
    kam_strategic_value = fields.Integer(
        string="Strategic Value", company_dependent=True, copy=False,
        help="0-5: brand endorsement, opening an industry, influence on our image.",
        groups=SALES_GROUP)
    kam_potential_revenue = fields.Float(
        string="Potential Yearly Revenue", company_dependent=True, copy=False,
        help="Estimated yearly spend of the customer in our categories (wallet), in company currency.",
        groups=SALES_GROUP)

    # ---- Compute ----
    @api.depends_context("company")
    @api.depends("kam_manager_id", "kam_team_member_ids.user_id", "kam_team_member_ids.company_id")
    def _compute_kam_user_ids(self):
        company = self.env.company
        for partner in self:
            members = partner.kam_team_member_ids.filtered(lambda m: m.company_id == company)
            partner.kam_user_ids = partner.kam_manager_id | members.user_id

    def _search_kam_user_ids(self, operator, value):
        if operator not in ("in", "any"):
            return NotImplemented
        if operator == "any":
            value = self.env["res.users"]._search(value)
        return Domain("kam_manager_id", "in", value) | Domain(
            "kam_team_member_ids", "any",
            Domain("user_id", "in", value) & Domain("company_id", "=", self.env.company.id))

    # ---- Constraints ----
    @api.constrains(*PARTNER_LIMITS)
    def _check_kam_bounds(self):
        check_bounds(self, PARTNER_LIMITS)

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if any(vals.get("kam_manager_id") for vals in vals_list):
            # the record rules cache each user's accounts (res.users._kam_account_domain)
            self.env.registry.clear_cache()
        return partners

    def write(self, vals):
        tracked = [f for f in KAM_TRACKED_FIELDS if f in vals]
        if not tracked:
            return super().write(vals)
        before = {p.id: {f: p[f] for f in tracked} for p in self}
        res = super().write(vals)
        if "kam_manager_id" in vals:
            # the record rules cache each user's accounts (res.users._kam_account_domain)
            self.env.registry.clear_cache()
        self._kam_log_changes(before, tracked)
        return res

    # ---- Report ----
    def _kam_review_filename(self):
        """The account review's file name: its title, the account and the day it is
        printed (the company's day), in the reader's language."""
        self.ensure_one()
        return report_filename(self.env._("Account Review"), self.name,
                               self.env.company._kam_today().isoformat())

    # ---- Business ----
    def _kam_handover_records(self, old_user, new_user):
        """Move to ``new_user`` what ``old_user`` carries for the accounts of
        ``self``: here their open activities; visits, plans and the other
        features extend it with ``super()``. Called by the handover wizard after
        it changed the key account manager."""
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "in", self.ids),
            ("user_id", "=", old_user.id),
        ])
        activities.write({"user_id": new_user.id})

    def _kam_with_change(self, cause, note=False):
        """``self`` for a write whose key-account changes the history records with
        ``cause`` (``score``, ``manual``, ``approval``, ``handover``) and ``note``:
        for the addon's own flows only (a private method, not callable over the API)."""
        return self.with_context(**{KAM_CHANGE_KEY: _KamChange(cause, note)})

    def _kam_change_cause(self):
        """``(cause, note)`` of the changes written in this environment: those of
        the flow that set them (:meth:`_kam_with_change`). The system itself (uid 1
        outside another user's request: install, demo data, scheduled actions) may
        still give them as the plain context keys ``kam_change_cause`` and
        ``kam_change_note``; from anyone else these keys are client input, and the
        change is a manual one."""
        change = self.env.context.get(KAM_CHANGE_KEY)
        if isinstance(change, _KamChange):
            return change.cause, change.note
        if kam_acting_user(self.env).id == SUPERUSER_ID:
            return (self.env.context.get("kam_change_cause") or "manual",
                    self.env.context.get("kam_change_note") or False)
        return "manual", False

    def _kam_log_changes(self, before, tracked):
        """Record tier, status and key account manager changes of ``self`` in
        kam.tier.history and in the chatter, in one batch, with the cause (and
        note) of :meth:`_kam_change_cause` (``manual`` by default).
        """
        cause, note = self._kam_change_cause()
        common = {"company_id": self.env.company.id, "cause": cause, "note": note}
        vals_list = []
        for partner in self:
            for fname in tracked:
                old, new = before[partner.id][fname], partner[fname]
                if old == new:
                    continue
                change_type = KAM_TRACKED_FIELDS[fname]
                vals = {**common, "partner_id": partner.id, "change_type": change_type}
                if change_type == "state":
                    vals.update(old_state=old, new_state=new)
                elif change_type == "lifecycle":
                    vals.update(old_lifecycle=old or False, new_lifecycle=new or False)
                else:
                    vals.update({f"old_{change_type}_id": old.id, f"new_{change_type}_id": new.id})
                vals_list.append(vals)
        if not vals_list:
            return self.env["kam.tier.history"]
        history = self.env["kam.tier.history"].sudo().create(vals_list)
        for rec in history:
            rec.partner_id._message_log(body=rec._kam_message_body())
        return history
