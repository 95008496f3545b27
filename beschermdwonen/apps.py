from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class BeschermdwonenConfig(AppConfig):
    name = "beschermdwonen"
    verbose_name = _("Beschermd wonen")

    def ready(self):
        from beschermdwonen import dashboard

        dashboard.register()  # its panels on the dashboards (issue 18)
        from beschermdwonen import regionfile
        from beschermdwonen.charges_registry import register_charges
        from beschermdwonen.demo import westelijke_mijnstreek_access, westelijke_mijnstreek_register
        from beschermdwonen.money_registry import fee_billables, fee_links, register_money
        from regio.context_processors import register_navigation
        from regio.demo import register_demo_step
        from regio.line_sources import register_line_source

        regionfile.register()  # the region-file section ``beschermd_wonen``
        # Its realised costs (iWmo declaration lines) count in the region's half-yearly care-use report (BNO 4).
        from beschermdwonen.care_use import realised_cost_lines
        from regio.care_use import register_care_use_source

        register_care_use_source("beschermd_wonen", realised_cost_lines)
        register_demo_step("Beschermd wonen", westelijke_mijnstreek_register, order=70)
        register_demo_step("Beschermd wonen: toegang", westelijke_mijnstreek_access, order=71)
        # The register for beschermd-wonen staff; counts (no records) for the portfolio holders (SPEC §7).
        register_navigation(300, "bw-client-list", _("Beschermd wonen"), roles=("bw",))
        register_navigation(302, "bw-notification-list", _("Meldingen beschermd wonen"), roles=("bw",))
        register_navigation(301, "bw-worklists", _("Werklijsten beschermd wonen"), roles=("bw",))
        register_navigation(303, "bw-advice-list", _("Adviesvragen beschermd wonen"), roles=("bw",))
        register_navigation(304, "bw-member-view", _("Beschermd wonen van mijn gemeente"), roles=("bw",))
        register_navigation(306, "bw-objective-model", _("Objectief verdeelmodel"), roles=("bw", "wethouder"))
        register_navigation(305, "bw-counts", _("Aantallen beschermd wonen"), roles=("bw", "wethouder"))

        if settings.BW_CLIENT_KEY_FROM_REGISTER:
            from beschermdwonen.weights import CLIENTS_PROVIDER
            from regio.weights import register_weight_provider

            # Cost sharing's client-count key (basis "clients", WM-DVO annex 3.4) then counts the register on the
            # version's reference date instead of typed-in shares. Off by default: until the objective distribution
            # model starts, Stein and Beek bear no beschermd-wonen cost (annex 1, annex 3.1) and the region types its
            # key (the demo's 48/0/0); a region that splits by real counts turns it on.
            register_weight_provider("clients", CLIENTS_PROVIDER)
        # Its link goes to the fee record's page (beschermdwonen/money_registry.py).
        register_line_source(
            "bw_fee",
            _("vergoeding beschermd wonen"),
            links=fee_links,
            manual=True,
            order=20,
            billable=fee_billables,
        )
        register_money()
        register_charges()  # annex 3 §5: ordered assessments and objections (beschermdwonen/charges_registry.py)
        from beschermdwonen.retention import CLIENT_FILES
        from regio.retention import register_reducer

        register_reducer(CLIENT_FILES)  # the daily retention job (regio/retention.py)
