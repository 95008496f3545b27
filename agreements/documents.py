"""Documents (signed PDFs, annexes, minutes) as private media: checked on upload, versioned, downloaded only through
a view that checks tenancy (SPEC §1; issue #4)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from agreements.models import Agreement, Document, DocumentKind, Meeting
from regio.tenancy import CHANGE, can, person

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "AGREEMENT_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def validate_pdf(*, name: str, content: bytes) -> None:
    """Only PDFs, not empty, at most ``max_bytes()``; the message says what is wrong in plain Dutch."""
    limit = max_bytes()
    if not name.lower().endswith(".pdf"):
        raise ValidationError("Kies een PDF-bestand (.pdf); andere bestandssoorten worden niet opgeslagen.")
    if not content:
        raise ValidationError("Het bestand is leeg.")
    if len(content) > limit:
        raise ValidationError(f"Het bestand is te groot: hoogstens {limit // (1024 * 1024)} MB.")
    if not content.startswith(b"%PDF-"):
        raise ValidationError("Dit bestand is geen PDF (het begint niet met %PDF-), ook al eindigt de naam op .pdf.")


@transaction.atomic
def add_document(
    *,
    user,
    agreement: Agreement | None = None,
    meeting: Meeting | None = None,
    title: str,
    kind: str = DocumentKind.SIGNED,
    name: str,
    content: bytes,
) -> Document:
    """Store a new version: a document with the same title on the same agreement or meeting gets the next number."""
    subject = agreement or meeting
    if subject is None:
        raise ValidationError("Een document hoort bij een overeenkomst of een overleg.")
    subject = type(subject).objects.unrestricted().select_for_update().get(pk=subject.pk)
    if not can(user, CHANGE, subject):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("U mag hier geen documenten toevoegen.")
    validate_pdf(name=name, content=content)
    existing = Document.objects.unrestricted().filter(agreement=agreement, meeting=meeting, title=title)
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    document = Document(
        region_id=subject.region_id,
        agreement=agreement,
        meeting=meeting,
        kind=kind,
        title=title,
        version=version,
        original_name=name[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=person(user),
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    return document
