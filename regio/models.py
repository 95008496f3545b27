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
        # A user sees the municipalities of the regions its municipality is a member of (issue #3); the platform
        # administrator configures all of them, a functional administrator those of the regions its municipality
        # coordinates (issue 10, finding 2).
        if scope.is_platform_admin:
            return Q()
        if action == VIEW:
            return Q(
                pk__in=scope.peer_municipality_ids | scope.own_municipality_ids | scope.administered_municipality_ids
            )
        return Q(pk__in=scope.administered_municipality_ids)

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
        if scope.is_platform_admin:
            return Q()
        if action == VIEW:
            return Q(
                municipality__in=scope.peer_municipality_ids
                | scope.own_municipality_ids
                | scope.administered_municipality_ids
            )
        return Q(municipality__in=scope.administered_municipality_ids)

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
        if scope.is_platform_admin:
            return Q()
        if action == VIEW:
            return Q(pk__in=scope.member_region_ids)
        return Q(pk__in=scope.administered_region_ids)

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
        if scope.is_platform_admin:
            return Q()
        if action == VIEW:
            return Q(region__in=scope.member_region_ids)
        return Q(region__in=scope.administered_region_ids)

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


class PeopleHistory(HistoricalRecords):
    """The history of people, with their roles (groups) as a many-to-many field.

    simple-history records a change of ``user.groups`` only from the user's side; a change from the group's side
    (``group.user_set.add(user)``, as the Django admin's group page does) reaches the same signal with the group as the
    instance and crashed. Here that change is recorded on each person it touched, like a change from their side.
    A save that writes only excluded fields (a login writes ``last_login``) is no change and leaves no record."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return None
        return super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":
            instance._history_people_cleared = list(instance.user_set.values_list("pk", flat=True))
            return None
        if action not in ("post_add", "post_remove", "post_clear"):
            return None
        people = pk_set if action != "post_clear" else instance.__dict__.pop("_history_people_cleared", [])
        for person in self.cls._base_manager.filter(pk__in=list(people or ())):
            super().m2m_changed(person, action, attr, None, False, **kwargs)
        return None


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
    # "Log out everywhere" (regio/sessions.py): every session that started before this moment is ended.
    sessions_ended_at = models.DateTimeField(_("alle sessies beëindigd op"), null=True, blank=True, editable=False)
    # Roles are groups: their changes are in the history too (issue 10, finding 2).
    history = PeopleHistory(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

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
        """People of the user's own municipality; the platform administrator sees everyone (issue 10, finding 2:
        a functional administrator administers its own municipality's people, nobody else's)."""
        from regio.tenancy import scope_of

        scope = scope_of(user)
        if not scope.authenticated:
            return cls.objects.none()
        if scope.is_platform_admin:
            return cls.objects.all()
        return cls.objects.filter(municipality_id=scope.municipality_id)


# --- a changed e-mail address or role is told to the old address (issue 10, finding 2) ---------------------------
#
# A takeover starts by changing someone's e-mail address and asking for a new password. Whoever changes an address
# or a role (a page, the admin, a region file), the person hears of it at the address it had before, once per
# transaction and only after commit (STYLE.md rule 2).


class _AccountChange:
    """One pending notification: the account as it was when the first change of this transaction began."""

    def __init__(self, user_pk: int, old_email: str | None, old_roles: frozenset[str]):
        self.user_pk = user_pk
        self.old_email = old_email
        self.old_roles = old_roles

    def __call__(self) -> None:
        from django.core.mail import send_mail
        from django.utils.translation import gettext as _t

        if _pending().get(self.user_pk) is self:
            del _pending()[self.user_pk]
        user = User.objects.filter(pk=self.user_pk).first()
        if user is None or not self.old_email:
            return
        lines = []
        if user.email != self.old_email:
            lines.append(
                _t("Uw e-mailadres is gewijzigd van %(old)s in %(new)s.") % {"old": self.old_email, "new": user.email}
            )
        roles = frozenset(user.roles)
        # Roles given to an account that had none are part of setting it up (the factory, the admin's "add user"
        # and a region file first create, then grant): nothing to warn its owner about.
        if self.old_roles and roles != self.old_roles:

            def labels(values):
                return ", ".join(str(Role(r).label) for r in sorted(values)) or _t("geen")

            lines.append(
                _t("Uw rollen zijn gewijzigd. Voorheen: %(old)s. Nu: %(new)s.")
                % {"old": labels(self.old_roles), "new": labels(roles)}
            )
        if not lines:
            return
        record = user.history.order_by("-history_date").first()
        by = record.history_user if record is not None and record.history_user_id else None
        who = _t("door %(who)s") % {"who": by} if by else _t("door het systeem (bijvoorbeeld een regiobestand)")
        body = "\n\n".join(
            [
                _t("Beste %(name)s,") % {"name": user.full_name or user.username},
                _t("Er is iets gewijzigd aan uw account %(username)s in Regio Wmo, %(who)s:")
                % {"username": user.username, "who": who},
                "\n".join(lines),
                _t(
                    "Heeft u dit niet zelf gevraagd of verwacht? Neem dan direct contact op met de functioneel "
                    "beheerder van uw gemeente. Dit bericht gaat naar uw vorige e-mailadres, zodat u het ook ziet "
                    "als iemand anders uw adres heeft gewijzigd."
                ),
            ]
        )
        send_mail(_t("Uw account in Regio Wmo is gewijzigd"), body, None, [self.old_email])


def _pending() -> dict:
    from django.db import connection

    return connection.__dict__.setdefault("_regio_account_changes", {})


def _roles_in_database(user_pk: int) -> frozenset[str]:
    return frozenset(
        User.groups.through.objects.filter(user_id=user_pk, group__name__in=Role.values).values_list(
            "group__name", flat=True
        )
    )


def _note_account_change(user_pk: int, old_email: str | None, old_roles: frozenset[str]) -> None:
    """After a change is written: tell the old address on commit, once per transaction, with the account as it was
    before the transaction's first change. An account created in this transaction is nobody's old address yet."""
    from django.db import connection, transaction

    pending = _pending()
    existing = pending.get(user_pk)
    if existing is not None and any(entry[1] is existing for entry in connection.run_on_commit):
        return
    change = _AccountChange(user_pk, old_email, old_roles)
    pending[user_pk] = change
    transaction.on_commit(change)


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = User.objects.filter(pk=instance.pk).values_list("email", flat=True).first()
    if old is not None and old != instance.email:
        instance._regio_before = (old, _roles_in_database(instance.pk))


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        _note_account_change(instance.pk, None, frozenset())
        return
    before = instance.__dict__.pop("_regio_before", None)
    if before is not None:
        _note_account_change(instance.pk, *before)


def _roles_changing(sender, instance, action, reverse, pk_set, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear"):
        if not reverse:
            people = [instance.pk] if instance.pk is not None else []
        elif pk_set is not None:
            people = list(pk_set)
        else:  # group.user_set.clear(): everyone in the group
            people = list(instance.user_set.values_list("pk", flat=True))
        instance._regio_roles_before = {pk: _roles_in_database(pk) for pk in people}
        return
    if action in ("post_add", "post_remove", "post_clear"):
        before = instance.__dict__.pop("_regio_roles_before", {})
        emails = dict(User.objects.filter(pk__in=list(before)).values_list("pk", "email"))
        for user_pk, roles in before.items():
            if user_pk in emails:
                _note_account_change(user_pk, emails[user_pk], roles)


models.signals.pre_save.connect(_before_save, sender=User, dispatch_uid="regio-account-before-save")
models.signals.post_save.connect(_after_save, sender=User, dispatch_uid="regio-account-after-save")
models.signals.m2m_changed.connect(_roles_changing, sender=User.groups.through, dispatch_uid="regio-roles-change")


class AccessLog(TenantModel):
    """Who read or exported what, and when: the reusable read log that beschermd wonen and toezicht need (ROADMAP).

    Append-only: it is itself the audit record, so it has no history of its own (see regio.checks).
    A municipality's functional administrator reads the reads of its own municipality's data and of its own people,
    and those of the municipalities of the regions it administers; the platform administrator reads none of it (it
    is about case and client files). Nobody changes it through the app.
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
        if not scope.is_functional_admin or action != VIEW:
            return NOTHING
        return Q(municipality__in=scope.own_municipality_ids | scope.administered_municipality_ids) | Q(
            user__municipality__in=scope.own_municipality_ids
        )

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


# Login hardening (issue 17): models of this app kept in their own module.
from regio.login.models import ExternalIdentity, IdentityProvider, SecurityEvent  # noqa: E402, F401
