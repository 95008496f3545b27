"""Celery tasks of invoicing: they take ids, start on commit and are idempotent (STYLE.md rule 10)."""

from __future__ import annotations

import gc
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from invoicing import documents
from invoicing.models import DocumentStatus, InvoiceDocument

logger = logging.getLogger(__name__)


@worker_process_init.connect
def _freeze_startup_heap(**kwargs):
    """WeasyPrint allocates many short-lived objects; moving Django's start-up heap out of the garbage collector's
    reach (gc.freeze) makes each PDF render about 10 % faster in a worker (bench/invoices.py)."""
    gc.freeze()


@shared_task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def render_document(self, document_id: int) -> str:
    """Render one PDF (invoice, reminder, interest claim) to private media.

    Only the document row changes, never the invoice: a failed render is marked ``failed`` with the error and can be
    retried (the task itself, or the retry button). A document already rendered is left alone (idempotent).
    """
    with transaction.atomic():
        document = (
            InvoiceDocument.objects.unrestricted().select_for_update().select_related("invoice").get(pk=document_id)
        )
        if document.status == DocumentStatus.READY and document.file:
            return "ready"
        document.attempts += 1
        document.save(update_fields=["attempts"])
    try:
        html = documents.render_html(document.invoice, document.kind, document)
        pdf = documents.render_pdf(html)
    except Exception as exc:  # any render failure is recorded on the document, not raised into the invoice
        logger.exception("PDF van %s mislukt", document)
        InvoiceDocument.objects.unrestricted().filter(pk=document.pk).update(
            status=DocumentStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return "failed"
    name = f"{document.kind}-{document.invoice.number or document.invoice.pk}.pdf"
    with transaction.atomic():
        document = InvoiceDocument.objects.unrestricted().select_for_update().get(pk=document_id)
        document.file.save(name, ContentFile(pdf), save=False)
        document.status = DocumentStatus.READY
        document.error = ""
        document.rendered_at = timezone.now()
        document.save(update_fields=["file", "status", "error", "rendered_at"])
    if document.kind != "invoice":
        transaction.on_commit(lambda: email_document.delay(document.pk))
    return "ready"


@shared_task
def email_document(document_id: int) -> str:
    """E-mail a reminder or interest claim letter to the recipient's invoice address, once (WM-SO 6.9)."""
    from django.core.mail import EmailMessage

    with transaction.atomic():
        document = (
            InvoiceDocument.objects.unrestricted().select_for_update().select_related("invoice").get(pk=document_id)
        )
        if document.emailed_at or document.status != DocumentStatus.READY:
            return "skipped"
        invoice = document.invoice
        to = invoice.recipient_details.get("email")
        if not to:
            return "no-address"
        sender = invoice.issuer_details.get("name")
        message = EmailMessage(
            subject=f"{document.get_kind_display().capitalize()}: factuur {invoice.number}",
            body=(
                f"Geachte heer, mevrouw,\n\nIn de bijlage vindt u de brief over factuur {invoice.number} van "
                f"{sender}.\n\nMet vriendelijke groet,\n{sender}"
            ),
            to=[to],
        )
        with document.file.open("rb") as handle:
            message.attach(f"{document.kind}-{invoice.number}.pdf", handle.read(), "application/pdf")
        message.send()
        document.emailed_at = timezone.now()
        document.save(update_fields=["emailed_at"])
    return "sent"


@shared_task
def mark_overdue_and_remind() -> dict:
    """Daily (schedule.py): overdue marks after the payment term and the 14-day reminder, once per invoice."""
    from invoicing import services

    return services.mark_overdue_and_remind()


@shared_task(bind=True)
def invoice_reckoning(self, reckoning_id: int, user_id: int) -> dict:
    """Create and issue the invoices of an approved reckoning (idempotent; see services.invoice_reckoning)."""
    from django.contrib.auth import get_user_model

    from costsharing.models import Reckoning
    from invoicing import services

    user = get_user_model().objects.get(pk=user_id)
    reckoning = Reckoning.objects.unrestricted().get(pk=reckoning_id)

    def progress(done, total):
        if not self.request.called_directly:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    result = services.invoice_reckoning(user=user, reckoning=reckoning, progress=progress)
    return {"created": result.created, "invoices": [i.number for i in result.invoices]}
