import pytest
from django.core.exceptions import ValidationError

from regio.models import AccessLog, log_access
from tests.factories import MunicipalityFactory, UserFactory


def test_a_read_is_logged_and_the_log_cannot_change(db):
    municipality = MunicipalityFactory(code="GM0888", name="Beek")
    user = UserFactory(username="beek-bw", municipality=municipality, roles=["bw"])
    entry = log_access(user=user, obj=municipality, municipality=municipality)
    assert entry.object_type == "regio.Municipality" and entry.object_id == str(municipality.pk)
    entry.action = "export"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_only_the_functional_administrator_reads_the_log(db):
    municipality = MunicipalityFactory(code="GM0888", name="Beek")
    log_access(user=None, obj=municipality, municipality=municipality)
    admin = UserFactory(username="beheerder", municipality=municipality, roles=["beheerder"])
    clerk = UserFactory(username="beek-ambtenaar", municipality=municipality, roles=["ambtenaar"])
    assert AccessLog.objects.visible_to(admin).count() == 1
    assert AccessLog.objects.visible_to(clerk).count() == 0
    assert AccessLog.objects.restrict(admin, "change").count() == 0
