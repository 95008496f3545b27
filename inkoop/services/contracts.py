"""Framework contracts (WM-SO 2.4 b-c, 4.11, 4.12; BNO 4): the consent round, signing under mandate, extensions,
tariffs with indexation, budgets within the region's frame, and KPI measurements. Lifecycle: concept → instemming
(consent round) → getekend, or geweigerd when a member gives no consent; every step is a function here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from agreements.models import Power
from agreements.services import may_act
from agreements.services._common import add_months, d
from inkoop.models import (
    ConsentDecision,
    ContractBudget,
    ContractProduct,
    ContractStatus,
    FrameworkContract,
    Kpi,
    KpiValue,
    MemberConsent,
    PurchasingFrame,
    Tariff,
)
from inkoop.services.common import lock, lock_region, text, validated
from inkoop.services.documents import store_document
from regio.amounts import check_bounds
from regio.bounds import check_percentage, check_year
from regio.formatting import format_amount, round_cents
from regio.tenancy import ADD, person

CONTRACT_FIELDS = ("title", "starts_on", "ends_on", "extension_options", "extension_months", "notice_months")


def create_contract(*, user, region, provider, reference, lot=None, **fields) -> FrameworkContract:
    """A draft framework contract of the region with one of its providers."""
    with transaction.atomic():
        region = lock_region(region, user, ADD)
        if provider.region_id != region.pk:
            raise ValidationError({"provider": "Kies een aanbieder uit het register van deze regio."})
        if lot is not None and lot.procedure.region_id != region.pk:
            raise ValidationError({"lot": "Kies een perceel van een aanbesteding van deze regio."})
        reference = text(reference, name="reference", limit=60, required=True)
        if FrameworkContract.objects.unrestricted("uniek kenmerk").filter(reference=reference).exists():
            raise ValidationError({"reference": "Er is al een raamcontract met dit kenmerk."})
        contract = FrameworkContract(region=region, provider=provider, lot=lot, reference=reference)
        for name in CONTRACT_FIELDS:
            if name in fields:
                setattr(contract, name, fields[name])
        return validated(contract)


def members_to_consent(contract: FrameworkContract) -> list:
    """The members whose written consent the coordinating municipality needs (WM-SO 4.11): every member on the
    contract's start date except the coordinating municipality itself."""
    coordinator = contract.region.coordinator_on(contract.starts_on)
    members = contract.region.members_on(contract.starts_on).order_by("name")
    return [m for m in members if coordinator is None or m.pk != coordinator.pk]


def open_consent_round(*, user, contract: FrameworkContract) -> FrameworkContract:
    with transaction.atomic():
        contract = lock(contract, user)
        if contract.status != ContractStatus.DRAFT:
            raise ValidationError("Alleen een concept gaat de instemmingsronde in.")
        contract.status = ContractStatus.CONSENT
        contract.save()
        return contract


def record_consent(
    *, user, contract: FrameworkContract, municipality, decision, decided_on: date, document=None, note=""
) -> MemberConsent:
    """A member's written decision on the contract (WM-SO 4.11), with its date and document (``document`` is
    (file name, PDF bytes); required for a consent, which must be written). A member that gives no consent ends the
    round: the contract is refused, it cannot be signed on that member's behalf."""
    with transaction.atomic():
        contract = lock(contract, user)
        if contract.status != ContractStatus.CONSENT:
            raise ValidationError("Instemmingen worden vastgelegd tijdens de instemmingsronde.")
        if municipality.pk not in {m.pk for m in members_to_consent(contract)}:
            raise ValidationError({"municipality": "Deze gemeente hoeft niet in te stemmen met dit raamcontract."})
        if decision not in ConsentDecision.values:
            raise ValidationError({"decision": "Kies akkoord of geen akkoord."})
        if decision == ConsentDecision.GIVEN and document is None:
            raise ValidationError(
                {"document": "Het akkoord is schriftelijk (WM-SO 4.11): voeg de brief of het besluit toe."}
            )
        consent = (
            MemberConsent.objects.unrestricted("de rij hoort bij het object dat hierboven met can() is vergrendeld")
            .filter(contract=contract, municipality=municipality)
            .first()
        )
        consent = consent or MemberConsent(contract=contract, municipality=municipality)
        consent.decision, consent.decided_on = decision, decided_on
        consent.note = text(note, name="note", limit=500)
        consent.full_clean(exclude=["document", "mandate"])
        if document is not None:
            name, content = document
            consent.document = store_document(
                user=user,
                region=contract.region,
                title=f"{contract.reference}: besluit {municipality.name}",
                name=name,
                content=content,
            )
        consent.save()
        if decision == ConsentDecision.REFUSED:
            contract.status = ContractStatus.REFUSED
            contract.refused_on = decided_on
            contract.refusal_reason = (
                f"{municipality.name} heeft geen akkoord gegeven op {d(decided_on)} (WM-SO 4.11)."
            )
            contract.save()
        return consent


