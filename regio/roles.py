"""The roles of SPEC §1. Each role is a Django group of the same name; a user holds one or more."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CIVIL_SERVANT = "ambtenaar", _("Ambtenaar van een deelnemende gemeente")
    COORDINATOR = "coordinator", _("Medewerker van de coördinerende gemeente")
    PORTFOLIO_HOLDER = "wethouder", _("Portefeuillehouder (wethouder)")
    SUPERVISOR = "toezichthouder", _("Toezichthouder Wmo")
    # The supervisors' team manager at the appointing municipality: reads the case files of the municipalities its
    # supervisors are appointed for, changes none (issue 14; WM-DVO annex 4).
    SUPERVISION_MANAGER = "teammanager_toezicht", _("Teammanager toezicht Wmo")
    PROTECTED_HOUSING = "bw", _("Medewerker beschermd wonen")
    FUNCTIONAL_ADMIN = "beheerder", _("Functioneel beheerder")
    PLATFORM_ADMIN = "platformbeheerder", _("Platformbeheerder")


# Roles that only the platform administrator (or the system) may hand out: a municipality's functional
# administrator cannot make anyone the operator of the installation (issue 10, finding 2).
PLATFORM_ONLY_ROLES = frozenset({Role.PLATFORM_ADMIN})
# The roles of a municipality's people: what a region file names and manages. The platform role is given in the
# Django admin or by the demo, never by a region file.
MUNICIPAL_ROLES = [role for role in Role.values if role not in PLATFORM_ONLY_ROLES]


def ensure_role_groups() -> None:
    """Create the role groups (idempotent); run after migrate and by the region-file loader."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
