"""People and their roles, as administrators change them in the pages (issue 10, finding 2).

A municipality's functional administrator administers the people of its own municipality; the platform administrator
everyone. Nobody but a platform administrator changes a platform administrator's account. The audit history and the
notice to the old e-mail address follow from the model (``regio.models``): whoever changes an address or a role,
through this page, the Django admin or a region file, the person hears of it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from regio.models import User
from regio.roles import MUNICIPAL_ROLES, PLATFORM_ONLY_ROLES, ensure_role_groups
from regio.tenancy import scope_of


def administered_people(user):
    """The people this user administers: none, its own municipality's (functional administrator) or everyone
    (platform administrator)."""
    scope = scope_of(user)
    if scope.is_platform_admin:
        return User.objects.all()
    if scope.is_functional_admin:
        return User.objects.filter(municipality_id=scope.municipality_id)
    return User.objects.none()


def may_administer(user, person: User) -> bool:
    if not administered_people(user).filter(pk=person.pk).exists():
        return False
    return scope_of(user).is_platform_admin or not (PLATFORM_ONLY_ROLES & set(person.roles))


@transaction.atomic
def update_person(*, user, person: User, full_name: str, email: str, roles: list[str], is_active: bool) -> User:
    """Change a person's name, e-mail address, municipal roles and whether the account is active (SPEC §1)."""
    locked = User.objects.select_for_update().get(pk=person.pk)
    if not may_administer(user, locked):
        raise PermissionDenied("U beheert dit account niet.")
    unknown = set(roles) - set(MUNICIPAL_ROLES)
    if unknown:
        raise PermissionDenied(f"Deze rollen kunt u hier niet toekennen: {', '.join(sorted(unknown))}.")
    if locked.pk == getattr(user, "pk", None) and not is_active:
        raise PermissionDenied("U kunt uw eigen account niet uitzetten.")
    changed = [
        name
        for name, value in (("full_name", full_name), ("email", email), ("is_active", is_active))
        if getattr(locked, name) != value
    ]
    if changed:
        for name in changed:
            setattr(locked, name, {"full_name": full_name, "email": email, "is_active": is_active}[name])
        locked._change_reason = "beheerpagina mensen"
        locked.save(update_fields=changed)
    set_municipal_roles(locked, roles, reason="beheerpagina mensen: rollen")
    return locked


def set_municipal_roles(person: User, roles, *, reason: str) -> None:
    """Give ``person`` exactly these municipal roles (the platform role is left as it is); the change, if any, is in
    the history with ``reason``."""
    ensure_role_groups()
    wanted = set(Group.objects.filter(name__in=roles))
    current = set(person.groups.filter(name__in=MUNICIPAL_ROLES))
    if wanted != current:
        person._change_reason = reason
        if current - wanted:
            person.groups.remove(*(current - wanted))
        if wanted - current:
            person.groups.add(*(wanted - current))
