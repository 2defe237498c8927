"""Group customers (集团客户, issue 22): the hierarchy, who sets it, its bad input."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

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
        for parent, child in zip(chain, chain[1:], strict=False):
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
