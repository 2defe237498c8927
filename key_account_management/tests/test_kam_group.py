"""Group customers (集团客户, issue 22): the hierarchy, who sets it, its bad input."""

import itertools
from datetime import datetime, time, timedelta

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.res_partner_group import GROUP_ROLLUP_FIELDS
from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamGroupHierarchy(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.group = cls.account  # Acme Telecom Group, KAM user_kam
        cls.member = Partner.create({
            "name": "Acme Telecom Jiangsu", "is_company": True, "street": "1 Jiangsu Road",
            "vat": "CN-JS-001"})
        cls.member.write({"kam_state": "registered", "kam_manager_id": cls.user_kam_2.id})
        cls.group.write({"street": "9 Headquarters Avenue", "vat": "CN-HQ-009"})

    def test_set_per_company_keeps_member_data(self):
        self.member.write({"kam_group_parent_id": self.group.id})
        self.assertEqual(self.member.kam_group_parent_id, self.group)
        self.assertEqual(self.group.kam_group_member_ids, self.member)
        self.assertEqual(self.member.kam_group_root_id, self.group)
        self.assertEqual(self.group.kam_group_root_id, self.group)
        # never Odoo's parent: the member keeps its address, VAT, KAM, and is not synced
        self.assertFalse(self.member.parent_id)
        self.assertEqual(self.member.street, "1 Jiangsu Road")
        self.assertEqual(self.member.vat, "CN-JS-001")
        self.assertEqual(self.member.kam_manager_id, self.user_kam_2)
        self.member.write({"street": "2 Jiangsu Road"})
        self.assertEqual(self.group.street, "9 Headquarters Avenue")
        # per company: nobody's member in the second company
        self.assertFalse(self.member.with_company(self.company_2).kam_group_parent_id)
        self.assertFalse(self.group.with_company(self.company_2).kam_group_member_ids)

    def test_ten_levels_and_loop_refused(self):
        Partner = self.env["res.partner"]
        chain = Partner.create([{"name": f"Level {i}", "is_company": True} for i in range(10)])
        for parent, child in itertools.pairwise(chain):
            child.kam_group_parent_id = parent
        self.assertEqual(chain[-1].kam_group_root_id, chain[0])
        ancestors = Partner._kam_group_ancestors([chain[-1].id])[chain[-1].id]
        self.assertEqual(ancestors, list(reversed(chain[:-1].ids)))
        with self.assertRaisesRegex(ValidationError, "Group Account.*cannot contain itself"), \
                self.env.cr.savepoint():
            chain[0].kam_group_parent_id = chain[-1]
        self.env.invalidate_all()
        self.assertFalse(chain[0].kam_group_parent_id)
        with self.assertRaisesRegex(ValidationError, "Group Account.*its own group"), \
                self.env.cr.savepoint():
            chain[3].kam_group_parent_id = chain[3]
        self.env.invalidate_all()
        self.assertEqual(chain[3].kam_group_parent_id, chain[2])

    def test_contact_and_other_company_refused(self):
        with self.assertRaisesRegex(ValidationError, "Group Account.*is a contact"), \
                self.env.cr.savepoint():
            self.member.kam_group_parent_id = self.account_contact
        with self.assertRaisesRegex(ValidationError, "Group Account.*is a contact"), \
                self.env.cr.savepoint():
            self.account_contact.kam_group_parent_id = self.group
        other = self.env["res.partner"].create({
            "name": "Other Company Bank", "is_company": True, "company_id": self.company_2.id})
        with self.assertRaisesRegex(ValidationError, "Group Account.*belongs to the company"), \
                self.env.cr.savepoint():
            self.member.kam_group_parent_id = other
        self.env.invalidate_all()
        self.assertFalse(self.member.kam_group_parent_id)

    def test_who_may_set_it(self):
        member_as_kam2 = self.member.with_user(self.user_kam_2)
        # the member's KAM is not in the group's account team
        with self.assertRaisesRegex(AccessError, "account team of Acme Telecom Group"):
            member_as_kam2.write({"kam_group_parent_id": self.group.id})
        # sudo() grants nothing: the KAM still acts
        with self.assertRaises(AccessError):
            member_as_kam2.sudo().write({"kam_group_parent_id": self.group.id})
        # the group's KAM is not in the member's account team
        with self.assertRaisesRegex(AccessError, "account team of Acme Telecom Jiangsu"):
            self.member.with_user(self.user_kam).write({"kam_group_parent_id": self.group.id})
        with self.assertRaises(AccessError):
            self.member.with_user(self.user_salesman).write(
                {"kam_group_parent_id": self.group.id})
        # a context key is not a permission
        with self.assertRaises(AccessError):
            self.member.with_user(self.user_kam_2).with_context(kam_flow=True).write(
                {"kam_group_parent_id": self.group.id})
        self.assertFalse(self.member.kam_group_parent_id)
        # in both teams: allowed
        self.env["kam.team.member"].create({
            "partner_id": self.group.id, "user_id": self.user_kam_2.id,
            "company_id": self.company.id})
        member_as_kam2.write({"kam_group_parent_id": self.group.id})
        self.assertEqual(self.member.kam_group_parent_id, self.group)
        self.member.with_user(self.user_director).write({"kam_group_parent_id": False})
        self.assertFalse(self.member.kam_group_parent_id)
        # a new contact: directors only
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_kam).create({
                "name": "New Branch", "is_company": True,
                "kam_group_parent_id": self.group.id})
        branch = self.env["res.partner"].with_user(self.user_director).create({
            "name": "New Branch", "is_company": True, "kam_group_parent_id": self.group.id})
        self.assertEqual(branch.kam_group_parent_id, self.group)

    def test_move_keeps_history(self):
        other_group = self.account_2
        self.member.kam_group_parent_id = self.group
        self._make_order(self.member, 5000.0)
        self.member.with_user(self.user_director).write({"kam_group_parent_id": other_group.id})
        history = self.env["kam.tier.history"].search(
            [("partner_id", "=", self.member.id), ("change_type", "=", "group")],
            order="id")
        self.assertEqual(len(history), 2)
        self.assertEqual((history[1].old_group_id, history[1].new_group_id),
                         (self.group, other_group))
        self.assertIn("Acme Telecom Group", history[1]._kam_message_body())
        # the member's own documents stay the member's
        self.assertEqual(self.env["sale.order"].search_count(
            [("partner_id", "=", self.member.id)]), 1)
        self.assertEqual(self.group.kam_group_member_ids, self.env["res.partner"])
        self.assertEqual(other_group.kam_group_member_ids, self.member)


