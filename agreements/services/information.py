"""Information requests, data deliveries and progress reports, each with its due date in the deadline service.
Articles: BNO 10.1-10.4, 10.7; WM-DVO algemeen 2-3."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Agreement, InformationKind, InformationRequest, ProgressReport
from agreements.services._common import _check, d
from agreements.services.parties import _require_party, _within_agreement
from regio.bounds import check_date
from regio.models import Municipality


@transaction.atomic
def request_information(
    *,
    user,
    agreement: Agreement,
    requested_by: Municipality,
    addressed_to: Municipality,
    subject: str,
    requested_on: date,
    due_on: date,
    kind: str = InformationKind.INFORMATION,
    article: str = "",
) -> InformationRequest:
    """A request between the centre (coordinating) municipality and a member (BNO 10.1-10.2; WM-DVO algemeen 3: "op
    aanvraag"), with the date by which it is to be answered."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, requested_on, "De datum van het verzoek")
    check_date(due_on, earliest=requested_on, label="De uiterste datum")
    if kind not in InformationKind.values:
        raise ValidationError({"kind": "Kies het soort verzoek."})
    if requested_by.pk == addressed_to.pk:
        raise ValidationError({"addressed_to": "Een gemeente vraagt geen informatie aan zichzelf."})
    if agreement.coordinator_id not in (requested_by.pk, addressed_to.pk):
        raise ValidationError(
            "Informatie wordt gevraagd tussen de centrumgemeente (coördinerende gemeente) en een deelnemer "
            "(BNO 10.1-10.2)."
        )
    _require_party(agreement, requested_by, requested_on)
    _require_party(agreement, addressed_to, requested_on)
    if not (subject or "").strip():
        raise ValidationError({"subject": "Geef het onderwerp van het verzoek."})
    request = InformationRequest(
        agreement=agreement,
        kind=kind,
        requested_by=requested_by,
        addressed_to=addressed_to,
        subject=subject.strip(),
        article=article or ("BNO 10.1-10.2" if kind == InformationKind.INFORMATION else "WM-DVO algemeen 3"),
        requested_on=requested_on,
        due_on=due_on,
    )
    request.save()
    return request


@transaction.atomic
def answer_information_request(*, user, request: InformationRequest, answered_on: date, answer: str):
    """The information is delivered: the request leaves the deadlines (once)."""
    request = InformationRequest.objects.unrestricted().select_for_update().get(pk=request.pk)
    _check(user, request)
    if request.answered_on:
        raise ValidationError(f"Dit verzoek is al beantwoord op {d(request.answered_on)}.")
    check_date(answered_on, earliest=request.requested_on, not_in_future=True, label="De datum van levering")
    if not (answer or "").strip():
        raise ValidationError({"answer": "Beschrijf wat er geleverd is."})
    request.answered_on = answered_on
    request.answer = answer.strip()
    request.save()
    return request


@transaction.atomic
def plan_progress_report(
    *, user, agreement: Agreement, title: str, due_on: date, period: str = "", article: str = "BNO 10.4"
) -> ProgressReport:
    """A progress report on the purchasing process that is due for the colleges (BNO 10.4, 8.5)."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, due_on, "De uiterste datum")
    if not (title or "").strip():
        raise ValidationError({"title": "Geef de titel van de rapportage."})
    report = ProgressReport(agreement=agreement, title=title.strip(), period=period, due_on=due_on, article=article)
    report.save()
    return report


@transaction.atomic
def send_progress_report(*, user, report: ProgressReport, sent_on: date) -> ProgressReport:
    """The progress report is put to the colleges for information (BNO 10.4), dated."""
    report = ProgressReport.objects.unrestricted().select_for_update().select_related("agreement").get(pk=report.pk)
    _check(user, report)
    if report.sent_on:
        raise ValidationError(f"Deze rapportage is al op {d(report.sent_on)} aan de colleges gezonden.")
    _within_agreement(report.agreement, sent_on, "De verzenddatum")
    check_date(sent_on, not_in_future=True, label="De verzenddatum")
    report.sent_on = sent_on
    report.save()
    return report
