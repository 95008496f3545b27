"""Navigation by role: each person sees the parts of the product their roles use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from regio.roles import Role
from regio.tenancy import scope_of

# (order, url name, label, roles that see it; empty = everyone logged in). Apps add theirs with register_navigation
# in their AppConfig.ready().
NAVIGATION = [
    (0, "home", _("Overzicht"), ()),
    # The roles that have a dashboard (regio.dashboards.audiences_for); supervisors work from their worklist.
    (
        5,
        "dashboard",
        _("Dashboard"),
        (
            Role.PORTFOLIO_HOLDER,
            Role.CIVIL_SERVANT,
            Role.COORDINATOR,
            Role.PROTECTED_HOUSING,
            Role.FUNCTIONAL_ADMIN,
            Role.PLATFORM_ADMIN,
        ),
    ),
    (10, "region-list", _("Regio's"), ()),
    (20, "municipality-list", _("Gemeenten"), ()),
    (900, "regionfile-upload", _("Regiobestand"), (Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN)),
    (910, "audit-log", _("Historie"), (Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN)),
    (920, "access-log", _("Inzagelog"), (Role.FUNCTIONAL_ADMIN,)),
    (930, "people-list", _("Mensen"), (Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN)),
]


def register_navigation(order: int, url_name: str, label, roles: tuple = ()) -> None:
    if all(entry[1] != url_name for entry in NAVIGATION):
        NAVIGATION.append((order, url_name, label, tuple(roles)))
        NAVIGATION.sort(key=lambda entry: entry[0])


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_of(user)
    if not scope.authenticated:
        return {"navigation": []}
    items = []
    for _order, name, label, roles in NAVIGATION:
        if roles and not scope.has_role(*roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": request.path == url})
    return {"navigation": items, "scope": scope}