@tagged("post_install", "-at_install")
class TestKamGroupRollup(KamCommon):
    """The roll-ups of the engine's pass against one SQL aggregate of the documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        Partner = cls.env["res.partner"]
        cls.hq = cls.account
        cls.b1, cls.b2, cls.b3, cls.s1, cls.s2 = Partner.create([
            {"name": f"Acme {name}", "is_company": True}
            for name in ("Branch 1", "Branch 2", "Branch 3", "Sub 1", "Sub 2")])
        (cls.b1 | cls.s1).write({"kam_state": "registered", "kam_manager_id": cls.user_kam_2.id})
        (cls.b1 | cls.b2 | cls.b3).write({"kam_group_parent_id": cls.hq.id})
        (cls.s1 | cls.s2).write({"kam_group_parent_id": cls.b1.id})
        cls.s1_contact = Partner.create({"name": "Sub 1 Buyer", "parent_id": cls.s1.id})
        days = cls._days
        for partner, amount, ago in (
                (cls.hq, 10000.0, 30), (cls.hq, 4000.0, 400), (cls.b1, 5000.0, 20),
                (cls.b1, 3000.0, 60), (cls.b1, 2000.0, 500), (cls.s1, 1500.0, 10),
                (cls.s1_contact, 500.0, 12), (cls.b2, 700.0, 40), (cls.account_2, 20000.0, 15),
                (cls.s2, 999.0, 800)):
            cls._make_order(partner, amount, when=days(ago))
        Request = cls.env["kam.service.request"]
        cls.requests = Request.create([
            {"partner_id": cls.s1.id, "subject": "Line down"},
            {"partner_id": cls.s1.id, "subject": "Slow line"},
            {"partner_id": cls.hq.id, "subject": "Invoice question"},
        ])
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE kam_service_request SET is_breached = TRUE WHERE id = %s",
                           [cls.requests[0].id])
        cls.env.cr.execute("UPDATE kam_service_request SET state = 'cancelled' WHERE id = %s",
                           [cls.requests[2].id])
        cls.env.invalidate_all()

    @classmethod
    def _days(cls, ago):
        return datetime.combine(cls.today - timedelta(days=ago), time(4, 0))

    def _run(self):
        return self.env["kam.scoring"]._recompute_companies(self.company, today=self.today)

    def _aggregate(self, root):
        """The figures of ``root``'s group straight from the orders and requests."""
        cid = str(self.company.id)
        d12 = self._days(365 - 1).replace(hour=0)
        d24 = self._days(2 * 365 - 1).replace(hour=0)
        self.env.flush_all()
        self.env.cr.execute("""
            WITH RECURSIVE grp(id) AS (
                SELECT %(root)s
              UNION
                SELECT p.id FROM res_partner p JOIN grp ON (p.kam_group_parent_id->>%(cid)s)::int = grp.id
            ), docs AS (
                SELECT c.commercial_partner_id AS pid, so.amount_untaxed AS amount,
                       so.date_order >= %(d12)s AS recent
                  FROM sale_order so JOIN res_partner c ON c.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND so.date_order >= %(d24)s
            )
            SELECT (SELECT COALESCE(SUM(amount) FILTER (WHERE recent), 0)
                      FROM docs WHERE pid IN (SELECT id FROM grp)),
                   (SELECT COALESCE(SUM(amount) FILTER (WHERE NOT recent), 0)
                      FROM docs WHERE pid IN (SELECT id FROM grp)),
                   (SELECT COUNT(*) FILTER (WHERE recent) FROM docs
                     WHERE pid IN (SELECT id FROM grp)),
                   (SELECT COALESCE(SUM(amount) FILTER (WHERE recent), 0) FROM docs),
                   (SELECT COUNT(*) - 1 FROM grp),
                   (SELECT COUNT(DISTINCT pid) FROM docs
                     WHERE recent AND pid IN (SELECT id FROM grp) AND pid != %(root)s),
                   (SELECT COUNT(*) FROM kam_service_request r JOIN res_partner c ON c.id = r.partner_id
                     WHERE r.company_id = %(company)s
                       AND r.state IN ('new', 'dispatched', 'in_progress', 'waiting')
                       AND c.commercial_partner_id IN (SELECT id FROM grp)),
                   (SELECT COUNT(*) FROM kam_service_request r JOIN res_partner c ON c.id = r.partner_id
                     WHERE r.company_id = %(company)s AND r.is_breached
                       AND r.state IN ('new', 'dispatched', 'in_progress', 'waiting')
                       AND c.commercial_partner_id IN (SELECT id FROM grp))
        """, {"root": root.id, "cid": cid, "d12": d12, "d24": d24, "company": self.company.id})
        total, prev, orders, company_total, members, buying, open_, breached = \
            self.env.cr.fetchone()
        return {"total": total, "prev": prev, "orders": orders,
                "company_total": company_total, "members": members, "buying": buying,
                "open": open_, "breached": breached}

    def _check(self, node):
        agg = self._aggregate(node)
        self.assertAlmostEqual(node.kam_group_revenue_12m, agg["total"], places=2)
        self.assertAlmostEqual(node.kam_group_revenue_children_12m,
                               agg["total"] - node.kam_revenue_12m, places=2)
        self.assertAlmostEqual(node.kam_group_revenue_prev_12m, agg["prev"], places=2)
        self.assertAlmostEqual(node.kam_group_revenue_prev_children_12m,
                               agg["prev"] - node.kam_revenue_prev_12m, places=2)
        self.assertEqual(node.kam_group_order_count, agg["orders"])
        self.assertEqual(node.kam_group_member_count, agg["members"])
        self.assertEqual(node.kam_group_buying_count, agg["buying"])
        self.assertAlmostEqual(node.kam_group_coverage,
                               round(agg["buying"] * 100 / agg["members"], 2), places=2)
        growth = (agg["total"] - agg["prev"]) / agg["prev"] * 100 if agg["prev"] else 100.0
        self.assertAlmostEqual(node.kam_group_growth_rate, round(growth, 2), places=2)
        self.assertAlmostEqual(node.kam_group_revenue_share,
                               round(agg["total"] * 100 / agg["company_total"], 2), places=2)
        self.assertEqual(node.kam_group_open_requests, agg["open"])
        self.assertEqual(node.kam_group_breached_requests, agg["breached"])
        return agg

    def test_rollups_against_sql_at_each_level(self):
        first = self._run()
        self.assertTrue(first["group_written"])
        hq = self._check(self.hq)
        b1 = self._check(self.b1)
        # the figures themselves (the test's aggregate could agree with a wrong engine)
        self.assertAlmostEqual(hq["total"], 10000 + 5000 + 3000 + 1500 + 500 + 700)
        self.assertEqual((hq["members"], hq["buying"]), (5, 3))
        self.assertAlmostEqual(self.hq.kam_group_coverage, 60.0)
        self.assertAlmostEqual(b1["total"], 5000 + 3000 + 1500 + 500)
        self.assertEqual((b1["members"], b1["buying"], b1["open"], b1["breached"]), (2, 1, 2, 1))
        self.assertAlmostEqual(self.b1.kam_group_coverage, 50.0)
        # leaves and accounts outside a group carry no roll-up
        for leaf in (self.s1, self.s2, self.b2, self.b3, self.account_2):
            self.assertFalse(leaf.kam_group_member_count)
            self.assertFalse(leaf.kam_group_revenue_12m)
        # the weakest health of the group, named
        scored = (self.hq | self.b1 | self.s1).filtered(lambda p: p.kam_health_score or
                                                        p.kam_health_band)
        self.assertTrue(scored)
        worst = min(scored, key=lambda p: (p.kam_health_score, p.id))
        self.assertEqual(self.hq.kam_group_worst_member_id, worst)
        self.assertAlmostEqual(self.hq.kam_group_worst_health, worst.kam_health_score, places=2)
        # a second run changes nothing and writes nothing
        values = self.hq.read(list(self._rollup_fields()))
        second = self._run()
        self.assertEqual(second.get("written", 0), 0)
        self.assertEqual(second.get("group_written", 0), 0)
        self.env.invalidate_all()
        self.assertEqual(self.hq.read(list(self._rollup_fields())), values)

    def _rollup_fields(self):
        return GROUP_ROLLUP_FIELDS

    def test_move_member_and_clear(self):
        self._run()
        self.s1.with_user(self.user_director).write({"kam_group_parent_id": self.b2.id})
        self.s2.with_user(self.user_director).write({"kam_group_parent_id": self.b2.id})
        stats = self._run()
        self.assertTrue(stats["group_written"])
        self._check(self.hq)
        b2 = self._check(self.b2)
        self.assertEqual(b2["members"], 2)
        # B1 has no member any more: its roll-ups are cleared, not left stale
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT COALESCE(kam_group_member_count ? %s, FALSE),"
            " COALESCE(kam_group_revenue_12m ? %s, FALSE) FROM res_partner "
            "WHERE id = %s", [str(self.company.id), str(self.company.id), self.b1.id])
        self.assertEqual(self.env.cr.fetchone(), (False, False))
        # the member's own figures did not move with it
        self.assertAlmostEqual(self.s1.kam_revenue_12m, 2000.0, places=2)
        self.assertEqual(self._run().get("written", 0), 0)

    def test_rollups_are_the_engines(self):
        self._run()
        for user in (self.user_director, self.user_kam):
            with self.assertRaisesRegex(UserError, "Group Revenue"):
                self.hq.with_user(user).write({"kam_group_revenue_12m": 1.0})
        with self.assertRaises(UserError):
            self.hq.sudo().write({"kam_group_member_count": 99})
        with self.assertRaises(UserError):
            self.env["res.partner"].create(
                {"name": "Fake", "is_company": True, "kam_group_coverage": 100.0})


