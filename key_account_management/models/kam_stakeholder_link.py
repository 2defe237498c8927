from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamStakeholderLink(models.Model):
    """An influence link inside a decision unit: ``source_id`` influences
    ``target_id`` (strongly or weakly), beyond the formal reporting lines."""

    _name = "kam.stakeholder.link"
    _description = "Stakeholder Influence Link"
    _inherit = ["kam.private.mixin"]
    _kam_fixed_link_fields = ("source_id", "target_id")
    _order = "partner_id, strength, id"
    _check_company_auto = True

    source_id = fields.Many2one(
        "kam.stakeholder", string="Influencer", required=True, index=True, ondelete="cascade",
        check_company=True)
    target_id = fields.Many2one(
        "kam.stakeholder", string="Influences", required=True, index=True, ondelete="cascade",
        check_company=True, domain="[('partner_id', '=', partner_id), ('id', '!=', source_id)]")
    strength = fields.Selection(
        [("strong", "Strong"), ("weak", "Weak")], string="Relationship Strength", required=True,
        default="strong")
    note = fields.Char(help="How the influence works, e.g. former colleague, golf partner.")
    partner_id = fields.Many2one(
        related="source_id.partner_id", store=True, index=True, string="Account")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)

    _source_target_uniq = models.Constraint(
        "UNIQUE(source_id, target_id)",
        "This influence link already exists.",
    )

    @api.constrains("source_id", "target_id")
    def _check_source_target(self):
        for link in self:
            if link.source_id == link.target_id:
                raise ValidationError(self.env._(
                    "Influences: %(person)s cannot influence themselves.",
                    person=link.source_id.name))
            if link.source_id.partner_id != link.target_id.partner_id:
                raise ValidationError(self.env._(
                    "Influences: %(influencer)s (%(account)s) and %(target)s (%(other)s) belong "
                    "to different accounts; an influence link stays inside one decision unit.",
                    influencer=link.source_id.name, account=link.source_id.partner_id.display_name,
                    target=link.target_id.name, other=link.target_id.partner_id.display_name))
