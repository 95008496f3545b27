"""Rules of the supervision plans (WM-DVO annex 4, "Beleidskader en uitvoering"; WM-SO 3.2 c). Keyword-only, acting
user first (STYLE.md rule 1).

The supervisors draw up the policy frame's elaboration, the execution plan and the annual plan and are the only ones
who change them; the members' civil servants read them beforehand and may comment, without a say over the content.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from regio.bounds import check_date, check_year
from regio.privacy import refuse_bsn
from regio.tenancy import ADD, CHANGE, NOTHING, VIEW, can, is_system, person, require, scope_of
from toezicht.models.plans import PlanComment, PlanKind, SupervisionPlan

TEXT_LIMITS = {"summary": 10000, "priorities": 5000, "themes": 5000, "planned_investigations": 5000}


def _allows(condition) -> bool:
    """A model's tenant filter for an action says "nobody" with ``NOTHING``."""
    return condition != NOTHING


def _check_plan_text(*, title: str, texts: dict[str, str]) -> dict[str, str]:
    problems = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = "Geef het plan een titel."
    elif len(title) > 200:
        problems["title"] = "De titel is te lang: ten hoogste 200 tekens."
    cleaned = {}
    for name, value in texts.items():
        value = (value or "").strip()
        if len(value) > TEXT_LIMITS[name]:
            problems[name] = f"Ten hoogste {TEXT_LIMITS[name]} tekens."
            continue
        try:
            refuse_bsn(value)
        except ValidationError as exc:
            problems[name] = exc.messages[0]
        cleaned[name] = value
    if problems:
        raise ValidationError(problems)
    return {"title": title, **cleaned}


def save_plan(
    *,
    user,
    region,
    kind: str,
    year: int,
    title: str,
    summary: str = "",
    priorities: str = "",
    themes: str = "",
    planned_investigations: str = "",
    adopted_on: date | None = None,
) -> SupervisionPlan:
    """A supervisor draws up or changes a plan of the region for a year (WM-DVO annex 4: "De toezichthouders stellen
    jaarlijks een jaarplan op"). Only supervisors change plans (WM-SO 3.2 c: the civil servants have no say); one plan
    of each kind per region per year, so saving again changes that plan (the history keeps every version)."""
    scope = scope_of(user)
    if not is_system(user) and not (
        _allows(SupervisionPlan.tenant_filter(scope, CHANGE)) and region.pk in scope.member_region_ids
    ):
        raise PermissionDenied("Alleen de toezichthouders van deze regio stellen de plannen op.")
    if kind not in PlanKind.values:
        raise ValidationError({"kind": "Kies beleidskader, uitvoeringsplan of jaarplan."})
    year = check_year(year)
    if adopted_on is not None:
        check_date(adopted_on, not_in_future=True, label="De datum van vaststelling")
    values = _check_plan_text(
        title=title,
        texts={
            "summary": summary,
            "priorities": priorities,
            "themes": themes,
            "planned_investigations": planned_investigations,
        },
    )
    with transaction.atomic():
        plan = (
            SupervisionPlan.objects.unrestricted("vergrendelen; rechten hieronder getoetst")
            .select_for_update()
            .filter(region=region, kind=kind, year=year)
            .first()
        )
        if plan is None:
            plan = SupervisionPlan(region=region, kind=kind, year=year)
        else:
            require(user, CHANGE, plan, "Alleen de toezichthouders van deze regio wijzigen dit plan.")
        for name, value in values.items():
            setattr(plan, name, value)
        plan.adopted_on = adopted_on
        plan.updated_by = person(user)
        plan.save()
    return plan


def comment_on_plan(*, user, plan: SupervisionPlan, text: str) -> PlanComment:
    """Someone of a member municipality comments on a plan (WM-SO 3.2 c: the civil servants' meeting reads the plan
    beforehand). The comment is advice: it changes nothing in the plan, and it is not edited afterwards."""
    require(user, VIEW, plan)
    scope = scope_of(user)
    if is_system(user) or not _allows(PlanComment.tenant_filter(scope, ADD)) or scope.municipality_id is None:
        raise PermissionDenied("Alleen medewerkers van een deelnemende gemeente plaatsen een opmerking.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Schrijf een opmerking."})
    if len(text) > 5000:
        raise ValidationError({"text": "De opmerking is te lang: ten hoogste 5000 tekens."})
    refuse_bsn(text)
    with transaction.atomic():
        plan = SupervisionPlan.objects.restrict(user, VIEW).select_for_update().get(pk=plan.pk)
        return PlanComment.objects.create(plan=plan, author=user, municipality_id=scope.municipality_id, text=text)


def may_edit_plans(*, user, region) -> bool:
    """Whether the user may draw up the region's plans (pages show the form only then)."""
    scope = scope_of(user)
    return _allows(SupervisionPlan.tenant_filter(scope, CHANGE)) and region.pk in scope.member_region_ids


def may_comment(*, user, plan: SupervisionPlan) -> bool:
    return can(user, VIEW, plan) and _allows(PlanComment.tenant_filter(scope_of(user), ADD))


def plans_for(*, user):
    """The plans the user may read, newest year first (the page and the API share this)."""
    return (
        SupervisionPlan.objects.visible_to(user)
        .select_related("region", "updated_by")
        .order_by("region__name", "-year", "kind", "pk")
    )
