from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, models

from .ir_cron import kam_retry_on_conflict


class KamDigest(models.AbstractModel):
    """The directors' weekly digest: one message per director and company, made
    of sections that each feature contributes (overdue visits, plans behind
    their pace, ...)."""

    _name = "kam.digest"
    _description = "Key Account Director Digest"

    @api.model
    def _get_digest_sections(self, company):
        """List of ``(title, html)`` sections for ``company``; features extend it
        with ``super()`` and append theirs. An empty list sends nothing."""
        return []

    @api.model
    @kam_retry_on_conflict
    def _cron_send_director_digest(self):
        """Weekly: the digest of each company to its directors, once per week.

        The Monday of the week sent is remembered per company
        (``res.company.kam_digest_last_week``) and committed with the messages
        of that company when run by the cron: a run retried after an
        interruption, or run again in the same week, skips the companies
        already sent."""
        group = self.env.ref("key_account_management.key_account_management_group_director")
        # every company by design: each one gets its own digest, in its own week
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        for index, company in enumerate(companies, start=1):
            today = company._kam_today()
            week = today - timedelta(days=today.weekday())
            if company.kam_digest_last_week != week:
                self._send_director_digest(company, group)
                company.kam_digest_last_week = week
            if not self.env["ir.cron"]._kam_commit_progress(
                    1, remaining=len(companies) - index):
                return

    @api.model
    def _send_director_digest(self, company, group):
        sections = [s for s in self.with_company(company)._get_digest_sections(company) if s]
        if not sections:
            return
        directors = self.env["res.users"].search([
            ("all_group_ids", "in", group.ids), ("company_ids", "in", company.ids),
            ("share", "=", False),
        ])
        if not directors:
            return
        body = Markup("").join(
            Markup("<h3>%s</h3>%s") % (escape(title), html) for title, html in sections)
        subject = self.env._("Key accounts weekly digest: %(company)s", company=company.name)
        for director in directors:
            self.env["mail.thread"].with_company(company).message_notify(
                partner_ids=director.partner_id.ids, subject=subject, body=body,
                model=False, res_id=False, email_layout_xmlid="mail.mail_notification_light")
