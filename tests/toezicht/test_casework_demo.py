"""Issue 14 part A demo: investigations over 2025 in all three WM municipalities (one after the Meldpunt signal), one
overdue information request, one disclosure to a college; the team manager reads them, the coordinator does not;
loading twice changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from regio.models import AccessLog, User
from toezicht.models import Disclosure, InformationRequest, Investigation, Signal


def test_demo_casework(db):
    out = StringIO()
    call_command("load_demo", "--quiet-logins", stdout=out)
    assert "Toezicht Wmo: dossiers: 5 onderzoeken" in out.getvalue(), out.getvalue()
    supervisor = User.objects.get(username="sittard-geleen-toezichthouder")
    manager = User.objects.get(username="sittard-geleen-teammanager")
    investigations = Investigation.objects.visible_to(supervisor)
    assert {i.municipality.code for i in investigations} == {"GM1883", "GM0971", "GM0888"}
    assert {i.started_on.year for i in investigations} == {2025}
    assert Signal.objects.visible_to(supervisor).get(source="meldpunt").investigation is not None
    today = timezone.localdate()
    assert [r.municipality.code for r in InformationRequest.objects.visible_to(supervisor) if r.is_overdue(today)] == [
        "GM0971"
    ]
    disclosure = Disclosure.objects.visible_to(supervisor).get()
    assert disclosure.municipality.code == "GM0888" and disclosure.request is not None
    assert AccessLog.objects.unrestricted().filter(action="disclose", object_id=str(disclosure.pk)).exists()
    assert Investigation.objects.visible_to(manager).count() == 5
    for stranger in ("sittard-geleen-coordinator", "beek-ambtenaar", "beek-wethouder", "sittard-geleen-bw"):
        user = User.objects.get(username=stranger)
        assert not Investigation.objects.visible_to(user).exists()
        assert not InformationRequest.objects.visible_to(user).exists()
        assert not Disclosure.objects.visible_to(user).exists()
    counts = (Investigation.objects.unrestricted().count(), InformationRequest.objects.unrestricted().count())
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    assert (Investigation.objects.unrestricted().count(), InformationRequest.objects.unrestricted().count()) == counts
