"""Access that holds (issue 15): no self-granted access by re-linking a record,
rules right with several companies active, KAMs without contact-manager
rights, salespeople on an account team, private chatter."""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from ..models.kam_flow_mixin import kam_flow
from .common import KamCommon

GROUP_MANAGER = "key_account_management.key_account_management_group_manager"


class KamAccessCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_2_contact = cls.env["res.partner"].create(
            {"name": "Eve Other", "parent_id": cls.account_2.id})
        cls.stakeholder = cls.env["kam.stakeholder"].create({
            "partner_id": cls.account.id, "contact_id": cls.account_contact.id,
            "personal_needs": "Wants a promotion"})
        cls.stakeholder_2 = cls.env["kam.stakeholder"].create({
            "partner_id": cls.account_2.id, "contact_id": cls.account_2_contact.id,
            "personal_needs": "Plays golf with our rival"})

    @classmethod
    def _visit(cls, partner, user, company=None, **vals):
        start = datetime.combine(cls.env.company._kam_today() + timedelta(days=1), datetime.min.time())
        return cls.env["kam.visit"].with_company(company or cls.company).create({
            "partner_id": partner.id, "user_id": user.id,
            "company_id": (company or cls.company).id,
            "date_start": start + timedelta(hours=10), "date_end": start + timedelta(hours=11),
            **vals})

    @classmethod
    def _plan(cls, partner, company=None, **vals):
        year = cls.env.company._kam_today().year
        return cls.env["kam.account.plan"].with_company(company or cls.company).create({
            "partner_id": partner.id, "company_id": (company or cls.company).id,
            "date_start": date(year, 1, 1), "date_end": date(year, 12, 31), **vals})


