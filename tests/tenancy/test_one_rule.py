"""One authorization rule, ``can(user, action, target)``, and the explicit system actor (issue 10, finding 8).

Before: services skipped the check when ``user`` was ``None`` ("the system"), the rule "may this user act for this
region" was written out about twelve times, and page views validated input before they refused a user who may only
look, so a non-coordinator posting invalid data saw field errors instead of the 403.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agreements.documents import add_document
from costsharing import services as costsharing_services
from costsharing.models import CaoStep
from invoicing import services as invoicing_services
from regio.roles import Role
from regio.tenancy import (
    ADD,
    CHANGE,
    VIEW,
    TenancyError,
    acting_region_ids,
    can,
    is_system,
    person,
    system_actor,
)
from tests.invoicing.helpers import coordinator, issued
from tests.tenancy.matrix import db_fingerprint


def test_finding_8_region_as_target_is_the_one_act_for_region_rule(world):
    """Members see their region; only the coordinating municipality's staff act for it; a portfolio holder only
    looks; another region's staff neither see nor act."""
    a1_staff = world.user("a1", Role.COORDINATOR)
    a2_civil = world.user("a2", Role.CIVIL_SERVANT)
    a1_alderman = world.user("a1", Role.PORTFOLIO_HOLDER)
    b1_staff = world.user("b1", Role.COORDINATOR)
    assert can(a1_staff, CHANGE, world.a) and can(a1_staff, ADD, world.a)
    assert can(a2_civil, VIEW, world.a) and not can(a2_civil, CHANGE, world.a)
    assert can(a1_alderman, VIEW, world.a) and not can(a1_alderman, ADD, world.a)
    assert not can(b1_staff, VIEW, world.a) and not can(b1_staff, CHANGE, world.a)
    assert can(b1_staff, CHANGE, world.b)
    # A municipality as target: its coordinators act for it, itself only looks.
    assert can(a1_staff, CHANGE, world.a2) and not can(a2_civil, CHANGE, world.a2) and can(a2_civil, VIEW, world.a2)
    assert not can(a2_civil, VIEW, world.a3), "a2 acts not for a3, another ordinary member"
    assert acting_region_ids(a1_staff) == {world.a.pk} and acting_region_ids(a2_civil) == frozenset()


def test_finding_8_can_refuses_a_missing_user_and_lets_the_system_actor_act(world):
    with pytest.raises(TenancyError):
        can(None, CHANGE, world.a)
    with pytest.raises(TenancyError):
        can(world.user("a1", Role.COORDINATOR), CHANGE, None)
    with pytest.raises(TenancyError):
        system_actor("")
    job = system_actor("test: nachtelijke taak")
    assert is_system(job) and can(job, CHANGE, world.a) and can(job, ADD, world.b)
    assert person(job) is None and acting_region_ids(job) >= {world.a.pk, world.b.pk}


def test_finding_8_swapped_arguments_raise_instead_of_answering(world):
    """One signature, ``can(user, action, target)``: the old order is an unknown action, never a silent answer."""
    invoice = issued(world, subject="Volgorde")
    staff, civil = coordinator(world), world.user("a2", Role.CIVIL_SERVANT)
    assert can(staff, CHANGE, invoice) is True
    assert can(civil, CHANGE, invoice) is False
    with pytest.raises(TenancyError, match="Onbekende actie"):
        can(staff, invoice, CHANGE)


def test_finding_8_services_refuse_user_none_instead_of_skipping_the_check(world):
    """``user=None`` used to mean "the system" and skipped the check in costsharing, agreements, invoicing and
    agreements/documents; now it raises and nothing is written."""
    invoice = issued(world, subject="Zonder gebruiker")
    before = db_fingerprint()
    with pytest.raises(TenancyError):
        costsharing_services.add_cao_step(
            user=None, region=world.a, effective_date=date(2025, 7, 1), source="cao", percentage=Decimal("2")
        )
    with pytest.raises(TenancyError):
        invoicing_services.register_payment(
            user=None, invoice=invoice, amount=Decimal("1.00"), paid_on=date(2026, 1, 5)
        )
    with pytest.raises(TenancyError):
        costsharing_services.require_coordinator(None, world.a)
    assert db_fingerprint() == before


