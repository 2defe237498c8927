"""Everything a user reads is in their language (issue 27): the selections that copy an
account's status or lifecycle stage, the texts written by the engine and the crons (one
text per reader: a Chinese key account manager reads Chinese, an English director
English), amounts with their currency, dates and times in the reader's time zone."""

from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKamTextsLang(KamCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        cls.user_kam.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.user_director.write({"lang": "en_US", "tz": "Europe/London"})

    def _labels(self, model, fname, lang="zh_CN"):
        return dict(self.env[model].with_context(lang=lang).fields_get(
            [fname], ["selection"])[fname]["selection"])

    # ---- 1. selections copied from the account's status and lifecycle stage ----
    def test_copied_selections_are_translated(self):
        """The status before a nomination ("Candidate" on the nomination form), the tier
        history's old and new status and lifecycle stage, the snapshot's and the lifecycle
        wizard's stage read as the account's own fields do, in Chinese too."""
        copies = [
            ("kam.nomination", "previous_state", "kam_state"),
            ("kam.tier.history", "old_state", "kam_state"),
            ("kam.tier.history", "new_state", "kam_state"),
            ("kam.tier.history", "old_lifecycle", "kam_lifecycle_stage"),
            ("kam.tier.history", "new_lifecycle", "kam_lifecycle_stage"),
            ("kam.account.snapshot", "lifecycle_stage", "kam_lifecycle_stage"),
            ("kam.lifecycle.wizard", "stage", "kam_lifecycle_stage"),
        ]
        self.assertEqual(self._labels("res.partner", "kam_state")["candidate"], "候选")
        self.assertNotEqual(self._labels("res.partner", "kam_lifecycle_stage")["potential"],
                            "Potential")
        for model, fname, source in copies:
            for lang in ("zh_CN", "en_US"):
                with self.subTest(model=model, field=fname, lang=lang):
                    self.assertEqual(self._labels(model, fname, lang),
                                     self._labels("res.partner", source, lang))
        self.assertEqual(self._labels("kam.nomination", "previous_state", "en_US")["candidate"],
                         "Candidate")
        # the values stay the values: a stored copy reads as its label in the reader's language
        history = self.env["kam.tier.history"].search(
            [("partner_id", "=", self.account.id), ("change_type", "=", "state")], limit=1)
        self.assertTrue(history)
        self.assertEqual(history.with_context(lang="zh_CN")._fields["new_state"]
                         .convert_to_export(history.new_state, history.with_context(lang="zh_CN")),
                         self._labels("res.partner", "kam_state")[history.new_state])
