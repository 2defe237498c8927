from odoo import api, models
from odoo.exceptions import UserError

from .kam_flow_mixin import kam_has_group, kam_trusted

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


def kam_write_value(field, value):
    """``value`` given to ``write`` for ``field``, as a record reads it back
    (the id of a many2one, False for no value)."""
    if field.type == "many2one":
        return value.id if isinstance(value, models.BaseModel) else (value or False)
    return value or False


def kam_changed_records(records, fname, value):
    """The records of ``records`` whose ``fname`` a write of ``value`` would
    really change (writing the value a record already has is not a change)."""
    field = records._fields[fname]
    new = kam_write_value(field, value)
    if field.type == "many2one":
        return records.filtered(lambda rec: rec[fname].id != new)
    return records.filtered(lambda rec: (rec[fname] or False) != new)


class KamPrivateMixin(models.AbstractModel):
    """A private key-account record (stakeholder, visit, plan, team row...).

    * Its links to the account, company, plan, visit, user... are fixed once
      created: record rules are checked on the record *before* a write, so a
      user allowed to edit a row could otherwise move it to another account
      (or put themselves on it) and read what that grants. Only a Key Account
      Director or the trusted (``kam_trusted``: the system, our flows; not
      ``sudo()``) re-link; the legitimate moves go
      through audited actions that run as one of them (e.g. the handover
      wizard). The fixed fields are listed in ``_kam_fixed_link_fields``.
    * Its chatter never suggests the customer company or its contacts as
      recipients: what is written about a customer is internal.
    """

    _name = "kam.private.mixin"
    _description = "Private Key Account Record"

    # names of the many2one fields that only a director or the engine may change
    _kam_fixed_link_fields = ()

    # ---- ORM ----
    def write(self, vals):
        if self._kam_fixed_link_fields and not kam_trusted(self.env):
            self._kam_check_fixed_links(vals)
        return super().write(vals)

    # ---- Mail ----
    @api.model
    def _mail_get_partner_fields(self, introspect_fields=False):
        # the account and its contacts are what the record is about, not its audience
        return []

    def _message_add_default_recipients(self):
        # nor its contact's email (a stakeholder shows their person's email)
        return {
            record.id: {"email_cc_lst": [], "email_to_lst": [],
                        "partners": self.env["res.partner"]}
            for record in self
        }

    # ---- Business ----
    def _kam_check_fixed_links(self, vals):
        """Refuse a change of any fixed link of ``self`` by a user who is not a
        Key Account Director (writing the same value is not a change)."""
        fnames = [f for f in self._kam_fixed_link_fields if f in vals]
        if not fnames or kam_has_group(self.env, GROUP_DIRECTOR):
            return
        for fname in fnames:
            if kam_changed_records(self, fname, vals[fname]):
                raise UserError(self.env._(
                    "%(field)s of %(model)s cannot be changed once the record exists: only a "
                    "Key Account Director can move it (create a new record instead).",
                    field=self._fields[fname]._description_string(self.env),
                    model=self.env["ir.model"]._get(self._name).name))
