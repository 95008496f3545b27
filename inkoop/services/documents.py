"""Private documents of the purchasing side (evidence, written consents): PDFs only, bounded, under a random name."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from agreements.documents import validate_pdf
from inkoop.models import PurchasingDocument
from inkoop.services.common import text
from regio.tenancy import person


def store_document(*, user, region, title: str, name: str, content: bytes) -> PurchasingDocument:
    """Store one PDF for the region; the caller has checked (inside its transaction) that the user acts for it."""
    from django.core.exceptions import ValidationError

    try:
        validate_pdf(name=name, content=content)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from None
    document = PurchasingDocument(
        region=region,
        title=text(title, name="document", limit=200, required=True),
        original_name=(name or "document.pdf")[-255:],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=person(user),
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    return document


def read_upload(upload) -> tuple[str, bytes] | None:
    """(name, content) of an uploaded file, read at most one byte past the limit so an oversized file is refused
    without reading it whole."""
    from agreements.documents import max_bytes

    if upload is None:
        return None
    upload.seek(0)
    return getattr(upload, "name", "") or "document.pdf", upload.read(max_bytes() + 1)
