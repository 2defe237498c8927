"""Bounds of the numeric inputs of the key-account models.

An Integer field is an ``int4`` column (company-dependent ones a JSON number
that the engine and every list read back as ``int4``): a value outside
``INT4_MIN``..``INT4_MAX`` is either refused by the database with an error
nobody understands or, in a company-dependent (jsonb) field, accepted and then
breaks the nightly scoring and every read of the account list. Periods that
the engine adds to dates stay within ``MAX_DAYS`` (ten years) so that no date
leaves the calendar. A model declares the bounds of its fields once, in
``_kam_bounds`` (``kam.bounds.mixin``, models/kam_bounds_mixin.py): every create and
write, over any path (form, import, JSON-2, JSON-RPC), is refused before it reaches
the database with a translated error naming the field and its range; constraints
check stored records with :func:`check_bounds`.

The bounds a real administrator never reaches, and why:

* a sequence: 0 to ``MAX_SEQUENCE`` (a million; lists are reordered by tens);
* a colour: 0 to ``MAX_COLOR`` (the twelve colours of Odoo's colour picker);
* a percentage: 0 to 100;
* a period the engine adds to dates: ``MAX_DAYS`` (ten years) or ``MAX_HOURS``;
* a weight (score, health, scorecard): 0 to ``MAX_WEIGHT`` (ten thousand; only their
  ratios count), a scorecard measure's cap as many points;
* a count of events (SLA breaches in 90 days): ``MAX_COUNT`` (a hundred thousand);
* an amount or any other figure: ``MAX_AMOUNT`` (a trillion, far above any account's
  yearly revenue in yuan, dollars or euros, and the largest amount Odoo's rounding keeps
  exact to the cent: 10^13 is rounded to 10,000,000,000,000.01);
* a quantity: ``MAX_QUANTITY`` (a billion units, exact to the unit's decimals);
* a field of ours without a declaration: an integer the ``int4`` range, a float or an
  amount within ``MAX_AMOUNT`` either way; never infinity or NaN."""

from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

INT4_MIN, INT4_MAX = -(2 ** 31), 2 ** 31 - 1
# the longest period (days, hours) a key-account setting may move a date by
MAX_DAYS = 3650
MAX_HOURS = MAX_DAYS * 24
# the bounds of a sequence or a colour index (an int4 column, not negative)
INT4_POSITIVE = (0, INT4_MAX)
MAX_SEQUENCE = 1000000
MAX_COLOR = 11
MAX_WEIGHT = 10000
MAX_COUNT = 100000
MAX_AMOUNT = 10 ** 12
MAX_QUANTITY = 10 ** 9
SEQUENCE = (0, MAX_SEQUENCE)
COLOR = (0, MAX_COLOR)
PERCENT = (0, 100)
# the dates a user types in (visits, plans' periods): the engine adds up to MAX_DAYS and
# a year to them, and converts them to the user's time zone, within Python's calendar
# (years 1 to 9999); a date outside stops every screen and job that reads the record
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)


def _format_bound(env, bound):
    """A bound as the user reads numbers (thousands separators of their language)."""
    if isinstance(bound, bool) or not isinstance(bound, (int, float)):
        return bound
    return formatLang(env, bound, digits=0 if float(bound).is_integer() else 2)


def bounds_error(env, field, low, high, value, record=None):
    """The translated ValidationError of ``value`` of ``field`` outside ``low``..``high``."""
    label = field._description_string(env)
    low, high = _format_bound(env, low), _format_bound(env, high)
    if record:
        return ValidationError(env._(
            "%(record)s: %(field)s must be between %(min)s and %(max)s (got %(value)s).",
            record=record, field=label, min=low, max=high, value=value))
    return ValidationError(env._(
        "%(field)s must be between %(min)s and %(max)s (got %(value)s).",
        field=label, min=low, max=high, value=value))


def as_number(value):
    """``value`` as the number a numeric field would store, or None when it is empty
    (False, None, "") or no number at all (the field's own conversion decides then)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return float(value)
        except ValueError:
            return None
    return None


def check_bounds(records, limits, values=None):
    """Raise a translated ValidationError when a value of ``records`` (or of the
    ``values`` of a create or write, before they reach the database) lies outside
    its bounds ``limits`` (``{field name: (minimum, maximum)}``)."""
    env = records.env
    if values is not None:
        for fname, (low, high) in limits.items():
            if fname not in values:
                continue
            number = as_number(values[fname])
            # empty (0) or not a number: the field's own conversion decides; NaN is
            # between nothing
            if number is not None and not low <= number <= high:
                raise bounds_error(env, records._fields[fname], low, high, values[fname])
        return
    for record in records:
        for fname, (low, high) in limits.items():
            value = record[fname] or 0
            if not low <= value <= high:
                raise bounds_error(env, record._fields[fname], low, high, value,
                                   record=record.display_name)


def check_date_values(model, vals, fnames):
    """Raise a translated ValidationError when a date or datetime of ``vals`` (a create
    or write of ``model``, before it reaches the database and the computed fields) lies
    outside ``DATE_MIN``..``DATE_MAX`` or is no date at all."""
    env = model.env
    for fname in fnames:
        value = vals.get(fname)
        if not value:
            continue
        field = model._fields[fname]
        try:
            day = field.to_date(value) if field.type == "date" else field.to_datetime(value)
        except (ValueError, TypeError, OverflowError):
            day = None
        if isinstance(day, datetime):
            day = day.date()
        if day is None or not DATE_MIN <= day <= DATE_MAX:
            raise bounds_error(env, field, DATE_MIN, DATE_MAX, value)
