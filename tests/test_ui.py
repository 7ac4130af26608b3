# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_register_tour(self):
        """The web client, with every asset bundle of the addon, opens the app, the
        register and a partner's qualification tab without any JS error."""
        partner = self.env["res.partner"].create(
            {"name": "Tour Register Co", "is_company": True, "partner_role": "customer"}
        )
        partner.sudo().admission_state = "approved"
        self.start_tour("/odoo", "partner_qualification_register_tour", login="admin")

    def test_click_every_menu_of_the_app(self):
        """Odoo's click bot opens every menu, view and filter of the app: any error fails."""
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('partner_qualification_credit.partner_qualification_menu_root');",
            "odoo.isReady === true",
            login="admin",
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_print_a_report(self):
        """The credit statement, as the browser shows the printed page: the partner, its
        grade and its limit are on it, with no JS or server error."""
        partner = self.env["res.partner"].create(
            {"name": "Tour Print Co", "is_company": True, "partner_role": "customer"}
        )
        partner.sudo().write(
            {
                "admission_state": "approved",
                "qualification_grade_id": self.env.ref("partner_qualification_credit.grade_b").id,
                "credit_limit": 123456.0,
            }
        )
        url = f"/report/html/partner_qualification_credit.report_credit_statement/{partner.id}"
        # The report's asset bundles are built on their first request: build them before
        # the browser opens the page (a fresh database otherwise builds them while the
        # browser waits for the page to be ready, and the wait may be cut short).
        self.authenticate("admin", "admin")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        for asset in sorted(set(re.findall(r'"(/web/assets/[^"]+)"', page.text))):
            self.assertEqual(self.url_open(asset).status_code, 200, asset)
        self.browser_js(
            url,
            """
            const text = document.body.innerText;
            const missing = ["Tour Print Co", "123,456", "B"].filter((part) => !text.includes(part));
            if (missing.length) {
                console.error("missing on the printed statement: " + missing.join(", "));
            } else {
                console.log("test successful");
            }
            """,
            ready="document.readyState === 'complete'",
            login="admin",
        )