@tagged("post_install", "-at_install")
class TestKamGroupTier(KamCommon):
    """A member without a tier of its own gets its group's for pricelist, discount
    allowance and service level; its own higher tier wins; orders and requests say
    where the tier comes from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.hq = cls.account  # registered, tier A (max discount 15 %)
        cls.pricelist = cls.env["product.pricelist"].create({"name": "KAMT Strategic prices"})
        cls.tier_a.pricelist_id = cls.pricelist
        cls.branch, cls.dealer = Partner.create([
            {"name": "Acme Branch Sichuan", "is_company": True},
            {"name": "Acme Dealer Chengdu", "is_company": True}])
        cls.branch.kam_group_parent_id = cls.hq
        cls.dealer.kam_group_parent_id = cls.branch
        cls.branch_buyer = Partner.create(
            {"name": "Branch Buyer", "parent_id": cls.branch.id, "type": "contact"})
        cls.policy_a = cls.env["kam.sla.policy"].create({
            "company_id": cls.company.id, "tier_id": cls.tier_a.id,
            "priority": "1", "response_hours": 2.0, "resolution_hours": 8.0})
        cls.policy_b = cls.env["kam.sla.policy"].create({
            "company_id": cls.company.id, "tier_id": cls.tier_b.id,
            "priority": "1", "response_hours": 6.0, "resolution_hours": 24.0})

    def _quote(self, partner, discount=0.0):
        order = self._make_order(partner, 1000.0, confirm=False)
        order.order_line.discount = discount
        return order

    def test_member_gets_the_group_tier_on_orders(self):
        for partner in (self.branch, self.dealer, self.branch_buyer):
            order = self._quote(partner, discount=12.0)
            self.assertEqual(order.kam_tier_id, self.tier_a)
            self.assertEqual(order.kam_tier_source_id, self.hq)
            self.assertEqual(order.pricelist_id, self.pricelist)
            # the group's allowance (15 %), not "no key account"
            self.assertFalse(order.kam_discount_over_allowance)
            order.order_line.discount = 18.0
            self.assertTrue(order.kam_discount_over_allowance)
        # outside the group: nothing
        self.dealer.with_user(self.user_director).kam_group_parent_id = False
        order = self._quote(self.dealer, discount=18.0)
        self.assertFalse(order.kam_tier_id)
        self.assertFalse(order.kam_tier_source_id)
        self.assertEqual(order.pricelist_id, self.dealer.property_product_pricelist)

    def test_own_higher_tier_wins_and_lower_one_does_not(self):
        self.branch.write({"kam_state": "registered", "kam_tier_id": self.tier_c.id})
        order = self._quote(self.branch)
        self.assertEqual((order.kam_tier_id, order.kam_tier_source_id), (self.tier_a, self.hq))
        self.hq.write({"kam_tier_id": self.tier_c.id})
        self.branch.write({"kam_tier_id": self.tier_b.id})
        order = self._quote(self.dealer)
        self.assertEqual((order.kam_tier_id, order.kam_tier_source_id),
                         (self.tier_b, self.branch), "the nearest higher tier of the group")
        order = self._quote(self.branch)
        self.assertEqual((order.kam_tier_id, order.kam_tier_source_id),
                         (self.tier_b, self.branch))

    def test_group_not_registered_gives_nothing(self):
        self.hq.write({"kam_state": "lost"})
        order = self._quote(self.branch, discount=18.0)
        self.assertFalse(order.kam_tier_id)
        self.assertFalse(order.kam_discount_over_allowance)

    def test_member_request_gets_the_group_sla(self):
        # a member of a registered group is served by the green channel; outside, not
        self.dealer.with_user(self.user_director).kam_group_parent_id = False
        with self.assertRaisesRegex(ValidationError, "nor a member of a registered group"), \
                self.env.cr.savepoint():
            self.env["kam.service.request"].create(
                {"partner_id": self.dealer.id, "subject": "Not served", "priority": "1"})
        self.dealer.with_user(self.user_director).kam_group_parent_id = self.branch
        request = self.env["kam.service.request"].create(
            {"partner_id": self.dealer.id, "subject": "Dealer line down", "priority": "1"})
        self.assertEqual(request.tier_id, self.tier_a)
        self.assertEqual(request.tier_source_id, self.hq)
        self.assertEqual(request.policy_id, self.policy_a)
        # its own higher tier wins
        self.dealer.write({"kam_state": "registered", "kam_tier_id": self.tier_b.id})
        self.hq.write({"kam_tier_id": self.tier_c.id})
        request = self.env["kam.service.request"].create(
            {"partner_id": self.dealer.id, "subject": "Dealer slow line", "priority": "1"})
        self.assertEqual((request.tier_id, request.tier_source_id), (self.tier_b, self.dealer))
        self.assertEqual(request.policy_id, self.policy_b)

    def test_tier_source_is_the_flows(self):
        order = self._quote(self.branch)
        with self.assertRaises(AccessError):
            order.with_user(self.user_kam).write({"kam_tier_source_id": self.branch.id})
        with self.assertRaises(AccessError):
            order.with_user(self.user_director).sudo().write({"kam_tier_source_id": False})
        self.assertEqual(order.kam_tier_source_id, self.hq)


@tagged("post_install", "-at_install")
class TestKamGroupAccess(KamCommon):
    """The group KAM and directors see every member's private records; a member KAM
    sees their member and the group's roll-ups, not the other members' records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_kam_3 = new_test_user(
            cls.env, login="kamt_manager_3", name="Kai Manager",
            groups="key_account_management.key_account_management_group_manager")
        Partner = cls.env["res.partner"]
        cls.hq = cls.account  # KAM: user_kam (the group KAM)
        cls.b1, cls.b2, cls.s1 = Partner.create([
            {"name": f"Acme {name}", "is_company": True} for name in ("East", "West", "Shanghai")])
        cls.b1.write({"kam_state": "registered", "kam_manager_id": cls.user_kam_2.id})
        cls.b2.write({"kam_state": "registered", "kam_manager_id": cls.user_kam_3.id})
        (cls.b1 | cls.b2).write({"kam_group_parent_id": cls.hq.id})
        cls.s1.kam_group_parent_id = cls.b1
        Stakeholder = cls.env["kam.stakeholder"]
        cls.secrets = {}
        for partner in (cls.b1, cls.b2, cls.s1):
            contact = Partner.create({"name": f"Buyer of {partner.name}",
                                      "parent_id": partner.id})
            cls.secrets[partner] = Stakeholder.create({
                "partner_id": partner.id, "contact_id": contact.id,
                "personal_needs": f"Secret of {partner.name}"})
        cls._make_order(cls.b1, 3000.0)
        cls._make_order(cls.b2, 2000.0)
        cls.env["kam.scoring"]._recompute_companies(cls.company)

    def _visible(self, user):
        return self.env["kam.stakeholder"].with_user(user).search(
            [("id", "in", [s.id for s in self.secrets.values()])])

    def test_group_kam_sees_every_member(self):
        self.assertEqual(len(self._visible(self.user_kam)), 3)
        self.assertEqual(len(self._visible(self.user_director)), 3)
        self.secrets[self.s1].with_user(self.user_kam).read(["personal_needs"])

    def test_member_kam_sees_their_member_and_the_group_figures(self):
        self.assertEqual(self._visible(self.user_kam_2),
                         self.secrets[self.b1] | self.secrets[self.s1])
        self.assertEqual(self._visible(self.user_kam_3), self.secrets[self.b2])
        with self.assertRaises(AccessError):
            self.secrets[self.b1].with_user(self.user_kam_3).read(["personal_needs"])
        hq = self.hq.with_user(self.user_kam_3)
        self.assertAlmostEqual(hq.kam_group_revenue_12m, 5000.0, places=2)
        self.assertEqual(hq.kam_group_member_count, 3)
        # the group tier's explanation too, on the group and on their member
        self.tier_a.group_qualification = True
        self.assertIn("of tier Strategic", hq.kam_group_tier_note)
        self.assertEqual(self.b2.with_user(self.user_kam_3).kam_group_tier_note,
                         hq.kam_group_tier_note)

    def _visits(self):
        now = datetime.now().replace(microsecond=0)
        Visit = self.env["kam.visit"]
        Visit.create([
            {"partner_id": self.b1.id, "user_id": self.user_kam_2.id, "state": "done",
             "summary": "<p>Met the branch</p>", "date_start": now - timedelta(days=400),
             "date_end": now - timedelta(days=400, hours=-1)},
            {"partner_id": self.b2.id, "user_id": self.user_kam_3.id,
             "date_start": now + timedelta(days=3), "date_end": now + timedelta(days=3, hours=1)},
        ])
        # a visit of another company does not count here
        Visit.create({
            "partner_id": self.s1.id, "user_id": self.user_kam_2.id, "state": "done",
            "company_id": self.company_2.id, "summary": "<p>Elsewhere</p>",
            "date_start": now - timedelta(days=5), "date_end": now - timedelta(days=5, hours=-1)})

    def test_members_never_visited(self):
        self._visits()
        # b1 visited once long ago: visited; b2 only planned, s1 only in another company
        self.assertEqual(self.hq.kam_group_unvisited_count, 2)
        self.assertEqual(self.b1.kam_group_unvisited_count, 1)
        self.assertEqual(self.s1.kam_group_unvisited_count, 0)
        self.assertEqual(self.hq._kam_group_unvisited(self.hq.ids)[self.hq.id],
                         sorted((self.b2 | self.s1).ids))
        action = self.hq.action_kam_group_unvisited()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.b2 | self.s1)
        # a member KAM reads the group's figure like the other roll-ups, though not the
        # other members' visits; the list shows only what they may read
        hq = self.hq.with_user(self.user_kam_3)
        self.assertEqual(hq.kam_group_unvisited_count, 2)
        action = hq.action_kam_group_unvisited()
        self.assertEqual(
            self.env["res.partner"].with_user(self.user_kam_3).search(action["domain"]),
            (self.b2 | self.s1).with_user(self.user_kam_3)._filtered_access("read"))
        # one query for all the group accounts, whatever their number
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=3):
            counts = (self.hq | self.b1 | self.b2).mapped("kam_group_unvisited_count")
        self.assertEqual(counts, [2, 1, 0])

    def test_moving_out_ends_the_group_kams_access(self):
        self.assertIn(self.secrets[self.b2], self._visible(self.user_kam))
        self.b2.with_user(self.user_director).kam_group_parent_id = False
        self.assertNotIn(self.secrets[self.b2], self._visible(self.user_kam))
        # membership in another company grants nothing here
        self.b2.with_company(self.company_2).kam_group_parent_id = self.hq
        self.assertNotIn(self.secrets[self.b2], self._visible(self.user_kam))


