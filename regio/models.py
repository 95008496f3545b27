"""The tenancy core: municipalities, population figures, regions with their members, and people.

Every model here has an audit trail (django-simple-history) and a place in the tenancy module.
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, Scope, TenantManager, TenantModel, TenantQuerySet

CBS_CODE_RE = re.compile(r"^GM\d{4}$")
cbs_code_validator = RegexValidator(
    CBS_CODE_RE,
    _("Een CBS-gemeentecode is 'GM' gevolgd door vier cijfers, bijvoorbeeld GM1883."),
    code="invalid_cbs_code",
)


def periods_overlap(a_from: date, a_until: date | None, b_from: date, b_until: date | None) -> bool:
    """Whether two closed periods [from, until] overlap; an empty ``until`` means open-ended."""
    return (a_until is None or b_from <= a_until) and (b_until is None or a_from <= b_until)


class Municipality(TenantModel):
    """A municipality (gemeente), identified by its CBS code. The tenant of the product (SPEC §1)."""

    code = models.CharField(_("CBS-code"), max_length=6, unique=True, validators=[cbs_code_validator])
    name = models.CharField(_("naam"), max_length=100)
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_until = models.DateField(_("actief tot en met"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("opgegaan in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Bij een herindeling: de gemeente waarin deze gemeente is opgegaan."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        permissions = [("supervise_municipality", _("Toezicht houden op deze gemeente"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="municipality_active_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # A user sees the municipalities of the regions its municipality is a member of (issue #3);
        # only the functional administrator changes them (SPEC §1: configuration).
        if scope.is_functional_admin:
            return Q()
        if action == VIEW:
            return Q(pk__in=scope.peer_municipality_ids | scope.own_municipality_ids)
        return NOTHING

    def clean(self) -> None:
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("De einddatum ligt voor de begindatum.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Een gemeente kan niet in zichzelf opgaan.")})


class PopulationFigure(TenantModel):
    """Inhabitants of a municipality on 1 January of a year (CBS), the basis of population keys and votes."""

    tenant_municipality = "municipality"

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="population_figures"
    )
    reference_date = models.DateField(_("peildatum"), help_text=_("Altijd 1 januari van het jaar."))
    inhabitants = models.PositiveIntegerField(_("inwoners"))
    source = models.CharField(_("bron"), max_length=200, default="CBS")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inwonertal")
        verbose_name_plural = _("inwonertallen")
        ordering = ["municipality__name", "-reference_date"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference_date"], name="population_unique_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.reference_date:%d-%m-%Y}: {self.inhabitants}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # Population figures are public CBS figures: visible with the municipality, changed by the administrator.
        if scope.is_functional_admin:
            return Q()
        if action == VIEW:
            return Q(municipality__in=scope.peer_municipality_ids | scope.own_municipality_ids)
        return NOTHING

    def clean(self) -> None:
        if self.reference_date and (self.reference_date.month, self.reference_date.day) != (1, 1):
            raise ValidationError({"reference_date": _("De peildatum van een inwonertal is altijd 1 januari.")})


class Region(TenantModel):
    """A cooperation (samenwerkingsverband) of municipalities, one of which coordinates."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        if scope.is_functional_admin:
            return Q()
        if action == VIEW:
            return Q(pk__in=scope.member_region_ids)
        return NOTHING

    def coordinator_on(self, on: date | None = None) -> Municipality | None:
        on = on or timezone.localdate()
        membership = (
            self.memberships.unrestricted()
            .active_on(on)
            .filter(coordinating=True)
            .select_related("municipality")
            .first()
        )
        return membership.municipality if membership else None

    def members_on(self, on: date | None = None):
        on = on or timezone.localdate()
        return Municipality.objects.unrestricted().filter(
            pk__in=self.memberships.unrestricted().active_on(on).values("municipality_id")
        )


class MembershipQuerySet(TenantQuerySet):
    def active_on(self, on: date) -> MembershipQuerySet:
        return self.filter(Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on))


