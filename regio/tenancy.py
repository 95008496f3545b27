"""The one tenancy module: which municipalities and regions a user may see, and for which they may act.

The tenant is the municipality (SPEC §1). A region is a set of member municipalities, one of which coordinates.
Everything that shows or changes tenant-owned data goes through this module:

* models inherit ``TenantModel`` and say where their owner is (``tenant_municipality`` / ``tenant_region``);
  their default manager returns a ``TenantQuerySet`` with ``restrict(user, action)`` and ``visible_to(user)``;
* every write asks one rule, ``can(user, action, target)``: a tenant object, or a region/municipality for "may this
  user act for it" (services, inside the transaction);
* API viewsets use ``TenantViewSetMixin`` with ``TenantPermission``, page views ``TenantViewMixin``: both map the
  HTTP method to an action (``METHOD_ACTIONS``) and check a write before they read its input;
* jobs, commands and the region-file import act as ``system_actor(reason)``; a missing user (``None``) raises.

A queryset that forgets to restrict is caught by ``tests/tenancy/test_no_unrestricted_querysets.py`` (a static
check over every module of the apps, with an allowlist of ``.unrestricted()`` call sites and their reasons) and
every HTTP method of every route is in the cross-tenant matrix or exempted with a reason.
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


def person(user):
    """The person behind an act, for ``*_by`` fields: ``None`` when the system actor acted."""
    return None if is_system(user) else user


def _compute_scope(user, on: date) -> Scope:
    from regio.models import Membership

    if user is None or is_system(user) or not user.is_authenticated or not user.is_active:
        # The system actor has no scope of its own: restrict() and can() let it through before asking for one.
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
        supervised = _supervised_municipality_ids(user)
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


def _supervised_municipality_ids(user) -> frozenset[int]:
    """The municipalities a supervisor is assigned to: django-guardian grants ``regio.supervise_municipality`` to the
    person or to one of its groups, read from the direct foreign-key tables in one query (STYLE.md rule 6)."""
    from regio.models import MunicipalityGroupObjectPermission, MunicipalityUserObjectPermission

    grant = {"permission__codename": "supervise_municipality", "permission__content_type__app_label": "regio"}
    own = MunicipalityUserObjectPermission.objects.filter(user=user, **grant).values_list("content_object_id")
    by_group = MunicipalityGroupObjectPermission.objects.filter(group__user=user, **grant).values_list(
        "content_object_id"
    )
    return frozenset(pk for (pk,) in own.union(by_group))


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


def _is_model(target, label: str) -> bool:
    return isinstance(target, models.Model) and target._meta.label == label


def acting_region_ids(user) -> frozenset[int]:
    """The regions this user may act for: those its municipality coordinates today, for coordinating staff that
    may do more than look (SPEC §1; WM-SO 4.12, BNO 5). The system actor acts for every region."""
    if user is None:
        raise TenancyError("acting_region_ids() zonder gebruiker: geef de gebruiker of een systeemactor mee")
    if is_system(user):
        from regio.models import Region

        every_region = Region.objects.unrestricted("de systeemactor handelt voor elke regio")
        return frozenset(every_region.values_list("pk", flat=True))
    scope = scope_of(user)
    if not scope.authenticated or scope.read_only:
        return frozenset()
    return scope.coordinated_region_ids


def can(user, action, target) -> bool:
    """The one authorization rule (STYLE.md rule 4): may this user perform ``action`` on ``target``?

    ``target`` is either

    * a region or a municipality: may the user act for it? Seeing (``VIEW``) is for the region's members and the
      municipality itself (and its coordinators); acting (``ADD``/``CHANGE``/``DELETE``) only for the coordinating
      municipality's staff that may do more than look (SPEC §1). The region/municipality *record* itself is
      configuration: its API answers through the restricted queryset, see ``TenantPermission``;
    * any other tenant object: is it in ``restrict(user, action)``? (re-checked inside write transactions).

    ``user`` is a person or ``system_actor(reason)`` (jobs, commands, the demo), which may do everything; ``None``
    raises, so a forgotten argument never skips the check; an unknown action raises too (so the arguments cannot be
    swapped unnoticed).
    """
    if action not in ACTIONS:
        raise TenancyError(f"Onbekende actie {action!r}")
    if user is None:
        raise TenancyError("can() zonder gebruiker: geef de gebruiker of een systeemactor mee")
    if target is None:
        raise TenancyError("can() zonder doel: geef een object, regio of gemeente mee")
    if is_system(user):
        return True
    scope = scope_of(user)
    if not scope.authenticated:
        return False
    if _is_model(target, "regio.Region"):
        if action == VIEW:
            return target.pk in scope.member_region_ids
        return target.pk in acting_region_ids(user)
    if _is_model(target, "regio.Municipality"):
        if action == VIEW:
            return target.pk in scope.own_municipality_ids | scope.coordinated_municipality_ids
        return not scope.read_only and target.pk in scope.coordinated_municipality_ids
    if not isinstance(target, TenantModel):
        raise TenancyError(f"can() weet niet van wie {type(target).__name__} is")
    return _object_allowed(user, target, action)


def _object_allowed(user, obj: TenantModel, action: str) -> bool:
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


def require(user, action, target, message: str | None = None) -> None:
    """``can`` or ``PermissionDenied``: the first line of every service that acts for a user."""
    if not can(user, action, target):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(message or "U heeft geen toestemming voor deze handeling.")


# --- API -------------------------------------------------------------------------------------------------------


class TenantPermission(permissions.BasePermission):
    """Authenticated users of a municipality only; the object-level check is the restricted queryset itself.

    An object outside the user's tenancy is not in the queryset, so it answers 404. An object the user may see but
    not change answers 403.
    """

    message = "U heeft geen toestemming voor deze handeling."

    @staticmethod
    def action(request, view) -> str:
        """The action of the request's method; a view may map a method otherwise (``method_actions``, with reason)."""
        return getattr(view, "method_actions", {}).get(request.method) or METHOD_ACTIONS.get(request.method, CHANGE)

    def has_permission(self, request, view) -> bool:
        if not scope_of(request.user).authenticated:
            return False
        if self.action(request, view) == VIEW:
            return True
        if _names_an_object(view):
            # Decided on the object (TenantViewSetMixin.initial): another tenant's answers 404 before any 403.
            return True
        # A write that names no object (a create): only a user who may act for a region gets as far as the input
        # (permission before validation, STYLE.md rule 4); the region it names is checked again in the service.
        return bool(acting_region_ids(request.user))

    def has_object_permission(self, request, view, obj) -> bool:
        action = self.action(request, view)
        if action == VIEW or not isinstance(obj, TenantModel):
            return True
        if _is_model(obj, "regio.Region") or _is_model(obj, "regio.Municipality"):
            # The record itself (configuration), not "acting for" it: the restricted queryset decides.
            return _object_allowed(request.user, obj, action)
        return can(request.user, action, obj)


