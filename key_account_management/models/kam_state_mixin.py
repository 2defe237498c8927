from odoo import models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty

from .kam_flow_mixin import kam_acting_user, kam_has_group

GROUP_DIRECTOR = "key_account_management.key_account_management_group_director"


class KamStateMixin(models.AbstractModel):
    """The rules of a workflow, held by the model: every change of ``state``
    by a user (a button, a plain ``write`` over the API, an import) goes
    through ``write``/``create``, which refuse a step the workflow does not
    have (e.g. draft -> approved) or a step whose rule is not met (who may
    take it, what must be filled). The buttons only call ``write``, so they
    are checked the same way. Only the trusted (``_kam_trusted``: the system
    outside another user's request, or the model's own flow token) skip the
    rules; ``sudo()`` does not, nor does the superuser serving a customer's
    portal request."""

    _name = "kam.state.mixin"
    _inherit = ["kam.flow.mixin"]
    _description = "Key Account Workflow Rules"

    # {state: states it may go to}; states not listed are final
    _kam_transitions = {}
    # states a user may create a record in (each checked as a move from None)
    _kam_create_states = ()

    # ---- helpers ----
    def _kam_state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state)

    def _kam_is_director(self):
        return kam_has_group(self.env, GROUP_DIRECTOR)

    def _kam_value(self, vals, fname):
        """``fname`` as it will be once ``vals`` is written (``self``: one record or none)."""
        if fname in vals:
            value = vals[fname]
            field = self._fields[fname]
            if field.type == "many2one":
                return self.env[field.comodel_name].browse(value or ())
            return value
        return self[fname]

    @staticmethod
    def _kam_is_empty(value, html=False):
        if html:
            return is_html_empty(value)
        return not (value or "").strip()

    # ---- checks ----
    def _kam_check_create_states(self, vals_list):
        if self._kam_trusted():
            return
        default = self._fields["state"].default(self) if self._fields["state"].default else False
        for vals in vals_list:
            state = vals.get("state") or default
            if state not in self._kam_create_states:
                raise UserError(self.env._(
                    "%(model)s: a new record cannot start as %(state)s; create it as "
                    "%(allowed)s and follow the workflow.",
                    model=self._description, state=self._kam_state_label(state),
                    allowed=", ".join(self._kam_state_label(s) for s in self._kam_create_states)))
            self.browse()._kam_check_move(None, state, vals)

    def _kam_check_transitions(self, vals):
        """Refuse, before writing ``vals``, a change of state that skips a step or its rule."""
        if "state" not in vals or self._kam_trusted():
            return
        new = vals["state"]
        for record in self:
            old = record.state
            if old == new:
                continue
            if new not in self._kam_transitions.get(old, ()):
                raise UserError(self.env._(
                    "%(record)s is %(state)s: it cannot become %(new)s directly. Use the "
                    "buttons of the form, which take the steps of the workflow in order.",
                    record=record.display_name, state=self._kam_state_label(old),
                    new=self._kam_state_label(new)))
            record._kam_check_move(old, new, vals)

    def _kam_check_move(self, old, new, vals):
        """The rule of the move ``old`` -> ``new`` (``old`` None at creation):
        who may take it and what must be filled once ``vals`` is written.
        Overridden by each workflow."""

    def _kam_check_signer(self, vals, fname):
        """A user records a decision in their own name only."""
        if self._kam_trusted() or not vals.get(fname):
            return
        if vals[fname] != kam_acting_user(self.env).id:
            raise UserError(self.env._(
                "%(field)s: a decision is recorded in the name of the user who takes it.",
                field=self._fields[fname]._description_string(self.env)))
