from odoo import api, fields, models


class KamStakeholder(models.Model):
    """One person's place in one key account's decision unit (决策链).

    Foundation part: identity and contact dates. The decision-unit feature adds
    roles, attitude, influence, reporting lines and needs.
    """

    _name = "kam.stakeholder"
    _description = "Key Account Stakeholder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(related="contact_id.name", store=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade",
        domain=[("is_company", "=", True)], tracking=True)
    contact_id = fields.Many2one(
        "res.partner", string="Person", required=True, index=True, ondelete="restrict",
        domain="[('is_company', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    last_contact_date = fields.Date(
        readonly=True, copy=False,
        help="Last time a member of the account team met or talked with this person "
             "(done visits, logged meetings).")

    # ---- Business ----
    def _get_last_contact_dates(self):
        """``{stakeholder_id: date}`` of the latest contact with each stakeholder of
        ``self``, read in batch. Extended by every source of contacts (visits,
        meetings); each extension merges its dates with the ``super()`` result
        keeping the latest one."""
        return {}

    def _update_last_contact_date(self):
        """Store the latest contact date of each stakeholder of ``self``; writes
        only the stakeholders whose date changed."""
        dates = self._get_last_contact_dates()
        by_date = {}
        for stakeholder in self:
            new = dates.get(stakeholder.id) or False
            if new != stakeholder.last_contact_date:
                by_date.setdefault(new, []).append(stakeholder.id)
        for new, ids in by_date.items():
            self.browse(ids).write({"last_contact_date": new})

    @api.model
    def _merge_contact_dates(self, dates, more):
        """Merge ``more`` into ``dates`` (both ``{id: date}``), keeping the latest."""
        for key, value in more.items():
            if value and (not dates.get(key) or value > dates[key]):
                dates[key] = value
        return dates
