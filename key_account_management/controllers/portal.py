from urllib.parse import quote

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request


class KamServicePortal(CustomerPortal):
    """The green channel in "My Account": contacts of a registered key account
    see their company's service requests, file new ones, and confirm and rate
    completed ones. Anyone else gets a 404, never the existence of a reference."""

    def _kam_service_account(self):
        """The registered key account of the logged-in contact, or an empty record."""
        user = request.env.user
        if user._is_public():
            return request.env["res.partner"]
        account = user.partner_id.commercial_partner_id
        # the key-account status is company-dependent: read it in the contact's company
        if account.sudo().with_company(user.company_id).kam_state != "registered":
            return request.env["res.partner"]
        return account

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kam_service_request_count" in counters:
            Request = request.env["kam.service.request"]
            values["kam_service_request_count"] = Request.search_count(
                [("partner_id", "=", self._kam_service_account().id)]) \
                if self._kam_service_account() and Request.has_access("read") else 0
        return values

    def _kam_service_request_or_404(self, request_id, access_token=None):
        if not self._kam_service_account() and not access_token:
            # never shown: both callers turn it into a plain 404
            raise MissingError("")  # pylint: disable=translation-required
        return self._document_check_access("kam.service.request", request_id, access_token)

    @http.route(["/my/service_requests", "/my/service_requests/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_service_requests(self, page=1, **kw):
        account = self._kam_service_account()
        if not account:
            raise request.not_found()
        Request = request.env["kam.service.request"]
        domain = [("partner_id", "=", account.id)]
        count = Request.search_count(domain)
        pager = portal_pager(url="/my/service_requests", total=count, page=page,
                             step=self._items_per_page)
        records = Request.search(domain, limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({"service_requests": records, "pager": pager,
                       "page_name": "kam_service_request", "default_url": "/my/service_requests"})
        return request.render("key_account_management.portal_my_service_requests", values)

    @http.route("/my/service_requests/<int:request_id>", type="http", auth="public", website=True)
    def portal_my_service_request(self, request_id, access_token=None, **kw):
        try:
            record = self._kam_service_request_or_404(request_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        values = self._get_page_view_values(
            record, access_token, {"service_request": record, "page_name": "kam_service_request",
                                   "error": kw.get("error")},
            "my_service_requests_history", False)
        return request.render("key_account_management.portal_my_service_request", values)

    @http.route("/my/service_requests/new", type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def portal_my_service_request_new(self, **post):
        account = self._kam_service_account()
        if not account:
            raise request.not_found()
        user = request.env.user
        categories = request.env["kam.service.category"].sudo().search(
            [("company_id", "=", user.company_id.id)])
        error = False
        if request.httprequest.method == "POST":
            subject = (post.get("subject") or "").strip()
            if not subject:
                error = request.env._("Give a subject to your request.")
            else:
                category = categories.filtered(
                    lambda c: str(c.id) == post.get("category_id"))[:1]
                priority = post.get("priority") if post.get("priority") in (
                    "0", "1", "2", "3") else "1"
                try:
                    # the portal contact cannot create through the ORM: created as the
                    # system for the contact's own account only (checked above); in a
                    # savepoint, so that a refused request leaves nothing half written
                    with request.env.cr.savepoint():
                        record = request.env["kam.service.request"].sudo().with_company(
                            user.company_id).create({
                                "subject": subject,
                                "partner_id": account.id,
                                "requester_id": user.partner_id.id,
                                "company_id": user.company_id.id,
                                "category_id": category.id,
                                "priority": priority,
                                "channel": "portal",
                                "description": post.get("description") or False,
                            })
                except (UserError, ValidationError) as exc:
                    error = exc.args[0]
                else:
                    return request.redirect(f"/my/service_requests/{record.id}")
        values = self._prepare_portal_layout_values()
        values.update({"categories": categories, "error": error, "post": post,
                       "page_name": "kam_service_request"})
        return request.render("key_account_management.portal_my_service_request_new", values)

    @http.route("/my/service_requests/<int:request_id>/confirm", type="http", auth="user",
                website=True, methods=["POST"])
    def portal_my_service_request_confirm(self, request_id, access_token=None, **post):
        try:
            record = self._kam_service_request_or_404(request_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        try:
            # a savepoint: a refused confirmation leaves neither a rating nor a message
            with request.env.cr.savepoint():
                record._confirm_portal(
                    request.env.user.partner_id, int(post.get("rating") or 0),
                    post.get("comment") or False)
        except (UserError, ValidationError, ValueError) as exc:
            return request.redirect(
                f"/my/service_requests/{record.id}?error={quote(str(exc.args[0]))}")
        return request.redirect(f"/my/service_requests/{record.id}")
