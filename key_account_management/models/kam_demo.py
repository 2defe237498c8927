import json

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
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
        # and the care occasions' budgets (the addon's shared ones, created at install in
        # the former currency: "budget $ 0.00" in a Chinese company's reminders)
        self.env["kam.care.occasion"].with_context(active_test=False).search([
            ("currency_id", "=", old.id), ("company_id", "in", (company.id, False)),
        ]).write({"currency_id": currency.id})

    @api.model
    def _demo_act_as(self, user_xmlid, model, method, xmlids):
        """Press a flow's button as the demo's user who presses it, in that user's
        language and time zone: what the flow writes in the chatter (a credit rating
        approved by the director) reads as it would for a real user, in Chinese in a
        demo loaded in Chinese, instead of OdooBot's English."""
        user = self.env.ref(user_xmlid)
        records = self.env[model].browse([self.env.ref(xmlid).id for xmlid in xmlids])
        records = records.with_user(user).with_context(lang=user.lang, tz=user.tz)
        return getattr(records, method)()

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
    def _demo_relationships(self):
        """Relationship strengths of the demo (issue 26): Li Wei's note to the bank's
        branch network manager, 75 days ago, then the nightly job's first run."""
        contact = self.env.ref(f"{MODULE}.kam_demo_contact_bank_branch")
        author = self.env.ref(f"{MODULE}.kam_demo_user_kam_li").partner_id
        bank = self.env.ref(f"{MODULE}.kam_demo_customer_bank")
        # a message of the chatter, as sent then (no mail goes out from the demo); once,
        # also when an upgrade loads the demo again
        Message = self.env["mail.message"]
        sent = Message.search_count([
            ("model", "=", "res.partner"), ("res_id", "=", bank.id),
            ("author_id", "=", author.id), ("partner_ids", "in", contact.ids)])
        if not sent:
            Message.create({
                "model": "res.partner", "res_id": bank.id, "message_type": "comment",
                "subtype_id": self.env.ref("mail.mt_comment").id, "author_id": author.id,
                "partner_ids": [(6, 0, contact.ids)],
                "date": fields.Datetime.now() - relativedelta(days=75),
                "body": "Thank you for the branch walk-through; I will send the pilot plan "
                        "for the twelve branches.",
            })
        return self.env["kam.relationship"]._kam_recompute()

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
        copied = []  # (record, English, text): texts the flows copied into chatter/activities
        for xmlid, vals in data.get("records", {}).items():
            record = self.env.ref(xmlid if "." in xmlid else f"{MODULE}.{xmlid}",
                                  raise_if_not_found=False)
            if record:
                for fname, text in vals.items():
                    field = record._fields.get(fname)
                    if field and field.type in ("char", "text", "html") and not field.translate:
                        english = _plain(record[fname])
                        if english and len(english) >= 12 and isinstance(text, str):
                            copied.append((record, english, _plain(text)))
                record.with_context(lang=lang, tracking_disable=True,
                                    mail_notrack=True).write(vals)
        # what the flows wrote from those texts while the demo loaded (a request's subject
        # and resolution in its notes and mails, a nomination's reason in the directors'
        # activities), on the record itself
        for record, english, text in copied:
            for model, fname, domain in (
                    ("mail.message", "body", [("model", "=", record._name),
                                              ("res_id", "=", record.id)]),
                    ("mail.activity", "note", [("res_model", "=", record._name),
                                               ("res_id", "=", record.id)])):
                for row in self.env[model].search([*domain, (fname, "ilike", english)]):
                    row[fname] = row[fname].replace(english, text)
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


def _plain(value):
    """The text of a value of one paragraph (``<p>text</p>``), else the value."""
    if not isinstance(value, str):
        return value
    value = str(value).strip()
    if value.startswith("<p>") and value.endswith("</p>") and value.count("<") == 2:
        return value[3:-4].strip()
    return value
