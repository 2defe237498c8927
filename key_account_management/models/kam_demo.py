import json

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, models
from odoo.tools import file_open

MODULE = "key_account_management"


class KamDemo(models.AbstractModel):
    """What the demo data needs beyond records: companies in renminbi, a history
    of monthly snapshots, and the Chinese of the demo's own texts when the demo
    is loaded in Chinese. Called from the demo files only (``<function>``)."""

    _name = "kam.demo"
    _description = "Key Account Management Demo Data"

    @api.model
    def _demo_company_currency(self, company_xmlid, currency_xmlid):
        """Make the company work in this currency. Odoo refuses to change the
        currency of a company with journal items: those of the demo data of
        Odoo's accounting (its sample invoices, bills, payments and bank
        statements, in the former currency, loaded before this addon) are
        removed first. The demo's own orders and invoices come after."""
        company = self.env.ref(company_xmlid)
        currency = self.env.ref(currency_xmlid)
        currency.active = True
        old = company.currency_id
        if old == currency:
            return
        if "account.move" in self.env:
            domain = [("company_id", "child_of", company.id)]
            ctx = {"force_delete": True}
            payments = self.env["account.payment"].with_context(**ctx).search(domain)
            payments.filtered(lambda p: p.state != "draft").action_draft()
            moves = self.env["account.move"].with_context(**ctx).search(domain)
            moves.filtered(lambda m: m.state != "draft").button_draft()
            payments.unlink()
            self.env["account.bank.statement.line"].with_context(**ctx).search(domain).unlink()
            self.env["account.move"].with_context(**ctx).search(domain).unlink()
            self.env["account.bank.statement"].search(domain).unlink()
        company.currency_id = currency
        # the company's pricelists (Odoo's default one included) quote in its currency
        self.env["product.pricelist"].with_context(active_test=False).search([
            ("currency_id", "=", old.id), ("company_id", "in", (company.id, False)),
        ]).write({"currency_id": currency.id})

    @api.model
    def _demo_snapshots(self, company_xmlids, months=6):
        """Monthly snapshots of the key accounts of these companies: the
        ``months`` past months back-filled from the demo's orders and visits
        (what Churn and Tier Migration → Back-fill does), and the current
        month's (what the daily scheduled action writes)."""
        Snapshot = self.env["kam.account.snapshot"]
        for xmlid in company_xmlids:
            company = self.env.ref(xmlid)
            current = company._kam_today().replace(day=1)
            for back in range(months, 0, -1):
                Snapshot._backfill_month(company, current - relativedelta(months=back))
            Snapshot._take_snapshots(company, current)

    @api.model
    def _demo_group(self, company_xmlid, group_xmlid, member_xmlids):
        """Make the accounts ``member_xmlids`` members of the group customer
        ``group_xmlid`` in that company (the group account is per company)."""
        company = self.env.ref(company_xmlid if "." in company_xmlid
                               else f"{MODULE}.{company_xmlid}")
        members = self.env["res.partner"].browse(
            [self.env.ref(f"{MODULE}.{xmlid}").id for xmlid in member_xmlids])
        members.with_company(company).write(
            {"kam_group_parent_id": self.env.ref(f"{MODULE}.{group_xmlid}").id})

    @api.model
    def _demo_group_rollups(self, company_xmlids):
        """The group customers' roll-ups of these companies, as the nightly engine
        computes them (after the demo's service requests)."""
        for xmlid in company_xmlids:
            self.env["kam.scoring"]._recompute_group_rollups(
                self.env.ref(xmlid if "." in xmlid else f"{MODULE}.{xmlid}"))

    @api.model
    def _demo_localize(self, lang, path):
        """When the demo is loaded in ``lang`` (the language is active, as with
        ``KAM_LANG=zh_CN make demo``), write the texts of the JSON file
        ``path`` on the demo records: ``records`` ``{xmlid: {field: text}}``
        (what is not translatable: names of customers, people and companies,
        visit notes, requests, plans...; an xmlid without a module is the
        addon's) and ``messages`` ``[[model, field, English, text]]`` (texts
        posted by the demo, replaced where they appear); the demo's users and
        customers, portal users included, get that language. Records not
        loaded yet are skipped: the demo calls this as it goes, so that what
        the engine writes afterwards already names the accounts in ``lang``.
        Without the language, the demo stays in English."""
        if not self.env["res.lang"]._lang_get(lang):
            return False
        # the addon's terms in that language now (Odoo loads them after the demo data):
        # the records' translatable names, the models' names of the chatter messages
        self.env["ir.module.module"]._load_module_terms([MODULE], [lang])
        with file_open(path, "rb") as fh:
            data = json.loads(fh.read().decode())
        Data = self.env["ir.model.data"]
        for xmlid, vals in data.get("records", {}).items():
            record = self.env.ref(xmlid if "." in xmlid else f"{MODULE}.{xmlid}",
                                  raise_if_not_found=False)
            if record:
                record.with_context(lang=lang, tracking_disable=True,
                                    mail_notrack=True).write(vals)
        for model, field, english, text in data.get("messages", []):
            if model not in self.env:
                continue
            for record in self.env[model].search([(field, "ilike", english)]):
                record[field] = record[field].replace(english, text)
        # the chatter's "... created" of the demo's documents, logged in English at load
        Message = self.env["mail.message"]
        groups = Message._read_group(
            [("model", "!=", False), ("res_id", "!=", False), ("body", "ilike", " created</p>"),
             ("message_type", "=", "notification")], ["model"], ["res_id:max"])
        for model, res_id in groups:
            if model not in self.env or not hasattr(self.env[model], "_creation_message"):
                continue
            record = self.env[model].browse(res_id)
            english = Markup("<p>%s</p>") % record.with_context(lang="en_US")._creation_message()
            text = Markup("<p>%s</p>") % record.with_context(lang=lang)._creation_message()
            if english != text:
                Message.search([("model", "=", model), ("body", "=", english)]).write(
                    {"body": text})
        rows = Data.search([("module", "=", MODULE), ("model", "in", ("res.partner", "res.users"))])
        partners = self.env["res.partner"].browse(
            rows.filtered(lambda r: r.model == "res.partner").mapped("res_id"))
        users = self.env["res.users"].browse(
            rows.filtered(lambda r: r.model == "res.users").mapped("res_id"))
        admin = self.env.ref("base.user_admin")
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        (partners | partners.child_ids | users.partner_id | admin.partner_id
         | companies.partner_id).exists().write({"lang": lang})
        return True
