import json

from odoo.addons.spreadsheet.utils.validate_data import (
    fields_in_spreadsheet,
    menus_xml_ids_in_spreadsheet,
)
from odoo.tests import tagged

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
