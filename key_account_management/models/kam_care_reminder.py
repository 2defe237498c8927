from odoo import api, fields, models

from .kam_reader import reader_amount, reader_env


class KamCareReminder(models.Model):
    """A care reminder given (one per company, occasion, account, stakeholder and
    year: an account registered in two companies is reminded in each):
    remembers what the daily scheduled action sent so it never sends it twice,
    and opens the care visit that records the gesture."""

    _name = "kam.care.reminder"
    _description = "Key Account Care Reminder"
    _order = "occasion_date desc, id desc"
    _check_company_auto = True

    occasion_id = fields.Many2one(
        "kam.care.occasion", required=True, index=True, ondelete="cascade")
    occasion_type = fields.Selection(related="occasion_id.occasion_type")
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade")
    stakeholder_id = fields.Many2one(
        "kam.stakeholder", index="btree_not_null", ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    user_id = fields.Many2one("res.users", string="Relationship Owner", required=True)
    occasion_date = fields.Date(required=True)
    year = fields.Integer(required=True)
    key = fields.Char(string="Reminder Key", required=True, readonly=True, index=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)
    visit_ids = fields.One2many("kam.visit", "care_reminder_id", string="Care Visits")

    # the key (occasion, account, stakeholder, year) is unique per company; an existing
    # database gets this definition in migrations/19.0.1.3.0/post-migrate.py
    _key_uniq = models.Constraint(
        "UNIQUE(company_id, key)",
        "A care reminder is given once per company, occasion, person and year.")

    # ---- Actions ----
    def action_kam_record_gesture(self):
        """Open a new care visit of the account for this occasion."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Care Gesture"),
            "res_model": "kam.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_visit_type": "care",
                "default_care_reminder_id": self.id,
                "default_care_occasion_id": self.occasion_id.id,
                "default_objective": self.occasion_id.gesture or self.occasion_id.name,
                "default_stakeholder_ids": self.stakeholder_id.ids,
                "default_expense_planned": self.occasion_id.budget,
            },
        }

    # ---- Business ----
    @api.model
    def _kam_key(self, occasion, account, stakeholder, when):
        return f"{occasion.id}-{account.id}-{stakeholder.id or 0}-{when.year}"

    @api.model
    def _kam_create(self, company, candidates):
        """Reminders and activities for the ``candidates`` (occasion, account,
        stakeholder, date, user) not reminded yet in ``company``, in batch."""
        candidates = [c for c in candidates if c[4]]
        keys = {self._kam_key(*c[:4]): c for c in candidates}
        sent = set(self.search([("company_id", "=", company.id),
                                ("key", "in", list(keys))]).mapped("key"))
        todo = [(key, c) for key, c in keys.items() if key not in sent]
        if not todo:
            return self.browse()
        activity_type = self.env.ref("key_account_management.mail_activity_type_kam_care")
        model_id = self.env["ir.model"]._get_id("res.partner")
        activity_vals = []
        for _key, (occasion, account, stakeholder, when, user) in todo:
            env = reader_env(self.env, user, company._kam_tz())
            name = occasion.with_env(env).name
            if stakeholder:
                summary = env._("%(occasion)s: %(person)s", occasion=name, person=stakeholder.name)
            else:
                summary = name
            gesture = occasion.with_env(env).gesture or ""
            activity_vals.append({
                "res_model_id": model_id,
                "res_id": account.id,
                "activity_type_id": activity_type.id,
                "user_id": user.id,
                "date_deadline": when,
                "summary": summary,
                "note": env._("Suggested gesture: %(gesture)s (budget %(budget)s)",
                              gesture=gesture,
                              budget=reader_amount(env, occasion.budget, occasion.currency_id))
                if gesture else False,
            })
        activities = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True).create(activity_vals)
        return self.create([{
            "occasion_id": occasion.id, "partner_id": account.id,
            "stakeholder_id": stakeholder.id, "company_id": company.id, "user_id": user.id,
            "occasion_date": when, "year": when.year, "key": key, "activity_id": activity.id,
        } for (key, (occasion, account, stakeholder, when, user)), activity
            in zip(todo, activities, strict=True)])
