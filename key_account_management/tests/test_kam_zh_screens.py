from lxml import etree

from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamZhScreens(KamCommon):
    """What a Chinese KAM reads on the screens: no two filters of one search view read the
    same (two meanings, one word)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])

    def _search_views(self):
        views = self.env["ir.ui.view"].search([("type", "=", "search")])
        ours = self.env["ir.model.data"].search([
            ("module", "=", "key_account_management"), ("model", "=", "ir.ui.view"),
            ("res_id", "in", views.ids)])
        return self.env["ir.ui.view"].browse(ours.mapped("res_id"))

    def test_no_two_filters_read_the_same(self):
        ours = self._search_views()
        models = set(ours.mapped("model"))
        self.assertIn("res.partner", models)
        user = self.user_director.with_context(lang="zh_CN")
        checked = 0
        for model in sorted(models):
            arch = self.env[model].with_user(user).with_context(lang="zh_CN").get_views(
                [(False, "search")])["views"]["search"]["arch"]
            our_names = {node.get("name") for view in ours.filtered(lambda v, m=model: v.model == m)
                         for node in etree.fromstring(view.arch_db).iter("filter")}
            # the filters and the group-bys are two menus: "Month" may be in each
            nodes = [node for node in etree.fromstring(arch).iter("filter")
                     if node.get("string") and node.get("invisible") not in ("1", "True")]
            labels = [("group_by" in (node.get("context") or ""), node.get("string"))
                      for node in nodes]
            mine = {label for node, label in zip(nodes, labels, strict=True)
                    if node.get("name") in our_names}
            dupes = sorted({label for label in mine if labels.count(label) > 1})
            self.assertFalse(dupes, f"{model}: filters reading the same in zh_CN: {dupes}")
            checked += len(labels)
        self.assertGreater(checked, 20)

    def test_one_english_word_two_meanings_two_chinese_words(self):
        """Where one English word has two meanings on our screens, the Chinese KAM reads
        two words: the SWOT's strength is not a relationship's, a pause is not a handover,
        an objective at risk is not a churn risk, open requests are not unfrozen ones."""
        def field(model, fname):
            return self.env[model].with_context(lang="zh_CN").fields_get(
                [fname], ["string", "selection"])[fname]

        def label(model, fname, value):
            return dict(field(model, fname)["selection"])[value]

        pairs = [
            (label("kam.account.plan.swot", "swot_type", "strength"),
             field("kam.stakeholder.link", "strength")["string"]),
            (label("kam.account.plan.objective", "status", "at_risk"),
             label("res.partner", "kam_lifecycle_stage", "at_risk")),
            (field("kam.service.pause", "date_from")["string"],
             field("kam.handover.wizard", "from_user_id")["string"]),
            (field("kam.service.pause", "date_to")["string"],
             field("kam.handover.wizard", "to_user_id")["string"]),
            (label("kam.account.plan.swot", "swot_type", "opportunity"),
             field("kam.account.plan", "opportunity_ids")["string"]),
        ]
        for first, second in pairs:
            self.assertNotEqual(first, second)
        self.assertEqual(label("kam.account.plan.swot", "swot_type", "strength"), "优势")
        self.assertEqual(label("kam.account.plan.objective", "status", "at_risk"), "有风险")
        self.assertEqual(label("kam.service.request", "resolution_status", "breached"), "已超时")

    def test_sla_policy_name_in_the_reader_language(self):
        """A request's SLA policy reads "战略 / 紧急" in Chinese (it read "战略 / Urgent")."""
        policy = self.env["kam.sla.policy"].create({
            "tier_id": self.tier_a.id, "priority": "3", "response_hours": 1,
            "resolution_hours": 4})
        self.assertEqual(policy.with_context(lang="en_US").display_name, "Strategic / Urgent")
        zh = policy.with_context(lang="zh_CN")
        self.assertEqual(zh.display_name, f"{zh.tier_id.name} / 紧急")
