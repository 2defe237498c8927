"""Personal needs of named stakeholders stay with the account team and the
directors: the owner of an action of the plan who is not on the team sees
their action, not the needs, over the API and in the plan's PDF."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_kam_account_plan import KamPlanCommon

NEED = "Wants to be promoted to CIO next year"


@tagged("post_install", "-at_install")
class TestKamPlanPrivacy(KamPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = new_test_user(
            cls.env, login="kamt_action_owner", name="Otto Outsider",
            groups="sales_team.group_sale_salesman")
        cls.stakeholder = cls.env["kam.stakeholder"].create(
            {"partner_id": cls.account.id, "contact_id": cls.account_contact.id})
        cls.plan = cls._make_plan(
            need_ids=[(0, 0, {"need_type": "personal", "name": NEED,
                              "stakeholder_id": cls.stakeholder.id})],
            action_ids=[(0, 0, {"name": "Deliver the security audit",
                                "user_id": cls.outsider.id, "date_deadline": cls.end})])
        cls.need = cls.plan.need_ids
        cls.action = cls.plan.action_ids

    def test_action_owner_outside_team_reads_action_not_needs(self):
        self.assertEqual(self.action.with_user(self.outsider).read(["name"])[0]["name"],
                         "Deliver the security audit")
        Need = self.env["kam.account.plan.need"].with_user(self.outsider)
        self.assertFalse(Need.search([("plan_id", "=", self.plan.id)]))
        self.assertFalse(Need.search([("stakeholder_name", "!=", False)]))
        with self.assertRaises(AccessError):
            self.need.with_user(self.outsider).read(["name"])
        with self.assertRaises(AccessError):
            self.need.with_user(self.outsider).read(["stakeholder_name"])
        plan = self.plan.with_user(self.outsider)
        self.assertFalse(plan.read(["need_ids"])[0]["need_ids"])
        self.assertFalse(plan.kam_can_read_needs)

    def test_account_team_and_directors_read_needs(self):
        for user in (self.user_kam, self.user_team, self.user_director):
            need = self.need.with_user(user).read(["name", "stakeholder_name"])[0]
            self.assertEqual(need["name"], NEED)
            self.assertEqual(need["stakeholder_name"], self.account_contact.name)
            self.assertTrue(self.plan.with_user(user).kam_can_read_needs)

    def _report_html(self, user):
        html, _kind = self.env["ir.actions.report"].with_user(user)._render_qweb_html(
            "key_account_management.kam_account_plan_report", self.plan.ids)
        return html.decode()

    def test_plan_pdf_shows_needs_to_the_team_only(self):
        team_html = self._report_html(self.user_team)
        self.assertIn(NEED, team_html)
        self.assertIn(self.account_contact.name, team_html)
        outsider_html = self._report_html(self.outsider)
        self.assertIn("Deliver the security audit", outsider_html)
        self.assertNotIn(NEED, outsider_html)
        self.assertNotIn(self.account_contact.name, outsider_html)
