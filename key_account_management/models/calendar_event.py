from odoo import api, models

# calendar.event fields that change who attended a meeting, or when
KAM_MEETING_FIELDS = {
    "partner_ids", "attendee_ids", "start", "stop", "allday", "start_date", "stop_date", "active",
}


class CalendarEvent(models.Model):
    """Logged meetings update the last contact date of the key-account
    stakeholders who attended them."""

    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._kam_update_stakeholder_contact_dates()
        return events

    def write(self, vals):
        if not KAM_MEETING_FIELDS & vals.keys():
            return super().write(vals)
        partners_before = self.partner_ids
        res = super().write(vals)
        self._kam_update_stakeholder_contact_dates(partners_before)
        return res

    def unlink(self):
        partners = self.partner_ids
        res = super().unlink()
        self.env["calendar.event"]._kam_update_stakeholder_contact_dates(partners)
        return res

    def _kam_update_stakeholder_contact_dates(self, partners=None):
        """Refresh the last contact date of the stakeholders among the attendees
        of ``self`` (and ``partners``, the attendees before a change).

        Runs as superuser on purpose: whoever logs a meeting (an assistant, a
        technician outside the account team) must update the date, while the
        stakeholders themselves stay private (only their date is written)."""
        partners = (partners or self.env["res.partner"]) | self.partner_ids
        if not partners:
            return
        stakeholders = self.env["kam.stakeholder"].sudo().with_context(active_test=False).search(
            [("contact_id", "in", partners.ids)])
        stakeholders._update_last_contact_date()

    def _get_activity_excluded_models(self):
        """A visit's meeting is not also an activity on the visit: the visit
        itself is what the key account manager plans and completes."""
        return [*super()._get_activity_excluded_models(), "kam.visit"]
