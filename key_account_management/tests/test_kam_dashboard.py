import json
import re

from odoo.addons.spreadsheet.utils.validate_data import (
    fields_in_spreadsheet,
    menus_xml_ids_in_spreadsheet,
)
from odoo.tests import tagged
from odoo.tools.translate import extract_formula_terms

from .test_kam_scorecard import KamScorecardCommon


@tagged("post_install", "-at_install")
class TestKamDashboard(KamScorecardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("key_account_management.spreadsheet_dashboard_key_accounts")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def test_dashboard_record(self):
        self.assertEqual(self.dashboard.name, "Key Accounts")
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(self.data["version"], "18.5.10")
        self.assertEqual({f["label"] for f in self.data["globalFilters"]},
                         {"Period", "Company", "Key Account Manager", "Tier"})

    def test_every_field_and_menu_exists(self):
        """As Odoo's own dashboards are checked: every model and field of every
        pivot, list, chart and filter exists, every menu has an action."""
        used = fields_in_spreadsheet(self.data)
        self.assertIn("kam.scorecard", used)
        self.assertIn("kam.pareto.curve", used)
        # health distribution, accounts at risk and SLA compliance
        self.assertLessEqual({"kam_health_band", "kam_lifecycle_stage", "kam_health_score"},
                             used["res.partner"])
        self.assertIn("sla_compliance", used["kam.service.report"])
        # Odoo's helper reads fieldMatching only in its {"chain": ...} form, not keyed
        # by filter as here: add the chains of every source so that they are checked too
        sources = [(p["model"], p["fieldMatching"]) for p in self.data["pivots"].values()]
        sources += [(lst["model"], lst["fieldMatching"]) for lst in self.data["lists"].values()]
        sources += [(f["data"]["metaData"]["resModel"], f["data"]["fieldMatching"])
                    for f in self.data["sheets"][0]["figures"] if "metaData" in f["data"]]
        for model, matching in sources:
            used.setdefault(model, set()).update(m["chain"] for m in matching.values())
        self.assertIn("request_date", used["kam.service.report"])
        for model, chains in used.items():
            self.assertIn(model, self.env, f"model {model} of the dashboard does not exist")
            for chain in chains:
                current = model
                for name in chain.split("."):
                    self.assertIn(name, self.env[current]._fields,
                                  f"field {name} of {current} used by the dashboard")
                    field = self.env[current]._fields[name]
                    if field.relational:
                        current = field.comodel_name
        for xml_id in menus_xml_ids_in_spreadsheet(self.data):
            menu = self.env.ref(xml_id)
            self.assertTrue(menu.action, f"menu {xml_id} has no action")
        # every chart filtered by the global filters names fields that exist too
        filter_ids = {f["id"] for f in self.data["globalFilters"]}
        for figure in self.data["sheets"][0]["figures"]:
            matching = figure["data"].get("fieldMatching") or {}
            self.assertLessEqual(set(matching), filter_ids)
        # every data source is filtered by the key account manager filter
        kam_filter = next(f["id"] for f in self.data["globalFilters"]
                          if f["label"] == "Key Account Manager")
        sources = list(self.data["pivots"].values()) + list(self.data["lists"].values()) + [
            f["data"] for f in self.data["sheets"][0]["figures"] if "metaData" in f["data"]]
        for source in sources:
            self.assertIn(kam_filter, source["fieldMatching"])

    def test_dashboard_loads_in_bounded_queries(self):
        """The dashboard's data (snapshot) and the grouped reads of its charts and
        pivots, as a key account manager, in a bounded number of queries whatever
        the data."""
        self.Scorecard._refresh_scorecards(self.co, self.year)
        dashboard = self.dashboard.with_user(self.kam_1).with_context(
            allowed_company_ids=self.co.ids)
        self.env.invalidate_all()
        with self.assertQueryCount(30):
            payload = json.loads(dashboard._get_serialized_readonly_dashboard())
        self.assertEqual(len(payload["snapshot"]["sheets"]), 2)
        sources = [(p["model"], p["domain"], [r["fieldName"] for r in p["rows"]],
                    [m["fieldName"] + ":" + self.env[p["model"]]._fields[
                        m["fieldName"]].aggregator for m in p["measures"]])
                   for p in self.data["pivots"].values()]
        for figure in self.data["sheets"][0]["figures"]:
            meta = figure["data"].get("metaData")
            if meta:
                if meta["measure"] == "__count":
                    aggregate = "__count"
                else:
                    field = self.env[meta["resModel"]]._fields[meta["measure"]]
                    aggregate = f"{meta['measure']}:{field.aggregator}"
                sources.append((meta["resModel"], figure["data"]["searchParams"]["domain"],
                                meta["groupBy"], [aggregate]))
        self.assertIn(("res.partner", [["kam_state", "=", "registered"]], ["kam_health_band"],
                       ["__count"]), sources)
        for model, domain, groupby, aggregates in sources:
            Model = self.env[model].with_user(self.kam_1).with_context(
                allowed_company_ids=self.co.ids)
            self.env.invalidate_all()
            with self.assertQueryCount(12):
                Model.formatted_read_group(domain, groupby, aggregates)
        cards = self.env["kam.scorecard"].with_user(self.kam_1).with_context(
            allowed_company_ids=self.co.ids).formatted_read_group(
            [("period_type", "=", "year")], ["user_id"], ["score:avg"])
        self.assertEqual([g["user_id"][0] for g in cards], [self.kam_1.id])
        partners = self.env["res.partner"].with_user(self.kam_1).with_context(
            allowed_company_ids=self.co.ids)
        lst = self.data["lists"]["1"]
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            partners.search_read(lst["domain"], lst["columns"], limit=10)

    def test_health_distribution_and_accounts_at_risk(self):
        """The health chart counts a KAM's registered accounts by band and the
        at-risk list shows the red or lifecycle-at-risk ones, under the KAM filter."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=self.co.ids))
        def engine(partner, **vals):
            partner.with_env(env)._kam_write_engine_figures(vals)
        engine(self.a1, kam_health_band="red", kam_lifecycle_stage="mature")
        engine(self.a2, kam_health_band="green", kam_lifecycle_stage="at_risk")
        engine(self.b1, kam_health_band="red")  # another KAM's
        engine(self.gone, kam_health_band="red")  # not a key account any more
        chart = next(f["data"] for f in self.data["sheets"][0]["figures"]
                     if f["id"] == "kam-chart-health")
        kam_filter = next(f["id"] for f in self.data["globalFilters"]
                          if f["label"] == "Key Account Manager")
        kam_field = chart["fieldMatching"][kam_filter]["chain"]
        Partner = self.env["res.partner"].with_user(self.kam_1).with_context(
            allowed_company_ids=self.co.ids)
        domain = chart["searchParams"]["domain"] + [[kam_field, "in", self.kam_1.ids]]
        groups = Partner.formatted_read_group(domain, chart["metaData"]["groupBy"], ["__count"])
        self.assertEqual({g["kam_health_band"]: g["__count"] for g in groups},
                         {"red": 1, "green": 1})
        lst = self.data["lists"]["1"]
        kam_field = lst["fieldMatching"][kam_filter]["chain"]
        at_risk = Partner.search(lst["domain"] + [[kam_field, "in", self.kam_1.ids]])
        self.assertEqual(at_risk, self.a1 | self.a2)


@tagged("post_install", "-at_install")
class TestKamDashboardZh(KamScorecardCommon):
    """A Chinese key account manager reads the dashboard in Chinese: every label
    the spreadsheet displays is one the web client translates (a chart title, a
    ``_t()`` cell, a filter label, extracted from the JSON into the addon's web
    terms), and no pivot shows headers of its own (its measures' names are not
    translated by the spreadsheet); the dashboard and its group read in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["key_account_management", "spreadsheet_dashboard"], ["zh_CN"])
        cls.kam_1.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        cls.dashboard = cls.env.ref("key_account_management.spreadsheet_dashboard_key_accounts")

    def _served(self):
        dashboard = self.dashboard.with_user(self.kam_1).with_context(
            lang="zh_CN", allowed_company_ids=self.co.ids)
        return json.loads(dashboard._get_serialized_readonly_dashboard())

    def _displayed_labels(self, snapshot):
        """Every text of the snapshot the spreadsheet shows as written (not a
        field label, a record name or a value, which the server translates)."""
        labels = [f["label"] for f in snapshot["globalFilters"]]
        formulas = []
        for sheet in snapshot["sheets"]:
            for cell in sheet["cells"].values():
                content = cell if isinstance(cell, str) else cell.get("content", "")
                if content.startswith("="):
                    formulas.append(content)
                    labels += extract_formula_terms(content)
                elif content.strip() and not content.strip().replace(".", "").isdigit():
                    labels.append(content)  # a constant text is never translated
            for figure in sheet["figures"]:
                data = figure["data"]
                for key in ("title", "baselineDescr", "keyDescr"):
                    text = data.get(key)
                    text = text.get("text") if isinstance(text, dict) else text
                    if text:
                        labels.append(text)
                for axis in (data.get("axesDesign") or {}).values():
                    if axis.get("title", {}).get("text"):
                        labels.append(axis["title"]["text"])
        return labels, formulas

    def test_labels_read_in_chinese(self):
        payload = self._served()
        self.assertEqual(payload["translation_namespace"], "key_account_management")
        snapshot = payload["snapshot"]
        self.assertEqual(snapshot["settings"]["locale"]["code"], "zh_CN")
        labels, formulas = self._displayed_labels(snapshot)
        web = self.env["ir.http"]._get_translations_for_webclient(
            ["key_account_management"], "zh_CN")[0]["key_account_management"]
        chinese = {m["id"]: m["string"] for m in web["messages"]}
        # a pivot drawn with its own header rows shows its name, untranslated, in its
        # corner and its measures' names (or labels) as written: every pivot table is
        # drawn without column titles nor measure titles (PIVOT's 4th and 6th
        # arguments), its headers are _t() cells, and its measures carry no name
        for formula in formulas:
            for match in re.finditer(r"PIVOT\(([^)]*)\)", formula, re.IGNORECASE):
                args = [a.strip().upper() for a in match.group(1).split(",")]
                self.assertGreaterEqual(len(args), 6, f"{formula} shows its headers")
                self.assertEqual((args[3], args[5]), ("FALSE", "FALSE"),
                                 f"{formula} shows its headers")
        for pivot in snapshot["pivots"].values():
            for measure in pivot["measures"]:
                self.assertNotIn("userDefinedName", measure, pivot["name"])
        untranslated = sorted({label for label in labels if not chinese.get(label)})
        self.assertFalse(untranslated, f"labels of the dashboard left in English: {untranslated}")
        for label in ("Top Key Account Managers", "Score", "Revenue", "Key Accounts"):
            self.assertIn(label, labels)
        self.assertEqual(chinese["Score"], "评分")
        self.assertEqual(chinese["Revenue"], "收入")
        # the dashboard's name and its group in the sidebar
        dashboard = self.dashboard.with_user(self.kam_1).with_context(lang="zh_CN")
        self.assertEqual(dashboard.name, "大客户")
        self.assertEqual(dashboard.dashboard_group_id.name, "销售")