@tagged("post_install", "-at_install")
class TestKamRelink(KamAccessCommon):
    """Rules are checked on a record before it is written: nothing may move a
    private record to another account, plan, company or user, except a
    director or the engine."""

    def test_team_row_relink_refused(self):
        """The attack of the issue, in the ORM: the KAM of an account moves a team
        row of that account to another KAM's account and to themselves."""
        member = self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_salesman.id, "role": "technical"})
        as_kam = member.with_user(self.user_kam)
        as_kam.write({"role": "service"})  # what the KAM may change
        for vals in ({"partner_id": self.account_2.id}, {"user_id": self.user_kam.id},
                     {"company_id": self.company_2.id}):
            with self.assertRaisesRegex(UserError, "cannot be changed once the record exists"):
                as_kam.write(vals)
        with self.assertRaisesRegex(UserError, "Account"):
            as_kam.write({"partner_id": self.account_2.id, "user_id": self.user_kam.id})
        self.assertEqual((member.partner_id, member.user_id), (self.account, self.user_salesman))
        with self.assertRaises(AccessError):
            self.stakeholder_2.with_user(self.user_kam).read(["personal_needs"])
        # writing the value it already has is no change
        as_kam.write({"partner_id": self.account.id, "role": "finance"})
        # a one2many command of the account goes through the same check
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            self.account.with_user(self.user_kam).write({
                "kam_team_member_ids": [(1, member.id, {"user_id": self.user_kam_2.id})]})

    def test_director_and_engine_relink(self):
        member = self.env["kam.team.member"].create({
            "partner_id": self.account.id, "user_id": self.user_salesman.id})
        member.with_user(self.user_director).write({"user_id": self.user_kam_2.id})
        self.assertEqual(member.user_id, self.user_kam_2)
        # sudo() is no engine (issue 20): a KAM's sudo() environment is refused, our
        # flows (the flow token) and the system re-link
        with self.assertRaisesRegex(UserError, "cannot be changed once the record exists"):
            member.with_user(self.user_kam).sudo().write({"user_id": self.user_salesman.id})
        kam_flow(member.with_user(self.user_kam).sudo()).write({"user_id": self.user_salesman.id})
        self.assertEqual(member.user_id, self.user_salesman)
        member.write({"user_id": self.user_kam_2.id})
        self.assertEqual(member.user_id, self.user_kam_2)

    def test_action_owner_relink_plan_refused(self):
        """The owner of an action of a draft plan cannot move it to another plan
        and read that plan through the rule on action owners."""
        owner = new_test_user(self.env, login="kamt_relink_owner", name="Otto Owner",
                              groups="sales_team.group_sale_salesman")
        plan = self._plan(self.account, action_ids=[(0, 0, {
            "name": "Workshop", "user_id": owner.id,
            "date_deadline": self.env.company._kam_today() + timedelta(days=10)})])
        plan_2 = self._plan(self.account_2, swot_ids=[(0, 0, {"name": "Secret weakness",
                                                                  "swot_type": "weakness"})])
        action = plan.action_ids.with_user(owner)
        action.write({"state": "in_progress"})  # what the owner may change
        with self.assertRaisesRegex(UserError, "Account Plan"):
            action.write({"plan_id": plan_2.id})
        with self.assertRaises(AccessError):
            plan_2.with_user(owner).read(["name"])
        with self.assertRaises(AccessError):
            plan_2.swot_ids.with_user(owner).read(["name"])

    def test_every_private_model_has_fixed_links(self):
        """Every private model of the addon is a kam.private.mixin with fixed links."""
        private = {
            "kam.team.member": {"partner_id", "company_id", "user_id"},
            "kam.stakeholder": {"partner_id", "company_id"},
            "kam.stakeholder.link": {"source_id", "target_id"},
            "kam.visit": {"partner_id", "company_id"},
            "kam.visit.product.line": {"visit_id"},
            "kam.visit.plan": {"user_id", "company_id"},
            "kam.account.plan": {"partner_id", "company_id", "user_id"},
            "kam.account.plan.objective": {"plan_id"},
            "kam.account.plan.swot": {"plan_id"},
            "kam.account.plan.competitor": {"plan_id"},
            "kam.account.plan.action": {"plan_id"},
            "kam.account.plan.need": {"plan_id"},
            "kam.nomination": {"partner_id", "company_id"},
            "kam.target": {"user_id", "company_id"},
            "kam.tier.history": {"partner_id", "company_id"},
        }
        mixin = self.env.registry["kam.private.mixin"]
        for model, links in private.items():
            self.assertIsInstance(self.env[model], mixin, model)
            self.assertEqual(set(self.env[model]._kam_fixed_link_fields), links, model)

    def test_relink_stakeholder_visit_plan_lines(self):
        """A KAM moves none of their own records to the other account."""
        visit = self._visit(self.account, self.user_kam)
        plan = self._plan(self.account, objective_ids=[(0, 0, {"name": "Grow"})])
        cases = [
            (self.stakeholder, {"partner_id": self.account_2.id}),
            (visit, {"partner_id": self.account_2.id}),
            (plan, {"partner_id": self.account_2.id}),
            (plan, {"user_id": self.user_kam_2.id}),
            (plan.objective_ids, {"plan_id": self._plan(self.account_2).id}),
        ]
        for record, vals in cases:
            with self.subTest(model=record._name, vals=vals), \
                    self.assertRaisesRegex(UserError, "cannot be changed"):
                record.with_user(self.user_kam).write(vals)


@tagged("post_install", "-at_install")
class TestKamRelinkApi(HttpCase):
    """The attack of the issue over the external API: a KAM edits a team row of
    their own account, sets another KAM's account and themselves on it."""

    def test_team_row_relink_over_api(self):
        env = self.env
        groups = GROUP_MANAGER
        kam = new_test_user(env, login="kamt_api_kam", name="Api Kam", groups=groups,
                            password="kamt_api_kam-pw")
        kam_2 = new_test_user(env, login="kamt_api_kam_2", name="Api Kam 2", groups=groups)
        helper = new_test_user(env, login="kamt_api_helper", name="Api Helper",
                               groups="sales_team.group_sale_salesman")
        mine, theirs = env["res.partner"].create([
            {"name": "Api Own Account", "is_company": True},
            {"name": "Api Other Account", "is_company": True}])
        mine.kam_manager_id = kam
        theirs.kam_manager_id = kam_2
        contact = env["res.partner"].create({"name": "Api Person", "parent_id": theirs.id})
        secret = env["kam.stakeholder"].create({
            "partner_id": theirs.id, "contact_id": contact.id, "personal_needs": "Secret"})
        row = env["kam.team.member"].create({"partner_id": mine.id, "user_id": helper.id})

        db = env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "kamt_api_kam", "kamt_api_kam-pw", {})
        self.assertEqual(uid, kam.id)

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                db, uid, "kamt_api_kam-pw", model, method, list(args), kwargs)

        with self.assertRaisesRegex(Exception, "cannot be changed once the record exists"):
            call("kam.team.member", "write", [row.id],
                 {"partner_id": theirs.id, "user_id": kam.id})
        self.assertEqual((row.partner_id, row.user_id), (mine, helper))
        with self.assertRaisesRegex(Exception, "(?i)access|not allowed"):
            call("kam.stakeholder", "read", [secret.id], ["personal_needs"])
        self.assertFalse(call("kam.stakeholder", "search", [("partner_id", "=", theirs.id)]))
        # nor can they create a team row on the other account
        with self.assertRaisesRegex(Exception, "(?i)access|not allowed"):
            call("kam.team.member", "create", {"partner_id": theirs.id, "user_id": kam.id})