class Membership(TenantModel):
    """A municipality's membership of a region for a period; ``coordinating`` marks the coordinating member.

    The coordinating member may change over time: end the membership period and start a new one.
    """

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="memberships"
    )
    valid_from = models.DateField(_("lid vanaf"))
    valid_until = models.DateField(_("lid tot en met"), null=True, blank=True)
    coordinating = models.BooleanField(_("coördinerend"), default=False)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(MembershipQuerySet)()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["region__name", "municipality__name", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "municipality", "valid_from"], name="membership_unique_start_per_member"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="membership_period_valid",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.valid_until:%d-%m-%Y}" if self.valid_until else "…"
        return f"{self.municipality.name} in {self.region.name} ({self.valid_from:%d-%m-%Y} – {until})"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        if scope.is_functional_admin:
            return Q()
        if action == VIEW:
            return Q(region__in=scope.member_region_ids)
        return NOTHING

    def is_active_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def clean(self) -> None:
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Het einde van het lidmaatschap ligt voor het begin.")})
        others = Membership.objects.unrestricted().filter(region_id=self.region_id).exclude(pk=self.pk)
        for other in others:
            if not periods_overlap(self.valid_from, self.valid_until, other.valid_from, other.valid_until):
                continue
            if other.municipality_id == self.municipality_id:
                raise ValidationError(_("Deze gemeente is in die periode al lid van de regio."))
            if self.coordinating and other.coordinating:
                raise ValidationError(
                    _("In die periode coördineert %(name)s al; er is één coördinerende gemeente tegelijk.")
                    % {"name": other.municipality.name}
                )


class User(AbstractUser):
    """A person: belongs to one municipality and holds one or more roles (Django groups, SPEC §1)."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Leeg alleen voor technische beheerders (superusers)."),
    )
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def roles(self) -> list[str]:
        return sorted(set(self.groups.values_list("name", flat=True)) & set(Role.values))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]

    def has_role(self, *roles: str) -> bool:
        from regio.tenancy import scope_of

        return scope_of(self).has_role(*roles)

    @classmethod
    def visible_people(cls, user):
        """People of the user's own municipality; the functional administrator sees everyone."""
        from regio.tenancy import scope_of

        scope = scope_of(user)
        if not scope.authenticated:
            return cls.objects.none()
        if scope.is_functional_admin:
            return cls.objects.all()
        return cls.objects.filter(municipality_id=scope.municipality_id)


class AccessLog(TenantModel):
    """Who read or exported what, and when: the reusable read log that beschermd wonen and toezicht need (ROADMAP).

    Append-only: it is itself the audit record, so it has no history of its own (see regio.checks).
    Only the functional administrator reads it; nobody changes it through the app.
    """

    tenant_municipality = "municipality"
    audit_exempt = "the access log is itself an append-only audit record"

    at = models.DateTimeField(_("moment"), default=timezone.now, db_index=True)
    user = models.ForeignKey(User, verbose_name=_("gebruiker"), null=True, on_delete=models.SET_NULL)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente van het gegeven"), null=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("handeling"), max_length=20, default="view")
    object_type = models.CharField(_("soort gegeven"), max_length=100)
    object_id = models.CharField(_("gegeven"), max_length=64)
    path = models.CharField(_("adres"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("inzage")
        verbose_name_plural = _("inzagelog")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="accesslog_object")]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.user} {self.action} {self.object_type} {self.object_id}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return Q() if scope.is_functional_admin and action == VIEW else NOTHING

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("Het inzagelog kan niet worden gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Het inzagelog kan niet worden gewijzigd."))


def log_access(*, user, obj, action: str = "view", municipality=None, request=None) -> AccessLog:
    """Record that ``user`` read (or exported, or downloaded) ``obj``. Never log a BSN or a client's name (SPEC §7)."""
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        municipality=municipality,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        path=(request.path[:300] if request is not None else ""),
    )


# --- Per-object grants (django-guardian with direct foreign keys, STYLE.md rule 6) ------------------------------


class MunicipalityUserObjectPermission(UserObjectPermissionBase):
    """A grant on one municipality to one person: today ``supervise_municipality`` (a supervisor assigned to it).

    guardian finds this table by itself (``assign_perm``, ``get_perms``, ``get_objects_for_user``) instead of its
    generic one: an integer foreign key with an index and a real constraint, not a text ``object_pk`` matched with a
    content type, so ``scope_of`` reads a supervisor's municipalities in one indexed query. Grants narrow inside the
    tenancy rules; they never define them (``regio.tenancy``)."""

    content_object = models.ForeignKey(Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("recht van een persoon op een gemeente")
        verbose_name_plural = _("rechten van personen op gemeenten")


class MunicipalityGroupObjectPermission(GroupObjectPermissionBase):
    """A grant on one municipality to a group (a role); see ``MunicipalityUserObjectPermission``."""

    content_object = models.ForeignKey(Municipality, verbose_name=_("gemeente"), on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("recht van een groep op een gemeente")
        verbose_name_plural = _("rechten van groepen op gemeenten")
