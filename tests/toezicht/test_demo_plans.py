"""Issue 14 part B demo: three supervisors in the Westelijke Mijnstreek, the plans with a civil servant's comment, the
2025 annual report of each municipality and the joint evaluation; loading twice changes nothing."""

from io import StringIO

from django.core.management import call_command

from regio.models import User
from regio.tenancy import scope_of
from toezicht.models import AnnualReport, JointEvaluation, PlanComment, SupervisionPlan, SupervisorAppointment
from toezicht.services_reports import generate_annual_report


def test_demo_plans_reports_and_evaluation(db):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    wm = "westelijke-mijnstreek"
    assert SupervisorAppointment.objects.unrestricted().filter(region__code=wm).count() == 3
    assert {p.kind for p in SupervisionPlan.objects.unrestricted().filter(region__code=wm)} == {
        "policy_frame",
        "execution",
        "annual",
    }
    assert PlanComment.objects.unrestricted().filter(author__username="stein-ambtenaar").exists()
    reports = {r.municipality.code: r for r in AnnualReport.objects.unrestricted().filter(year=2025)}
    assert set(reports) == {"GM1883", "GM0971", "GM0888"}
    assert reports["GM0888"].figures["signals"]["total"] >= 3
    assert JointEvaluation.objects.unrestricted().filter(region__code=wm, year=2025).exists()
    # Beek's portfolio holder sees Beek's report only; the supervisor can draw it up again, unchanged.
    holder = User.objects.get(username="beek-wethouder")
    assert list(AnnualReport.objects.visible_to(holder).values_list("municipality__code", flat=True)) == ["GM0888"]
    lead = User.objects.get(username="sittard-geleen-toezichthouder")
    assert len(scope_of(lead).supervised_municipality_ids) == 3
    beek = reports["GM0888"]
    again = generate_annual_report(user=lead, region=beek.region, municipality=beek.municipality, year=2025)
    assert again.content_hash == beek.content_hash
    counts = (SupervisionPlan.objects.unrestricted().count(), AnnualReport.objects.unrestricted().count())
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    assert (SupervisionPlan.objects.unrestricted().count(), AnnualReport.objects.unrestricted().count()) == counts
