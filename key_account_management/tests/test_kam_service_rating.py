"""Green channel: the rating request mailed on completion, and the rating from that mail
(Odoo's ``/rate/<token>/<score>`` flow) confirming the request."""

import re
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_path

from .test_kam_service_request import NOW_PATH, KamServiceCommon, at


@tagged("post_install", "-at_install")
class TestKamServiceRating(KamServiceCommon):

    def _rating_mails(self, request):
        return request.message_ids.filtered(lambda m: "/rate/" in (m.body or ""))

    def _token(self, message, score):
        match = re.search(rf"/rate/([\w-]+)/{score}", str(message.body))
        self.assertTrue(match, f"the mail links the score {score}")
        return match.group(1)

    def _complete(self, request, when):
        with patch(NOW_PATH, return_value=when):
            request.action_complete()

    def test_completion_mails_the_rating_request_once(self):
        self.account_contact.email = "kamt.requester@acme-telecom.example.com"
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>Replaced the line card</p>")
        self.assertFalse(self._rating_mails(request), "nothing asked before completion")
        self._complete(request, at(2025, 9, 29, 2, 0))
        mail = self._rating_mails(request)
        self.assertEqual(len(mail), 1)
        self.assertIn(self.account_contact, mail.partner_ids, "sent to the requester")
        self.assertIn(request.name, mail.body, "names the request")
        self.assertIn("Replaced the line card", mail.body, "shows the resolution")
        self.assertIn(request.name, mail.subject)
        self.assertTrue(request.rating_request_date)
        token = self._token(mail, 5)
        self.assertEqual({self._token(mail, s) for s in (1, 3, 5)}, {token})
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertEqual((rating.res_model, rating.res_id), (request._name, request.id))
        self.assertEqual(rating.partner_id, self.account_contact)
        self.assertFalse(rating.consumed)
        # completing again is refused, and asking again sends nothing
        with self.assertRaisesRegex(UserError, "only a request being handled"):
            request.action_complete()
        request._send_rating_request()
        self.assertEqual(len(self._rating_mails(request)), 1, "one mail per completion")

        # the customer clicks a smiley: the public controller applies the rating in sudo
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 3, 0)):
            request.sudo().rating_apply(3, token=token, feedback="OK, a bit slow")
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.satisfaction, 3)
        self.assertEqual(request.satisfaction_comment, "OK, a bit slow")
        self.assertEqual(request.confirmation_mode, "mail")
        self.assertEqual(request.confirmed_by_partner_id, self.account_contact)
        self.assertEqual(request.confirmation_status, "met")
        self.assertTrue(rating.consumed)
        self.assertEqual(request.rating_last_value, 3)

        # reopened, the new resolution is rated again: a second mail with a fresh token
        with patch(NOW_PATH, return_value=at(2025, 9, 29, 3, 30)):
            request.action_reopen()
        self.assertFalse(request.rating_request_date)
        self.assertEqual(len(self._rating_mails(request)), 1, "reopening mails nothing")
        request.resolution = "<p>Replaced the line card and the splitter</p>"
        self._complete(request, at(2025, 9, 29, 4, 0))
        mails = self._rating_mails(request)
        self.assertEqual(len(mails), 2)
        new_token = self._token(mails.sorted("id")[-1], 5)
        self.assertNotEqual(new_token, token, "the consumed token is not reused")
        request.sudo().rating_apply(5, token=new_token)
        self.assertEqual((request.state, request.satisfaction), ("confirmed", 5))

    def test_chinese_requester_gets_the_chinese_mail(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        self.account_contact.write({"email": "kamt.zh@acme-telecom.example.com",
                                    "lang": "zh_CN"})
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>更换线卡</p>")
        self._complete(request, at(2025, 9, 29, 2, 0))
        mail = self._rating_mails(request)
        self.assertEqual(len(mail), 1)
        self.assertIn("您的服务需求单", str(mail.body))
        self.assertIn("请确认并评价服务需求单", mail.subject)
        self.assertTrue(self._token(mail, 1))

    def _assert_smileys_absolute(self, html, base_url):
        sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', str(html))
        prefix = f"{base_url}/rating/static/src/img/"
        self.assertEqual(sorted(sources), [f"{prefix}rating_{s}.png" for s in (1, 3, 5)])
        for src in sources:
            # the image is a file of Odoo's rating module (a broken path raises)
            self.assertTrue(file_path(src.removeprefix(f"{base_url}/")))

    def test_rating_mail_smileys_are_absolute_urls_of_the_rating_module(self):
        # a mail client, and the chatter of another host, need the base URL in the image
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["key_account_management"], ["zh_CN"])
        self.account_contact.email = "kamt.requester@acme-telecom.example.com"
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>done</p>")
        base_url = request.get_base_url()
        self.assertTrue(base_url.startswith("http"))
        template = self.env.ref(
            "key_account_management.mail_template_kam_service_request_rating")
        for lang in ("en_US", "zh_CN"):
            body = template.with_context(lang=lang)._render_field(
                "body_html", request.ids, compute_lang=False)[request.id]
            self._assert_smileys_absolute(body, base_url)
        self._complete(request, at(2025, 9, 29, 2, 0))
        mail = self._rating_mails(request)
        self.assertEqual(len(mail), 1)
        self._assert_smileys_absolute(mail.body, base_url)

    def test_no_mail_without_requester_email(self):
        self.account_contact.email = False
        self.account.email = False
        request = self._request(at(2025, 9, 29, 1, 0), resolution="<p>done</p>")
        self._complete(request, at(2025, 9, 29, 2, 0))
        self.assertEqual(request.state, "completed")
        self.assertFalse(self._rating_mails(request))
        self.assertFalse(request.rating_request_date, "asked by mail as soon as possible later")


