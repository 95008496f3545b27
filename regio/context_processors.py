"""Navigation by role: each person sees the parts of the product their roles use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from regio.roles import Role
from regio.tenancy import scope_of

# (url name, label, roles that see it; empty = everyone logged in). Later issues add their entries here.
NAVIGATION = [
    ("home", _("Overzicht"), ()),
    ("region-list", _("Regio's"), ()),
    ("municipality-list", _("Gemeenten"), ()),
    ("regionfile-upload", _("Regiobestand"), (Role.FUNCTIONAL_ADMIN,)),
    ("audit-log", _("Historie"), (Role.FUNCTIONAL_ADMIN,)),
]


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_of(user)
    if not scope.authenticated:
        return {"navigation": []}
    items = []
    for name, label, roles in NAVIGATION:
        if roles and not scope.has_role(*roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": request.path == url})
    return {"navigation": items, "scope": scope}
