"""The demo step of beschermd wonen (issue 13, slice 5): a pseudonymous WM register, loaded once."""

from pathlib import Path

from django.conf import settings

from beschermdwonen.demo import westelijke_mijnstreek_register
from beschermdwonen.models import Assessment, Client, Notification
from beschermdwonen.selectors import clients_for
from regio.models import User
from regio.privacy import contains_bsn
from regio.regionfile.loader import import_file
from regio.tenancy import system_actor


def test_the_demo_register_loads_once_and_each_member_sees_its_residents(db):
    import_file(Path(settings.BASE_DIR) / "demo" / "10-westelijke-mijnstreek.yaml", user=system_actor("test"))
    line = westelijke_mijnstreek_register()
    assert line == "Beschermd wonen WM: 12 cliënten, 8 meldingen, 1 onderzoek"
    assert westelijke_mijnstreek_register() == "Beschermd wonen WM: register al gevuld"
    assert Client.objects.unrestricted().count() == 12
    assert Notification.objects.unrestricted().count() == 8
    assert Assessment.objects.unrestricted().get().hours.count() == 2
    assert not any(contains_bsn(r) for r in Client.objects.unrestricted().values_list("reference", flat=True))
    assert clients_for(User.objects.get(username="sittard-geleen-bw")).count() == 12
    assert clients_for(User.objects.get(username="stein-bw")).count() == 4  # three, and the one who moved from Beek
    assert clients_for(User.objects.get(username="beek-bw")).count() == 3  # two, and the one who moved to Stein
    assert clients_for(User.objects.get(username="beek-wethouder")).count() == 0
