"""Issue 14 part B: the plan, report and evaluation forms answer hostile input in Dutch (400), never 500, and save
nothing, posted by the people who may use them (the shared hostile-input walk posts as users who are refused first)."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from tests.toezicht.builders import fresh
from toezicht.models import AnnualReport, JointEvaluation, PlanComment, SupervisionPlan

HOSTILE = ["", " ", "-1", "1e9999", "99999", "9" * 400, "<script>x</script>", "31-02-2025", "\x00", "x" * 20000]


@pytest.fixture
def supervisor(world):
    user = world.user("a1", "toezichthouder")
    assign_perm("regio.supervise_municipality", user, world.a2)
    return fresh(user)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_plan_report_and_evaluation_input_answers_400(world, supervisor, client, value):
    client.force_login(supervisor)
    plan = SupervisionPlan.objects.create(region=world.a, kind="annual", year=2026, title="Jaarplan")
    for url, data in (
        (reverse("toezicht-plans"), {"kind": value, "year": value, "title": value, "adopted_on": value}),
        (reverse("toezicht-plans"), {"kind": "annual", "year": value, "title": "x" * 201, "themes": value}),
        (
            reverse("toezicht-plan-detail", kwargs={"pk": plan.pk}),
            {"action": "plan", "kind": "annual", "year": "2026", "title": value, "adopted_on": value},
        ),
        (
            reverse("toezicht-plan-detail", kwargs={"pk": plan.pk}),
            {"action": "comment", "text": f"{value} BSN 111222333"},
        ),
        (reverse("toezicht-reports"), {"municipality": value, "year": value}),
        (reverse("toezicht-reports"), {"municipality": world.a2.code, "year": value}),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, (url, data, response.status_code)
        if "\x00" not in value:  # a NUL byte is refused before the form (400 without the summary)
            assert "Er ging iets mis" in response.content.decode()
    client.force_login(world.user("a1", "coordinator"))
    response = client.post(
        reverse("toezicht-reports"),
        {"evaluation": "1", "year": value, "held_on": value, "conclusions": value, "participants": value},
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.title == "Jaarplan" and plan.adopted_on is None
    assert SupervisionPlan.objects.unrestricted().count() == 1
    assert not PlanComment.objects.unrestricted().exists()
    assert not AnnualReport.objects.unrestricted().exists()
    assert not JointEvaluation.objects.unrestricted().exists()
