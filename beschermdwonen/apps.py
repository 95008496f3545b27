from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeschermdwonenConfig(AppConfig):
    name = "beschermdwonen"
    verbose_name = _("Beschermd wonen")
