"""The one tenancy module: which municipalities and regions a user may see, and for which they may act.

The tenant is the municipality (SPEC §1). A region is a set of member municipalities, one of which coordinates.
Everything that shows or changes tenant-owned data goes through this module:

* models inherit ``TenantModel`` and say where their owner is (``tenant_municipality`` / ``tenant_region``);
  their default manager returns a ``TenantQuerySet`` with ``restrict(user, action)`` and ``visible_to(user)``;
* API viewsets use ``TenantViewSetMixin`` (``restrict`` by HTTP method) with ``TenantPermission``;
* page views use ``TenantObjectMixin`` / ``TenantListMixin``;
* Celery tasks call ``scope_of(user)`` or take ids that a view already restricted.

A queryset that forgets to restrict is caught by ``tests/tenancy/test_no_unrestricted_querysets.py`` (a static
check over every view and API module) and every route is in the cross-tenant matrix or on the public list.
Another municipality's object answers 404; a missing permission for an action answers 403 (STYLE.md rule 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework import permissions

from regio.roles import Role

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

METHOD_ACTIONS = {
    "GET": VIEW,
    "HEAD": VIEW,
    "OPTIONS": VIEW,
    "POST": ADD,
    "PUT": CHANGE,
    "PATCH": CHANGE,
    "DELETE": DELETE,
}

NOTHING = Q(pk__in=[])


class TenancyError(Exception):
    """Raised when code asks for tenant data without saying for whom."""


@dataclass(frozen=True)
class Scope:
    """What one user may see and act on, computed once per request (``scope_of``)."""

    user_id: int | None
    municipality_id: int | None = None
    roles: frozenset[str] = frozenset()
    # Regions the user's municipality is (or was) a member of: regional documents are visible (SPEC §1).
    member_region_ids: frozenset[int] = frozenset()
    # Municipalities of those regions: the peers a civil servant sees listed.
    peer_municipality_ids: frozenset[int] = frozenset()
    # Regions the user's municipality coordinates today, only for users with the coordinating-staff role.
    coordinated_region_ids: frozenset[int] = frozenset()
    coordinated_municipality_ids: frozenset[int] = frozenset()
    # Municipalities a supervisor is assigned to (django-guardian grant ``regio.supervise_municipality``).
    supervised_municipality_ids: frozenset[int] = frozenset()
    is_functional_admin: bool = False
    # The functional administrator (role ``beheerder``) administers the regions its municipality coordinates today
    # and the municipalities that are or were members of them (and their successors); issue 10, finding 2.
    administered_region_ids: frozenset[int] = frozenset()
    administered_municipality_ids: frozenset[int] = frozenset()
    # The platform administrator (role ``platformbeheerder``): the installation's operator. Configuration of every
    # region, never case or client files; may have no municipality of its own.
    is_platform_admin: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None and (self.municipality_id is not None or self.is_platform_admin)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def own_municipality_ids(self) -> frozenset[int]:
        return frozenset({self.municipality_id}) if self.municipality_id else frozenset()

    @property
    def read_only(self) -> bool:
        """Portfolio holders only look (SPEC §1): a user with no other role may not act."""
        return not self.roles - {Role.PORTFOLIO_HOLDER}


ANONYMOUS_SCOPE = Scope(user_id=None)


class SystemActor:
    """The explicit actor of jobs, management commands and the demo: never "no user" (STYLE.md rule 4).

    A Celery beat job or ``manage.py import_region`` acts for the installation, not for a person; it says so by
    passing ``system_actor("why")``. ``restrict`` and ``can`` let it reach every row; a missing user (``None``) is
    refused by them instead, so a forgotten argument can no longer skip the permission check.
    """

    is_authenticated = True
    is_active = True
    is_system = True
    pk = None
    municipality_id = None

    def __init__(self, reason: str):
        if not reason:
            raise TenancyError("Een systeemactor zegt waarvoor hij handelt")
        self.reason = reason

    def __str__(self) -> str:
        return f"systeem ({self.reason})"

    def __repr__(self) -> str:
        return f"<SystemActor {self.reason!r}>"


def system_actor(reason: str) -> SystemActor:
    return SystemActor(reason)


def is_system(user) -> bool:
    return isinstance(user, SystemActor)


def _compute_scope(user, on: date) -> Scope:
    from regio.models import Membership

    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    roles = frozenset(user.groups.values_list("name", flat=True)) & frozenset(Role.values)
    if not getattr(user, "municipality_id", None):
        # Only the platform administrator works without a municipality: it sees configuration, no tenant data.
        if Role.PLATFORM_ADMIN in roles:
            return Scope(user_id=user.pk, roles=roles, is_platform_admin=True)
        return ANONYMOUS_SCOPE
    memberships = list(Membership.objects.unrestricted().values_list("region_id", "municipality_id"))
    member_regions = frozenset(r for r, m in memberships if m == user.municipality_id)
    peers = frozenset(m for r, m in memberships if r in member_regions)
    coordinated_regions: frozenset[int] = frozenset()
    if Role.COORDINATOR in roles:
        coordinated_regions = frozenset(
            Membership.objects.unrestricted()
            .active_on(on)
            .filter(municipality_id=user.municipality_id, coordinating=True)
            .values_list("region_id", flat=True)
        )
    coordinated_municipalities = frozenset(m for r, m in memberships if r in coordinated_regions)
    supervised: frozenset[int] = frozenset()
    if Role.SUPERVISOR in roles:
        from guardian.shortcuts import get_objects_for_user

        supervised = frozenset(
            get_objects_for_user(
                user, "regio.supervise_municipality", accept_global_perms=False, with_superuser=False
            ).values_list("pk", flat=True)
        )
    administered_regions: frozenset[int] = frozenset()
    administered_municipalities: frozenset[int] = frozenset()
    if Role.FUNCTIONAL_ADMIN in roles:
        administered_regions, administered_municipalities = _administered(user.municipality_id, memberships, on)
    return Scope(
        user_id=user.pk,
        municipality_id=user.municipality_id,
        roles=roles,
        member_region_ids=member_regions,
        peer_municipality_ids=peers,
        coordinated_region_ids=coordinated_regions,
        coordinated_municipality_ids=coordinated_municipalities,
        supervised_municipality_ids=supervised,
        is_functional_admin=Role.FUNCTIONAL_ADMIN in roles,
        administered_region_ids=administered_regions,
        administered_municipality_ids=administered_municipalities,
        is_platform_admin=Role.PLATFORM_ADMIN in roles,
    )


def _administered(municipality_id: int, memberships, on: date) -> tuple[frozenset[int], frozenset[int]]:
    """The regions a municipality coordinates on a day, and their members of any period with their successors."""
    from regio.models import Membership, Municipality

    regions = frozenset(
        Membership.objects.unrestricted()
        .active_on(on)
        .filter(municipality_id=municipality_id, coordinating=True)
        .values_list("region_id", flat=True)
    )
    municipalities = {m for r, m in memberships if r in regions}
    successors = dict(
        Municipality.objects.unrestricted().filter(successor__isnull=False).values_list("pk", "successor")
    )
    todo = list(municipalities)
    while todo:
        nxt = successors.get(todo.pop())
        if nxt is not None and nxt not in municipalities:
            municipalities.add(nxt)
            todo.append(nxt)
    return regions, frozenset(municipalities)


def scope_of(user, on: date | None = None) -> Scope:
    """The user's scope, cached on the user object for the length of a request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS_SCOPE
    on = on or timezone.localdate()
    cache = user.__dict__.setdefault("_tenancy_scope_cache", {})
    if on not in cache:
        cache[on] = _compute_scope(user, on)
    return cache[on]


