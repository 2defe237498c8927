from odoo import api, models

from .kam_bounds import INT4_MAX, INT4_MIN, MAX_AMOUNT, check_bounds, check_date_values

NUMERIC_TYPES = ("integer", "float", "monetary")
MODULE = "key_account_management"


class KamBoundsMixin(models.AbstractModel):
    """Numeric inputs bounded once per model (issue 20): ``_kam_bounds`` maps a field
    name to its ``(minimum, maximum)``; each class of the model (an extension of
    ``res.company`` per feature, say) declares the bounds of its own fields and they
    add up. A create or a write outside them, over any path (form, ``write``, import,
    JSON-2, JSON-RPC, the settings' related fields), is refused before it reaches the
    database: a translated error names the field and its range instead of Odoo's
    "integer out of range" or an ``OverflowError``, and nothing is written (an import
    reports the line). A number field of this addon without a declaration is held to
    its column (``int4``) or to ``MAX_AMOUNT``, never infinity or NaN; a related field
    (the settings) has the bounds of the field it shows. The dates and times of this
    addon users type in (a birthday, a contract date, a due date) lie between
    ``DATE_MIN`` and ``DATE_MAX``, within what the engine and the time zones can
    compute (:func:`check_date_values`)."""

    _name = "kam.bounds.mixin"
    _description = "Key Account Bounded Numbers"

    # {field name: (minimum, maximum)} of the fields this class declares
    _kam_bounds = {}

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        limits, dates = self._kam_bounds_limits(), self._kam_bounds_dates()
        for vals in vals_list:
            check_bounds(self, limits, vals)
            check_date_values(self, vals, dates)
        return super().create(vals_list)

    def write(self, vals):
        check_bounds(self, self._kam_bounds_limits(), vals)
        check_date_values(self, vals, self._kam_bounds_dates())
        return super().write(vals)

    # ---- Business ----
    @api.model
    def _kam_bounds_limits(self):
        """The bounds of every number field of the model users write: the
        ``_kam_bounds`` of its classes, then the defaults (computed once per registry)."""
        cls = type(self)
        limits = cls.__dict__.get("_kam_bounds_cache")
        if limits is None:
            limits = {}
            for klass in reversed(cls.__mro__):
                limits.update(klass.__dict__.get("_kam_bounds") or {})
            for fname, field in self._fields.items():
                if fname in limits or field.type not in NUMERIC_TYPES:
                    continue
                if field.related:
                    target = field.related_field
                    model = self.env[target.model_name]
                    if isinstance(model, KamBoundsMixin) and not field.readonly:
                        bounds = model._kam_bounds_limits().get(target.name)
                        if bounds:
                            limits[fname] = bounds
                elif field._module == MODULE and field.store and not field.readonly:
                    limits[fname] = (INT4_MIN, INT4_MAX) if field.type == "integer" \
                        else (-MAX_AMOUNT, MAX_AMOUNT)
            cls._kam_bounds_cache = limits
        return limits

    @api.model
    def _kam_bounds_dates(self):
        """The date and datetime fields of this addon users write on the model."""
        cls = type(self)
        dates = cls.__dict__.get("_kam_bounds_dates_cache")
        if dates is None:
            dates = tuple(
                fname for fname, field in self._fields.items()
                if field.type in ("date", "datetime") and field._module == MODULE
                and field.store and not field.readonly and not field.related)
            cls._kam_bounds_dates_cache = dates
        return dates