def signing_problems(contract: FrameworkContract, on: date) -> tuple[list[str], dict]:
    """What stands in the way of signing on ``on`` (WM-SO 4.11, 4.12), and the mandate per member when nothing does."""
    problems, mandates = [], {}
    coordinator = contract.region.coordinator_on(on)
    consents = {c.municipality_id: c for c in contract.consents.all()}
    for member in members_to_consent(contract):
        consent = consents.get(member.pk)
        if consent is None or consent.decision != ConsentDecision.GIVEN or consent.document_id is None:
            problems.append(f"{member.name} heeft (nog) geen schriftelijk akkoord gegeven (WM-SO 4.11).")
            continue
        if consent.decided_on > on:
            problems.append(f"Het akkoord van {member.name} is van na {d(on)}.")
            continue
        answer = may_act(
            acting_municipality=coordinator, on_behalf_of=member, power=Power.FRAMEWORK_CONTRACTS, on_date=on
        )
        if not answer.allowed:
            problems.append(answer.reason)
        mandates[member.pk] = answer.mandate
    return problems, mandates


def sign_contract(*, user, contract: FrameworkContract, signed_on: date) -> FrameworkContract:
    """Sign on behalf of the members: only with every member's written consent and a valid mandate from each
    (WM-SO 4.11, 4.12); refused otherwise with every reason, and nothing changes. The mandates are recorded."""
    with transaction.atomic():
        contract = lock(contract, user)
        if contract.status != ContractStatus.CONSENT:
            raise ValidationError("Alleen een raamcontract in de instemmingsronde kan worden getekend.")
        problems, mandates = signing_problems(contract, signed_on)
        if problems:
            raise ValidationError(problems)
        for consent in contract.consents.select_for_update():
            consent.mandate = mandates.get(consent.municipality_id)
            consent.save(update_fields=["mandate"])
        contract.status, contract.signed_on, contract.signed_by = ContractStatus.SIGNED, signed_on, person(user)
        contract.save()
        return contract


def extend_contract(*, user, contract: FrameworkContract) -> FrameworkContract:
    """Use one extension option: the end date moves by the agreed months."""
    with transaction.atomic():
        contract = lock(contract, user)
        if contract.status != ContractStatus.SIGNED or contract.extensions_left < 1:
            raise ValidationError("Dit raamcontract heeft geen verlengingsoptie meer.")
        contract.ends_on = add_months(contract.ends_on, contract.extension_months)
        contract.extensions_used += 1
        contract.save()
        return contract


def add_product(*, user, contract: FrameworkContract, code, name, unit) -> ContractProduct:
    with transaction.atomic():
        contract = lock(contract, user)
        return validated(ContractProduct(contract=contract, code=code, name=name, unit=unit))


def set_tariff(*, user, product: ContractProduct, year, amount: Decimal, indexation: Decimal | None = None) -> Tariff:
    with transaction.atomic():
        product = lock(product, user)
        year = check_year(year)
        amount = check_bounds(amount, label="Het tarief")
        tariff, _created = Tariff.objects.unrestricted(
            "de rij hoort bij het object dat hierboven met can() is vergrendeld"
        ).update_or_create(product=product, year=year, defaults={"amount": amount, "indexation": indexation})
        return tariff


