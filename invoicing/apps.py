from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    label = "invoicing"
    verbose_name = _("Facturen en betalingen")

    def ready(self):
        from invoicing import dashboard

        dashboard.register()  # its panels on the dashboards (issue 18)
        from invoicing import line_sources, regionfile
        from invoicing.deadlines import invoice_deadlines
        from invoicing.demo import (
            correct_westelijke_mijnstreek,
            cycle_westelijke_mijnstreek,
            invoice_registered_sources,
            invoice_westelijke_mijnstreek,
        )
        from regio.context_processors import register_navigation
        from regio.deadlines import register_source
        from regio.demo import register_demo_step
        from regio.roles import Role

        regionfile.register()
        line_sources.register()
        register_source("invoicing", invoice_deadlines)
        register_demo_step("Facturen", invoice_westelijke_mijnstreek, order=50)
        register_demo_step("Decembercyclus 2026", cycle_westelijke_mijnstreek, order=52)
        register_demo_step("Correctie en creditfacturen", correct_westelijke_mijnstreek, order=55)
        # After the side apps' steps (beschermd wonen: 70-75): bill what they registered as billable.
        register_demo_step("Facturen van andere bronnen", invoice_registered_sources, order=90)
        register_navigation(
            40, "invoice-list", _("Facturen"), (Role.CIVIL_SERVANT, Role.COORDINATOR, Role.PORTFOLIO_HOLDER)
        )
        register_navigation(45, "statement-list", _("Bankafschriften"), (Role.COORDINATOR,))
