from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeschermdwonenConfig(AppConfig):
    name = "beschermdwonen"
    verbose_name = _("Beschermd wonen")

    def ready(self):
        from regio.line_sources import register_line_source

        # A fee of protected housing billed through invoicing; the register's fee records will add their link.
        register_line_source("bw_fee", _("vergoeding beschermd wonen"), manual=True, order=20)
