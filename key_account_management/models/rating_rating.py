from odoo import fields, models


class RatingRating(models.Model):
    _inherit = "rating.rating"

    # The token of a rating lets whoever holds it rate, and with a service request
    # confirm, in the customer's name (``/rate/<token>``): the customer's secret, known
    # to the mail sent to them. Employees (who may read ratings) do not read it; Odoo's
    # own flows read it as the system (``_rating_get_access_token``, the /rate routes).
    access_token = fields.Char(groups="base.group_system")
