from collections import namedtuple

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

RevenueStat = namedtuple("RevenueStat", ["revenue", "count", "last_date"])
RevenueWindows = namedtuple("RevenueWindows", [
    "revenue", "count", "revenue_prev", "last_date", "first_date", "count_24m",
    "revenue_3m", "revenue_3m_last_year"])


class KamRevenue(models.AbstractModel):
    """The one place where key-account revenue is read from real documents.

    Every figure of the addon (metrics, scoring, Pareto, plan actuals, KAM
    targets, scorecards, the account review) comes from here, so that they all
    agree with each other and with the company's revenue basis setting:

    * ``order``: confirmed sales orders (state ``sale``), untaxed, converted to
      company currency with the order's own rate, dated by ``date_order``;
    * ``invoice``: posted customer invoices net of refunds, untaxed, in company
      currency, dated by ``invoice_date``.

    Sales of child contacts count for their commercial entity. These rules are
    written once, in :meth:`_revenue_source`; every figure is one grouped SQL
    query over it (:meth:`_revenue_aggregate`), never one query per partner.
    """

    _name = "kam.revenue"
    _description = "Key Account Revenue Service"

    # ---- The documents ----
    @api.model
    def _revenue_source(self, company, date_from, date_to, partner_ids=None, basis=None):
        """The revenue documents of ``company`` dated in [date_from, date_to):
        SQL whose rows are ``partner_id`` (the document's partner: the order's
        customer, the invoice's commercial partner), ``day`` (date), ``amount``
        (untaxed, company currency, refunds negative) and ``is_order`` (an
        order or an invoice, not a refund).

        :param partner_ids: optional iterable of commercial partner ids
        :param basis: ``order`` or ``invoice``; the company's setting by default
        """
        company.ensure_one()
        basis = basis or company.kam_revenue_basis
        if basis == "order":
            self.env["sale.order"].flush_model(
                ["state", "company_id", "date_order", "amount_untaxed", "currency_rate",
                 "partner_id"])
            self.env["res.partner"].flush_model(["commercial_partner_id"])
            partner_filter = SQL(
                "AND so.partner_id IN (SELECT id FROM res_partner "
                "WHERE commercial_partner_id = ANY(%s))", list(partner_ids),
            ) if partner_ids is not None else SQL()
            return SQL(
                # an order's day is the company's day of date_order (stored in UTC):
                # the bounds are the company's midnights in UTC, so the index serves
                """SELECT so.partner_id AS partner_id,
                          (so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day,
                          so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS amount,
                          TRUE AS is_order
                     FROM sale_order so
                    WHERE so.state = 'sale' AND so.company_id = %(company)s
                      AND so.date_order >= (%(date_from)s::timestamp AT TIME ZONE %(tz)s)
                                           AT TIME ZONE 'UTC'
                      AND so.date_order < (%(date_to)s::timestamp AT TIME ZONE %(tz)s)
                                          AT TIME ZONE 'UTC'
                      %(partner_filter)s""",
                company=company.id, date_from=date_from, date_to=date_to,
                tz=company._kam_tz(), partner_filter=partner_filter)
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "invoice_date", "amount_untaxed_signed",
             "commercial_partner_id"])
        partner_filter = SQL(
            "AND am.commercial_partner_id = ANY(%s)", list(partner_ids),
        ) if partner_ids is not None else SQL()
        return SQL(
            """SELECT am.commercial_partner_id AS partner_id, am.invoice_date AS day,
                      am.amount_untaxed_signed AS amount,
                      am.move_type = 'out_invoice' AS is_order
                 FROM account_move am
                WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                  AND am.company_id = %(company)s
                  AND am.invoice_date >= %(date_from)s AND am.invoice_date < %(date_to)s
                  %(partner_filter)s""",
            company=company.id, date_from=date_from, date_to=date_to,
            partner_filter=partner_filter)

    @api.model
    def _revenue_aggregate(self, company, date_from, date_to, aggregates, partner_ids=None,
                           basis=None, by_partner=True, by_month=False):
        """Rows of one grouped query over :meth:`_revenue_source`:
        ``(commercial_partner_id, [month,] value, ...)``.

        The documents are first aggregated per document partner, then per
        commercial partner (a contact's sales count for its company): the
        inner aggregate reads the documents once, the join to the partners
        only sees one row per partner.

        :param aggregates: list of ``(inner, outer)``: ``inner`` an SQL
            aggregate over the source's columns (``s.amount``, ``s.day``,
            ``s.is_order``), ``outer`` how the per-partner values combine:
            ``sum``, ``count`` (sum of counts), ``min`` or ``max``
        :param by_partner: False for the company's total (partner ``None``)
        :param by_month: group by month too (first day of the month)
        """
        source = self._revenue_source(company, date_from, date_to, partner_ids, basis)
        outer_sql = {"sum": "SUM(a.%s)::float8", "count": "SUM(a.%s)::int8",
                     "min": "MIN(a.%s)", "max": "MAX(a.%s)"}
        month = SQL("date_trunc('month', s.day)::date AS month,") if by_month else SQL()
        inner = SQL(", ").join(
            SQL("%s AS %s", expr, SQL.identifier(f"v{index}"))
            for index, (expr, _outer) in enumerate(aggregates))
        outer = SQL(", ").join(
            SQL(outer_sql[kind], SQL.identifier(f"v{index}"))
            for index, (_expr, kind) in enumerate(aggregates))
        partner = SQL("p.commercial_partner_id") if by_partner else SQL("NULL::int4")
        self.env.cr.execute(SQL(
            """SELECT %(partner)s, %(outer_month)s %(outer)s
                 FROM (SELECT s.partner_id, %(month)s %(inner)s
                         FROM (%(source)s) s
                     GROUP BY s.partner_id %(group_month)s) a
                 JOIN res_partner p ON p.id = a.partner_id
             GROUP BY 1 %(group_outer_month)s""",
            partner=partner, source=source, inner=inner, outer=outer, month=month,
            outer_month=SQL("a.month,") if by_month else SQL(),
            group_month=SQL(", 2") if by_month else SQL(),
            group_outer_month=SQL(", 2") if by_month else SQL()))
        return self.env.cr.fetchall()

    # ---- Figures ----
    @api.model
    def _get_revenue_by_partner(self, company, date_from, date_to, partner_ids=None, basis=None):
        """Revenue per commercial partner of ``company`` in [date_from, date_to).

        :param company: a ``res.company`` record
        :param date_from: first day included (date)
        :param date_to: first day excluded (date)
        :param partner_ids: optional iterable of commercial partner ids to restrict to
        :param basis: ``order`` or ``invoice``; the company's setting by default
        :return: ``{commercial_partner_id: RevenueStat(revenue, count, last_date)}``
            (count and last date of the orders, or of the invoices without refunds)
        """
        rows = self._revenue_aggregate(company, date_from, date_to, [
            (SQL("SUM(s.amount)"), "sum"),
            (SQL("COUNT(*) FILTER (WHERE s.is_order)"), "count"),
            (SQL("MAX(s.day) FILTER (WHERE s.is_order)"), "max"),
        ], partner_ids=partner_ids, basis=basis)
        return {
            partner_id: RevenueStat(revenue or 0.0, count, last_date)
            for partner_id, revenue, count, last_date in rows
        }

    @api.model
    def _get_monthly_revenue_by_partner(self, company, date_from, date_to, partner_ids=None,
                                        basis=None, by_partner=True):
        """Revenue per commercial partner and month of ``company`` in
        [date_from, date_to), on the same basis and rules as
        :meth:`_get_revenue_by_partner` (one grouped SQL query).

        :param by_partner: False for the company's total per month (the key of
            the result is then ``(None, month)``)
        :return: ``{(commercial_partner_id, first_day_of_month): revenue}``
        """
        rows = self._revenue_aggregate(
            company, date_from, date_to, [(SQL("SUM(s.amount)"), "sum")],
            partner_ids=partner_ids, basis=basis, by_partner=by_partner, by_month=True)
        return {(partner_id, month): revenue or 0.0 for partner_id, month, revenue in rows}

    # ---- Both 12-month windows in one aggregate (the nightly engine) ----
    @api.model
    def _get_revenue_windows(self, company, today, partner_ids=None, basis=None):
        """The figures of the nightly engine in ONE aggregate over the last 24
        months (``FILTER`` per window instead of one query per window):

        ``{commercial_partner_id: RevenueWindows(...)}`` with the revenue and
        order count of the trailing 12 months, the revenue of the 12 before,
        the last 3 months and the same 3 months a year earlier, the first and
        last order (invoice) date of the 24 months and their count (for the
        account's usual ordering interval).
        """
        rows = self._revenue_aggregate(
            company, *self._revenue_windows_bounds(today), self._revenue_windows_aggregates(today),
            partner_ids=partner_ids, basis=basis)
        return {row[0]: RevenueWindows(*row[1:]) for row in rows}

    @api.model
    def _get_revenue_windows_digest(self, company, today, basis=None):
        """A digest of the documents :meth:`_get_revenue_windows` reads (the
        rows of :meth:`_revenue_source` over its 24 months: their count and the
        sum of a 64-bit hash of each), computed by the database without
        aggregating per partner: the engine compares it with the one of its
        last run to know whether the revenue may have changed (which partner a
        document counts for is digested with the partners)."""
        self.env.cr.execute(SQL(
            "SELECT COUNT(*), SUM(hashtextextended(s::text, 0))::text FROM (%s) s",
            self._revenue_source(company, *self._revenue_windows_bounds(today), basis=basis)))
        count, total = self.env.cr.fetchone()
        return f"{basis or company.kam_revenue_basis}:{count}:{total}"

    @api.model
    def _revenue_windows_bounds(self, today):
        """[first day, first day excluded) of the engine's 24 months."""
        tomorrow = today + relativedelta(days=1)
        return tomorrow - relativedelta(years=2), tomorrow

    @api.model
    def _revenue_windows_aggregates(self, today):
        """The aggregates of :meth:`_get_revenue_windows`, in the order of
        ``RevenueWindows``."""
        tomorrow = today + relativedelta(days=1)
        d12 = tomorrow - relativedelta(years=1)
        d3 = tomorrow - relativedelta(months=3)
        d3ly = tomorrow - relativedelta(years=1, months=3)
        return [
            (SQL("COALESCE(SUM(s.amount) FILTER (WHERE s.day >= %s), 0)", d12), "sum"),
            (SQL("COUNT(*) FILTER (WHERE s.day >= %s AND s.is_order)", d12), "count"),
            (SQL("COALESCE(SUM(s.amount) FILTER (WHERE s.day < %s), 0)", d12), "sum"),
            (SQL("MAX(s.day) FILTER (WHERE s.is_order)"), "max"),
            (SQL("MIN(s.day) FILTER (WHERE s.is_order)"), "min"),
            (SQL("COUNT(*) FILTER (WHERE s.is_order)"), "count"),
            (SQL("COALESCE(SUM(s.amount) FILTER (WHERE s.day >= %s), 0)", d3), "sum"),
            (SQL("COALESCE(SUM(s.amount) FILTER (WHERE s.day >= %s AND s.day < %s), 0)",
                 d3ly, d12), "sum"),
        ]
