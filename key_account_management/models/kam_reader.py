"""Texts written for a reader (issue 27): the engine, the crons and the flows write activities
and notes that a user reads later; each is rendered in its reader's language, with the
reader's time zone for the dates and times in it, amounts with their currency."""

from collections import defaultdict

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