def index_tariffs(*, user, contract: FrameworkContract, year, percentage: Decimal) -> list[Tariff]:
    """Next year's tariffs: last year's indexed by ``percentage``, rounded once to cents (WM-SO 6.4 practice)."""
    year = check_year(year)
    percentage = check_percentage(percentage, low=Decimal("-10"), high=Decimal("25"), label="De indexatie")
    with transaction.atomic():
        contract = lock(contract, user)
        made = []
        for product in contract.products.all():
            last = product.tariffs.filter(year=year - 1).first()
            if last is None:
                raise ValidationError(f"{product}: er is geen tarief voor {year - 1} om te indexeren.")
            amount = round_cents(last.amount * (1 + percentage / 100))
            tariff, _created = Tariff.objects.unrestricted(
                "de rij hoort bij het object dat hierboven met can() is vergrendeld"
            ).update_or_create(product=product, year=year, defaults={"amount": amount, "indexation": percentage})
            made.append(tariff)
        return made


def set_frame(*, user, region, year, amount: Decimal) -> PurchasingFrame:
    """The region's financial frame for the year (BNO 4); never below the budgets already given out."""
    with transaction.atomic():
        region = lock_region(region, user)
        year, amount = check_year(year), check_bounds(amount, label="Het financieel kader")
        given = _budgets_total(region, year)
        if amount < given:
            raise ValidationError({"amount": f"De budgetten van {year} zijn samen al {format_amount(given)}."})
        frame, _created = PurchasingFrame.objects.unrestricted(
            "de rij hoort bij het object dat hierboven met can() is vergrendeld"
        ).update_or_create(region=region, year=year, defaults={"amount": amount})
        return frame


def _budgets_total(region, year, *, leaving_out=None) -> Decimal:
    rows = ContractBudget.objects.unrestricted("som binnen het kader van de vergrendelde regio").filter(
        contract__region=region, year=year
    )
    if leaving_out is not None:
        rows = rows.exclude(contract=leaving_out)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def set_budget(*, user, contract: FrameworkContract, year, amount: Decimal) -> ContractBudget:
    """A provider's budget for the year, within the region's financial frame (BNO 4: "tarieven/budgetten per
    aanbieder binnen het financiële kader van de regio"). The region is locked, so two budgets cannot both fit."""
    year, amount = check_year(year), check_bounds(amount, label="Het budget")
    with transaction.atomic():
        lock_region(contract.region, user)
        contract = lock(contract, user)
        frame = (
            PurchasingFrame.objects.unrestricted("de rij hoort bij het object dat hierboven met can() is vergrendeld")
            .filter(region=contract.region, year=year)
            .first()
        )
        if frame is None:
            raise ValidationError({"year": f"Leg eerst het financieel kader van {year} vast (BNO 4)."})
        others = _budgets_total(contract.region, year, leaving_out=contract)
        if others + amount > frame.amount:
            room = frame.amount - others
            raise ValidationError(
                {"amount": f"Dit past niet binnen het financieel kader van {year}: er is nog {format_amount(room)}."}
            )
        budget, _created = ContractBudget.objects.unrestricted(
            "de rij hoort bij het object dat hierboven met can() is vergrendeld"
        ).update_or_create(contract=contract, year=year, defaults={"amount": amount})
        return budget


def add_kpi(*, user, contract: FrameworkContract, name, target: Decimal, unit="", higher_is_better=True) -> Kpi:
    with transaction.atomic():
        contract = lock(contract, user)
        kpi = Kpi(contract=contract, name=name, target=target, unit=unit, higher_is_better=higher_is_better)
        return validated(kpi)


def record_kpi_value(*, user, kpi: Kpi, period_start: date, period_end: date, value: Decimal) -> KpiValue:
    """A measured value of an indicator for a period (WM-SO 2.4 c); measuring the same period again replaces it."""
    with transaction.atomic():
        kpi = lock(kpi, user)
        if period_end < period_start:
            raise ValidationError({"period_end": "De periode eindigt niet vóór ze begint."})
        row = KpiValue.objects.unrestricted(
            "de rij hoort bij het object dat hierboven met can() is vergrendeld"
        ).filter(kpi=kpi, period_start=period_start).first() or KpiValue(kpi=kpi, period_start=period_start)
        row.period_end, row.value = period_end, value
        return validated(row)
