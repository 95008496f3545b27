"""Read-side queries of cost sharing that the pages and the API share (issue #11). Every function takes the acting
user and returns only what that user may see; the rules live in ``costsharing.services``."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from costsharing.models import KeyShare, KeyVersion


def key_versions(user) -> QuerySet[KeyVersion]:
    """Allocation-key versions with their shares and each share's municipality (SPEC §6.1): the key page and
    ``/api/costsharing/keys/`` show them."""
    return KeyVersion.objects.visible_to(user).prefetch_related(
        Prefetch("shares", queryset=KeyShare.objects.visible_to(user).select_related("municipality"))
    )
