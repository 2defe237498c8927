"""Texts written for a reader (issue 27): the engine, the crons and the flows write activities
and notes that a user reads later; each is rendered in its reader's language, with the
reader's time zone for the dates and times in it, amounts with their currency."""

from collections import defaultdict
from datetime import timedelta

from odoo.tools import format_amount, format_datetime


def reader_env(env, user, tz=None):
    """``env`` in the language and time zone of ``user``, who reads the text (``tz``: the
    time zone when the user has none, e.g. the company's)."""
    return env(context=dict(
        env.context, lang=user.lang or env.lang or "en_US",
        tz=user.tz or tz or env.context.get("tz") or "UTC"))


def readers_by_env(env, users, tz=None):
    """``[(env, users)]``: ``users`` grouped by language and time zone, with the
    environment in which a text for each group is rendered (one note per group)."""
    groups = defaultdict(list)
    for user in users:
        groups[(user.lang or env.lang or "en_US", user.tz or tz or "")].append(user.id)
    return [(reader_env(env, env["res.users"].browse(ids[0]), tz), env["res.users"].browse(ids))
            for _key, ids in sorted(groups.items())]


def reader_datetime(env, value):
    """A (UTC) datetime as the reader of ``env`` reads it: in its time zone and its
    language's format; "-" when there is none."""
    if not value:
        return "-"
    return format_datetime(env, value, tz=env.context.get("tz") or env.user.tz or "UTC")


def reader_amount(env, amount, currency):
    """An amount with its currency, in the reader's number format."""
    return format_amount(env, amount or 0.0, currency)


def report_filename(title, *parts):
    """The file name of a printed document (``print_report_name``, without its
    extension) as its reader reads it: the document's translated title, then the
    account (or person) and the date, joined by " - "; no character that a file name
    cannot hold (a slash of a reference or a name)."""
    text = " - ".join(str(part) for part in (title, *parts) if part)
    for char in '/\\:*?"<>|':
        text = text.replace(char, "-")
    return " ".join(text.split())


def report_period(start, end):
    """A period in a file name: the year ("2026") or the month ("2026-12") when it is
    a whole one, else its first and last days ("2026-01-15~2026-04-14")."""
    if not start or not end:
        return start.isoformat() if start else ""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    next_day = end + timedelta(days=1)
    if start.day == 1 and next_day.day == 1 and (start.year, start.month) == (end.year, end.month):
        return start.strftime("%Y-%m")
    return f"{start.isoformat()}~{end.isoformat()}"