@tagged("post_install", "-at_install")
class TestKamGroupViews(KamCommon):
    """The group screens load and their figures group as the screens ask."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branches = cls.env["res.partner"].create(
            [{"name": f"Acme Branch {i}", "is_company": True, "kam_state": "candidate"}
             for i in range(3)])
        cls.branches.kam_group_parent_id = cls.account
        cls._make_order(cls.branches[0], 4000.0)
        cls._make_order(cls.account, 6000.0)
        cls.env["kam.scoring"]._recompute_companies(cls.company)

    def test_views_load(self):
        Partner = self.env["res.partner"].with_user(self.user_kam)
        action = self.env.ref("key_account_management.res_partner_action_kam_groups")
        views = Partner.get_views(
            [(v.view_id.id, v.view_mode) for v in action.view_ids] + [(False, "form")])
        self.assertIn("kam_group_revenue_12m", views["views"]["form"]["arch"])
        hierarchy = self.env.ref("key_account_management.res_partner_view_hierarchy_kam_group")
        arch = Partner.get_views([(hierarchy.id, "hierarchy")])["views"]["hierarchy"]["arch"]
        # the web client refuses a child_field that is not a One2many (the members are not)
        child_field = etree.fromstring(arch).get("child_field")
        if child_field:
            self.assertEqual(Partner._fields[child_field].type, "one2many")
        # the Group Hierarchy button opens the account's group (hierarchy_res_id): the web
        # client ignores that key when the action has a domain and shows every root partner
        button_action = self.env.ref(
            "key_account_management.res_partner_action_kam_group_hierarchy")
        self.assertFalse(button_action.domain)
        groups = Partner.search(safe_eval(action.domain))
        self.assertEqual(groups, self.account)
        self.assertAlmostEqual(groups.kam_group_revenue_12m, 10000.0, places=2)
        self.assertAlmostEqual(groups.kam_group_coverage, 33.33, places=2)

    def test_key_accounts_grouped_by_group(self):
        Partner = self.env["res.partner"].with_user(self.user_kam)
        rows = Partner.formatted_read_group(
            [("id", "in", (self.branches | self.account).ids)], ["kam_group_parent_id"],
            ["__count"])
        counts = {row["kam_group_parent_id"] and row["kam_group_parent_id"][0]: row["__count"]
                  for row in rows}
        self.assertEqual(counts, {self.account.id: 3, False: 1})
        # the group Pareto: the group's total as a measure
        rows = Partner.formatted_read_group(
            [("id", "=", self.account.id)], ["name"], ["kam_group_revenue_12m:sum"])
        self.assertAlmostEqual(rows[0]["kam_group_revenue_12m:sum"], 10000.0, places=2)


@tagged("post_install", "-at_install")
class TestKamGroupDemo(KamCommon):
    """The demo's group customers (on a database with the demo data only)."""

    def test_bank_group_and_carmaker(self):
        bank = self.env.ref("key_account_management.kam_demo_customer_bank",
                            raise_if_not_found=False)
        if not bank:
            return  # a database without demo data: nothing to check
        huaxin = self.env.ref("base.main_company")
        bank = bank.with_company(huaxin)
        self.assertEqual(bank.kam_state, "registered")
        self.assertEqual(len(bank.kam_group_member_ids), 12)
        self.assertEqual((bank.kam_group_member_count, bank.kam_group_buying_count), (12, 5))
        self.assertAlmostEqual(bank.kam_group_coverage, 41.67, places=2)
        self.assertGreater(bank.kam_group_revenue_children_12m, 0)
        self.assertAlmostEqual(bank.kam_group_revenue_12m, bank.kam_revenue_12m
                               + bank.kam_group_revenue_children_12m, places=2)
        self.assertEqual(bank.kam_group_breached_requests, 1)
        jiangsu = self.env.ref("key_account_management.kam_demo_customer_bank_jiangsu")
        request = self.env.ref("key_account_management.kam_demo_service_request_bank_jiangsu")
        self.assertTrue(request.is_breached)
        self.assertEqual(request.with_company(huaxin).tier_source_id, bank)
        self.assertFalse(jiangsu.with_company(huaxin).kam_tier_id)
        mfg = self.env.ref("key_account_management.kam_demo_company_mfg")
        ev = self.env.ref("key_account_management.kam_demo_customer_ev").with_company(mfg)
        self.assertEqual((ev.kam_group_member_count, ev.kam_group_buying_count), (4, 2))
        # per company: the dealers are nobody's members at Huaxin Telecom
        self.assertFalse(ev.with_company(huaxin).kam_group_member_ids)


