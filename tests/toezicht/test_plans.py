"""Issue 14 part B, plans: policy frame, execution plan and annual plan per year (WM-DVO annex 4, "Beleidskader en
uitvoering"). Only supervisors change them; the civil servants read and comment, without a say (WM-SO 3.2 c)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from guardian.shortcuts import assign_perm

from tests.toezicht.builders import fresh
from toezicht.models import PlanComment, SupervisionPlan
from toezicht.services_plans import comment_on_plan, save_plan

PLAN = {
    "kind": "annual",
    "year": 2026,
    "title": "Jaarplan toezicht Wmo 2026",
    "priorities": "Pgb-steekproef\nScreening toetreders",
    "themes": "Dagbesteding",
    "planned_investigations": "Steekproef pgb (structureel)",
}


@pytest.fixture
def supervisor(world):
    user = world.user("a1", "toezichthouder")
    assign_perm("regio.supervise_municipality", user, world.a2)
    return fresh(user)


def test_wm_so_3_2_c_only_supervisors_draw_up_a_plan(world, supervisor):
    plan = save_plan(user=supervisor, region=world.a, **PLAN)
    assert plan.priority_list() == ["Pgb-steekproef", "Screening toetreders"]
    for who in (("a2", "ambtenaar"), ("a1", "coordinator"), ("a2", "wethouder"), ("a3", "toezichthouder")):
        with pytest.raises(PermissionDenied):
            save_plan(user=world.user(*who), region=world.a, **{**PLAN, "title": "Overgenomen"})
    plan.refresh_from_db()
    assert plan.title == "Jaarplan toezicht Wmo 2026"


def test_saving_again_changes_the_one_plan_of_that_kind_and_year_and_keeps_history(world, supervisor):
    first = save_plan(user=supervisor, region=world.a, **PLAN)
    second = save_plan(user=supervisor, region=world.a, **{**PLAN, "title": "Jaarplan 2026, herzien"})
    assert first.pk == second.pk
    assert SupervisionPlan.objects.unrestricted().count() == 1
    assert second.history.count() == 2


def test_a_supervisor_of_another_region_cannot_write_this_regions_plan(world):
    other = world.user("b1", "toezichthouder")
    assign_perm("regio.supervise_municipality", other, world.b1)
    with pytest.raises(PermissionDenied):
        save_plan(user=fresh(other), region=world.a, **PLAN)
    assert not SupervisionPlan.objects.unrestricted().exists()


def test_bad_plan_input_answers_in_dutch(world, supervisor):
    with pytest.raises(ValidationError) as exc:
        save_plan(user=supervisor, region=world.a, **{**PLAN, "title": " ", "themes": "x" * 5001})
    assert set(exc.value.message_dict) == {"title", "themes"}
    with pytest.raises(ValidationError):
        save_plan(user=supervisor, region=world.a, **{**PLAN, "kind": "wishlist"})
    with pytest.raises(ValidationError):
        save_plan(user=supervisor, region=world.a, **{**PLAN, "year": 99999})


def test_wm_so_3_2_c_civil_servants_comment_without_changing_the_plan(world, supervisor):
    plan = save_plan(user=supervisor, region=world.a, **PLAN)
    servant = world.user("a2", "ambtenaar")
    comment = comment_on_plan(user=servant, plan=plan, text="Graag aandacht voor de wachttijden.")
    assert comment.municipality == world.a2
    plan.refresh_from_db()
    assert plan.history.count() == 1
    with pytest.raises(PermissionDenied):  # a portfolio holder only reads (SPEC §1)
        comment_on_plan(user=world.user("a2", "wethouder"), plan=plan, text="Akkoord")
    with pytest.raises(PermissionDenied):  # another region's people do not see the plan at all
        comment_on_plan(user=world.user("b1", "ambtenaar"), plan=plan, text="Hallo")
    with pytest.raises(ValidationError):
        comment_on_plan(user=servant, plan=plan, text="BSN 111222333 belde")
    assert PlanComment.objects.unrestricted().count() == 1


def test_plan_page_shows_the_form_to_supervisors_only_and_comments_to_members(world, supervisor, client):
    plan = save_plan(user=supervisor, region=world.a, **PLAN)
    comment_on_plan(user=world.user("a2", "ambtenaar"), plan=plan, text="Opmerking van Beek")
    url = reverse("toezicht-plan-detail", kwargs={"pk": plan.pk})
    client.force_login(world.user("a3", "ambtenaar"))
    page = client.get(url)
    assert page.status_code == 200
    assert "Opmerking van Beek" in page.content.decode()
    assert 'name="title"' not in page.content.decode()
    assert client.post(url, {"action": "plan", **PLAN, "title": "X"}).status_code == 403
    response = client.post(url, {"action": "comment", "text": "Opmerking van a3"})
    assert response.status_code == 302
    client.force_login(supervisor)
    page = client.get(url)
    assert 'name="title"' in page.content.decode()
    response = client.post(url, {"action": "plan", **PLAN, "title": "Herzien jaarplan", "adopted_on": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.title == "Herzien jaarplan"
    assert PlanComment.objects.unrestricted().count() == 2


def test_plan_list_reads_in_a_bounded_number_of_queries(world, supervisor, client, django_assert_max_num_queries):
    for year in range(2020, 2026):
        save_plan(user=supervisor, region=world.a, **{**PLAN, "year": year})
    client.force_login(world.user("a2", "ambtenaar"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("toezicht-plans"))
    assert response.status_code == 200
    assert response.content.decode().count("Jaarplan toezicht Wmo 2026") == 6