def _names_an_object(view) -> bool:
    kwarg = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return bool(kwarg) and kwarg in (getattr(view, "kwargs", None) or {})


class TenantFilterBackend:
    """Restricts list and detail querysets of a viewset to what the user may see."""

    def filter_queryset(self, request, queryset, view):
        return queryset.visible_to(request.user)


class TenantViewSetMixin:
    """Base of every API viewset: the queryset is restricted once, here, for every method."""

    permission_classes = [TenantPermission]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A write on an object: find it among what the user may see (else 404) and check the action on it (else
        # 403) before the handler reads any input, as the page views do (STYLE.md rules 4 and 5).
        method = request.method.lower()
        accepted = method in self.http_method_names and hasattr(self, method)
        if accepted and TenantPermission.action(request, self) != VIEW and _names_an_object(self):
            self.get_object()

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
    """Base of every page view that shows tenant data: login required, querysets restricted, others' objects 404.

    Like the API (``TenantPermission``), the HTTP method maps to an action (``METHOD_ACTIONS``) and a write is
    checked here, in ``dispatch``, before the handler reads or validates any input: a user who may see the page but
    not act gets 403 and never field errors; another tenant's object answers 404 (STYLE.md rules 4 and 5). What a
    write acts on is ``permission_target()``: by default the page's object (``get_object()``, or the ``model``'s row
    with the URL's ``pk``), found among what the user may see; a page that acts for a region returns that region.
    """

    model: type[TenantModel] | None = None
    tenant_action = VIEW
    # Pages are HTML forms: GET and POST. (Django's FormView also answers PUT by calling post(), a second write path
    # that no form uses.)
    http_method_names = ["get", "post", "head", "options"]
    # Per-page exceptions to METHOD_ACTIONS, each with its reason at the page (e.g. one's own calendar tokens).
    method_actions: dict[str, str] = {}
    permission_denied_message = "U heeft geen toestemming voor deze handeling."

    def dispatch(self, request, *args, **kwargs):
        if not scope_of(request.user).authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        self.request_action = self.action_for(request.method)
        if self.request_action != VIEW and self.accepts(request.method):
            self.check_permission(self.request_action)
        return super().dispatch(request, *args, **kwargs)

    def action_for(self, method: str) -> str:
        method = (method or "").upper()
        return self.method_actions.get(method) or METHOD_ACTIONS.get(method, CHANGE)

    def accepts(self, method: str) -> bool:
        """Whether this page has a handler for the method (otherwise Django answers 405 and nothing is checked)."""
        name = (method or "").lower()
        return name in self.http_method_names and hasattr(self, name)

    def check_permission(self, action: str) -> None:
        from django.core.exceptions import PermissionDenied

        if not can(self.request.user, action, self.permission_target()):
            raise PermissionDenied(self.permission_denied_message)

    def permission_target(self):
        """What a write through this page acts on (a tenant object, a region or a municipality); 404 when the user
        may not even see it."""
        if hasattr(self, "get_object"):
            self.object = self.get_object()
            return self.object
        if self.model is not None and "pk" in self.kwargs:
            queryset = self.model.objects.visible_to(self.request.user)
            return get_for_user_or_404(queryset, self.request.user, VIEW, pk=self.kwargs["pk"])
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{type(self).__name__} accepteert {self.request.method} maar zegt niet waarop (permission_target)"
        )

    def own_municipality(self):
        """The user's own municipality: the target of pages that act for it (bank statements, new invoices)."""
        from regio.models import Municipality

        return Municipality.objects.unrestricted("de eigen gemeente van de ingelogde gebruiker").get(
            pk=self.request.user.municipality_id
        )

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, self.tenant_action)

    @cached_property
    def tenancy_scope(self) -> Scope:
        return scope_of(self.request.user)
