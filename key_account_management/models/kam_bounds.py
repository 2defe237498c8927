"""Bounds of the numeric inputs of the key-account models.

An Integer field is an ``int4`` column (company-dependent ones a JSON number
that the engine and every list read back as ``int4``): a value outside
``INT4_MIN``..``INT4_MAX`` is either refused by the database with an error
nobody understands or, in a company-dependent (jsonb) field, accepted and then
breaks the nightly scoring and every read of the account list. Periods that
the engine adds to dates stay within ``MAX_DAYS`` (ten years) so that no date
leaves the calendar. The models check their fields with :func:`check_bounds`
in a constraint that names the field and its range."""

from datetime import date, datetime

from odoo.exceptions import ValidationError

INT4_MIN, INT4_MAX = -(2 ** 31), 2 ** 31 - 1
# the longest period (days, hours) a key-account setting may move a date by
MAX_DAYS = 3650
MAX_HOURS = MAX_DAYS * 24
# the bounds of a sequence or a colour index (an int4 column, not negative)
INT4_POSITIVE = (0, INT4_MAX)
# the dates a user types in (visits, plans' periods): the engine adds up to MAX_DAYS and
# a year to them, and converts them to the user's time zone, within Python's calendar
# (years 1 to 9999); a date outside stops every screen and job that reads the record
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)


def bounds_error(env, field, low, high, value, record=None):
    """The translated ValidationError of ``value`` of ``field`` outside ``low``..``high``."""
    label = field._description_string(env)
    if record:
        return ValidationError(env._(
            "%(record)s: %(field)s must be between %(min)s and %(max)s (got %(value)s).",
            record=record, field=label, min=low, max=high, value=value))
    return ValidationError(env._(
        "%(field)s must be between %(min)s and %(max)s (got %(value)s).",
        field=label, min=low, max=high, value=value))


def check_bounds(records, limits, values=None):
    """Raise a translated ValidationError when a value of ``records`` (or of the
    ``values`` of a create or write, before they reach the database) lies outside
    its bounds ``limits`` (``{field name: (minimum, maximum)}``)."""
    env = records.env
    if values is not None:
        for fname, (low, high) in limits.items():
            value = values.get(fname)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue  # empty (0) or not a number: the field's own conversion decides
            if not low <= value <= high:
                raise bounds_error(env, records._fields[fname], low, high, value)
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
