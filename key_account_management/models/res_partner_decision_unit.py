from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .kam_flow_mixin import kam_has_group
from .kam_stakeholder import INFLUENCE_WEIGHTS

# key-account states for which the decision-unit coverage is checked
DECISION_UNIT_STATES = ("candidate", "nominated", "registered")
# days: a stakeholder contacted within this window counts for "multi-threaded"
SINGLE_THREAD_DAYS = 90
SINGLE_THREAD_MIN = 2
# the red flags, in display order: code, field name
RED_FLAGS = (
    "no_decision_maker",
    "no_coach",
    "decision_maker_not_supportive",
    "opponent",
    "single_threaded",
    "key_person_not_contacted",
    # from the relationship strengths (res_partner_relationship.py)
    "no_economic_buyer_link",
    "held_by_leaving",
    "coach_cold",
)
STAKEHOLDER_GROUP = "sales_team.group_sale_salesman"
DIRECTOR_GROUP = "key_account_management.key_account_management_group_director"


def _flag_search(flag):
    def search(self, operator, value):
        return self._search_kam_red_flag(flag, operator, value)
    search.__name__ = f"_search_kam_flag_{flag}"
    return search


class ResPartner(models.Model):
    """Decision unit of a key account: its stakeholders, the support index and
    the coverage red flags.

    Privacy: every field here is computed with the current user's rights. A
    user who is neither on the account's team (KAM or member) nor a director
    gets empty values (no flag, no index), so attitudes and names never leak
    through the account; the fields are also limited to sales users.
    """

    _inherit = "res.partner"

    kam_stakeholder_ids = fields.One2many(
        "kam.stakeholder", "partner_id", string="Stakeholders", groups=STAKEHOLDER_GROUP)
    kam_stakeholder_count = fields.Integer(
        string="Stakeholders Count", compute="_compute_kam_decision_unit", groups=STAKEHOLDER_GROUP)
    kam_support_index = fields.Float(
        string="Support Index", compute="_compute_kam_decision_unit", digits=(16, 1),
        groups=STAKEHOLDER_GROUP,
        help="Influence-weighted average attitude of the stakeholders whose attitude is "
             "known (high = 3, medium = 2, low = 1; -10 counted as such): from -10 to +5.")
    kam_flag_no_decision_maker = fields.Boolean(
        string="No Decision Maker", compute="_compute_kam_decision_unit",
        search=_flag_search("no_decision_maker"), groups=STAKEHOLDER_GROUP,
        help="Nobody in the decision unit has a decision-maker role.")
    kam_flag_no_coach = fields.Boolean(
        string="No Coach", compute="_compute_kam_decision_unit",
        search=_flag_search("no_coach"), groups=STAKEHOLDER_GROUP,
        help="Nobody in the decision unit has a coach role.")
    kam_flag_decision_maker_not_supportive = fields.Boolean(
        string="Decision Maker Not Supportive", compute="_compute_kam_decision_unit",
        search=_flag_search("decision_maker_not_supportive"), groups=STAKEHOLDER_GROUP,
        help="A decision maker's attitude is 0 or less (or unknown).")
    kam_flag_opponent = fields.Boolean(
        string="Influential Opponent", compute="_compute_kam_decision_unit",
        search=_flag_search("opponent"), groups=STAKEHOLDER_GROUP,
        help="A high-influence stakeholder opposes us (-3 or less) or favours a competitor.")
    kam_flag_single_threaded = fields.Boolean(
        string="Single-Threaded", compute="_compute_kam_decision_unit",
        search=_flag_search("single_threaded"), groups=STAKEHOLDER_GROUP,
        help="Fewer than 2 strong links of ours to the decision makers (relationship "
             "strengths); before the relationships are first computed: fewer than 2 "
             "stakeholders contacted in the last 90 days.")
    kam_flag_key_person_not_contacted = fields.Boolean(
        string="Key Person Not Contacted", compute="_compute_kam_decision_unit",
        search=_flag_search("key_person_not_contacted"), groups=STAKEHOLDER_GROUP,
        help="A high-influence stakeholder was not contacted within the tier's visit interval.")
    kam_red_flag_count = fields.Integer(
        string="Red Flags", compute="_compute_kam_decision_unit", groups=STAKEHOLDER_GROUP)
    kam_has_red_flags = fields.Boolean(
        string="Has Red Flags", compute="_compute_kam_decision_unit",
        search=_flag_search(None), groups=STAKEHOLDER_GROUP)
    kam_red_flag_html = fields.Html(
        string="Red Flag Details", compute="_compute_kam_decision_unit", sanitize=False,
        groups=STAKEHOLDER_GROUP, help="One line per red flag, explaining it.")

    # ---- Compute ----
    @api.depends_context("company", "uid")
    @api.depends(
        "kam_state", "kam_tier_id", "kam_user_ids",
        "kam_stakeholder_ids.attitude", "kam_stakeholder_ids.influence",
        "kam_stakeholder_ids.role_ids", "kam_stakeholder_ids.last_contact_date",
        "kam_stakeholder_ids.active", "kam_stakeholder_ids.competitor_id")
    def _compute_kam_decision_unit(self):
        stats = self._kam_decision_unit_stats()
        labels = self._kam_red_flag_labels()
        for partner in self:
            stat = stats.get(partner.id)
            flags = stat["flags"] if stat else {}
            partner.kam_stakeholder_count = stat["count"] if stat else 0
            partner.kam_support_index = stat["support_index"] if stat else 0.0
            for flag in RED_FLAGS:
                partner[f"kam_flag_{flag}"] = flag in flags
            partner.kam_red_flag_count = len(flags)
            partner.kam_has_red_flags = bool(flags)
            partner.kam_red_flag_html = Markup("").join(
                Markup('<div class="o_kam_red_flag"><span class="badge text-bg-danger me-2">%s'
                       '</span>%s</div>') % (labels[flag], flags[flag])
                for flag in RED_FLAGS if flag in flags) or False

    def _search_kam_red_flag(self, flag, operator, value):
        if operator != "in":
            return NotImplemented
        candidates = self.search(self._kam_decision_unit_domain())
        stats = candidates._kam_decision_unit_stats()
        flagged = [
            partner_id for partner_id, stat in stats.items()
            if (stat["flags"] if flag is None else flag in stat["flags"])
        ]
        if True in value:
            return Domain("id", "in", flagged)
        return Domain("id", "not in", flagged)

    # ---- Actions ----
    def action_kam_open_org_chart(self):
        """The org chart (hierarchy view) of the account's decision unit."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_stakeholder_action_org_chart")
        name = self.env._("Decision Unit of %(account)s", account=self.display_name)
        action.update({
            "name": name,
            "display_name": name,
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        })
        return action

    # ---- Business ----
    def _kam_handover_records(self, old_user, new_user):
        """Handover: the relationships ``old_user`` owned with the stakeholders of
        the accounts of ``self`` (current company) go to ``new_user``."""
        res = super()._kam_handover_records(old_user, new_user)
        stakeholders = self.env["kam.stakeholder"].with_context(active_test=False).search([
            ("partner_id", "in", self.ids), ("owner_user_id", "=", old_user.id),
            ("company_id", "=", self.env.company.id),
        ])
        stakeholders.write({"owner_user_id": new_user.id})
        return res

    @api.model
    def _kam_red_flag_labels(self):
        """``{flag code: short translated label}`` of the red flags."""
        return {
            "no_decision_maker": self.env._("No decision maker"),
            "no_coach": self.env._("No coach"),
            "decision_maker_not_supportive": self.env._("Decision maker not won"),
            "opponent": self.env._("Influential opponent"),
            "single_threaded": self.env._("Single-threaded"),
            "key_person_not_contacted": self.env._("Key person not contacted"),
        }

    def _kam_decision_unit_domain(self):
        """Accounts whose decision unit the current user may analyse: key accounts
        of the current company they serve on (KAM or team), all for directors."""
        domain = Domain("is_company", "=", True) & Domain("kam_state", "in", DECISION_UNIT_STATES)
        if not kam_has_group(self.env, DIRECTOR_GROUP):
            domain &= Domain("kam_user_ids", "in", [self.env.uid])
        return domain

    def _kam_decision_unit_stats(self):
        """Coverage of the decision units of ``self`` in the current company, with
        the current user's rights, in one query:

        ``{partner_id: {"count": int, "support_index": float,
        "flags": {flag code: one-line explanation}}}`` for each account of
        ``self`` the user may analyse (see ``_kam_decision_unit_domain``).
        """
        partners = self.filtered("id")
        if not partners or not self.env.user.has_group(STAKEHOLDER_GROUP):
            return {}
        partners = partners.filtered_domain(self._kam_decision_unit_domain())
        if not partners:
            return {}
        Stakeholder = self.env["kam.stakeholder"]
        company = self.env.company
        query = Stakeholder._search([
            ("partner_id", "in", partners.ids), ("company_id", "=", company.id),
        ])
        Stakeholder.flush_model([
            "partner_id", "name", "is_decision_maker", "is_coach", "attitude_value", "attitude",
            "influence", "last_contact_date", "competitor_id", "sequence",
        ])
        self.env["res.partner"].flush_model(["name"])
        self.env.cr.execute(SQL(
            """
            SELECT s.partner_id, s.name, s.is_decision_maker, s.is_coach, s.attitude,
                   s.attitude_value, s.influence, s.last_contact_date, c.name
              FROM kam_stakeholder s
         LEFT JOIN res_partner c ON c.id = s.competitor_id
             WHERE s.id IN %s
          ORDER BY s.partner_id, s.sequence, s.id
            """, query.subselect()))
        rows_by_partner = {}
        for row in self.env.cr.fetchall():
            rows_by_partner.setdefault(row[0], []).append(row[1:])
        attitude_labels = dict(Stakeholder._fields["attitude"]._description_selection(self.env))
        today = self.env.company._kam_today()
        return {
            partner.id: partner._kam_decision_unit_stat(
                rows_by_partner.get(partner.id, []), attitude_labels, today)
            for partner in partners
        }

    def _kam_decision_unit_stat(self, rows, attitude_labels, today):
        """Coverage of one account from its stakeholder rows (name, is_decision_maker,
        is_coach, attitude, attitude_value, influence, last_contact_date,
        competitor name)."""
        self.ensure_one()
        flags = {}

        def attitude_text(attitude, competitor):
            if not attitude:
                return self.env._("attitude unknown")
            if attitude == "-10" and competitor:
                return self.env._("%(attitude)s: %(competitor)s",
                                  attitude=attitude_labels[attitude], competitor=competitor)
            return attitude_labels[attitude]

        if not any(row[1] for row in rows):
            flags["no_decision_maker"] = self.env._(
                "No decision maker identified: nobody in the decision unit has a "
                "decision-maker role.")
        if not any(row[2] for row in rows):
            flags["no_coach"] = self.env._(
                "No coach: nobody inside the account guides us; win someone over and give "
                "them the coach role.")
        not_won = [
            f"{row[0]} ({attitude_text(row[3], row[7])})"
            for row in rows if row[1] and row[4] <= 0
        ]
        if not_won:
            flags["decision_maker_not_supportive"] = self.env._(
                "Decision maker not won over: %(people)s.", people=", ".join(not_won))
        opponents = [
            f"{row[0]} ({attitude_text(row[3], row[7])})"
            for row in rows if row[5] == "high" and row[3] and row[4] <= -3
        ]
        if opponents:
            flags["opponent"] = self.env._(
                "High-influence opponent: %(people)s.", people=", ".join(opponents))
        thread_limit = today - timedelta(days=SINGLE_THREAD_DAYS)
        contacted = sum(1 for row in rows if row[6] and row[6] >= thread_limit)
        if contacted < SINGLE_THREAD_MIN:
            flags["single_threaded"] = self.env._(
                "Single-threaded: %(count)s stakeholder(s) contacted in the last %(days)s days "
                "(at least %(min)s needed).",
                count=contacted, days=SINGLE_THREAD_DAYS, min=SINGLE_THREAD_MIN)
        interval = self.kam_tier_id.visit_interval_days
        if interval > 0:
            visit_limit = today - timedelta(days=interval)
            stale = [
                "{} ({})".format(row[0], self.env._("never") if not row[6] else self.env._(
                    "last %(date)s", date=fields.Date.to_string(row[6])))
                for row in rows if row[5] == "high" and (not row[6] or row[6] < visit_limit)
            ]
            if stale:
                flags["key_person_not_contacted"] = self.env._(
                    "High-influence stakeholder not contacted within %(days)s days (visit "
                    "interval of tier %(tier)s): %(people)s.",
                    days=interval, tier=self.kam_tier_id.name, people=", ".join(stale))
        weights = [(INFLUENCE_WEIGHTS[row[5]], row[4]) for row in rows if row[3]]
        total_weight = sum(weight for weight, _value in weights)
        support_index = round(
            sum(weight * value for weight, value in weights) / total_weight, 1
        ) if total_weight else 0.0
        return {"count": len(rows), "support_index": support_index, "flags": flags}
