from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsharingConfig(AppConfig):
    name = "costsharing"
    verbose_name = _("Kostenverdeling")

    def ready(self):
        from costsharing import regionfile, regionfile_cycle
        from costsharing.line_sources import fee_links, reckoning_line_links
        from regio.context_processors import register_navigation
        from regio.line_sources import register_line_source
        from regio.roles import Role

        regionfile.register()
        regionfile_cycle.register()
        # Invoicing bills the reckoning's lines (WM-SO 6.7); the invoice page links each to its reckoning.
        register_line_source("reckoning_line", _("regel van de afrekening"), links=reckoning_line_links, order=10)
        # The fee of the year on budget basis (WM-DVO 6.1), invoiced beside the settlement of the year before.
        register_line_source("wm_fee", _("bijdrage van het jaar (begroting)"), links=fee_links, order=11)
        register_navigation(300, "costsharing-home", _("Kostenverdeling"))
        register_navigation(330, "costsharing-trend", _("Kostentrend"), (Role.PORTFOLIO_HOLDER,))
