from odoo import models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _get_activity_excluded_models(self):
        """A visit's meeting is not also an activity on the visit: the visit
        itself is what the key account manager plans and completes."""
        return [*super()._get_activity_excluded_models(), "kam.visit"]