@tagged("post_install", "-at_install")
class TestKamGroupQualification(KamCommon):
    """A tier may qualify a group customer on the revenue of the whole group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        weights = dict.fromkeys(
            ("kam_weight_revenue", "kam_weight_growth", "kam_weight_frequency",
             "kam_weight_potential", "kam_weight_credit"), 0)
        cls.company.write(dict(weights, kam_weight_strategic=10))
        cls.group = cls.account_2  # registered, tier B; min revenue of B: 30,000
        cls.group.write({"kam_tier_id": cls.tier_c.id, "kam_strategic_value": 5})
        cls.members = cls.env["res.partner"].create(
            [{"name": f"Beta Plant {i}", "is_company": True} for i in range(2)])
        cls.members.kam_group_parent_id = cls.group
        cls._make_order(cls.group, 10000.0)
        cls._make_order(cls.members[0], 15000.0)
        cls._make_order(cls.members[1], 8000.0)

    def _run(self):
        return self.env["kam.scoring"]._recompute_companies(self.company)

    def test_own_revenue_without_the_option(self):
        self._run()
        self.assertEqual(self.group.kam_suggested_tier_id, self.tier_c)
        self.assertEqual(self.group.kam_tier_id, self.tier_c)

    def test_group_total_with_the_option(self):
        self.tier_b.group_qualification = True
        self._run()
        self.assertAlmostEqual(self.group.kam_group_revenue_12m, 33000.0, places=2)
        self.assertEqual(self.group.kam_suggested_tier_id, self.tier_b)
        self.assertEqual(self.group.kam_tier_id, self.tier_b, "upgraded by the engine")
        # a member's own revenue qualifies it for nothing higher; it gets the group's tier
        self.assertNotEqual(self.members[0].kam_suggested_tier_id, self.tier_b)
        order = self._make_order(self.members[0], 100.0, confirm=False)
        self.assertEqual((order.kam_tier_id, order.kam_tier_source_id), (self.tier_b, self.group))
        self.assertEqual(self._run().get("written", 0), 0)
        # switching the option off is an input: the next run computes again
        self.tier_b.group_qualification = False
        self.assertNotIn("unchanged", self._run())
        self.assertEqual(self.group.kam_suggested_tier_id, self.tier_c)

    def test_group_total_below_the_tier_explained(self):
        (self.tier_a | self.tier_b).group_qualification = True
        self._run()
        # the group's 33,000 reach Key (30,000), not Strategic (100,000): explained
        self.assertEqual(self.group.kam_tier_id, self.tier_b)
        note = self.group.kam_group_tier_note
        self.assertRegex(note, r"Group total .*33,000\.00 is below the .*100,000\.00 of tier "
                               r"Strategic: the group tier is not applied")
        # a member reads its group's
        self.assertEqual(self.members[0].kam_group_tier_note, note)
        self.assertFalse(self.account.kam_group_tier_note, "not in a group")
        # reached: nothing to explain
        self.tier_a.min_revenue = 33000
        self.env.invalidate_all()
        self.assertFalse(self.group.kam_group_tier_note)
        # a tier that does not qualify on the group total explains nothing
        self.tier_a.write({"min_revenue": 100000, "group_qualification": False})
        self.env.invalidate_all()
        self.assertFalse(self.group.kam_group_tier_note)
        # nor a tier below the group's own (Key, reached)
        self.tier_c.write({"min_revenue": 40000, "group_qualification": True})
        self.env.invalidate_all()
        self.assertFalse(self.group.kam_group_tier_note)

    def test_group_tier_not_reached_nor_own_tier(self):
        self.tier_b.write({"group_qualification": True, "min_revenue": 50000})
        self._run()
        # the group stays at Growth: Key is the nearest tier it misses (not Growth, held)
        self.assertEqual(self.group.kam_tier_id, self.tier_c)
        self.assertIn("of tier Key:", self.group.kam_group_tier_note)

    def test_explained_in_the_readers_language(self):
        self.tier_a.group_qualification = True
        self._run()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        note = self.group.with_user(self.user_kam).with_context(
            lang="zh_CN").kam_group_tier_note
        self.assertIn("集团", note)
        self.assertIn("100,000.00", note)
        self.assertNotIn("Group total", note)
