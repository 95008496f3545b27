from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeschermdwonenConfig(AppConfig):
    name = "beschermdwonen"
    verbose_name = _("Beschermd wonen")

    def ready(self):
        from regio.context_processors import register_navigation
        from regio.line_sources import register_line_source

        # The register for beschermd-wonen staff; counts (no records) for the portfolio holders (SPEC §7).
        register_navigation(300, "bw-client-list", _("Beschermd wonen"), roles=("bw",))
        register_navigation(302, "bw-notification-list", _("Meldingen beschermd wonen"), roles=("bw",))
        register_navigation(305, "bw-counts", _("Aantallen beschermd wonen"), roles=("bw", "wethouder"))

        # A fee of protected housing billed through invoicing; the register's fee records will add their link.
        register_line_source("bw_fee", _("vergoeding beschermd wonen"), manual=True, order=20)