def forget_scope(user) -> None:
    """Drop the cached scope (after roles or memberships changed within one request or test)."""
    user.__dict__.pop("_tenancy_scope_cache", None)


class TenantQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see or do."""

    def restrict(self, user, action: str = VIEW) -> TenantQuerySet:
        if action not in ACTIONS:
            raise TenancyError(f"Onbekende actie {action!r}")
        if user is None:
            raise TenancyError("restrict() zonder gebruiker: geef de gebruiker of een systeemactor mee")
        if is_system(user):
            return self.all()
        scope = scope_of(user)
        if not scope.authenticated:
            return self.none()
        return self.filter(self.model.tenant_filter(scope, action))

    def visible_to(self, user) -> TenantQuerySet:
        return self.restrict(user, VIEW)

    def unrestricted(self, reason: str = "") -> TenantQuerySet:
        """Explicitly all rows: for services, tasks and loaders that are not answering a user.

        Views and API modules may not call it without the object having been restricted first; the static test
        lists every call site.
        """
        return self.all()


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    pass


class TenantModel(models.Model):
    """Base of every tenant-owned model.

    Set ``tenant_municipality`` and/or ``tenant_region`` to the field path of the owning municipality or region.
    The default rules (override ``tenant_filter`` for others):

    * owned by a municipality within a region: visible to the municipality itself and to the region's coordinating
      staff; only coordinating staff act on it;
    * owned by a region: visible to every member; only the region's coordinating staff act on it;
    * owned by a municipality only: visible to itself and its coordinators; coordinators act on it.
    """

    tenant_municipality: str | None = None
    tenant_region: str | None = None

    objects = TenantManager()

    class Meta:
        abstract = True

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        m, r = cls.tenant_municipality, cls.tenant_region
        if action == VIEW:
            if m and r:
                return Q(**{f"{m}__in": scope.own_municipality_ids}) | Q(**{f"{r}__in": scope.coordinated_region_ids})
            if r:
                return Q(**{f"{r}__in": scope.member_region_ids})
            if m:
                return Q(**{f"{m}__in": scope.own_municipality_ids | scope.coordinated_municipality_ids})
            raise TenancyError(f"{cls.__name__} zegt niet van welke gemeente of regio het is")
        if scope.read_only:
            return NOTHING
        if r:
            return Q(**{f"{r}__in": scope.coordinated_region_ids})
        if m:
            return Q(**{f"{m}__in": scope.coordinated_municipality_ids})
        raise TenancyError(f"{cls.__name__} zegt niet van welke gemeente of regio het is")


def get_for_user_or_404(queryset: TenantQuerySet, user, action: str = VIEW, **lookup):
    """The one object the user may reach, else 404 (also when it exists but belongs to another tenant)."""
    try:
        return queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can(user, obj: TenantModel, action: str) -> bool:
    """Whether the user may perform the action on this very object (re-checked inside write transactions)."""
    if user is None:
        raise TenancyError("can() zonder gebruiker: geef de gebruiker of een systeemactor mee")
    if is_system(user):
        return True
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


# --- API -------------------------------------------------------------------------------------------------------


class TenantPermission(permissions.BasePermission):
    """Authenticated users of a municipality only; the object-level check is the restricted queryset itself.

    An object outside the user's tenancy is not in the queryset, so it answers 404. An object the user may see but
    not change answers 403.
    """

    message = "U heeft geen toestemming voor deze handeling."

    def has_permission(self, request, view) -> bool:
        return scope_of(request.user).authenticated

    def has_object_permission(self, request, view, obj) -> bool:
        action = METHOD_ACTIONS.get(request.method, CHANGE)
        if action == VIEW or not isinstance(obj, TenantModel):
            return True
        return can(request.user, obj, action)


class TenantFilterBackend:
    """Restricts list and detail querysets of a viewset to what the user may see."""

    def filter_queryset(self, request, queryset, view):
        return queryset.visible_to(request.user)


class TenantViewSetMixin:
    """Base of every API viewset: the queryset is restricted once, here, for every method."""

    permission_classes = [TenantPermission]

    def get_queryset(self):
        base = super().get_queryset()
        if not isinstance(base, TenantQuerySet):
            raise TenancyError(f"{type(self).__name__} gebruikt geen TenantQuerySet")
        # Restricted here rather than in filter_backends, so a viewset that sets its own backends cannot drop it.
        return TenantFilterBackend().filter_queryset(self.request, base, self)

    @cached_property
    def tenancy_scope(self) -> Scope:
        return scope_of(self.request.user)


# --- Pages -----------------------------------------------------------------------------------------------------


class TenantViewMixin:
    """Base of every page view that shows tenant data: login required, querysets restricted, others' objects 404."""

    model: type[TenantModel] | None = None
    tenant_action = VIEW

    def dispatch(self, request, *args, **kwargs):
        if not scope_of(request.user).authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, self.tenant_action)

    @cached_property
    def tenancy_scope(self) -> Scope:
        return scope_of(self.request.user)
