from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

from .res_partner_decision_unit import SINGLE_THREAD_MIN, STAKEHOLDER_GROUP, _flag_search


class ResPartner(models.Model):
    """Relationships on the account (issue 26): the coverage map (our people x their
    decision unit), the red flags drawn from the relationship strengths, and on any
    contact who of us knows them best.

    The flags from strength are raised once the nightly job has computed the
    relationships of the company (before its first run there is nothing to read them
    from); they replace the count of contacted stakeholders in "single-threaded".
    Like every decision-unit figure they are computed with the reader's rights, for
    the account's team and the directors only.
    """

    _inherit = "res.partner"

    kam_flag_no_economic_buyer_link = fields.Boolean(
        string="No Link to the Economic Buyer", compute="_compute_kam_decision_unit",
        search=_flag_search("no_economic_buyer_link"), groups=STAKEHOLDER_GROUP,
        help="None of us has a strong link to the economic buyer (the decision makers of "
             "high influence; all decision makers when none is of high influence).")
    kam_flag_held_by_leaving = fields.Boolean(
        string="Relationship Held by Someone Leaving", compute="_compute_kam_decision_unit",
        search=_flag_search("held_by_leaving"), groups=STAKEHOLDER_GROUP,
        help="Every strong link to a stakeholder is held by users who are archived or no "
             "longer on the account team.")
    kam_flag_coach_cold = fields.Boolean(
        string="Coach Gone Cold", compute="_compute_kam_decision_unit",
        search=_flag_search("coach_cold"), groups=STAKEHOLDER_GROUP,
        help="Nobody of us touched a coach within the days set in Settings.")

    # ---- Actions ----
    def action_kam_view_coverage_map(self):
        """The coverage map of the account: our people x its contacts, by strength
        (the relationships the reader may read)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_relationship_action")
        name = self.env._("Coverage Map of %(account)s", account=self.display_name)
        action.update({
            "name": name, "display_name": name, "view_mode": "pivot,list,form",
            "views": [(False, "pivot"), (False, "list"), (False, "form")],
            "domain": [("partner_id", "=", self.commercial_partner_id.id),
                       ("company_id", "=", self.env.company.id)],
            "context": {"search_default_decision_maker": 0},
        })
        return action

    def action_kam_view_relationships(self):
        """Who of us knows this contact, strongest first (for an introduction)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_management.kam_relationship_action")
        name = self.env._("Who Knows %(contact)s", contact=self.display_name)
        action.update({
            "name": name, "display_name": name, "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("contact_id", "=", self.id),
                       ("company_id", "=", self.env.company.id)],
            "context": {},
        })
        return action

    # ---- Business ----
    def _kam_red_flag_labels(self):
        labels = super()._kam_red_flag_labels()
        labels.update({
            "no_economic_buyer_link": self.env._("No link to the economic buyer"),
            "held_by_leaving": self.env._("Held by someone leaving"),
            "coach_cold": self.env._("Coach gone cold"),
        })
        return labels

    def _kam_decision_unit_stats(self):
        stats = super()._kam_decision_unit_stats()
        if stats:
            self.browse(list(stats))._kam_relationship_flags(stats)
        return stats

    def _kam_relationship_flags(self, stats):
        """Add the flags drawn from relationship strengths to ``stats`` (see
        ``_kam_decision_unit_stats``) of the accounts ``self``, in two queries."""
        company = self.env.company
        self.env["kam.relationship"].flush_model()
        self.env.cr.execute(SQL(
            "SELECT 1 FROM kam_relationship WHERE company_id = %s LIMIT 1", company.id))
        if not self.env.cr.fetchone():
            return  # the nightly job has not run in this company yet
        Stakeholder = self.env["kam.stakeholder"]
        stakeholders = Stakeholder.search([
            ("partner_id", "in", self.ids), ("company_id", "=", company.id)])
        relationships = self.env["kam.relationship"].search([
            ("partner_id", "in", self.ids), ("company_id", "=", company.id)])
        links = {}
        for rel in relationships:
            links.setdefault(rel.contact_id.id, []).append(rel)
        today = company._kam_today()
        cold_limit = today - timedelta(days=company.kam_rel_cold_days or 60)
        by_account = {}
        for stakeholder in stakeholders:
            by_account.setdefault(stakeholder.partner_id.id, []).append(stakeholder)
        for partner in self:
            flags = stats[partner.id]["flags"]
            people = by_account.get(partner.id, [])
            team = partner.kam_user_ids
            deciders = [s for s in people if s.is_decision_maker]
            strong_dm = [(s, rel) for s in deciders for rel in links.get(s.contact_id.id, [])
                         if rel.is_strong and rel.user_id.active]
            flags.pop("single_threaded", None)
            if len(strong_dm) < SINGLE_THREAD_MIN:
                flags["single_threaded"] = self.env._(
                    "Single-threaded: %(count)s strong link(s) to the decision makers (at "
                    "least %(min)s needed): %(links)s.", count=len(strong_dm),
                    min=SINGLE_THREAD_MIN, links=", ".join(
                        f"{rel.user_id.name} - {s.name}" for s, rel in strong_dm
                    ) or self.env._("none"))
            buyers = [s for s in deciders if s.influence == "high"] or deciders
            if buyers and not any(
                    rel.is_strong and rel.user_id.active
                    for s in buyers for rel in links.get(s.contact_id.id, [])):
                flags["no_economic_buyer_link"] = self.env._(
                    "No strong link to the economic buyer: %(people)s.",
                    people=", ".join(s.name for s in buyers))
            held = []
            for stakeholder in people:
                strong = [rel for rel in links.get(stakeholder.contact_id.id, [])
                          if rel.is_strong]
                if strong and all(not rel.user_id.active or rel.user_id not in team
                                  for rel in strong):
                    held.append(self.env._(
                        "%(person)s (by %(users)s)", person=stakeholder.name,
                        users=", ".join(rel.user_id.name for rel in strong)))
            if held:
                flags["held_by_leaving"] = self.env._(
                    "Relationship held only by someone leaving (archived or off the team): "
                    "%(people)s.", people=", ".join(held))
            cold = []
            for coach in (s for s in people if s.is_coach):
                dates = [rel.last_touch_date for rel in links.get(coach.contact_id.id, [])
                         if rel.last_touch_date]
                last = max(dates) if dates else None
                if not last or last < cold_limit:
                    cold.append("{} ({})".format(coach.name, self.env._("never") if not last
                                else self.env._("last %(date)s",
                                                date=fields.Date.to_string(last))))
            if cold:
                flags["coach_cold"] = self.env._(
                    "Coach gone cold, no touch in %(days)s days: %(people)s.",
                    days=company.kam_rel_cold_days, people=", ".join(cold))
