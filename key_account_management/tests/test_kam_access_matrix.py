"""Who reads and writes what: every private model of the addon against every
role, as one table. The table is the specification; any change of an access
right, a record rule or a group makes this test fail and must be reviewed
here.

Every record of the table belongs to the account ``Matrix Account`` in the
first company. Cells: ``r`` read, ``w`` write, ``c`` create (a record like this
one), ``u`` unlink; ``-`` refused. Checked with ``has_access`` (access rights
and record rules), as each user with their own companies active.
"""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import KamCommon

MANAGER = "key_account_management.key_account_management_group_manager"
DIRECTOR = "key_account_management.key_account_management_group_director"
SALES = "sales_team.group_sale_salesman"
SERVICE = "key_account_management.key_account_management_group_service"

ROLES = ("director", "kam", "team_manager", "team_sales", "other_kam", "kam_c2", "both",
         "salesman", "service", "portal")

# model: director, KAM of the account, team member (manager group), team member (sales
# group only), KAM of another account, KAM of another company, KAM of the account in
# the other company with both companies active, salesperson, member of the service team
# the account's service request is dispatched to (green channel, service group only),
# portal contact
EXPECTED = {
    "kam.team.member":            ("rwcu", "rwcu", "r---", "r---", "r---", "----", "r---", "r---", "----", "----"),
    "kam.stakeholder":            ("rwcu", "rwcu", "rwcu", "rwcu", "----", "----", "----", "----", "----", "----"),
    "kam.stakeholder.link":       ("rwcu", "rwcu", "rwcu", "rwcu", "----", "----", "----", "----", "----", "----"),
    "kam.visit":                  ("rwcu", "rwcu", "rwcu", "r---", "----", "----", "----", "----", "----", "----"),
    "kam.visit.product.line":     ("rwcu", "rwcu", "rwcu", "----", "----", "----", "----", "----", "----", "----"),
    "kam.visit.plan":             ("rwcu", "rwcu", "----", "----", "----", "----", "----", "----", "----", "----"),
    "kam.account.plan":           ("rwcu", "rwcu", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    "kam.account.plan.objective": ("rwcu", "rwcu", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    "kam.account.plan.swot":      ("rwcu", "rwcu", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    "kam.account.plan.competitor": ("rwcu", "rwcu", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    "kam.account.plan.action":    ("rwcu", "rwcu", "r---", "rw--", "----", "----", "----", "----", "----", "----"),
    "kam.account.plan.need":      ("rwcu", "rwcu", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    "kam.nomination":             ("rwcu", "r---", "r---", "----", "----", "----", "----", "rwc-", "----", "----"),
    "kam.target":                 ("rwcu", "r---", "----", "----", "----", "----", "----", "----", "----", "----"),
    "kam.tier.history":           ("r---", "r---", "r---", "r---", "----", "----", "----", "----", "----", "----"),
    # green channel
    "kam.service.request":        ("rwcu", "rwc-", "rwc-", "----", "----", "----", "----", "----", "rwc-", "r---"),
    "kam.service.dispatch":       ("rwcu", "rwcu", "rwcu", "----", "----", "----", "----", "----", "rw--", "----"),
    "kam.service.pause":          ("rwc-", "rwc-", "rwc-", "----", "----", "----", "----", "----", "rwc-", "----"),
    "kam.service.team":           ("rwcu", "r---", "r---", "----", "r---", "----", "r---", "----", "r---", "----"),
    "kam.service.category":       ("rwcu", "r---", "r---", "----", "r---", "----", "r---", "----", "r---", "----"),
    "kam.sla.policy":             ("rwcu", "r---", "r---", "----", "r---", "----", "r---", "----", "r---", "----"),
    # care
    "kam.care.occasion":          ("rwcu", "r---", "r---", "----", "r---", "----", "r---", "----", "----", "----"),
    "kam.care.reminder":          ("rwcu", "r---", "r---", "----", "----", "----", "----", "----", "----", "----"),
    # credit
    "kam.credit.rating":          ("rwcu", "r---", "r---", "----", "r---", "----", "r---", "----", "----", "----"),
    "kam.credit.rating.request":  ("rwcu", "rwc-", "rwc-", "----", "----", "----", "----", "----", "----", "----"),
    # snapshots and scorecards
    "kam.account.snapshot":       ("rwcu", "r---", "r---", "----", "----", "----", "----", "----", "----", "----"),
    "kam.scorecard":              ("rwcu", "r---", "----", "----", "----", "----", "----", "----", "----", "----"),
    "kam.scorecard.template":     ("rwcu", "r---", "r---", "----", "r---", "----", "r---", "----", "----", "----"),
}
# the models a portal contact of the account reads: its company's service requests (portal)
PORTAL_READS = {"kam.service.request"}


@tagged("post_install", "-at_install")
class TestKamAccessMatrix(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c1, c2 = cls.company, cls.company_2
        Partner = cls.env["res.partner"]
        cls.mx_account, cls.mx_other, cls.mx_account_c2 = Partner.create([
            {"name": "Matrix Account", "is_company": True},
            {"name": "Matrix Other Account", "is_company": True},
            {"name": "Matrix Company 2 Account", "is_company": True},
        ])
        cls.mx_person, cls.mx_person_2 = Partner.create([
            {"name": "Max Matrix", "parent_id": cls.mx_account.id, "email": "max@matrix.example.com"},
            {"name": "Mona Matrix", "parent_id": cls.mx_account.id},
        ])

        def user(key, groups, companies=c1):
            return new_test_user(
                cls.env, login=f"kamt_mx_{key}", name=f"Matrix {key}", groups=groups,
                company_id=companies[:1].id, company_ids=[(6, 0, companies.ids)])

        cls.users = {
            "director": user("director", DIRECTOR),
            "kam": user("kam", MANAGER),
            "team_manager": user("team_manager", MANAGER),
            "team_sales": user("team_sales", SALES),
            "other_kam": user("other_kam", MANAGER),
            "kam_c2": user("kam_c2", MANAGER, c2),
            "both": user("both", MANAGER, c1 | c2),
            "salesman": user("salesman", SALES),
            "service": user("service", SERVICE),
        }
        portal = new_test_user(cls.env, login="kamt_mx_portal", name="Max Portal",
                               groups="base.group_portal")
        portal.partner_id.parent_id = cls.mx_account
        cls.users["portal"] = portal
        cls.companies = {key: u.company_ids for key, u in cls.users.items()}
        u = cls.users

        # the key accounts: the matrix account is managed by "kam" in company 1 and by
        # "both" in company 2 (where it has private records the test does not look at)
        cls.mx_account.with_company(c1).write({"kam_state": "registered", "kam_manager_id": u["kam"].id})
        cls.mx_account.with_company(c2).write({"kam_state": "registered", "kam_manager_id": u["both"].id})
        cls.mx_other.with_company(c1).kam_manager_id = u["other_kam"]
        cls.mx_account_c2.with_company(c2).kam_manager_id = u["kam_c2"]
        cls.team_row, _team_manager_row = cls.env["kam.team.member"].create([
            {"partner_id": cls.mx_account.id, "user_id": u["team_sales"].id, "role": "technical",
             "company_id": c1.id},
            {"partner_id": cls.mx_account.id, "user_id": u["team_manager"].id, "role": "service",
             "company_id": c1.id},
        ])

        # the private records of the matrix account in company 1
        cls.stakeholder, stakeholder_2 = cls.env["kam.stakeholder"].create([
            {"partner_id": cls.mx_account.id, "contact_id": cls.mx_person.id,
             "personal_needs": "Wants a promotion"},
            {"partner_id": cls.mx_account.id, "contact_id": cls.mx_person_2.id},
        ])
        cls.link = cls.env["kam.stakeholder.link"].create(
            {"source_id": cls.stakeholder.id, "target_id": stakeholder_2.id})
        start = datetime.combine(cls.env.company._kam_today() + timedelta(days=2), datetime.min.time())
        cls.visit = cls.env["kam.visit"].create({
            "partner_id": cls.mx_account.id, "user_id": u["kam"].id,
            "date_start": start + timedelta(hours=9), "date_end": start + timedelta(hours=10),
            "stakeholder_ids": [(4, cls.stakeholder.id)],
            "product_line_ids": [(0, 0, {"product_id": cls.product.id})],
        })
        cls.visit_plan = cls.env["kam.visit.plan"].create({"user_id": u["kam"].id})
        year = cls.env.company._kam_today().year
        cls.plan = cls.env["kam.account.plan"].create({
            "partner_id": cls.mx_account.id, "user_id": u["kam"].id,
            "date_start": date(year, 1, 1), "date_end": date(year, 12, 31),
            "objective_ids": [(0, 0, {"name": "Double the fibre business"})],
            "swot_ids": [(0, 0, {"name": "Trusted by the CTO", "swot_type": "strength"})],
            "competitor_ids": [(0, 0, {"competitor_id": cls.mx_other.id})],
            "action_ids": [(0, 0, {"name": "Workshop", "user_id": u["team_sales"].id,
                                   "date_deadline": cls.env.company._kam_today() + timedelta(days=30)})],
            "need_ids": [(0, 0, {"name": "Career", "need_type": "personal",
                                 "stakeholder_id": cls.stakeholder.id})],
        })
        cls.nomination = cls._nomination()
        cls.target = cls.env["kam.target"].create({
            "user_id": u["kam"].id, "year": year, "revenue_target": 100000.0})
        cls.history = cls.env["kam.tier.history"].search([
            ("partner_id", "=", cls.mx_account.id), ("company_id", "=", c1.id)], limit=1)

        # green channel: the company's service set-up and a request of the matrix account,
        # dispatched to the team of "service", waiting on the customer
        cls.service_team = cls.env["kam.service.team"].create({
            "name": "Matrix Network Operations", "company_id": c1.id,
            "member_ids": [(6, 0, u["service"].ids)]})
        cls.service_category = cls.env["kam.service.category"].create({
            "name": "Matrix Outage", "company_id": c1.id, "team_id": cls.service_team.id})
        cls.sla_policy = cls.env["kam.sla.policy"].create({
            "company_id": c1.id, "tier_id": cls.tier_a.id, "priority": "3",
            "category_id": cls.service_category.id})
        cls.service_request = cls.env["kam.service.request"].create({
            "subject": "Matrix line down", "partner_id": cls.mx_account.id,
            "requester_id": cls.mx_person.id, "company_id": c1.id,
            "category_id": cls.service_category.id})
        cls.service_dispatch = cls.env["kam.service.dispatch"].create({
            "request_id": cls.service_request.id, "team_id": cls.service_team.id,
            "instruction": "Check the access line"})
        cls.service_pause = cls.env["kam.service.pause"].create({
            "request_id": cls.service_request.id, "reason": "Waiting for the site badge"})
        # care: a company occasion and a reminder of the matrix account for its KAM
        cls.care_occasion = cls.env["kam.care.occasion"].create({
            "name": "Matrix Day", "company_id": c1.id, "occasion_type": "fixed",
            "fixed_month": 6, "fixed_day": 1})
        cls.care_reminder = cls.env["kam.care.reminder"].create({
            "occasion_id": cls.care_occasion.id, "partner_id": cls.mx_account.id,
            "company_id": c1.id, "user_id": u["kam"].id, "occasion_date": date(year, 6, 1),
            "year": year, "key": f"matrix-{year}"})
        # credit: a rating of the company's policy and the KAM's request for the account
        cls.credit_rating = cls.env["kam.credit.rating"].create({
            "code": "MXA", "name": "Matrix A", "company_id": c1.id,
            "payment_term_id": cls.env.ref("account.account_payment_term_30days").id})
        cls.credit_request = cls.env["kam.credit.rating.request"].create({
            "partner_id": cls.mx_account.id, "company_id": c1.id,
            "new_rating_id": cls.credit_rating.id, "requested_by_id": u["kam"].id,
            "reason": "Pays on time"})
        # the month's snapshot of the account and the KAM's scorecard of the year
        cls.snapshot = cls.env["kam.account.snapshot"].create({
            "partner_id": cls.mx_account.id, "company_id": c1.id,
            "month": cls.env.company._kam_today().replace(day=1), "user_id": u["kam"].id})
        cls.scorecard = cls.env["kam.scorecard"].create({
            "company_id": c1.id, "user_id": u["kam"].id, "period_type": "year",
            "date_start": date(year, 1, 1), "date_end": date(year, 12, 31), "year": year})
        cls.scorecard_template = cls.env["kam.scorecard.template"].create({
            "name": "Matrix Assessment", "company_id": c1.id, "year": year})

    @classmethod
    def _nomination(cls):
        """An approved nomination of the matrix account, made by the salesperson."""
        return cls.env["kam.nomination"].create({
            "partner_id": cls.mx_account.id, "company_id": cls.company.id,
            "nominated_by_id": cls.users["salesman"].id, "state": "approved",
            "reason": "Largest telecom buyer of the region",
            "proposed_tier_id": cls.tier_a.id, "proposed_manager_id": cls.users["kam"].id,
            "decided_by_id": cls.users["director"].id,
        })

    def _records(self):
        plan = self.plan
        return {
            "kam.team.member": self.team_row,
            "kam.stakeholder": self.stakeholder,
            "kam.stakeholder.link": self.link,
            "kam.visit": self.visit,
            "kam.visit.product.line": self.visit.product_line_ids,
            "kam.visit.plan": self.visit_plan,
            "kam.account.plan": plan,
            "kam.account.plan.objective": plan.objective_ids,
            "kam.account.plan.swot": plan.swot_ids,
            "kam.account.plan.competitor": plan.competitor_ids,
            "kam.account.plan.action": plan.action_ids,
            "kam.account.plan.need": plan.need_ids,
            "kam.nomination": self.nomination,
            "kam.target": self.target,
            "kam.tier.history": self.history,
            "kam.service.request": self.service_request,
            "kam.service.dispatch": self.service_dispatch,
            "kam.service.pause": self.service_pause,
            "kam.service.team": self.service_team,
            "kam.service.category": self.service_category,
            "kam.sla.policy": self.sla_policy,
            "kam.care.occasion": self.care_occasion,
            "kam.care.reminder": self.care_reminder,
            "kam.credit.rating": self.credit_rating,
            "kam.credit.rating.request": self.credit_request,
            "kam.account.snapshot": self.snapshot,
            "kam.scorecard": self.scorecard,
            "kam.scorecard.template": self.scorecard_template,
        }

    def _cell(self, record, role, company_ids=None):
        env = self.env(user=self.users[role], su=False, context=dict(
            self.env.context, allowed_company_ids=company_ids or self.companies[role].ids))
        record = record.with_env(env)
        return "".join(
            letter if record.has_access(operation) else "-"
            for letter, operation in (("r", "read"), ("w", "write"), ("c", "create"),
                                      ("u", "unlink")))

    def test_access_matrix(self):
        records = self._records()
        self.assertEqual(set(records), set(EXPECTED))
        for model, record in records.items():
            self.assertEqual(len(record), 1, model)
        actual = {model: tuple(self._cell(records[model], role) for role in ROLES)
                  for model in EXPECTED}
        differences = [
            f"{model} / {role}: expected {EXPECTED[model][i]}, got {actual[model][i]}"
            for model in EXPECTED for i, role in enumerate(ROLES)
            if EXPECTED[model][i] != actual[model][i]
        ]
        self.assertFalse(differences, "access matrix changed:\n" + "\n".join(differences))
        # what the user of both companies sees does not depend on the company switcher
        reverse = list(reversed(self.companies["both"].ids))
        self.assertEqual(len(reverse), 2)
        for model, record in records.items():
            self.assertEqual(self._cell(record, "both", reverse),
                             EXPECTED[model][ROLES.index("both")], model)

    def test_portal_contact_reads_nothing(self):
        """A contact of the account with portal access reads none of the private
        models, not even by searching (but its company's service requests)."""
        env = self.env(user=self.users["portal"])
        for model, record in self._records().items():
            if model in PORTAL_READS:
                continue
            with self.subTest(model=model):
                self.assertFalse(record.with_env(env).has_access("read"))
                self.assertFalse(env[model].has_access("read"))

    def test_service_user_cannot_open_other_requests(self):
        """A service user reads the requests dispatched to their team; a new line or a
        moved line does not open another request to them."""
        self.mx_other.kam_state = "registered"
        other = self.env["kam.service.request"].create({
            "subject": "Matrix other outage", "partner_id": self.mx_other.id,
            "company_id": self.company.id})
        env = self.env(user=self.users["service"], su=False, context=dict(
            self.env.context, allowed_company_ids=self.companies["service"].ids))
        self.assertFalse(other.with_env(env).has_access("read"))
        with self.assertRaises(AccessError):
            env["kam.service.dispatch"].create({
                "request_id": other.id, "team_id": self.service_team.id,
                "instruction": "Mine now"})
        with self.assertRaisesRegex(UserError, "Request of .* cannot be changed"):
            self.service_dispatch.with_env(env).write({"request_id": other.id})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            self.service_pause.with_env(env).write({"request_id": other.id})
        self.assertFalse(other.with_env(env).has_access("read"))
        # the user who drives a request dispatches it
        other.user_id = self.users["service"]
        line = env["kam.service.dispatch"].create({
            "request_id": other.id, "team_id": self.service_team.id, "instruction": "Check"})
        self.assertEqual(line.request_id, other)
