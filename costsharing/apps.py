from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsharingConfig(AppConfig):
    name = "costsharing"
    verbose_name = _("Kostenverdeling")

    def ready(self):
        from costsharing import regionfile
        from costsharing.demo import draw_up_bno_annual_report
        from costsharing.line_sources import annual_report_links, reckoning_line_links
        from regio.context_processors import register_navigation
        from regio.demo import register_demo_step
        from regio.line_sources import register_line_source
        from regio.roles import Role

        regionfile.register()
        # Invoicing bills the reckoning's lines (WM-SO 6.7); the invoice page links each to its reckoning.
        register_line_source("reckoning_line", _("regel van de afrekening"), links=reckoning_line_links, order=10)
        # BNO 10.6: the adopted settlement proposal of an annual report is invoiced; its lines link to the report.
        register_line_source(
            "annual_report", _("voorstel voor afrekening (jaarverslag)"), links=annual_report_links, order=15
        )
        register_demo_step("BNO jaarverslag", draw_up_bno_annual_report, order=45)
        register_navigation(300, "costsharing-home", _("Kostenverdeling"))
        register_navigation(330, "costsharing-trend", _("Kostentrend"), (Role.PORTFOLIO_HOLDER,))
