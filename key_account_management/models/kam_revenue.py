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
    targets) comes from here, so that they all agree with each other and with
    the company's revenue basis setting:

    * ``order``: confirmed sales orders (state ``sale``), untaxed, converted to
      company currency with the order's own rate, dated by ``date_order``;
    * ``invoice``: posted customer invoices net of refunds, untaxed, in company
      currency, dated by ``invoice_date``.

    Sales of child contacts count for their commercial entity. Everything is
    one grouped SQL query, never one query per partner.
    """

    _name = "kam.revenue"
    _description = "Key Account Revenue Service"

    @api.model
    def _get_revenue_by_partner(self, company, date_from, date_to, partner_ids=None, basis=None):
        """Revenue per commercial partner of ``company`` in [date_from, date_to).

        :param company: a ``res.company`` record
        :param date_from: first day included (date)
        :param date_to: first day excluded (date)
        :param partner_ids: optional iterable of commercial partner ids to restrict to
        :param basis: ``order`` or ``invoice``; the company's setting by default
        :return: ``{commercial_partner_id: RevenueStat(revenue, count, last_date)}``
        """
        company.ensure_one()
        basis = basis or company.kam_revenue_basis
        query = (self._order_revenue_query if basis == "order" else self._invoice_revenue_query)(
            company, date_from, date_to, partner_ids)
        self.env.cr.execute(query)
        return {
            partner_id: RevenueStat(revenue or 0.0, count, last_date)
            for partner_id, revenue, count, last_date in self.env.cr.fetchall()
        }

    @api.model
    def _partner_filter(self, alias, partner_ids):
        if partner_ids is None:
            return SQL()
        return SQL("AND %s.commercial_partner_id = ANY(%s)", SQL.identifier(alias), list(partner_ids))

    @api.model
    def _order_revenue_query(self, company, date_from, date_to, partner_ids):
        self.env["sale.order"].flush_model(
            ["state", "company_id", "date_order", "amount_untaxed", "currency_rate", "partner_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return SQL(
            """
            SELECT p.commercial_partner_id,
                   SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)),
                   COUNT(*),
                   MAX(so.date_order)::date
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.company_id = %(company)s
               AND so.date_order >= %(date_from)s
               AND so.date_order < %(date_to)s
               %(partner_filter)s
          GROUP BY p.commercial_partner_id
            """,
            company=company.id, date_from=date_from, date_to=date_to,
            partner_filter=self._partner_filter("p", partner_ids),
        )

    @api.model
    def _invoice_revenue_query(self, company, date_from, date_to, partner_ids):
        self.env["account.move"].flush_model(
            ["state", "move_type", "company_id", "invoice_date", "amount_untaxed_signed",
             "commercial_partner_id"])
        return SQL(
            """
            SELECT am.commercial_partner_id,
                   SUM(am.amount_untaxed_signed),
                   COUNT(*) FILTER (WHERE am.move_type = 'out_invoice'),
                   MAX(am.invoice_date) FILTER (WHERE am.move_type = 'out_invoice')
              FROM account_move am
             WHERE am.state = 'posted'
               AND am.move_type IN ('out_invoice', 'out_refund')
               AND am.company_id = %(company)s
               AND am.invoice_date >= %(date_from)s
               AND am.invoice_date < %(date_to)s
               %(partner_filter)s
          GROUP BY am.commercial_partner_id
            """,
            company=company.id, date_from=date_from, date_to=date_to,
            partner_filter=self._partner_filter("am", partner_ids),
        )

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
        company.ensure_one()
        basis = basis or company.kam_revenue_basis
        if basis == "order":
            self.env["sale.order"].flush_model(
                ["state", "company_id", "date_order", "amount_untaxed", "currency_rate",
                 "partner_id"])
            self.env["res.partner"].flush_model(["commercial_partner_id"])
            query = SQL(
                """
                SELECT %(partner)s, date_trunc('month', so.date_order)::date,
                       SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0))
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND so.date_order >= %(date_from)s
                   AND so.date_order < %(date_to)s
                   %(partner_filter)s
              GROUP BY 1, 2
                """,
                company=company.id, date_from=date_from, date_to=date_to,
                partner_filter=self._partner_filter("p", partner_ids),
                partner=SQL("p.commercial_partner_id") if by_partner else SQL("NULL::int"))
        else:
            self.env["account.move"].flush_model(
                ["state", "move_type", "company_id", "invoice_date", "amount_untaxed_signed",
                 "commercial_partner_id"])
            query = SQL(
                """
                SELECT %(partner)s, date_trunc('month', am.invoice_date)::date,
                       SUM(am.amount_untaxed_signed)
                  FROM account_move am
                 WHERE am.state = 'posted'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.company_id = %(company)s
                   AND am.invoice_date >= %(date_from)s
                   AND am.invoice_date < %(date_to)s
                   %(partner_filter)s
              GROUP BY 1, 2
                """,
                company=company.id, date_from=date_from, date_to=date_to,
                partner_filter=self._partner_filter("am", partner_ids),
                partner=SQL("am.commercial_partner_id") if by_partner else SQL("NULL::int"))
        self.env.cr.execute(query)
        return {(partner_id, month): revenue or 0.0
                for partner_id, month, revenue in self.env.cr.fetchall()}

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
        company.ensure_one()
        basis = basis or company.kam_revenue_basis
        tomorrow = today + relativedelta(days=1)
        bounds = {
            "d12": tomorrow - relativedelta(years=1),
            "d24": tomorrow - relativedelta(years=2),
            "d3": tomorrow - relativedelta(months=3),
            "d3ly": tomorrow - relativedelta(years=1, months=3),
            "tomorrow": tomorrow,
        }
        if basis == "order":
            self.env["sale.order"].flush_model(
                ["state", "company_id", "date_order", "amount_untaxed", "currency_rate",
                 "partner_id"])
            self.env["res.partner"].flush_model(["commercial_partner_id"])
            source = SQL(
                """SELECT p.commercial_partner_id AS pid, so.date_order::date AS day,
                          so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS amount,
                          TRUE AS is_order
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state = 'sale' AND so.company_id = %(company)s
                      AND so.date_order >= %(d24)s AND so.date_order < %(tomorrow)s %(filter)s""",
                company=company.id, filter=self._partner_filter("p", partner_ids), **bounds)
        else:
            self.env["account.move"].flush_model(
                ["state", "move_type", "company_id", "invoice_date", "amount_untaxed_signed",
                 "commercial_partner_id"])
            source = SQL(
                """SELECT am.commercial_partner_id AS pid, am.invoice_date AS day,
                          am.amount_untaxed_signed AS amount,
                          am.move_type = 'out_invoice' AS is_order
                     FROM account_move am
                    WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                      AND am.company_id = %(company)s
                      AND am.invoice_date >= %(d24)s AND am.invoice_date < %(tomorrow)s
                      %(filter)s""",
                company=company.id, filter=self._partner_filter("am", partner_ids), **bounds)
        self.env.cr.execute(SQL(
            """SELECT s.pid,
                      COALESCE(SUM(s.amount) FILTER (WHERE s.day >= %(d12)s), 0),
                      COUNT(*) FILTER (WHERE s.day >= %(d12)s AND s.is_order),
                      COALESCE(SUM(s.amount) FILTER (WHERE s.day < %(d12)s), 0),
                      MAX(s.day) FILTER (WHERE s.is_order),
                      MIN(s.day) FILTER (WHERE s.is_order),
                      COUNT(*) FILTER (WHERE s.is_order),
                      COALESCE(SUM(s.amount) FILTER (WHERE s.day >= %(d3)s), 0),
                      COALESCE(SUM(s.amount) FILTER (
                          WHERE s.day >= %(d3ly)s AND s.day < %(d12)s), 0)
                 FROM (%(source)s) s
             GROUP BY s.pid""", source=source, **bounds))
        return {row[0]: RevenueWindows(*row[1:]) for row in self.env.cr.fetchall()}