@tagged("post_install", "-at_install")
class TestKamMultiCompanyRules(KamAccessCommon):
    """A user who is the KAM of an account in company 1 only, with companies 1
    and 2 both active, reads none of its private records of company 2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c1, c2 = cls.company, cls.company_2
        cls.user_both = new_test_user(
            cls.env, login="kamt_mc_both", name="Mia Both", groups=GROUP_MANAGER,
            company_id=c1.id, company_ids=[(6, 0, (c1 | c2).ids)])
        cls.user_kam_c2 = new_test_user(
            cls.env, login="kamt_mc_c2", name="Carl Company2", groups=GROUP_MANAGER,
            company_id=c2.id, company_ids=[(6, 0, c2.ids)])
        cls.account_mc = cls.env["res.partner"].create({"name": "Gamma Both", "is_company": True})
        cls.contact_mc = cls.env["res.partner"].create(
            {"name": "Gina Gamma", "parent_id": cls.account_mc.id})
        cls.account_mc.with_company(c1).kam_manager_id = cls.user_both
        cls.account_mc.with_company(c2).kam_manager_id = cls.user_kam_c2
        Stakeholder = cls.env["kam.stakeholder"]
        cls.st_c1 = Stakeholder.create({
            "partner_id": cls.account_mc.id, "contact_id": cls.contact_mc.id,
            "company_id": c1.id})
        cls.st_c2 = Stakeholder.with_company(c2).create({
            "partner_id": cls.account_mc.id, "contact_id": cls.contact_mc.id,
            "company_id": c2.id, "personal_needs": "Company 2 secret"})
        cls.visit_c1 = cls._visit(cls.account_mc, cls.user_both)
        cls.visit_c2 = cls._visit(cls.account_mc, cls.user_kam_c2, company=c2)
        cls.plan_c1 = cls._plan(cls.account_mc, user_id=cls.user_both.id)
        cls.plan_c2 = cls._plan(cls.account_mc, company=c2, user_id=cls.user_kam_c2.id)

    def _as(self, user, companies):
        return self.env(user=user, context=dict(self.env.context,
                                                allowed_company_ids=companies.ids))

    def test_other_company_private_records_hidden(self):
        c1, c2 = self.company, self.company_2
        for companies in (c1 | c2, c2 | c1):
            order = [c1.id, c2.id] if companies == c1 | c2 else [c2.id, c1.id]
            env = self.env(user=self.user_both,
                           context=dict(self.env.context, allowed_company_ids=order))
            with self.subTest(order=order):
                self.assertEqual(
                    env["kam.stakeholder"].search([("partner_id", "=", self.account_mc.id)]),
                    self.st_c1)
                self.assertEqual(
                    env["kam.visit"].search([("partner_id", "=", self.account_mc.id)]),
                    self.visit_c1)
                self.assertEqual(
                    env["kam.account.plan"].search([("partner_id", "=", self.account_mc.id)]),
                    self.plan_c1)
                for record in (self.st_c2, self.visit_c2, self.plan_c2):
                    with self.assertRaises(AccessError):
                        record.with_env(env).read(["company_id"])
        # the KAM of company 2 reads company 2's, not company 1's
        env_c2 = self._as(self.user_kam_c2, c2)
        self.assertEqual(env_c2["kam.stakeholder"].search(
            [("partner_id", "=", self.account_mc.id)]), self.st_c2)
        with self.assertRaises(AccessError):
            self.st_c1.with_env(env_c2).read(["company_id"])

    def test_rule_domain(self):
        """The rule helper: account and company together, or nothing."""
        domain = self.user_both._kam_account_domain()
        self.assertIn(("company_id", "=", self.company.id), domain)
        self.assertNotIn(("company_id", "=", self.company_2.id), domain)
        self.assertEqual(self.user_both._kam_account_domain("plan_id."), [
            "&", ("plan_id.company_id", "=", self.company.id),
            ("plan_id.partner_id", "in", [self.account_mc.id])])
        # one term in prefix form, also with several companies (rules append it to an OR)
        self.account_mc.with_company(self.company_2).kam_manager_id = self.user_both
        self.assertEqual(self.user_both._kam_account_domain(), [
            "|",
            "&", ("company_id", "=", self.company.id), ("partner_id", "in", [self.account_mc.id]),
            "&", ("company_id", "=", self.company_2.id),
            ("partner_id", "in", [self.account_mc.id])])
        self.assertEqual(self.user_both._kam_account_domain(managed_only=True),
                         self.user_both._kam_account_domain())
        nobody = new_test_user(self.env, login="kamt_mc_nobody", groups=GROUP_MANAGER)
        self.assertEqual(nobody._kam_account_domain(), [(0, "=", 1)])
        self.assertFalse(self.env["kam.stakeholder"].search(nobody._kam_account_domain()))

    def test_manager_and_team_changes_apply_at_once(self):
        """The rules cache each user's accounts: a new manager or team row counts at once."""
        env = self._as(self.user_both, self.company | self.company_2)
        self.assertFalse(env["kam.stakeholder"].search([("id", "=", self.st_c2.id)]))
        member = self.env["kam.team.member"].with_company(self.company_2).create({
            "partner_id": self.account_mc.id, "user_id": self.user_both.id,
            "company_id": self.company_2.id})
        self.assertEqual(env["kam.stakeholder"].search([("id", "=", self.st_c2.id)]), self.st_c2)
        member.unlink()
        self.assertFalse(env["kam.stakeholder"].search([("id", "=", self.st_c2.id)]))
        self.account_mc.with_company(self.company_2).kam_manager_id = self.user_both
        self.assertEqual(env["kam.stakeholder"].search([("id", "=", self.st_c2.id)]), self.st_c2)
        self.account_mc.with_company(self.company).kam_manager_id = self.user_kam
        self.assertEqual(env["kam.stakeholder"].search(
            [("partner_id", "=", self.account_mc.id)]), self.st_c2)

    def test_team_row_in_other_company_refused(self):
        """The KAM of an account in company 1 cannot staff it in company 2."""
        env = self._as(self.user_both, self.company | self.company_2)
        helper = new_test_user(
            self.env, login="kamt_mc_helper", groups="sales_team.group_sale_salesman",
            company_id=self.company.id, company_ids=[(6, 0, (self.company | self.company_2).ids)])
        env["kam.team.member"].create({
            "partner_id": self.account_mc.id, "user_id": helper.id, "company_id": self.company.id})
        with self.assertRaises(AccessError):
            env["kam.team.member"].create({
                "partner_id": self.account_mc.id, "user_id": helper.id,
                "company_id": self.company_2.id})