@tagged("post_install", "-at_install")
class TestKamServiceRatingRoute(HttpCase):
    """The smiley of the mail, through Odoo's public ``/rate/<token>/<score>`` pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        tier = env["kam.tier"].create({
            "name": "KAMT Rating Tier", "code": "KRT", "response_sla_hours": 2,
            "resolution_sla_hours": 8})
        kam = new_test_user(
            env, login="kamt_rating_kam", name="Rita KAM",
            groups="key_account_management.key_account_management_group_manager")
        cls.account = env["res.partner"].create({"name": "KAMT Rating Bank", "is_company": True})
        cls.account.with_company(env.company).write({
            "kam_state": "registered", "kam_tier_id": tier.id, "kam_manager_id": kam.id})
        cls.contact = env["res.partner"].create({
            "name": "Rosa Requester", "parent_id": cls.account.id,
            "email": "rosa@kamt-rating-bank.example.com"})
        cls.request = env["kam.service.request"].create({
            "subject": "KAMT rated by mail", "partner_id": cls.account.id,
            "requester_id": cls.contact.id, "resolution": "<p>Fixed</p>"})
        cls.request.action_complete()

    def test_smiley_link_confirms_the_request(self):
        mail = self.request.message_ids.filtered(lambda m: "/rate/" in (m.body or ""))
        self.assertEqual(len(mail), 1)
        token = re.search(r"/rate/([\w-]+)/5", str(mail.body)).group(1)
        self.authenticate(None, None)  # the customer, not logged in
        res = self.url_open(f"/rate/{token}/5")
        self.assertEqual(res.status_code, 200)
        self.assertEqual(self.request.state, "completed", "opening the link applies nothing")
        res = self.url_open(f"/rate/{token}/submit_feedback", data={
            "rate": "5", "feedback": "Quick and clean", "csrf_token": Request.csrf_token(self)})
        self.assertEqual(res.status_code, 200)
        self.request.invalidate_recordset()
        self.assertEqual(self.request.state, "confirmed")
        self.assertEqual(self.request.satisfaction, 5)
        self.assertEqual(self.request.satisfaction_comment, "Quick and clean")
        self.assertEqual(self.request.confirmation_mode, "mail")
        self.assertEqual(self.request.confirmed_by_partner_id, self.contact)
