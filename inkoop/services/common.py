"""Helpers the purchasing services share: locking a row the user may act on, and validating a record in Dutch."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from regio.tenancy import CHANGE, can, require


def lock(instance, user, action: str = CHANGE):
    """The row, locked for the rest of the transaction, after checking again that the user may act on it."""
    locked = type(instance).objects.unrestricted("vergrendelen na de controle hieronder").select_for_update()
    locked = locked.get(pk=instance.pk)
    if not can(user, action, locked):
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
    return locked


def lock_region(region, user, action: str = CHANGE):
    """The region, locked: the purchasing records of one region change one at a time (frames and budgets)."""
    require(user, action, region, "Alleen de coördinerende gemeente van de regio legt dit vast.")
    return (
        type(region)
        .objects.unrestricted("vergrendelen na de controle hierboven")
        .select_for_update()
        .get(pk=region.pk)
    )


def validated(instance, *, exclude: tuple[str, ...] = ()):
    """``full_clean`` then save: every field's validators and the model's own rule, the message in Dutch."""
    instance.full_clean(exclude=list(exclude) or None)
    instance.save()
    return instance


def text(value, *, name: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: "Vul dit veld in."})
    if len(value) > limit:
        raise ValidationError({name: f"Ten hoogste {limit} tekens."})
    return value
