from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToezichtConfig(AppConfig):
    name = "toezicht"
    verbose_name = _("Toezicht Wmo")
