from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsharingConfig(AppConfig):
    name = "costsharing"
    verbose_name = _("Kostenverdeling")