@tagged("post_install", "-at_install")
class TestKamContactRights(KamAccessCommon):
    """KAMs are not contact managers; they change the key-account data of their
    own accounts through the checked write of res.partner."""

    def test_no_contact_manager_rights(self):
        self.assertFalse(self.user_kam.has_group("base.group_partner_manager"))
        self.assertNotIn(self.env.ref("base.group_partner_manager"),
                         self.env.ref(GROUP_MANAGER).all_implied_ids)
        stranger = self.env["res.partner"].create({"name": "Some Supplier", "is_company": True})
        with self.assertRaises(AccessError):
            stranger.with_user(self.user_kam).unlink()
        with self.assertRaises(AccessError):
            self.account_contact.with_user(self.user_kam).unlink()
        # what remains is exactly what Odoo gives every salesperson on contacts
        Partner = self.env["res.partner"]
        for operation in ("read", "write", "create", "unlink"):
            self.assertEqual(
                Partner.with_user(self.user_kam).has_access(operation),
                Partner.with_user(self.user_salesman).has_access(operation), operation)

    def test_classification_own_account_only(self):
        self.account.with_user(self.user_kam).write({
            "kam_strategic_value": 4, "kam_potential_revenue": 250000.0,
            "kam_contract_date": "2020-03-01"})
        self.assertEqual(self.account.kam_strategic_value, 4)
        self.assertEqual(str(self.account.kam_contract_date), "2020-03-01")
        with self.assertRaisesRegex(AccessError, "Only the key account manager"):
            self.account_2.with_user(self.user_kam).write({"kam_strategic_value": 5})
        with self.assertRaisesRegex(AccessError, "Only a Key Account Director"):
            self.account.with_user(self.user_kam).write({"kam_tier_id": self.tier_c.id})
        with self.assertRaisesRegex(AccessError, "Only a Key Account Director"):
            self.account.with_user(self.user_kam).write({"kam_manager_id": self.user_kam_2.id})
        self.assertEqual(self.account_2.kam_strategic_value, 0)


