"""BNO's yearly cycle (issue 12, part B): the execution costs adopted for two years, the annual report with its
settlement proposal per municipality, and its adoption. Articles: BNO 10.5, 10.6, 11.1; SPEC §6.5.

- BNO 11.1: "De centrumgemeente laat de kosten van de uitvoeringsorganisatie en de organisatie van het toezicht Wmo
  ... tweejaarlijks door de colleges van de gemeenten vaststellen via het inkoopplan": a cost plan for two years,
  with each college's adoption and its date.
- BNO 10.5: "De centrumgemeente rapporteert zowel inhoudelijk als financieel binnen vier maanden na afloop van het
  jaar in een jaarverslag": the report of year Y is due on 30 April of Y+1 (the deadline of the plan obligation
  ``jaarverslag`` links to it).
- BNO 10.6: the report holds a content report (none in the year the purchasing plan is adopted), the financial
  accounts of the execution organisation (here: budget against actual per cost category) and "een voorstel voor
  afrekening per gemeente" (here: each member's share of the actual costs by the key against what it paid on the
  budget, from the one reckoning computation, ``compute_reckoning``).

Nothing of BNO is reckoned on 1 December: its costs are settled only through an adopted annual report
(``settles_by_annual_report``; invoicing refuses the December reckoning for such a region).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import AgreementKind
from agreements.selectors import frame_agreement
from costsharing.models import (
    AnnualReport,
    AnnualReportVersion,
    Category,
    CollegeAdoption,
    ExecutionCostPlan,
)
from costsharing.services._common import require_coordinator
from costsharing.services.budgets import budget_totals
from costsharing.services.reckoning import compute_reckoning
from regio.bounds import check_date, check_year
from regio.formatting import format_date
from regio.models import Membership, Municipality, Region
from regio.tenancy import person

ZERO = Decimal("0.00")
REPORT_ARTICLE = "BNO 10.5-10.6"
PLAN_ARTICLE = "BNO 11.1"
MAX_CONTENT = 20_000
# The plan obligation of the annual report in the region file (agreements' ``plans``; BNO 10.5): its deadline links
# to the report page and the first version marks it delivered.
REPORT_PLAN_KEY = "jaarverslag"


def report_due_on(year: int) -> date:
    """BNO 10.5: within four months after the end of the year, so 30 April of the next year."""
    return date(year + 1, 4, 30)


def settles_by_annual_report(*, region: Region, on: date | None = None) -> bool:
    """Does this region settle its costs through an annual report (a centrumregeling, BNO 10.5-10.6) rather than the
    December reckoning (WM-SO 6.7)? The region's frame agreement in force on the date decides, else the last one
    that began before it (a year settled after the scheme ended, BNO 15.4). Its settlement calendar decides (shape
    ``bno``); an agreement without a calendar falls back on its kind (a centrumregeling)."""
    from agreements.models import CalendarShape, SettlementCalendar

    on = on or timezone.localdate()
    found = frame_agreement(region=region, on=on, or_last_ended=True)
    if found is None:
        return False
    calendar = SettlementCalendar.objects.unrestricted("the region's own agreement, found above").filter(
        agreement=found
    )
    shape = calendar.values_list("shape", flat=True).first()
    if shape is not None:
        return shape == CalendarShape.BNO
    return found.kind == AgreementKind.CENTRAL_SCHEME


def _adoption_date(value) -> date:
    if not isinstance(value, date):
        raise ValidationError({"adopted_on": "Geef de datum van vaststelling, bijvoorbeeld 12-05-2025."})
    try:
        return check_date(value, not_in_future=True, label="De datum van vaststelling")
    except ValidationError as exc:
        raise ValidationError({"adopted_on": exc.messages}) from None


# --- the two-year cost plan (BNO 11.1) ----------------------------------------------------------------------------


def record_cost_plan(
    *,
    user,
    region: Region,
    first_year: int,
    title: str,
    first_year_amount: Decimal,
    second_year_amount: Decimal,
    article: str = PLAN_ARTICLE,
) -> ExecutionCostPlan:
    """The execution and supervision costs for two years as the purchasing plan puts them to the colleges (BNO
    11.1). A second call for the same region and first year changes the amounts while no college has adopted it."""
    require_coordinator(user, region)
    first_year = check_year(first_year, label="Het eerste jaar")
    for value in (first_year_amount, second_year_amount):
        if not isinstance(value, Decimal):
            raise TypeError("bedragen zijn Decimal, geen float")
    errors = {}
    if not title.strip():
        errors["title"] = "Geef de titel van het inkoopplan."
    for name, value in (("first_year_amount", first_year_amount), ("second_year_amount", second_year_amount)):
        if value < 0:
            errors[name] = "Het bedrag is niet negatief."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = (
            ExecutionCostPlan.objects.unrestricted("a service: require_coordinator checked the acting user first")
            .select_for_update()
            .filter(region=region, first_year=first_year)
            .first()
        )
        if (
            plan is not None
            and plan.adoptions.unrestricted("a service: require_coordinator checked the acting user first").exists()
        ):
            if (plan.first_year_amount, plan.second_year_amount) != (first_year_amount, second_year_amount):
                raise ValidationError(
                    "Colleges hebben deze kosten al vastgesteld (BNO 11.1); leg een nieuw inkoopplan vast."
                )
            return plan
        values = {
            "title": title.strip()[:300],
            "article": article.strip()[:100] or PLAN_ARTICLE,
            "first_year_amount": first_year_amount,
            "second_year_amount": second_year_amount,
        }
        if plan is not None and all(getattr(plan, k) == v for k, v in values.items()):
            return plan  # a second import of the same plan changes nothing
        plan = plan or ExecutionCostPlan(region=region, first_year=first_year)
        for name, value in values.items():
            setattr(plan, name, value)
        plan.full_clean(exclude=["region"])
        plan.save()
    return plan


def record_college_adoption(
    *, user, plan: ExecutionCostPlan, municipality: Municipality, adopted_on: date, reference: str = ""
) -> CollegeAdoption:
    """One college adopted the two-year costs (BNO 11.1: "door de colleges van de gemeenten vaststellen"), with its
    date. Recorded once per college; recording it again with the same date changes nothing."""
    require_coordinator(user, plan.region)
    adopted_on = _adoption_date(adopted_on)
    with transaction.atomic():
        locked = (
            ExecutionCostPlan.objects.unrestricted("a service: require_coordinator checked the acting user first")
            .select_for_update()
            .get(pk=plan.pk)
        )
        if (
            not Membership.objects.unrestricted("a service: require_coordinator checked the acting user first")
            .filter(region=locked.region, municipality=municipality)
            .exists()
        ):
            raise ValidationError({"municipality": f"{municipality.name} is geen lid van de regio."})
        existing = (
            CollegeAdoption.objects.unrestricted("a service: require_coordinator checked the acting user first")
            .filter(plan=locked, municipality=municipality)
            .first()
        )
        if existing is not None:
            if existing.adopted_on != adopted_on:
                raise ValidationError(
                    {
                        "adopted_on": f"Het college van {municipality.name} stelde deze kosten al vast op "
                        f"{format_date(existing.adopted_on)}."
                    }
                )
            return existing
        return CollegeAdoption.objects.create(
            plan=locked,
            municipality=municipality,
            adopted_on=adopted_on,
            reference=reference.strip()[:300],
            recorded_by=person(user),
        )


# --- the annual report (BNO 10.5-10.6) ----------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def report_figures(*, region: Region, year: int) -> dict:
    """The financial accounts and the settlement proposal of a year (BNO 10.6), as plain data that a version keeps:
    the budget against the actual costs per category (``budget_totals``; ``compute_reckoning``, the one computation
    of actual shares by the key) and per member its share of the actual costs, what it paid on the budget and the
    difference (positive: to pay; negative: to get back). Raises the reckoning's error in words when inputs are
    missing."""
    computation = compute_reckoning(region=region, year=year)
    budget = budget_totals(region=region, year=year)
    actual: dict[str, Decimal] = {}
    shares: dict[int, Decimal] = {}
    for part in computation.parts:
        actual[part.category] = actual.get(part.category, ZERO) + part.amount
        for p in part.parts:
            shares[p.municipality.pk] = shares.get(p.municipality.pk, ZERO) + p.amount
    categories = []
    for category in Category:
        if category.value in budget or category.value in actual:
            b, a = budget.get(category.value, ZERO), actual.get(category.value, ZERO)
            categories.append(
                {"category": category.value, "label": str(category.label), "budget": _money(b), "actual": _money(a)}
            )
    members = computation.municipalities
    centre = region.coordinator_on(date(year, 12, 31))
    proposal = []
    for pk in sorted(members, key=lambda k: members[k].name):
        share = shares.get(pk, ZERO)
        paid = computation.advances.get(pk, ZERO)
        proposal.append(
            {
                "code": members[pk].code,
                "name": members[pk].name,
                "actual_share": _money(share),
                "paid": _money(paid),
                "difference": _money(share - paid),
                # The centre municipality's own share shows; it never invoices itself.
                "centre": centre is not None and pk == centre.pk,
            }
        )
    plan = (
        ExecutionCostPlan.objects.unrestricted("a service: require_coordinator checked the acting user first")
        .filter(region=region, first_year__in=[year, year - 1])
        .order_by("-first_year")
        .first()
    )
    return {
        "region": region.code,
        "year": year,
        "categories": categories,
        "total_budget": _money(sum((Decimal(c["budget"]) for c in categories), ZERO)),
        "total_actual": _money(computation.total),
        "proposal": proposal,
        "plan": (
            {
                "title": plan.title,
                "article": plan.article,
                "first_year": plan.first_year,
                "adopted_amount": _money(plan.amount_for(year)),
            }
            if plan
            else None
        ),
    }


def _plan_adopted_in(region: Region, year: int) -> bool:
    """BNO 10.6: "in het jaar dat het inkoopplan wordt vastgesteld, bevat het jaarverslag geen inhoudelijk verslag"."""
    return (
        CollegeAdoption.objects.unrestricted("a service: require_coordinator checked the acting user first")
        .filter(plan__region=region, adopted_on__year=year)
        .exists()
    )


def draw_up_annual_report(*, user, region: Region, year: int, content: str) -> AnnualReportVersion:
    """Draw up (or redraw) the annual report of a year (BNO 10.5-10.6): the content report the centre municipality
    writes, with the financial accounts and the settlement proposal computed now. A new version when the text or the
    figures changed; the same text and figures give back the latest version. Earlier versions stay as they were
    (readable, PDF); an adopted report changes no more."""
    require_coordinator(user, region)
    try:
        year = check_year(year)
    except ValidationError as exc:
        raise ValidationError({"year": exc.messages}) from None
    if year >= timezone.localdate().year:
        raise ValidationError({"year": "Een jaarverslag gaat over een afgelopen jaar (BNO 10.5)."})
    content = (content or "").replace("\r\n", "\n").strip()
    if len(content) > MAX_CONTENT:
        raise ValidationError({"content": f"Het inhoudelijk verslag is langer dan {MAX_CONTENT} tekens."})
    if not content and not _plan_adopted_in(region, year):
        raise ValidationError(
            {
                "content": "Schrijf het inhoudelijk verslag van de inkoop; alleen in het jaar dat het inkoopplan "
                "wordt vastgesteld ontbreekt het (BNO 10.6)."
            }
        )
    figures = report_figures(region=region, year=year)
    with transaction.atomic():
        report, _created = AnnualReport.objects.unrestricted(
            "a service: require_coordinator checked the acting user first"
        ).get_or_create(region=region, year=year)
        report = (
            AnnualReport.objects.unrestricted("a service: require_coordinator checked the acting user first")
            .select_for_update()
            .get(pk=report.pk)
        )
        if report.adopted_on is not None:
            raise ValidationError(
                f"Het jaarverslag {year} is vastgesteld op {format_date(report.adopted_on)} en verandert niet meer."
            )
        latest = (
            report.versions.unrestricted("a service: require_coordinator checked the acting user first")
            .order_by("-number")
            .first()
        )
        if latest is not None and latest.content == content and _same(latest.figures, figures):
            return latest
        version = AnnualReportVersion.objects.create(
            report=report,
            number=(latest.number + 1) if latest else 1,
            content=content,
            figures=figures,
            created_by=person(user),
        )
        if latest is None:
            _mark_delivered(user, region, year)
    return version


def _mark_delivered(user, region: Region, year: int) -> None:
    """The first version delivers the report: the deadline of the plan obligation ``jaarverslag`` (due 30 April of
    the next year, BNO 10.5) no longer shows (agreements' ``submit_plan``)."""
    from agreements.models import PlanObligation
    from agreements.services import submit_plan

    for obligation in PlanObligation.objects.unrestricted(
        "a service: require_coordinator checked the acting user first"
    ).filter(agreement__region=region, key=REPORT_PLAN_KEY):
        due_year = year + 1
        if obligation.first_year <= due_year and (obligation.last_year is None or due_year <= obligation.last_year):
            submit_plan(user=user, obligation=obligation, year=due_year, submitted_on=timezone.localdate())


def _same(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def adopt_annual_report(
    *, user, report: AnnualReport, version: int, adopted_on: date, decision: str = ""
) -> AnnualReport:
    """Record that the settlement proposal of the report was adopted (BNO 10.6), with its date and by whom: only
    then is it invoiced. Only the latest version can be adopted (the one the colleges saw); once adopted, the report
    is frozen."""
    require_coordinator(user, report.region)
    adopted_on = _adoption_date(adopted_on)
    with transaction.atomic():
        locked = (
            AnnualReport.objects.unrestricted("a service: require_coordinator checked the acting user first")
            .select_for_update(of=("self",))
            .select_related("region", "adopted_version")
            .get(pk=report.pk)
        )
        if locked.adopted_on is not None:
            raise ValidationError(
                f"Het voorstel is al vastgesteld op {format_date(locked.adopted_on)} (versie "
                f"{locked.adopted_version.number})."
            )
        latest = (
            locked.versions.unrestricted("a service: require_coordinator checked the acting user first")
            .order_by("-number")
            .first()
        )
        if latest is None:
            raise ValidationError("Stel eerst het jaarverslag op.")
        if version != latest.number:
            raise ValidationError(
                {"version": f"Versie {version} is niet de laatste; stel de laatste versie ({latest.number}) vast."}
            )
        locked.adopted_version = latest
        locked.adopted_on = adopted_on
        locked.adopted_by = person(user)
        locked.adoption_decision = decision.strip()[:300]
        locked.save()
    return locked
