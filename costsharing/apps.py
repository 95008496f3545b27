from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsharingConfig(AppConfig):
    name = "costsharing"
    verbose_name = _("Kostenverdeling")

    def ready(self):
        from costsharing import dashboard

        dashboard.register()  # its panels on the dashboards (issue 18)
        from costsharing import regionfile, regionfile_annual_report, regionfile_cycle, regionfile_exits
        from costsharing.cost_bookings import book_external_cost
        from costsharing.demo import draw_up_bno_annual_report
        from costsharing.demo_exits import bno_leaver_statement
        from costsharing.line_sources import (
            annual_report_links,
            exit_line_links,
            fee_links,
            reckoning_line_links,
            secondment_links,
        )
        from costsharing.prices import activity_prices_of_regions
        from regio.context_processors import register_navigation
        from regio.cost_bookings import register_cost_booker
        from regio.demo import register_demo_step
        from regio.line_sources import register_line_source
        from regio.prices import register_price_provider
        from regio.roles import Role

        regionfile.register()
        # Legal-advice costs of a dispute put on the cooperation (WM-SO 14.3, 6.1 c/g) become actual cost lines.
        register_cost_booker(book_external_cost)
        regionfile_cycle.register()
        regionfile_annual_report.register()
        regionfile_exits.register()
        # Invoicing bills the reckoning's lines (WM-SO 6.7); the invoice page links each to its reckoning.
        register_line_source("reckoning_line", _("regel van de afrekening"), links=reckoning_line_links, order=10)
        # The fee of the year on budget basis (WM-DVO 6.1), invoiced beside the settlement of the year before.
        register_line_source("wm_fee", _("bijdrage van het jaar (begroting)"), links=fee_links, order=11)
        # The leaver's bill (WM-SO 16.3-16.6, BNO 15.4) and secondment credits (WM-SO 4.10), billed by invoicing.
        register_line_source(
            "exit_line", _("post van een eindafrekening bij uittreding"), links=exit_line_links, order=20
        )
        register_line_source("secondment", _("detachering (WM-SO 4.10)"), links=secondment_links, order=25)
        register_demo_step("Eindafrekening bij uittreding", bno_leaver_statement, order=60)
        # BNO 10.6: the adopted settlement proposal of an annual report is invoiced; its lines link to the report.
        register_line_source(
            "annual_report", _("voorstel voor afrekening (jaarverslag)"), links=annual_report_links, order=15
        )
        register_demo_step("BNO jaarverslag", draw_up_bno_annual_report, order=45)
        # Beschermd wonen charges its access fees at the year's activity prices (WM-DVO annex 1).
        register_price_provider(activity_prices_of_regions)
        register_navigation(300, "costsharing-home", _("Kostenverdeling"))
        register_navigation(340, "costsharing-exits", _("Uittreding"), (Role.COORDINATOR,))
        register_navigation(330, "costsharing-trend", _("Kostentrend"), (Role.PORTFOLIO_HOLDER,))
