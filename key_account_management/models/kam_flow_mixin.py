from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError
from odoo.http import request

from .ir_cron import kam_in_cron


class _KamFlowToken:
    """The value of the context key ``kam_flow`` that lets a model's own flow
    (its buttons, its crons, its controllers) write the fields it owns: a
    Python object, which no call of the external API (JSON-2, JSON-RPC,
    XML-RPC) nor a web client can put into a context, since they carry plain
    values only. ``{"kam_flow": True}`` sent by a client changes nothing."""

    __slots__ = ()

    def __repr__(self):
        return "KAM_FLOW"


KAM_FLOW_KEY = "kam_flow"
KAM_FLOW = _KamFlowToken()


def kam_in_flow(env):
    """Whether ``env`` carries the flow token (set by :func:`kam_flow` only)."""
    return env.context.get(KAM_FLOW_KEY) is KAM_FLOW


def kam_acting_user(env):
    """The user in whose name ``env`` acts. Odoo's portal routes and payment
    post-processing switch to the superuser (uid 1): inside an HTTP request of
    another user (a customer's portal session, an anonymous visitor with an
    access token, an employee) that user's rules hold, not the superuser's.
    Outside any request (install, demo data, crons) uid 1 is the system itself.
    ``sudo()`` changes nothing: a ``sudo()`` environment of a KAM acts for the
    KAM."""
    if env.uid != SUPERUSER_ID:
        return env.user
    try:
        request_uid = request.env.uid if request else None
    except (AttributeError, RuntimeError):
        request_uid = None
    if request_uid and request_uid != SUPERUSER_ID:
        return env["res.users"].sudo().browse(request_uid)
    return env.user


def kam_trusted(env):
    """The one trust notion of the addon: ``env`` is one of our own flows (it
    carries the flow token of :func:`kam_flow`) or the system itself (uid 1
    acting for nobody else: install, demo data, scheduled actions). A
    ``sudo()`` environment of a user is not trusted (``env.su`` is never a
    permission), nor is uid 1 serving another user's request (the portal
    signature, the online payment, ``/rate``). What a guard exempts, it exempts
    for these only. A scheduled action run by the system is the system, also when
    an administrator runs it from the screen (*Run Manually*: inside their
    request): the scheduler's private object says so (:func:`kam_in_cron`)."""
    if kam_in_flow(env):
        return True
    if env.uid == SUPERUSER_ID and kam_in_cron(env):
        return True
    return kam_acting_user(env).id == SUPERUSER_ID


def kam_has_group(env, xmlid):
    """Whether the user ``env`` acts for (:func:`kam_acting_user`) is in the
    group ``xmlid``: the superuser serving a customer's portal request is not a
    director; the customer is the one acting."""
    return kam_acting_user(env).has_group(xmlid)


def kam_flow(records):
    """``records`` in our own flow: they may write the fields their flow owns
    (``_kam_flow_fields``, director-only and fixed fields, credit and
    registration fields...). For the addon's buttons, crons, controllers and
    engine only; never reached from a value a client sends."""
    return records.with_context(**{KAM_FLOW_KEY: KAM_FLOW})


class KamFlowMixin(models.AbstractModel):
    """Fields that only a model's flow sets (clocks, deadlines, reached dates,
    satisfaction, confirmations, approvals, frozen figures...), declared once
    per model in ``_kam_flow_fields`` and refused to anyone else on every path
    (form, ``write``, import, JSON-2, portal).

    Who is trusted (:func:`kam_trusted`, the addon's one trust notion, which
    every guard of the models uses: the workflows' rules, fixed links,
    director-only, registry and credit fields):

    * the model's own flows: they write through ``self._kam_flow()``, a
      private method that sets a context value no client can send;
    * the system itself, i.e. the ``__system__`` user (uid 1: module install,
      demo data, scheduled actions running as OdooBot) outside any HTTP request
      of another user.

    ``sudo()`` is not trusted, nor is uid 1 inside another user's request:
    Odoo's portal runs its routes with the portal or public user and
    ``sudo()``, or switches to uid 1 (``_document_check_access``: a quotation
    signed with its access token, a payment's post-processing), and what such a
    path does in a customer's name follows the customer's rules, not a
    director's (:meth:`_kam_acting_user`).
    """

    _name = "kam.flow.mixin"
    _description = "Key Account Flow-Owned Fields"

    # names of the fields that only the model's flow (or the system) writes
    _kam_flow_fields = ()

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        if self._kam_flow_fields and not self._kam_trusted():
            for vals in vals_list:
                self._kam_check_flow_fields_create(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self._kam_flow_fields and not self._kam_trusted():
            self._kam_check_flow_fields(vals)
        return super().write(vals)

    # ---- Business ----
    def _kam_acting_user(self):
        """The user in whose name this environment acts (:func:`kam_acting_user`)."""
        return kam_acting_user(self.env)

    def _kam_trusted(self):
        """The system or one of our own flows (:func:`kam_trusted`): the only
        writers of ``_kam_flow_fields`` and the only ones exempt from the
        workflow's rules."""
        return kam_trusted(self.env)

    def _kam_flow(self):
        """``self`` in the model's own flow (:func:`kam_flow`): for its buttons,
        crons and controllers only (a private method, not callable over the API)."""
        return kam_flow(self)

    def _kam_flow_write(self, vals):
        """Write ``vals`` (flow-owned fields included) as the model's flow."""
        return self._kam_flow().write(vals)

    def _kam_check_flow_fields_create(self, vals):
        """At creation a flow-owned field may only be left to its default."""
        for fname in self._kam_flow_fields:
            if fname not in vals:
                continue
            field = self._fields[fname]
            default = field.default(self) if field.default else False
            if field.type == "many2one" and isinstance(default, models.BaseModel):
                default = default.id
            if (vals[fname] or False) != (default or False):
                raise AccessError(self._kam_flow_field_message(fname))

    def _kam_check_flow_fields(self, vals):
        """Refuse a write that would change a flow-owned field (writing the
        value a record already has is not a change, so a form that sends its
        read-only values back still saves)."""
        for fname in self._kam_flow_fields:
            if fname not in vals:
                continue
            field = self._fields[fname]
            for record in self:
                new = field.convert_to_record(field.convert_to_cache(vals[fname], record), record)
                if (record[fname] or False) != (new or False):
                    raise AccessError(self._kam_flow_field_message(fname))

    def _kam_flow_field_message(self, fname):
        return self.env._(
            "%(field)s of %(model)s is set by its workflow only (its buttons and scheduled "
            "actions): it cannot be written directly, over the API neither.",
            field=self._fields[fname]._description_string(self.env),
            model=self.env["ir.model"]._get(self._name).name)
