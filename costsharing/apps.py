from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsharingConfig(AppConfig):
    name = "costsharing"
    verbose_name = _("Kostenverdeling")

    def ready(self):
        from costsharing import regionfile
        from costsharing.line_sources import reckoning_line_links
        from costsharing.prices import activity_prices_of_regions
        from regio.context_processors import register_navigation
        from regio.line_sources import register_line_source
        from regio.prices import register_price_provider
        from regio.roles import Role

        regionfile.register()
        # Invoicing bills the reckoning's lines (WM-SO 6.7); the invoice page links each to its reckoning.
        register_line_source("reckoning_line", _("regel van de afrekening"), links=reckoning_line_links, order=10)
        # Beschermd wonen charges its access fees at the year's activity prices (WM-DVO annex 1).
        register_price_provider(activity_prices_of_regions)
        register_navigation(300, "costsharing-home", _("Kostenverdeling"))
        register_navigation(330, "costsharing-trend", _("Kostentrend"), (Role.PORTFOLIO_HOLDER,))
