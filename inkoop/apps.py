from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InkoopConfig(AppConfig):
    name = "inkoop"
    verbose_name = _("Inkoop")

    def ready(self):
        # inkoop-a (issue 16 part A): providers, procurement, framework contracts, DVO.
        from inkoop import regionfile
        from inkoop.demo import load_purchasing_demo
        from inkoop.selectors import contract_deadlines
        from inkoop.services.providers import record_screening
        from regio.context_processors import register_navigation
        from regio.deadlines import register_source
        from regio.demo import register_demo_step
        from regio.roles import Role
        from regio.screening import register_screening_recorder

        regionfile.register()  # the region-file sections ``providers`` and ``contracts``
        # Notice and extension deadlines of the signed framework contracts (WM-SO 2.4 b).
        register_source("inkoop", contract_deadlines)
        # Toezicht's preventive screening links to the provider file through regio (side apps import no side app).
        register_screening_recorder(record_screening)
        register_demo_step("Inkoop: aanbieders en raamcontracten", load_purchasing_demo, order=80)
        # Purchasing is the coordinating municipality's task; the members' civil servants and portfolio holders read
        # the register, the contracts and what is available to them (WM-SO 2.6, 4.11).
        purchasing = (Role.COORDINATOR, Role.CIVIL_SERVANT, Role.PORTFOLIO_HOLDER)
        register_navigation(400, "inkoop-providers", _("Aanbieders"), purchasing)
        register_navigation(401, "inkoop-contracts", _("Raamcontracten"), purchasing)
        register_navigation(402, "inkoop-procedures", _("Aanbestedingen"), (Role.COORDINATOR, Role.CIVIL_SERVANT))
        register_navigation(403, "inkoop-service-agreements", _("DVO's met aanbieders"), (Role.COORDINATOR,))

        # inkoop-b: care-use monitoring (BNO 4) and the development table (MH).
        from inkoop.demo_monitoring import bno_care_use_report, mh_development_table

        reporting = (Role.COORDINATOR, Role.CIVIL_SERVANT, Role.PORTFOLIO_HOLDER)
        register_navigation(420, "inkoop-monitoring", _("Monitorrapportage zorggebruik"), reporting)
        register_navigation(421, "inkoop-development", _("Ontwikkeltafel"), reporting)
        register_demo_step("Inkoop: zorggebruik BNO", bno_care_use_report, order=82)
        register_demo_step("Inkoop: ontwikkeltafel MH", mh_development_table, order=83)
