# Copyright 2026 Partner Qualification & Credit Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_web_client_loads_with_addon(self):
        """The backend (every asset bundle, with the addon) starts without a JS error."""
        self.browser_js(
            "/odoo/action-partner_qualification_credit.res_partner_action_register",
            "console.log('test successful')",
            ready="odoo.isReady === true",
            login="admin",
        )

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
