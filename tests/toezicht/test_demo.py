"""Issue 14 demo: the Westelijke Mijnstreek's supervisor is appointed under the region file's mandates and has
hours and signals, and loading the demo twice changes nothing."""

from io import StringIO

from django.core.management import call_command

from regio.models import User
from regio.tenancy import scope_of
from toezicht.demo_plans import SIGNALS
from toezicht.models import HoursEntry, Signal, SupervisorAppointment


def test_demo_supervisor_with_hours_and_signals(db):
    out = StringIO()
    call_command("load_demo", "--quiet-logins", stdout=out)
    assert "Toezicht Wmo: Toezichthouder Wmo Sittard-Geleen (demo) aangewezen voor 3 gemeenten" in out.getvalue()
    appointment = SupervisorAppointment.objects.unrestricted().get(
        supervisor__username="sittard-geleen-toezichthouder"
    )
    assert {m.pk for m in appointment.mandates.all()} and appointment.mandates.count() == 2  # Stein and Beek
    supervisor = User.objects.get(username="sittard-geleen-toezichthouder")
    # Its own three, and the year of signals of the plans-and-reports step (all three municipalities are its own).
    assert Signal.objects.visible_to(supervisor).count() == 3 + len(SIGNALS)
    assert not Signal.objects.visible_to(User.objects.get(username="sittard-geleen-coordinator")).exists()
    assert len(scope_of(supervisor).supervised_municipality_ids) == 3
    counts = (HoursEntry.objects.unrestricted().count(), Signal.objects.unrestricted().count())
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    assert (HoursEntry.objects.unrestricted().count(), Signal.objects.unrestricted().count()) == counts