@tagged("post_install", "-at_install")
class TestKamTeamSalesperson(KamAccessCommon):
    """A user with only the sales group who serves on an account team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["kam.team.member"].create({
            "partner_id": cls.account.id, "user_id": cls.user_salesman.id, "role": "technical"})
        cls.visit_done = cls._visit(cls.account, cls.user_kam)
        cls.visit_done.write({
            "stakeholder_ids": [(4, cls.stakeholder.id)],
            "date_start": datetime.now() - timedelta(days=3, hours=2),
            "date_end": datetime.now() - timedelta(days=3, hours=1)})
        cls.visit_done.write({"summary": "<p>Met</p>"})
        cls.visit_done.action_done()
        cls.visit_other = cls._visit(cls.account_2, cls.user_kam_2)

    def test_create_and_open_stakeholder(self):
        person = self.env["res.partner"].create({"name": "Paul New", "parent_id": self.account.id})
        env = self.env(user=self.user_salesman)
        form = Form(env["kam.stakeholder"].with_context(default_partner_id=self.account.id))
        form.contact_id = person
        created = form.save()
        self.assertEqual(created.partner_id, self.account)
        with Form(self.stakeholder.with_env(env)) as opened:
            self.assertEqual(opened.visit_count, 1)
            self.assertTrue(opened.last_contact_date)
            opened.interests = "Chess"
        self.assertEqual(self.stakeholder.interests, "Chess")

    def test_reads_visits_of_team_accounts_only(self):
        Visit = self.env["kam.visit"].with_user(self.user_salesman)
        self.assertEqual(Visit.search([("partner_id", "in", (self.account | self.account_2).ids)]),
                         self.visit_done)
        with self.assertRaises(AccessError):
            self.visit_other.with_user(self.user_salesman).read(["summary"])
        with self.assertRaises(AccessError):
            self.visit_done.with_user(self.user_salesman).write({"summary": "<p>x</p>"})
        # a salesperson on no team reads no visit
        plain = new_test_user(self.env, login="kamt_plain_sales",
                              groups="sales_team.group_sale_salesman")
        self.assertFalse(self.env["kam.visit"].with_user(plain).search(
            [("id", "=", self.visit_done.id)]))


@tagged("post_install", "-at_install")
class TestKamPrivateChatter(KamAccessCommon):
    """The chatter of private records does not suggest the customer as recipient."""

    def test_no_customer_suggested(self):
        visit = self._visit(self.account, self.user_kam,
                            stakeholder_ids=[(4, self.stakeholder.id)])
        plan = self._plan(self.account)
        visit_plan = self.env["kam.visit.plan"].create({"user_id": self.user_kam.id})
        self.account.email = "buyer@acme-telecom.example.com"
        self.account_contact.email = "alice@acme-telecom.example.com"
        customers = self.account | self.account_contact
        for record in (self.stakeholder, visit, plan, visit_plan):
            with self.subTest(model=record._name):
                suggested = record.with_user(self.user_kam)._message_get_suggested_recipients()
                partner_ids = {s.get("partner_id") for s in suggested}
                self.assertFalse(partner_ids & set(customers.ids), suggested)
                emails = {s.get("email") for s in suggested}
                self.assertFalse(emails & set(filter(None, customers.mapped("email"))))
        # the control: a record that is about the customer does suggest them
        lead = self.env["crm.lead"].create({"name": "Deal", "partner_id": self.account.id})
        self.assertIn(self.account.id, {
            s.get("partner_id") for s in lead._message_get_suggested_recipients()})