def test_finding_8_documents_refuse_user_none(world):
    from tests.tenancy.cases_agreements import _agreement

    agreement = _agreement(world)
    with pytest.raises(TenancyError):
        add_document(user=None, agreement=agreement, title="x", name="x.pdf", content=b"%PDF-1.4\n%%EOF")


def test_finding_8_a_service_asks_the_one_rule_for_the_acting_user(world):
    """The same service, three actors: the coordinating staff act, a member's civil servant is refused, a job as the
    system actor acts (and is recorded as no person)."""
    args = {"region": world.a, "effective_date": date(2025, 7, 1), "source": "cao", "percentage": Decimal("2")}
    with pytest.raises(PermissionDenied):
        costsharing_services.add_cao_step(user=world.user("a2", Role.CIVIL_SERVANT), **args)
    assert not CaoStep.objects.unrestricted().exists()
    costsharing_services.add_cao_step(user=system_actor("test: regiobestand"), **args)
    assert CaoStep.objects.unrestricted().count() == 1


@pytest.mark.parametrize(
    ("route", "kwargs", "query"),
    [
        ("costsharing-tariffs", {"code": "regio-a"}, ""),
        ("costsharing-budget", {"code": "regio-a", "year": 2025}, ""),
        ("toezicht-fte-split", {}, "?regio=regio-a&jaar=2025"),
    ],
)
def test_finding_8_a_viewer_posting_invalid_data_gets_403_not_field_errors(world, route, kwargs, query):
    """The page maps POST to an action and checks it before the form sees the input: a member's civil servant who
    may see the page gets 403 for nonsense, never the form's field errors; region B's staff get 404."""
    url = reverse(route, kwargs=kwargs) + query
    viewer = world.client("a2", Role.CIVIL_SERVANT)
    outsider = world.client("b1", Role.COORDINATOR)
    assert viewer.get(url).status_code == 200
    nonsense = {"action": "add", "percentage": "veel", "effective_date": "gisteren", "fte": "-1e30", "amount": "x"}
    response = viewer.post(url, nonsense)
    assert response.status_code == 403
    assert "errorlist" not in response.content.decode() and "Verbeter" not in response.content.decode()
    assert outsider.post(url, nonsense).status_code == 404
    # The coordinating staff get past the check: the same nonsense now meets the form (a re-rendered page with
    # errors, or a redirect with a message), not a 403.
    assert world.client("a1", Role.COORDINATOR).post(url, nonsense).status_code in (200, 302, 400)


def test_finding_8_api_write_by_a_viewer_is_refused_before_validation(world):
    """The API too: a member's civil servant posting an invalid reckoning request gets 403, not 400 with fields."""
    client = world.client("a2", Role.CIVIL_SERVANT, api=True)
    response = client.post(reverse("api:reckoning-list"), {"year": "nooit"}, format="json")
    assert response.status_code == 403, response.content


def test_finding_8_api_write_on_an_object_answers_404_then_403_before_validation(world):
    """A write on an object through the API: another tenant's (or another member's) answers 404, a member who may
    only look gets 403, both before the input is read; the coordinating staff meet the validation (400)."""
    invoice = issued(world, subject="Betaling via de API")
    url = reverse("api:invoice-payments", kwargs={"pk": invoice.pk})
    nonsense = {"amount": "veel", "paid_on": "gisteren"}
    assert world.client("a2", Role.CIVIL_SERVANT, api=True).post(url, nonsense, format="json").status_code == 403
    assert world.client("a3", Role.CIVIL_SERVANT, api=True).post(url, nonsense, format="json").status_code == 404
    assert world.client("b1", Role.COORDINATOR, api=True).post(url, nonsense, format="json").status_code == 404
    assert world.client("a1", Role.COORDINATOR, api=True).post(url, nonsense, format="json").status_code == 400
