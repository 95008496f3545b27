"""The December reckoning: a settled reckoning and its parts, lines and items never change (STYLE.md rule 8)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from costsharing.models.choices import AMOUNT, WEIGHT, Category
from costsharing.models.keys import KeyVersion
from costsharing.models.norms import NormYear
from regio.tenancy import TenantManager, TenantModel, TenantQuerySet

# --- The December reckoning --------------------------------------------------------------------------------------


FROZEN_MESSAGE = _("Een vastgestelde afrekening verandert niet; maak een correctieversie.")
STATUS_MESSAGE = _(
    "De status van een afrekening gaat alleen vooruit (concept → vastgesteld → gefactureerd), via vaststellen en "
    "factureren; een correctie is een nieuwe versie."
)
# The guards read the stored rows whoever writes (a service, a task, the admin): a reason for ``unrestricted``.
GUARD = "frozen guard: reads the stored row, whoever writes (STYLE.md rule 8)"
# What still moves on an approved or settled reckoning (STYLE.md rule 8): its status forward (approved → settled,
# with the date) and the run marks of a re-run that found the inputs unchanged. The PostgreSQL trigger of migration
# 0005 leaves out the same columns.
MUTABLE_WHEN_FROZEN = frozenset({"status", "settled_at", "run_state", "progress", "error"})


class ReckoningQuerySet(TenantQuerySet):
    """Bulk changes of reckonings (STYLE.md rules 3 and 8): nobody sets a status in bulk (the services approve and
    settle one reckoning at a time), an approved or settled one is neither changed nor deleted, and none is created
    in another state than draft."""

    def update(self, **kwargs):
        if "status" in kwargs:
            raise ValidationError(STATUS_MESSAGE)
        if set(kwargs) - MUTABLE_WHEN_FROZEN and self.exclude(status=Reckoning.Status.DRAFT).exists():
            raise ValidationError(FROZEN_MESSAGE)
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.exclude(status=Reckoning.Status.DRAFT).exists():
            raise ValidationError(_("Een vastgestelde afrekening wordt niet verwijderd; maak een correctieversie."))
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if any(obj.status != Reckoning.Status.DRAFT for obj in objs):
            raise ValidationError(STATUS_MESSAGE)
        return super().bulk_create(objs, *args, **kwargs)


class Reckoning(TenantModel):
    """The December reckoning of a region for a year (WM-SO 6.7, WM-DVO 5-6, BNO 10.6).

    One row per (region, year, version), enforced by the database. ``draft`` is recomputed by each run;
    ``approved`` is frozen with its inputs snapshotted; ``settled`` once invoiced. A correction after approval is a
    new version whose lines show the difference with the previous one.

    Frozen means frozen (issue 10, STYLE.md rule 8): the status moves only forward, by ``approve_reckoning`` and
    ``mark_settled``; an approved reckoning, its parts, lines and items refuse changes here (``save``/``delete``), on
    the querysets (bulk ``update``/``delete``/``bulk_create``) and on PostgreSQL in the triggers of migration 0005.
    """

    tenant_region = "region"

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        APPROVED = "approved", _("vastgesteld")
        SETTLED = "settled", _("gefactureerd")

    class RunState(models.TextChoices):
        IDLE = "idle", _("nog niet berekend")
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("wordt berekend")
        DONE = "done", _("berekend")
        FAILED = "failed", _("mislukt")

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    previous = models.ForeignKey(
        "self", verbose_name=_("vorige versie"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("totale kosten"), default=Decimal("0.00"), **AMOUNT)
    inputs_hash = models.CharField(_("vingerafdruk van de invoer"), max_length=64, blank=True)
    inputs = models.JSONField(_("vastgelegde invoer"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)
    approved_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("vastgesteld door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("gefactureerd op"), null=True, blank=True)
    run_state = models.CharField(_("berekening"), max_length=10, choices=RunState.choices, default=RunState.IDLE)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    history = HistoricalRecords(excluded_fields=["progress", "inputs"])

    objects = TenantManager.from_queryset(ReckoningQuerySet)()

    class Meta:
        verbose_name = _("afrekening")
        verbose_name_plural = _("afrekeningen")
        ordering = ["region__name", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "version"], name="reckoning_unique_version"),
        ]

    def __str__(self) -> str:
        return f"Afrekening {self.region} {self.year} versie {self.version}"

    # The allowed status moves (STYLE.md rule 3); the services approve_reckoning and mark_settled make them.
    NEXT_STATUS = {
        Status.DRAFT: {Status.DRAFT, Status.APPROVED},
        Status.APPROVED: {Status.APPROVED, Status.SETTLED},
        Status.SETTLED: {Status.SETTLED},
    }

    def _stored(self) -> dict | None:
        """The row as the database has it now (not as this instance was loaded, which may be stale)."""
        if self._state.adding or self.pk is None:
            return None
        fields = [f.attname for f in self._meta.concrete_fields]
        return Reckoning.objects.unrestricted(GUARD).filter(pk=self.pk).values(*fields).first()

    def save(self, *args, **kwargs):
        stored = self._stored()
        if stored is None:
            if self.status != self.Status.DRAFT:
                raise ValidationError(STATUS_MESSAGE)
        else:
            if self.status not in self.NEXT_STATUS[stored["status"]]:
                raise ValidationError(STATUS_MESSAGE)
            if stored["status"] != self.Status.DRAFT:
                update_fields = kwargs.get("update_fields")
                names = (
                    {self._meta.get_field(name).attname for name in update_fields} if update_fields else set(stored)
                )
                if any(getattr(self, n) != stored[n] for n in names - MUTABLE_WHEN_FROZEN if n in stored):
                    raise ValidationError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = self._stored()
        if stored is not None and stored["status"] != self.Status.DRAFT:
            raise ValidationError(_("Een vastgestelde afrekening wordt niet verwijderd; maak een correctieversie."))
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


def _frozen_reckoning_ids(reckoning_ids, part_ids=()) -> set[int]:
    """Which of these reckonings (and of the reckonings of these parts) are approved or settled."""
    ids = {pk for pk in reckoning_ids if pk is not None}
    part_ids = {pk for pk in part_ids if pk is not None}
    if part_ids:
        ids |= set(
            ReckoningPart.objects.unrestricted(GUARD).filter(pk__in=part_ids).values_list("reckoning_id", flat=True)
        )
    if not ids:
        return set()
    return set(
        Reckoning.objects.unrestricted(GUARD)
        .filter(pk__in=ids)
        .exclude(status=Reckoning.Status.DRAFT)
        .values_list("pk", flat=True)
    )


class FrozenQuerySet(TenantQuerySet):
    """Blocks bulk changes of parts, lines and items of an approved or settled reckoning, and bulk creation under
    one (STYLE.md rule 8)."""

    def _refuse_frozen(self):
        if self.exclude(reckoning__status=Reckoning.Status.DRAFT).exists():
            raise ValidationError(FROZEN_MESSAGE)

    def update(self, **kwargs):
        self._refuse_frozen()
        # Moving rows under an approved reckoning (or, for items, under a part of one) is adding to it.
        reckoning = kwargs.get("reckoning_id", kwargs.get("reckoning"))
        part = kwargs.get("part_id", kwargs.get("part"))
        if _frozen_reckoning_ids([getattr(reckoning, "pk", reckoning)], [getattr(part, "pk", part)]):
            raise ValidationError(FROZEN_MESSAGE)
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        self._refuse_frozen()
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if _frozen_reckoning_ids([obj.reckoning_id for obj in objs], [getattr(obj, "part_id", None) for obj in objs]):
            raise ValidationError(FROZEN_MESSAGE)
        return super().bulk_create(objs, *args, **kwargs)


class FrozenModel(TenantModel):
    """A part, line or item of a reckoning: written only while its reckoning is a draft, never added to, changed
    under or moved out of an approved or settled one (the database checks the reckoning's current status)."""

    class Meta:
        abstract = True

    def _touches_frozen(self) -> bool:
        ids = {self.reckoning_id}
        if not self._state.adding and self.pk is not None:
            ids |= set(
                type(self).objects.unrestricted(GUARD).filter(pk=self.pk).values_list("reckoning_id", flat=True)
            )
        # An item also hangs under its part's reckoning.
        return bool(_frozen_reckoning_ids(ids, [getattr(self, "part_id", None)]))

    def save(self, *args, **kwargs):
        if self._touches_frozen():
            raise ValidationError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._touches_frozen():
            raise ValidationError(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)


class ReckoningPart(FrozenModel):
    """What one category contributed under one key version: the sum of its cost lines (or formation × norm).

    It names the key version, the norm year (with the CAO steps in its provenance) and the cost lines it came from,
    so every euro of a statement is traceable (issue #5).
    """

    tenant_region = "reckoning__region"

    reckoning = models.ForeignKey(Reckoning, on_delete=models.CASCADE, related_name="parts")
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    key_version = models.ForeignKey(KeyVersion, verbose_name=_("sleutelversie"), on_delete=models.PROTECT)
    norm_year = models.ForeignKey(
        NormYear, verbose_name=_("normjaar"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    line_count = models.PositiveIntegerField(_("aantal kostenregels"), default=0)
    lines_total = models.DecimalField(
        _("som van de kostenregels"),
        default=Decimal("0.00"),
        help_text=_("Vóór het deel ten laste van de regio (WM-SO 6.1 h)."),
        **AMOUNT,
    )
    cost_line_ids = models.JSONField(
        _("kostenregels"),
        default=list,
        blank=True,
        help_text=_("De ids van de kostenregels, vastgelegd bij het vaststellen."),
    )
    weights = models.JSONField(_("gewichten"), default=dict, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords(excluded_fields=["cost_line_ids"])

    objects = TenantManager.from_queryset(FrozenQuerySet)()

    class Meta:
        verbose_name = _("onderdeel van een afrekening")
        verbose_name_plural = _("onderdelen van afrekeningen")
        ordering = ["reckoning", "category", "key_version__valid_from"]


class ReckoningLine(FrozenModel):
    """A member's statement line: its share of the actual costs, its advances, and the difference to settle."""

    tenant_region = "reckoning__region"
    tenant_municipality = "municipality"

    reckoning = models.ForeignKey(Reckoning, on_delete=models.CASCADE, related_name="lines")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    share = models.DecimalField(_("aandeel in de kosten"), **AMOUNT)
    advances = models.DecimalField(_("betaalde voorschotten"), **AMOUNT)
    difference = models.DecimalField(
        _("te betalen (+) of te ontvangen (−)"),
        **AMOUNT,
        help_text=_("Aandeel min voorschotten: positief betaalt de gemeente bij, negatief krijgt zij terug."),
    )
    previous_share = models.DecimalField(_("aandeel in de vorige versie"), null=True, blank=True, **AMOUNT)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(FrozenQuerySet)()

    class Meta:
        verbose_name = _("afrekeningsregel")
        verbose_name_plural = _("afrekeningsregels")
        ordering = ["reckoning", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["reckoning", "municipality"], name="reckoning_line_unique")]

    @property
    def correction(self) -> Decimal | None:
        """The change against the previous version (a credit or extra invoice, SPEC §6.5)."""
        if self.previous_share is None:
            return None
        return self.share - self.previous_share

    @property
    def to_settle(self) -> Decimal:
        """What invoicing settles for this line: the difference with the advances for a first version; for a
        correction version only the change against the previous version (its difference was settled already)."""
        return self.difference if self.previous_share is None else self.share - self.previous_share


class ReckoningItem(FrozenModel):
    """One member's part of one ReckoningPart: the trace from a statement line to key version and cost lines."""

    tenant_region = "reckoning__region"
    tenant_municipality = "municipality"

    reckoning = models.ForeignKey(Reckoning, on_delete=models.CASCADE, related_name="items")
    part = models.ForeignKey(ReckoningPart, on_delete=models.CASCADE, related_name="items")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    weight = models.DecimalField(_("gewicht"), **WEIGHT)
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(FrozenQuerySet)()

    class Meta:
        verbose_name = _("afrekeningspost")
        verbose_name_plural = _("afrekeningsposten")
        ordering = ["reckoning", "municipality__name", "part"]
